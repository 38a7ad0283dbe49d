// Read-back verification through the built action against DynamoDB Local: an import that checks
// itself, and mode verify finding exactly what the test changed in the table with the SDK.
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import {
  jsonLines,
  localInputs,
  runDist,
  scanAll,
  sortedCanonical,
  tableWith,
  withDynamoDB,
  workspaceWith,
  type ProcessRun,
} from '../support/helpers.js'

const ITEMS = 12

/** Item i, with a set and a nested map (jsonLines wraps it in `{"Item": …}`). */
function item(i: number) {
  return {
    pk: { S: `c#${i % 3}` },
    sk: { N: String(i) },
    total: { N: `${i}.50` },
    tags: { SS: ['b', 'a'] },
    address: { M: { city: { S: `city ${i}` }, zip: { N: '0100' } } },
  }
}

/** The workflow commands of one kind (`error`, `warning`) a run printed. */
function commands(run: ProcessRun, kind: string): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith(`::${kind}`))
}

async function seeded(): Promise<{
  table: string
  workspace: string
  inputs: Record<string, string>
}> {
  const table = await tableWith('S', 'N')
  const workspace = workspaceWith({
    'fixtures/orders.jsonl': jsonLines(Array.from({ length: ITEMS }, (_, i) => item(i))),
  })
  const inputs = { ...localInputs(), table, source: 'fixtures/orders.jsonl' }
  return { table, workspace, inputs }
}

