// write-threads auto through the built action: threads only where they can help.
import { describe, expect, it } from 'vitest'
import {
  jsonLines,
  localInputs,
  runDist,
  scanAll,
  tableWith,
  workspaceWith,
} from '../support/helpers.js'

/** 4,000 items of about 330 bytes: 1.3 MB, over the 1 MiB from which auto considers threads. */
const ITEMS = Array.from({ length: 4000 }, (_, i) => ({
  pk: { S: `item-${i}` },
  payload: { S: 'x'.repeat(300) },
}))

describe('write-threads auto', () => {
  it('starts no thread against a custom dynamodb-endpoint (DynamoDB Local), and says why', async () => {
    const table = await tableWith('S')
    const workspace = workspaceWith({ 'seed.json': jsonLines(ITEMS) })
    const { 's3-endpoint': _s3, ...inputs } = localInputs()
    const run = await runDist(
      { ...inputs, table, source: 'seed.json' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain(
      'write: the calls go out on the main thread (write-threads auto: a custom dynamodb-endpoint, not this runner, is the limit)',
    )
    expect(run.stdout).not.toMatch(/on \d+ write threads?/)
    expect(run.outputs['imported-item-count']).toBe(String(ITEMS.length))
    expect((await scanAll(table)).length).toBe(ITEMS.length)
  })
})
