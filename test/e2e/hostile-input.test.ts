// Hostile input: each case ends in a clear rejection or failure, nothing valid lost. The large
// cases run the bundle as a child process, as a runner does; what bounds their memory (a line is
// kept only up to its limit) is proved in test/sources/lines.test.ts, and their peak memory is
// a figure for the reliability report (recordScenario), not a bar a test could hold on every
// machine.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import { createGzip } from 'node:zlib'
import { createHash, randomBytes } from 'node:crypto'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { describe, expect, inject, it, vi } from 'vitest'
import { s3ClientConfig } from '../../scripts/emulators.mjs'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { run } from '../../src/main.js'
import { startFaultProxy } from '../support/fault-proxy.js'
import {
  bucketWith,
  fromDynamoDBJson,
  jsonLines,
  localInputs,
  recordScenario,
  runDist,
  scanAll,
  sortedCanonical,
  tableWith,
  uniqueName,
  useRunner,
  type Item,
} from '../support/helpers.js'

const MiB = 2 ** 20
const good = (n: number) => jsonLines(Array.from({ length: n }, (_, i) => sampleItem(i)))
const rejectedLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

/** Gzip of `bytes` bytes of `fill` (no newline), streamed: a bomb of about 1000:1. */
async function gzipBomb(bytes: number, fill = 0x61): Promise<Buffer> {
  const block = Buffer.alloc(MiB, fill)
  const source = Readable.from(
    (function* () {
      for (let done = 0; done < bytes; done += MiB) yield block
    })(),
  )
  const parts: Buffer[] = []
  for await (const part of source.pipe(createGzip({ level: 9 }))) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

async function dist(
  objects: Record<string, string | Uint8Array>,
  inputs: Record<string, string> = {},
) {
  const bucket = await bucketWith(objects)
  const table = await tableWith('S', 'N')
  const result = await runDist(
    { ...localInputs(), table, source: `s3://${bucket}/`, 'max-errors': '100', ...inputs },
    { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
  )
  return { ...result, bucket, table }
}

describe('hostile input', () => {
  it('a gzip bomb (1 GiB from 1 MiB, no newline) is one rejected line', async () => {
    const bomb = await gzipBomb(1024 * MiB)
    expect(bomb.length).toBeLessThan(2 * MiB)
    const run = await dist({ 'a-good.json': good(5), 'b-bomb.json.gz': bomb })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      status: 'FAILED',
      'imported-item-count': '5',
      'error-count': '1',
    })
    expect(run.outputs['processed-size-bytes']).toBe(
      String(Buffer.byteLength(good(5)) + 1024 * MiB),
    )
    // Not JSON in its first bytes, but named so: input-format auto reads it as JSON Lines, as
    // its name says, and the over-long line is one rejected record.
    expect(rejectedLines(run.outputs['rejected-file'] as string)[0]).toMatchObject({
      location: `s3://${run.bucket}/b-bomb.json.gz:1`,
      reason: 'line longer than 8388608 bytes',
    })
    recordScenario({
      scenario: 'gzip bomb, 1 GiB from 1 MiB',
      faults: 'hostile object',
      expected: 5,
      written: (await scanAll(run.table)).length,
      rejected: 1,
      outcome: 'FAILED status, 1 rejected line, step passed (max-errors 100)',
      peakRssMiB: Math.round(run.peakRss / MiB),
    })
  }, 120_000)

  it('a 100 MB line without a newline is one rejected line; the lines around it are imported', async () => {
    const big = Buffer.concat([Buffer.from(good(3)), Buffer.alloc(100 * 1000 * 1000, 0x7b)])
    const run = await dist({ 'a.json': big, 'b.json': good(4) })
    // 3 + 4 good lines are 7 writes, of 4 distinct keys (both objects start at item 0).
    expect(run.outputs).toMatchObject({
      'imported-item-count': '7',
      'error-count': '1',
      'processed-item-count': '8',
    })
    expect(await scanAll(run.table)).toHaveLength(4)
    recordScenario({
      scenario: '100 MB line without newline',
      faults: 'hostile object',
      expected: 4,
      written: 4,
      rejected: 1,
      outcome: 'FAILED status, 1 rejected line, step passed (max-errors 100)',
      peakRssMiB: Math.round(run.peakRss / MiB),
    })
  }, 120_000)

  it('binary garbage as DYNAMODB_JSON is rejected line by line without taking good objects down', async () => {
    const garbage = randomBytes(256 * 1024)
    const run = await dist(
      { 'a.json': garbage, 'b.json': jsonLines([sampleItem(50), sampleItem(51)]) },
      { 'max-errors': '100000', 'input-format': 'DYNAMODB_JSON' },
    )
    expect(run.code).toBe(0)
    const errors = Number(run.outputs['error-count'])
    expect(errors).toBeGreaterThan(0)
    expect(run.outputs['imported-item-count']).toBe('2')
    expect(Number(run.outputs['processed-item-count'])).toBe(errors + 2)
    const reasons = rejectedLines(run.outputs['rejected-file'] as string).map((r) => r['reason'])
    expect(
      reasons.every((r) =>
        /invalid JSON|invalid UTF-8|line longer|expected an object/.test(String(r)),
      ),
    ).toBe(true)
  })

  it('a CSV header that names a column twice fails the step whatever max-errors, and other files are read', async () => {
    const a = 'pk,sk,pk\nx,1,y\nz,2,w\n'
    const run = await dist({ 'a.csv': a, 'b.csv': 'pk,sk\nok,1\n' }, { 'input-format': 'CSV' })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      'failure-code': 'SourceNotRead',
      'imported-item-count': '1',
      'error-count': '0',
    })
    expect(run.stdout).toContain(
      `s3://${run.bucket}/a.csv:1: reading stopped at byte 0: the CSV header repeats "pk": if the file has no header row, set csv-header to the column names (input-format CSV); 0 records read, ${a.length} of ${a.length} bytes not read.`,
    )
  })

  it('data that does not fit the table definition is rejected record by record, with the reason', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-def-'))
    fs.writeFileSync(
      path.join(workspace, 'table.yml'),
      'AttributeDefinitions:\n  - { AttributeName: pk, AttributeType: N }\nKeySchema:\n  - { AttributeName: pk, KeyType: HASH }\nBillingMode: PAY_PER_REQUEST\n',
    )
    const bucket = await bucketWith({ 'a.json': good(3) })
    vi.stubEnv('GITHUB_WORKSPACE', workspace)
    const table = uniqueName('mismatch')
    const runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'table-definition': 'table.yml',
    })
    await run({ sleep: async () => {} })
    expect(process.exitCode).toBe(1)
    expect(runner.outputs()).toMatchObject({ 'imported-item-count': '0', 'error-count': '3' })
    const rejected = rejectedLines(runner.outputs()['rejected-file'] as string)
    expect(rejected[0]?.['reason']).toBe('key attribute "pk" must be of type N, found S')
    expect(runner.stdout()).toContain('3 records were rejected, more than max-errors (0)')
  })

  it('an object that was replaced after it was listed is refused, not half read', async () => {
    const objects: Record<string, string> = {}
    for (let i = 0; i < 30; i++) {
      objects[`o/${String(i).padStart(2, '0')}.json`] = jsonLines([sampleItem(i)])
    }
    const bucket = await bucketWith(objects)
    const table = await tableWith('S', 'N')
    const listedETag = `"${createHash('md5')
      .update(objects['o/29.json'] as string)
      .digest('hex')}"`
    // The GetObject of the last object is held at a proxy while that object is replaced: its
    // ETag no longer matches the listing when the request goes on.
    const s3 = new S3Client(s3ClientConfig(inject('s3Endpoint')))
    let replaced: Promise<unknown> | undefined
    const proxy = await startFaultProxy({
      target: inject('s3Endpoint'),
      seed: 1,
      wait: (_ms, record) => {
        if (!record.url.startsWith(`/${bucket}/o/29.json`)) return Promise.resolve()
        const body = jsonLines([sampleItem(99)])
        replaced = s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'o/29.json', Body: body }))
        return replaced.then(() => {})
      },
    })
    proxy.inject({ operation: 'GetObject', fault: { kind: 'delay', ms: 0 }, times: Infinity })
    const runner = useRunner({
      ...localInputs(),
      's3-endpoint': proxy.endpoint,
      table,
      source: `s3://${bucket}/o/`,
      'max-errors': '5',
    })
    try {
      await run({ sleep: async () => {} })
      await replaced
    } finally {
      s3.destroy()
      await proxy.close()
    }
    expect(replaced).toBeDefined()
    // Not a record max-errors may accept: the object was not read at all.
    expect(process.exitCode).toBe(1)
    expect(runner.outputs()).toMatchObject({
      'failure-code': 'SourceNotRead',
      'imported-item-count': '29',
      'error-count': '0',
      'rejected-file': '',
    })
    const size = Buffer.byteLength(objects['o/29.json'] as string)
    expect(runner.stdout()).toContain(
      `s3://${bucket}/o/29.json:1: reading stopped at byte 0: the object could not be read: it changed after it was listed (ETag ${listedETag} no longer matches); re-run the import (input-format auto); 0 records read, ${size} of ${size} stored bytes not read.`,
    )
    // The read asked for the object as listed, once, and took nothing of the new one.
    const reads = proxy.log().filter((r) => r.url.startsWith(`/${bucket}/o/29.json`))
    expect(reads.map((r) => [r.operation, r.headers['if-match']])).toEqual([
      ['GetObject', listedETag],
    ])
    const expected = Array.from({ length: 29 }, (_, i) => fromDynamoDBJson(sampleItem(i)) as Item)
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expected, 'pk', 'sk'),
    )
  })
})