describe('verify', () => {
  it('checks an import against the table: verify full passes with every item equal', async () => {
    const { workspace, inputs } = await seeded()
    const run = await runDist({ ...inputs, verify: 'full' }, { GITHUB_WORKSPACE: workspace })
    expect(run.code, run.stdout.slice(-3000)).toBe(0)
    expect(run.outputs).toMatchObject({
      status: 'COMPLETED',
      'imported-item-count': String(ITEMS),
      'verified-item-count': String(ITEMS),
      'mismatched-item-count': '0',
    })
    expect(run.summary).toContain(
      `**Verify (full):** ${ITEMS} items checked: ${ITEMS} equal, 0 missing, 0 different`,
    )
  })

  it('mode verify finds exactly the items the table lost, changed and gained, and changes nothing', async () => {
    const { table, workspace, inputs } = await seeded()
    const loaded = await runDist(inputs, { GITHUB_WORKSPACE: workspace })
    expect(loaded.code, loaded.stdout.slice(-3000)).toBe(0)
    // Line 3 (item 2) deleted; line 5 (item 4) changed at the top; line 8 (item 7) changed inside address; one extra.
    await withDynamoDB((c) =>
      c.send(
        new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'c#2' }, sk: { N: '2' } } }),
      ),
    )
    await withDynamoDB((c) =>
      c.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: 'c#1' }, sk: { N: '4' } },
          UpdateExpression: 'SET #t = :t',
          ExpressionAttributeNames: { '#t': 'total' },
          ExpressionAttributeValues: { ':t': { N: '999' } },
        }),
      ),
    )
    await withDynamoDB((c) =>
      c.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: 'c#1' }, sk: { N: '7' } },
          UpdateExpression: 'SET address.city = :c',
          ExpressionAttributeValues: { ':c': { S: 'elsewhere' } },
        }),
      ),
    )
    await withDynamoDB((c) =>
      c.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'x' }, sk: { N: '1' } } })),
    )
    // Numbers written otherwise but equal as decimals are no difference: 5.5 for 5.50.
    await withDynamoDB((c) =>
      c.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: 'c#2' }, sk: { N: '5' } },
          UpdateExpression: 'SET #t = :t',
          ExpressionAttributeNames: { '#t': 'total' },
          ExpressionAttributeValues: { ':t': { N: '5.5' } },
        }),
      ),
    )
    const before = sortedCanonical(await scanAll(table), 'pk', 'sk')

    const full = await runDist({ ...inputs, mode: 'verify' }, { GITHUB_WORKSPACE: workspace })
    expect(full.code).toBe(1)
    expect(full.outputs).toMatchObject({
      mode: 'verify',
      status: 'FAILED',
      'failure-code': 'VerificationFailed',
      'verified-item-count': String(ITEMS),
      'mismatched-item-count': '3',
      'imported-item-count': '0',
    })
    expect(commands(full, 'error').filter((l) => l.includes('title=Verify'))).toEqual([
      '::error title=Verify (full)%3A missing,file=fixtures/orders.jsonl,line=3::fixtures/orders.jsonl:3: the table does not hold this item (its key is missing)',
      '::error title=Verify (full)%3A different,file=fixtures/orders.jsonl,line=5::fixtures/orders.jsonl:5: the table holds this item with other values in total',
      '::error title=Verify (full)%3A different,file=fixtures/orders.jsonl,line=8::fixtures/orders.jsonl:8: the table holds this item with other values in address',
    ])
    // Values never reach the log.
    expect(full.stdout).not.toContain('elsewhere')
    expect(full.stdout).not.toContain('999')

    const exact = await runDist(
      { ...inputs, mode: 'verify', verify: 'exact' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(exact.code).toBe(1)
    expect(exact.outputs['mismatched-item-count']).toBe('4')
    expect(commands(exact, 'error')).toContain(
      `::error title=Verify (exact)%3A extra::1 item of table ${table} has a key the source does not hold (verify exact).`,
    )
    expect(exact.summary).toContain(
      `**Verify (exact):** ${ITEMS} items checked: ${ITEMS - 3} equal, 1 missing, 2 different, 1 extra;`,
    )
    // The check wrote nothing.
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(before)
  })

  it('honours duplicates and deletes of a request-items file', async () => {
    const table = await tableWith('S')
    const put = (pk: string, v: string) => ({
      PutRequest: { Item: { pk: { S: pk }, v: { S: v } } },
    })
    const file = JSON.stringify({
      Seed: [
        put('a', 'first'),
        put('b', 'kept'),
        put('a', 'second'),
        { DeleteRequest: { Key: { pk: { S: 'b' } } } },
        put('c', 'c'),
      ],
    })
    const workspace = workspaceWith({ 'seed.json': file })
    const inputs = { ...localInputs(), table, source: 'seed.json', verify: 'exact' }
    const run = await runDist(inputs, { GITHUB_WORKSPACE: workspace })
    expect(run.code, run.stdout.slice(-3000)).toBe(0)
    expect(run.outputs).toMatchObject({ 'verified-item-count': '3', 'mismatched-item-count': '0' })
    // The deleted key back in the table is a mismatch: the source says it must be absent.
    await withDynamoDB((c) =>
      c.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'b' }, v: { S: 'kept' } } })),
    )
    // truncate would empty the table: mode verify writes nothing, and says so.
    const again = await runDist(
      { ...inputs, mode: 'verify', truncate: 'true' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(again.code).toBe(1)
    expect(again.outputs['mismatched-item-count']).toBe('1')
    expect(again.stdout).toContain(
      '::warning::truncate (mode verify writes nothing) has no effect here and is ignored.',
    )
    expect(await scanAll(table)).toHaveLength(3)
  })

  it('sample checks the same keys on every run', async () => {
    const { table, workspace, inputs } = await seeded()
    const loaded = await runDist(inputs, { GITHUB_WORKSPACE: workspace })
    expect(loaded.code).toBe(0)
    // Every item changed: whichever keys the sample holds, each is a mismatch at its line.
    for (let i = 0; i < ITEMS; i++) {
      await withDynamoDB((c) =>
        c.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { pk: { S: `c#${i % 3}` }, sk: { N: String(i) } },
            UpdateExpression: 'SET #t = :t',
            ExpressionAttributeNames: { '#t': 'total' },
            ExpressionAttributeValues: { ':t': { N: '1' } },
          }),
        ),
      )
    }
    const sample = { ...inputs, mode: 'verify', verify: 'sample', 'verify-sample-size': '4' }
    const first = await runDist(sample, { GITHUB_WORKSPACE: workspace })
    const second = await runDist(sample, { GITHUB_WORKSPACE: workspace })
    expect(first.outputs).toMatchObject({
      'verified-item-count': '4',
      'mismatched-item-count': '4',
    })
    const places = (run: ProcessRun) =>
      commands(run, 'error')
        .filter((l) => l.includes('title=Verify'))
        .map((l) => /line=(\d+)/.exec(l)?.[1])
    expect(places(first)).toHaveLength(4)
    expect(places(second)).toEqual(places(first))
  })

  it('plans the check in a dry run, and refuses mode verify on a table that does not exist', async () => {
    const { workspace, inputs } = await seeded()
    const dry = await runDist(
      { ...inputs, verify: 'sample', 'verify-sample-size': '5', 'dry-run': 'true' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(dry.code, dry.stdout.slice(-3000)).toBe(0)
    expect(dry.outputs['verified-item-count']).toBe('')
    expect(dry.summary).toMatch(
      /\*\*Verify \(sample\), planned:\*\* would read 5 items back with consistent reads, at most about \d+ read units\./,
    )
    const missing = await runDist(
      { ...inputs, table: 'no-such-table-here', mode: 'verify' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain(
      '::error::mode: verify: table no-such-table-here does not exist (region us-east-1, endpoint ',
    )
  })
})
