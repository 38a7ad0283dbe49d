// The verify step through run(), in this process, against DynamoDB Local and the local S3
// server: after an import, in mode verify, planned in a dry run, skipped after a failed import,
// and over the tables of a multi-table step.
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { run } from '../../src/main.js'
import {
  bucketWith,
  dynamodb,
  jsonLines,
  localInputs,
  scanAll,
  tableWith,
  useRunner,
} from '../support/helpers.js'

const noSleep = async () => {}
const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ pk: { S: `k${i}` }, v: { N: `${i}.0` } }))

/** run() with these inputs; its outputs, summary and stdout. */
async function runWith(inputs: Record<string, string>) {
  vi.restoreAllMocks()
  process.exitCode = undefined
  const runner = useRunner({ ...localInputs(), ...inputs })
  await run({ sleep: noSleep })
  const code = process.exitCode
  process.exitCode = undefined
  return { code, outputs: runner.outputs(), summary: runner.summary(), stdout: runner.stdout() }
}

describe('run() with verify', () => {
  it('passes an import that landed, then fails mode verify on what the table lost or gained', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(6)) })
    const table = await tableWith('S')
    const source = `s3://${bucket}/`
    const imported = await runWith({ table, source, verify: 'exact' })
    expect(imported.code).toBeUndefined()
    expect(imported.outputs).toMatchObject({
      'verified-item-count': '6',
      'mismatched-item-count': '0',
    })
    expect(imported.summary).toContain('✅ **Verify (exact):** 6 items checked: 6 equal')

    const client = dynamodb()
    try {
      await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'k2' } } }))
      await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'extra' } } }))
    } finally {
      client.destroy()
    }
    const checked = await runWith({ table, source, mode: 'verify', verify: 'exact' })
    expect(checked.code).toBe(1)
    expect(checked.outputs).toMatchObject({
      mode: 'verify',
      status: 'FAILED',
      'failure-code': 'VerificationFailed',
      'verified-item-count': '6',
      'mismatched-item-count': '2',
    })
    expect(checked.stdout).toContain(
      `::error title=Verify (exact)%3A missing::s3://${bucket}/a.json:3: the table does not hold this item (its key is missing)`,
    )
    expect(checked.stdout).toContain(
      `::error title=Verify (exact)%3A extra::1 item of table ${table} has a key the source does not hold (verify exact).`,
    )
    expect(checked.stdout).toContain('6 checked (min-items 0)')
    expect(checked.summary).toContain(
      '❌ **Verify (exact):** 6 items checked: 5 equal, 1 missing, 0 different, 1 extra;',
    )
  })

  it('plans the check in a dry run, and does not run it after an import that did not complete', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(3)) + '{"Item": {"pk": 1}}\n' })
    const table = await tableWith('S')
    const source = `s3://${bucket}/`
    const dry = await runWith({ table, source, verify: 'full', 'dry-run': 'true' })
    expect(dry.summary).toMatch(
      /\*\*Verify \(full\), planned:\*\* would read 3 items back with consistent reads, at most about \d+ read units\./,
    )
    const failed = await runWith({ table, source, verify: 'full', 'max-errors': '0' })
    expect(failed.code).toBe(1)
    expect(failed.outputs['verified-item-count']).toBe('3')
    // Rejected records are not expected: the import's item errors leave the rest to check.
    expect(failed.outputs['mismatched-item-count']).toBe('0')

    // A gzip object cut short: not read to its end (SourceNotRead), so nothing to compare yet.
    const gzipped = gzipSync(jsonLines(items(50)))
    const broken = await bucketWith({ 'x.json.gz': gzipped.subarray(0, gzipped.length - 12) })
    const cut = await runWith({ table, source: `s3://${broken}/`, verify: 'full' })
    expect(cut.code).toBe(1)
    expect(cut.summary).toMatch(/\*\*Verify \(full\):\*\* not run: the import did not complete/)
  })

  it('checks every table of a step that loads several, and sums their figures', async () => {
    const a = await tableWith('S')
    const b = await tableWith('S')
    const put = (pk: string) => ({ PutRequest: { Item: { pk: { S: pk } } } })
    const bucket = await bucketWith({
      'seed.json': JSON.stringify({ [a]: [put('1'), put('2')], [b]: [put('3')] }),
    })
    const { table: _, ...inputs } = localInputs()
    vi.restoreAllMocks()
    process.exitCode = undefined
    const runner = useRunner({ ...inputs, source: `s3://${bucket}/`, verify: 'full' })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.outputs()).toMatchObject({
      'verified-item-count': '3',
      'mismatched-item-count': '0',
      'imported-item-count': '3',
    })
    expect(JSON.parse(runner.outputs()['tables'] ?? '[]')).toHaveLength(2)
    expect(await scanAll(b)).toHaveLength(1)
  })
})
