// What a run tells its reader, through the built action against DynamoDB Local: the job summary's
// headline and rows, and the warning of an import that imported nothing.
import { describe, expect, it, vi } from 'vitest'
import { run } from '../../src/main.js'
import {
  jsonLines,
  localInputs,
  runDist,
  scanAll,
  tableWith,
  useRunner,
  virtualClock,
  workspaceWith,
} from '../support/helpers.js'

const credentials = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }

const item = (i: number) => ({ pk: { S: `p${i}` }, sk: { N: String(i) } })

describe('the job summary of an emulator run', () => {
  it('rejected records accepted by max-errors: a ⚠️ headline, no capacity, pace or ImportTable rows, a table per object', async () => {
    const table = await tableWith('S', 'N')
    const workspace = workspaceWith({
      'data/a.json': jsonLines([item(1), item(2)]) + '{"Item": not json}\n',
      'data/b.json': jsonLines([item(3)]),
    })
    const run = await runDist(
      {
        ...localInputs(),
        table,
        source: 'data/',
        'input-format': 'DYNAMODB_JSON',
        'max-errors': '1',
      },
      { ...credentials, GITHUB_WORKSPACE: workspace },
    )
    expect(run.code).toBe(0)
    expect(await scanAll(table)).toHaveLength(3)
    const headline = run.summary.split('\n')[0] ?? ''
    expect(headline).toMatch(/^## ⚠️ 3 items imported into `[^`]+` from `data\/`/)
    expect(headline).toContain('1 record rejected, accepted by max-errors (1)')
    expect(run.summary).toContain('**The step passed.**')
    // An emulator bills nothing and is never throttled here: those rows would say nothing.
    expect(run.summary).not.toContain('Write capacity consumed')
    expect(run.summary).not.toContain('Throttled calls')
    expect(run.summary).not.toContain('Pace settled at')
    expect(run.summary).not.toContain('/GB')
    // Two objects: each has its row.
    expect(run.summary).toContain('### Objects')
    expect(run.summary).toContain('| data/a.json | 3 | 1 | none |')
    expect(run.summary).toContain('| data/b.json | 1 | 0 | none |')
  }, 60_000)

  it('a dry run against an emulator estimates no ImportTable cost', async () => {
    const table = await tableWith('S', 'N')
    const workspace = workspaceWith({ 'items.json': jsonLines([item(1), item(2)]) })
    const run = await runDist(
      {
        ...localInputs(),
        table,
        source: 'items.json',
        'input-format': 'DYNAMODB_JSON',
        'dry-run': 'true',
      },
      { ...credentials, GITHUB_WORKSPACE: workspace },
    )
    expect(run.code).toBe(0)
    expect(run.summary).toMatch(/^## 🧪 DRY RUN: 2 items would be imported/)
    expect(run.summary).not.toContain('### Estimates')
    expect(run.summary).not.toContain('/GB')
  }, 60_000)
})

describe('the chart of a long import', () => {
  it('charts items per second from the progress lines', async () => {
    const table = await tableWith('S', 'N')
    // 3 objects of 150 one-unit items at 10 write units/s: about 45 s on the virtual clock, so
    // the progress timer fires while the writer drains.
    const items = (from: number) => Array.from({ length: 150 }, (_, i) => item(from + i))
    const workspace = workspaceWith({
      'data/a.json': jsonLines(items(0)),
      'data/b.json': jsonLines(items(150)),
      'data/c.json': jsonLines(items(300)),
    })
    vi.stubEnv('GITHUB_WORKSPACE', workspace)
    const runner = useRunner({
      ...localInputs(),
      table,
      source: 'data/',
      'input-format': 'DYNAMODB_JSON',
      'max-write-capacity': '10',
      'write-concurrency': '1',
    })
    const clock = virtualClock()
    await run({ now: clock.now, sleep: clock.sleep, every: clock.every })
    const summary = runner.summary()
    expect(runner.stdout()).toMatch(/progress: \d\/3 objects done/)
    expect(summary).toContain('### Items per second')
    expect(summary).toMatch(/```mermaid\nxychart-beta\n {4}x-axis "seconds" \[\d+(, \d+)+\]/)
  })
})

describe('an import of 0 items', () => {
  it.each([
    ['an empty file', 'empty.json', '', 'DYNAMODB_JSON'],
    ['an empty JSON array', 'empty-array.json', '[]\n', 'JSON'],
  ])(
    '%s passes with a warning that names source and min-items',
    async (_what, file, content, format) => {
      const table = await tableWith('S', 'N')
      const workspace = workspaceWith({ [file]: content })
      const run = await runDist(
        { ...localInputs(), table, source: file, 'input-format': format },
        { ...credentials, GITHUB_WORKSPACE: workspace },
      )
      expect(run.code).toBe(0)
      expect(run.outputs['imported-item-count']).toBe('0')
      const warnings = run.stdout.split('\n').filter((line) => line.startsWith('::warning'))
      expect(warnings).toContainEqual(
        expect.stringContaining(
          `0 items imported from ${file}: the source holds no records. Check source, or set min-items: 1 to make an empty import fail the step.`,
        ),
      )
      // Said once: not also as the empty-source warning of the start step.
      expect(warnings.filter((w) => w.includes('min-items'))).toHaveLength(1)
      expect(run.summary.split('\n')[0]).toMatch(/^## ⚠️ 0 items imported/)
    },
    60_000,
  )
})
