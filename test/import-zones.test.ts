// The contract between the stages, as `npm run lint` enforces it: each zone of
// import-x/no-restricted-paths refuses the import that would break it, and allows the one that
// does not. Each case lints one line as if it were a file of src/.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint()

/** The messages of import-x/no-restricted-paths for `code` linted as the file `filePath`. */
async function zoneMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'import-x/no-restricted-paths')
    .map((m) => m.message)
}

const importOf = (name: string, from: string) =>
  `import type { ${name} } from '${from}'\nexport type Probe = ${name}\n`

describe('import zones', () => {
  it('lets only main.ts, post.ts and plan/ read the inputs', async () => {
    expect(await zoneMessages('src/stream/probe.ts', importOf('Inputs', '../inputs.js'))).toEqual([
      expect.stringContaining('Only main.ts, post.ts (the post step) and plan/ read the inputs'),
    ])
    expect(await zoneMessages('src/report/probe.ts', importOf('Inputs', '../inputs.js'))).toEqual([
      expect.stringContaining('Only main.ts, post.ts (the post step) and plan/ read the inputs'),
    ])
    expect(await zoneMessages('src/plan/probe.ts', importOf('Inputs', '../inputs.js'))).toEqual([])
    expect(await zoneMessages('src/main.ts', importOf('Inputs', './inputs.js'))).toEqual([])
    expect(await zoneMessages('src/post.ts', importOf('PostInputs', './inputs.js'))).toEqual([])
    expect(await zoneMessages('src/clients.ts', importOf('Inputs', './inputs.js'))).toEqual([
      expect.stringContaining('Only main.ts, post.ts (the post step) and plan/ read the inputs'),
    ])
  })

  it('keeps every engine out of report/', async () => {
    for (const [name, from] of [
      ['StreamJob', '../stream/engine.js'],
      ['NativeJob', '../native/engine.js'],
    ]) {
      expect(await zoneMessages('src/report/probe.ts', importOf(name!, from!))).toEqual([
        expect.stringContaining('report/ reads the one result'),
      ])
    }
    expect(
      await zoneMessages('src/report/probe.ts', importOf('ImportResult', '../result.js')),
    ).toEqual([])
  })

  it('keeps the engines from reaching back into the start step, and from each other', async () => {
    expect(await zoneMessages('src/stream/probe.ts', importOf('Plan', '../plan/plan.js'))).toEqual([
      expect.stringContaining('do not reach back into the start step'),
    ])
    expect(
      await zoneMessages('src/native/probe.ts', importOf('StreamJob', '../stream/engine.js')),
    ).toEqual([expect.stringContaining('One engine does not use another')])
    expect(
      await zoneMessages('src/stream/probe.ts', importOf('NativeJob', '../native/engine.js')),
    ).toEqual([expect.stringContaining('One engine does not use another')])
  })

  it('keeps result.ts a leaf', async () => {
    expect(await zoneMessages('src/result.ts', importOf('Steps', './steps.js'))).toEqual([
      expect.stringContaining('result.ts is the contract'),
    ])
    expect(
      await zoneMessages('src/result.ts', importOf('StreamJob', './stream/engine.js')),
    ).toEqual([expect.stringContaining('result.ts is the contract')])
  })
})
