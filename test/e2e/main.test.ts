// run() end to end, in this process, against DynamoDB Local and the local S3 server.
import { gzipSync } from 'node:zlib'
import * as fs from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { run } from '../../src/main.js'
import { sampleItem } from '../../scripts/make-examples.mjs'
import {
  bucketWith,
  fromDynamoDBJson,
  jsonLines,
  localInputs,
  scanAll,
  sortedCanonical,
  tableWith,
  uniqueName,
  useRunner,
  type Item,
  SAMPLE_KEY_SCHEMA,
} from '../support/helpers.js'

const noSleep = async () => {}

const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => sampleItem(from + i))

describe('run: stream import of DYNAMODB_JSON', () => {
  it('imports gzip and plain objects under the prefix, and nothing outside it', async () => {
    const bucket = await bucketWith({
      'data/part-1.json.gz': gzipSync(jsonLines(items(0, 40))),
      'data/part-2.json': jsonLines(items(40, 70), '\r\n') + '\n   \n',
      'data/deeper/part-3': gzipSync(jsonLines(items(70, 100))),
      'data/empty.json': '',
      // Outside the prefix: reading any of these would add errors or items.
      'data-archive/old.json': 'not json at all\n',
      'dat/x.json': jsonLines(items(500, 510)),
      'other/data/y.json': jsonLines(items(600, 610)),
    })
    const table = await tableWith('S', 'N')
    const runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/data/` })

    await run({ sleep: noSleep })

    expect(process.exitCode).toBeUndefined()
    const expected = items(0, 100).map((i) => fromDynamoDBJson(i) as Item)
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expected, 'pk', 'sk'),
    )
    const outputs = runner.outputs()
    const plainBytes = Buffer.byteLength(jsonLines(items(40, 70), '\r\n') + '\n   \n')
    const uncompressed =
      Buffer.byteLength(jsonLines(items(0, 40))) +
      plainBytes +
      Buffer.byteLength(jsonLines(items(70, 100)))
    expect(outputs).toMatchObject({
      mode: 'stream',
      status: 'COMPLETED',
      'failure-code': '',
      'import-arn': '',
      'table-arn': `arn:aws:dynamodb:ddblocal:000000000000:table/${table}`,
      'processed-item-count': '100',
      'imported-item-count': '100',
      'error-count': '0',
      'processed-size-bytes': String(uncompressed),
      'consumed-write-capacity': expect.stringMatching(/^\d+(\.\d+)?$/),
      'cloudwatch-log-group-arn': '',
      'rejected-file': '',
    })
    expect(outputs['mode-reason']).toContain('dynamodb-endpoint is set')
    expect(Number(outputs['consumed-write-capacity'])).toBeGreaterThanOrEqual(100)
    // A positive decimal: an empty or missing output would read as 0 through Number().
    expect(outputs['duration-seconds']).toMatch(/^\d+(\.\d+)?$/)
    expect(Number(outputs['duration-seconds'])).toBeGreaterThan(0)
    expect(runner.summary()).toMatch(
      /^## ✅ 100 items imported into `[^`]+` from `s3:\/\/[^`]+` in [\d.]+ s\n\n/,
    )
    expect(runner.stdout()).not.toContain('::error')
  })

  it('rejects a bad record with an annotation at its object and line, and fails past max-errors', async () => {
    const good = items(0, 30)
    const lines = jsonLines(good).split('\n')
    lines.splice(4, 0, '{"Item": {"pk": {"S": "secret-value-1"}}}') // line 5: no sort key
    lines.splice(9, 0, '{"Item": ') // line 10: invalid JSON
    const bucket = await bucketWith({ 'in/a.json': lines.join('\n') })
    const table = await tableWith('S', 'N')
    const runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/in/` })

    await run({ sleep: noSleep })

    expect(process.exitCode).toBe(1)
    const out = runner.stdout()
    expect(out).toMatch(
      new RegExp(`::error title=Rejected record.*::s3://${bucket}/in/a.json:5: .*sk`),
    )
    expect(out).toMatch(
      new RegExp(`::error title=Rejected record.*::s3://${bucket}/in/a.json:10: invalid JSON`),
    )
    expect(out).toContain('2 records were rejected, more than max-errors (0)')
    expect(out).not.toContain('secret-value-1')
    // The verdict is the first error annotation; each record is logged where it was read.
    expect(out.indexOf('::error::2 records were rejected')).toBeLessThan(
      out.indexOf('::error title=Rejected record'),
    )
    const validate = out.slice(out.indexOf('::group::Validate and write'))
    expect(validate.slice(0, validate.indexOf('::endgroup::'))).toContain(
      `rejected: s3://${bucket}/in/a.json:5: `,
    )
    expect(runner.outputs()).toMatchObject({
      status: 'FAILED',
      'failure-code': 'ItemValidationError',
      'processed-item-count': '32',
      'imported-item-count': '30',
      'error-count': '2',
    })
    const summary = runner.summary()
    expect(summary).toContain(`s3://${bucket}/in/a.json:5`)
    expect(summary).toContain('more than max-errors (0)')
    expect(await scanAll(table)).toHaveLength(30)
    const rejectedFile = runner.outputs()['rejected-file'] as string
    const rejected = fs
      .readFileSync(rejectedFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rejected.map((r) => r.location)).toEqual([
      `s3://${bucket}/in/a.json:5`,
      `s3://${bucket}/in/a.json:10`,
    ])
    expect(rejected[1].record).toBe('{"Item": ')
  })

  it('passes with rejected records within max-errors, as warnings, and still reports FAILED', async () => {
    const bucket = await bucketWith({ 'x.json': jsonLines(items(0, 3)) + '[1,2]\n' })
    const table = await tableWith('S', 'N')
    const runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/x.json`,
      'max-errors': '1',
    })

    await run({ sleep: noSleep })

    expect(process.exitCode).toBeUndefined()
    expect(runner.stdout()).toMatch(
      new RegExp(`::warning title=Rejected record.*::s3://${bucket}/x.json:4: `),
    )
    expect(runner.outputs()).toMatchObject({
      status: 'FAILED',
      'error-count': '1',
      'imported-item-count': '3',
    })
  })

  it('treats an empty prefix as an empty success, unless min-items asks for more', async () => {
    const bucket = await bucketWith({ 'elsewhere/a.json': jsonLines(items(0, 2)) })
    const table = await tableWith('S', 'N')
    let runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/nothing-here/` })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.outputs()).toMatchObject({
      status: 'COMPLETED',
      'processed-item-count': '0',
      'imported-item-count': '0',
    })
    // Green, but said: in the log as a warning and in the summary, pointing at min-items.
    expect(runner.stdout()).toContain(
      `::warning::s3://${bucket}/nothing-here/ holds no objects: nothing will be imported. Set min-items to make an empty source fail the step.`,
    )
    expect(runner.summary()).toContain('The source holds no objects: nothing was imported')

    vi.restoreAllMocks()
    runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/nothing-here/`,
      'min-items': '1',
    })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain('0 items imported, fewer than min-items (1)')
  })

  it('keeps the later record of a duplicate key, in one batch or across batches, and counts every write', async () => {
    const lines = []
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 40; k++)
        lines.push({ pk: { S: `k${k % 30}` }, v: { N: String(round * 100 + k) } })
    }
    const bucket = await bucketWith({ 'dups.json': jsonLines(lines) })
    const table = await tableWith('S')
    const runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/dups.json`,
      'write-concurrency': '4',
    })

    await run({ sleep: noSleep })

    const scanned = await scanAll(table)
    expect(scanned).toHaveLength(30)
    // The last line of each key: round 2, k in 10..39 for keys k10..k29 and k0..k9 at k 30..39.
    const last = new Map<string, string>()
    for (const line of lines) last.set(line.pk.S, line.v.N)
    expect(Object.fromEntries(scanned.map((i) => [i['pk']?.S, i['v']?.N]))).toEqual(
      Object.fromEntries(last),
    )
    expect(runner.outputs()).toMatchObject({
      'processed-item-count': '120',
      'imported-item-count': '120',
    })
  })

  it('creates a missing table from key-schema, and writes nothing in a dry run', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(0, 10)) })
    const table = uniqueName('created')
    let runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
      'dry-run': 'true',
    })
    await run({ sleep: noSleep })
    expect(runner.outputs()).toMatchObject({
      status: 'COMPLETED',
      'imported-item-count': '10',
      'consumed-write-capacity': '',
    })
    expect(runner.summary()).toContain('## 🧪 DRY RUN: 10 items would be imported into')
    // Nothing written, and not even the table created.
    await expect(scanAll(table)).rejects.toMatchObject({ name: 'ResourceNotFoundException' })

    vi.restoreAllMocks()
    runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
    })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.outputs()['mode-reason']).toContain('dynamodb-endpoint is set')
    expect(await scanAll(table)).toHaveLength(10)
  })

  it('fails on bad inputs before any network call, naming each input, value and what is allowed', async () => {
    const runner = useRunner({
      table: 'x',
      source: 'https://bucket/key',
      mode: 'sideways',
      'write-concurrency': '0',
      'dynamodb-endpoint': 'http://127.0.0.1:9', // nothing listens: a network call would fail differently
    })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBe(1)
    const out = runner.stdout()
    expect(out).toContain('table: expected a table name')
    expect(out).toContain(
      'source: expected s3://bucket/prefix or a path inside the workspace, got "https://bucket/key"',
    )
    expect(out).toContain('mode: expected one of auto, native, stream, verify, got "sideways"')
    expect(out).toContain('write-concurrency: expected a whole number from 1 to 256, got "0"')
    expect(runner.outputs()).toEqual({})
  })
})
