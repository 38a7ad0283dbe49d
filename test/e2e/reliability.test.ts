// Faults survived and nothing lost: the action runs against DynamoDB Local and the local S3
// server through a fault-injecting proxy (test/support/fault-proxy.ts). In every scenario a full
// scan must equal the expected items exactly, and the counters must equal what was written and
// rejected.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { createSampleTable, startEmulators } from '../../scripts/emulators.mjs'
import { run } from '../../src/main.js'
import {
  bucketWith,
  dynamodb,
  fromDynamoDBJson,
  recordScenario,
  jsonLines,
  scanAll,
  sortedCanonical,
  tableWith,
  useRunner,
  type Item,
} from '../support/helpers.js'
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../support/fault-proxy.js'

const proxies: FaultProxy[] = []
afterEach(async () => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  process.exitCode = undefined
  await Promise.all(proxies.splice(0).map((p) => p.close()))
})

async function proxy(
  target: string,
  seed = 1,
  wait?: FaultProxyOptions['wait'],
): Promise<FaultProxy> {
  const p = await startFaultProxy({ target, seed, ...(wait && { wait }) })
  proxies.push(p)
  return p
}

const noSleep = async () => {}
/** Enough attempts for heavy random faults, with no real waiting between them. */
const patient = { maxAttempts: 60, baseDelayMs: 1, maxDelayMs: 1 }
const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => sampleItem(from + i))
const expected = (from: number, to: number) =>
  items(from, to).map((i) => fromDynamoDBJson(i) as Item)
const FAKE_KEY_ID = 'AKIARELIABILITYFAKE01'
const FAKE_SECRET = 'reliability/fake+secret/never+printed'

/** The data of most scenarios: 600 items in 6 objects, half gzip. */
function objects(): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {}
  for (let o = 0; o < 6; o++) {
    const body = jsonLines(items(o * 100, (o + 1) * 100))
    out[`data/part-${o}.json${o % 2 ? '.gz' : ''}`] = o % 2 ? gzipSync(body) : body
  }
  return out
}

function runnerFor(
  table: string,
  bucket: string,
  dynamodb: string,
  s3: string,
  inputs: Record<string, string> = {},
  onStdout?: (text: string) => void,
) {
  const runner = useRunner(
    {
      table,
      source: `s3://${bucket}/data/`,
      region: 'us-east-1',
      'dynamodb-endpoint': dynamodb,
      's3-endpoint': s3,
      'write-concurrency': '8',
      ...inputs,
    },
    onStdout,
  )
  vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_KEY_ID)
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', FAKE_SECRET)
  // The SDK's own retries (S3, and DynamoDB outside BatchWriteItem, whose client has none) back
  // off on real timers: off here, so that every retry is the action's own (the writer's, with the
  // injected sleep; a read resumed), and nothing really waits.
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1')
  return runner
}

describe('faults', () => {
  it('resumes S3 bodies cut mid-stream from the byte reached, reading no line twice', async () => {
    const bucket = await bucketWith(objects())
    const table = await tableWith('S', 'N')
    const s3 = await proxy(inject('s3Endpoint'))
    s3.inject({ operation: 'GetObject', fault: { kind: 'cut', afterBytes: 3000 }, times: 4 })
    const runner = runnerFor(table, bucket, inject('dynamodbEndpoint'), s3.endpoint)
    await run({ sleep: noSleep })

    expect(process.exitCode).toBeUndefined()
    const cuts = s3.log().filter((r) => r.fault?.kind === 'cut')
    expect(cuts).toHaveLength(4)
    // Each read of an object starts where the one before it was cut.
    const reads = new Map<string, Array<{ range: string | undefined; got: number | undefined }>>()
    for (const r of s3.log().filter((r) => r.operation === 'GetObject')) {
      const key = r.url.split('?')[0] as string
      reads.set(key, [
        ...(reads.get(key) ?? []),
        { range: r.headers['range'] as string | undefined, got: r.bytesSent },
      ])
    }
    for (const sequence of reads.values()) {
      let start = 0
      for (const [i, read] of sequence.entries()) {
        expect(read.range).toBe(i === 0 ? undefined : `bytes=${start}-`)
        start += read.got ?? 0
      }
    }
    // Imported counts writes: a line read twice would count twice.
    expect(runner.outputs()).toMatchObject({
      status: 'COMPLETED',
      'processed-item-count': '600',
      'imported-item-count': '600',
      'error-count': '0',
    })
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expected(0, 600), 'pk', 'sk'),
    )
    expect(runner.stdout()).toContain('resuming from there')
    recordScenario({
      scenario: 'S3 bodies cut mid-stream',
      faults: '4 cuts',
      expected: 600,
      written: (await scanAll(table)).length,
      rejected: 0,
      outcome: `${runner.outputs()['status']}, step passed`,
    })
  })

  it.each([1, 2, 3, 4])(
    'random DynamoDB and S3 faults (seed %i) lose nothing and count exactly',
    async (seed) => {
      const bucket = await bucketWith(objects())
      const table = await tableWith('S', 'N')
      const ddb = await proxy(inject('dynamodbEndpoint'), seed)
      const s3 = await proxy(inject('s3Endpoint'), seed)
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'unprocessed', fraction: 0.5 },
        times: Infinity,
        probability: 0.3,
      })
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'error', name: 'ProvisionedThroughputExceededException' },
        times: Infinity,
        probability: 0.15,
      })
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'error', name: 'ThrottlingException' },
        times: Infinity,
        probability: 0.1,
      })
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'error', name: 'InternalServerError' },
        times: Infinity,
        probability: 0.05,
      })
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'drop' },
        times: 10,
        probability: 0.05,
      })
      s3.inject({
        operation: 'GetObject',
        fault: { kind: 'cut', afterBytes: 1500 },
        times: 3,
        probability: 0.5,
      })
      s3.inject({
        operation: 'GetObject',
        fault: { kind: 'status', status: 503 },
        times: 2,
        probability: 0.3,
      })
      const runner = runnerFor(table, bucket, ddb.endpoint, s3.endpoint)
      await run({ sleep: noSleep, retry: patient })

      const injected = [...ddb.log(), ...s3.log()].filter((r) => r.fault).length
      expect(injected, `seed ${seed}`).toBeGreaterThan(5)
      expect(process.exitCode, `seed ${seed}`).toBeUndefined()
      expect(runner.outputs()).toMatchObject({
        status: 'COMPLETED',
        'processed-item-count': '600',
        'imported-item-count': '600',
        'error-count': '0',
      })
      expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
        sortedCanonical(expected(0, 600), 'pk', 'sk'),
      )
      for (const secret of [FAKE_KEY_ID, FAKE_SECRET]) {
        expect(runner.stdout()).not.toContain(secret)
        expect(runner.summary()).not.toContain(secret)
      }
      const kinds = [...ddb.log(), ...s3.log()].flatMap((r) =>
        r.fault ? [r.fault.kind === 'error' ? r.fault.name : r.fault.kind] : [],
      )
      const counts = new Map<string, number>()
      for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1)
      recordScenario({
        scenario: `random faults, seed ${seed}`,
        faults: [...counts].map(([kind, n]) => `${n} ${kind}`).join(', '),
        expected: 600,
        written: (await scanAll(table)).length,
        rejected: 0,
        outcome: `${runner.outputs()['status']}, step passed`,
      })
    },
  )

  it('when throttling outlasts the retries, fails with the exact number not written, each in the rejected file', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 60)) })
    const table = await tableWith('S', 'N')
    const ddb = await proxy(inject('dynamodbEndpoint'))
    // Every attempt of the first two batches (3 attempts each) is throttled; the third gets through.
    ddb.inject({
      operation: 'BatchWriteItem',
      fault: { kind: 'error', name: 'ThrottlingException' },
      times: 2 * 3,
    })
    const runner = runnerFor(table, bucket, ddb.endpoint, inject('s3Endpoint'), {
      'write-concurrency': '1',
    })
    await run({ sleep: noSleep, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } })

    expect(process.exitCode).toBe(1)
    const outputs = runner.outputs()
    const unwritten = 50
    expect(outputs['imported-item-count']).toBe('10')
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'processed-item-count': '60',
      'error-count': String(unwritten),
    })
    expect(runner.stdout()).toContain(`${unwritten} valid items were NOT written`)
    const rejected = fs
      .readFileSync(outputs['rejected-file'] as string, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rejected).toHaveLength(unwritten)
    expect(
      rejected.every(
        (r) => r.kind === 'unwritten' && /not written after 3 attempts/.test(r.reason),
      ),
    ).toBe(true)
    // Written plus rejected is everything, with nothing twice.
    const written = (await scanAll(table)).map((i) => i['sk']?.N)
    const inFile = rejected.map((r) => JSON.parse(r.record).Item.sk.N)
    recordScenario({
      scenario: 'throttling outlasts the retries',
      faults: '6 ThrottlingException',
      expected: 60,
      written: written.length,
      rejected: rejected.length,
      outcome: `${outputs['status']}, step failed: ${unwritten} not written`,
    })
    expect([...written, ...inFile].sort()).toEqual(
      items(0, 60)
        .map((i) => (i['sk'] as { N: string }).N)
        .sort(),
    )
  })

  it('sends ExpectedBucketOwner on every S3 call when bucket-owner is set', async () => {
    const bucket = await bucketWith(objects())
    const table = await tableWith('S', 'N')
    const s3 = await proxy(inject('s3Endpoint'))
    runnerFor(table, bucket, inject('dynamodbEndpoint'), s3.endpoint, {
      'bucket-owner': '123456789012',
    })
    await run({ sleep: noSleep })
    const calls = s3.log()
    expect(calls.map((c) => c.operation)).toContain('ListObjectsV2')
    expect(calls.filter((c) => c.operation === 'GetObject')).toHaveLength(6)
    expect(calls.every((c) => c.headers['x-amz-expected-bucket-owner'] === '123456789012')).toBe(
      true,
    )
  })

  it('survives DynamoDB Local stopped and restarted in the middle of an import', async () => {
    // 600 items are 24 batches on 2 write slots. The 5th and 6th BatchWriteItem are held at the
    // proxy until both have arrived (both slots busy, nothing else in flight); then DynamoDB
    // Local is stopped and they are let go, to meet no server. The writer's retries then meet
    // no server either, in rounds of one failed call per slot, until the injected sleep of the
    // last round restarts DynamoDB Local (same dbPath) and points the proxy at it. No timer.
    const OUTAGE_ROUNDS = 3
    const SLOTS = 2
    const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-dbpath-'))
    let local = await startEmulators({ dbPath })
    const firstEndpoint = local.dynamodbEndpoint
    try {
      let writes = 0
      const held: (() => void)[] = []
      let stopped: Promise<void> | undefined
      const ddb = await proxy(local.dynamodbEndpoint, 1, (_ms, record) => {
        if (record.operation !== 'BatchWriteItem' || ++writes <= 4) return Promise.resolve()
        return new Promise<void>((release) => {
          held.push(release)
          if (held.length === SLOTS) {
            stopped = local.stop().finally(() => held.forEach((go) => go()))
          }
        })
      })
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'delay', ms: 0 },
        times: 4 + SLOTS,
      })

      const sleeps: number[] = []
      let early = 0
      let late = 0
      let parked: (() => void)[] = []
      let rounds = 0
      let restarted: Promise<void> | undefined
      const sleep = (ms: number) =>
        new Promise<void>((resume) => {
          sleeps.push(ms)
          // Neither is expected: a retry before the stop or after the restart is counted, not held.
          if (!stopped || restarted) {
            if (stopped) late++
            else early++
            return resume()
          }
          parked.push(resume)
          if (parked.length < SLOTS) return
          const round = parked
          parked = []
          if (++rounds < OUTAGE_ROUNDS) return round.forEach((go) => go())
          restarted = (async () => {
            await stopped
            local = await startEmulators({ dbPath })
            ddb.retarget(local.dynamodbEndpoint)
          })()
          void restarted.finally(() => round.forEach((go) => go()))
        })

      const bucket = await bucketWith(objects())
      await createSampleTable(local.dynamodbEndpoint, 'restarted')
      const runner = runnerFor('restarted', bucket, ddb.endpoint, inject('s3Endpoint'), {
        'write-concurrency': String(SLOTS),
      })
      await run({ sleep })
      await restarted

      expect(stopped).toBeDefined()
      expect(restarted).toBeDefined()
      expect(local.dynamodbEndpoint).not.toBe(firstEndpoint)
      expect(process.exitCode).toBeUndefined()
      expect(runner.outputs()).toMatchObject({
        status: 'COMPLETED',
        'processed-item-count': '600',
        'imported-item-count': '600',
        'error-count': '0',
      })
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'local')
      const scanned = await scanThrough(local.dynamodbEndpoint, 'restarted')
      expect(sortedCanonical(scanned, 'pk', 'sk')).toEqual(
        sortedCanonical(expected(0, 600), 'pk', 'sk'),
      )
      // Exactly: 4 calls before the stop; one failed call per slot and round while it was down,
      // each retried after one sleep (none before the stop or after the restart); and the other
      // 20 batches after the restart, each sent once.
      const outage = SLOTS * OUTAGE_ROUNDS
      const calls = ddb.log().filter((r) => r.operation === 'BatchWriteItem')
      const broken = calls.filter((r) => r.error !== undefined || r.status === undefined)
      const before = calls.filter((r) => r.target === firstEndpoint && r.status === 200)
      const after = calls.filter((r) => r.target === local.dynamodbEndpoint)
      expect({ early, late, retries: sleeps.length }).toEqual({
        early: 0,
        late: 0,
        retries: outage,
      })
      expect(calls).toHaveLength(24 + outage)
      expect(broken).toHaveLength(outage)
      for (const r of broken) expect(r.target).toBe(firstEndpoint)
      for (const r of broken) expect(r.error).toMatch(/ECONNREFUSED/)
      expect(before).toHaveLength(4)
      expect(after).toHaveLength(24 - 4)
      for (const r of after) expect(r).toMatchObject({ status: 200 })
      expect(after.every((r) => r.error === undefined)).toBe(true)
      // Nothing reached the restarted server before the last call that met none.
      expect(Math.min(...after.map((r) => r.seq))).toBeGreaterThan(
        Math.max(...broken.map((r) => r.seq)),
      )
      recordScenario({
        scenario: 'DynamoDB Local stopped and restarted',
        faults: `restart; ${broken.length} calls met no server`,
        expected: 600,
        written: scanned.length,
        rejected: 0,
        outcome: `${runner.outputs()['status']}, step passed`,
      })
    } finally {
      await local.stop()
      fs.rmSync(dbPath, { recursive: true, force: true })
    }
  }, 180_000)
})

async function scanThrough(endpoint: string, table: string): Promise<Item[]> {
  const { DynamoDBClient, paginateScan } = await import('@aws-sdk/client-dynamodb')
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  const out: Item[] = []
  try {
    for await (const page of paginateScan({ client }, { TableName: table }))
      out.push(...(page.Items ?? []))
  } finally {
    client.destroy()
  }
  return out
}

describe('a failure that stops the import', () => {
  it('says what was and was not done when the table disappears mid-import', async () => {
    const bucket = await bucketWith(objects())
    const table = await tableWith('S', 'N')
    // The third BatchWriteItem is held at the proxy while the table is deleted, then let go:
    // it meets a missing table after exactly two batches (50 items) were written.
    const { DeleteTableCommand } = await import('@aws-sdk/client-dynamodb')
    let writes = 0
    let deleted: Promise<unknown> | undefined
    const ddb = await proxy(inject('dynamodbEndpoint'), 1, (_ms, record) => {
      if (record.operation !== 'BatchWriteItem' || ++writes < 3) return Promise.resolve()
      const client = dynamodb()
      deleted = client
        .send(new DeleteTableCommand({ TableName: table }))
        .finally(() => client.destroy())
      return deleted.then(() => {})
    })
    ddb.inject({ operation: 'BatchWriteItem', fault: { kind: 'delay', ms: 0 }, times: 3 })
    const runner = runnerFor(table, bucket, ddb.endpoint, inject('s3Endpoint'), {
      'write-concurrency': '1',
    })
    await run({ sleep: noSleep })
    await deleted

    expect(deleted).toBeDefined()
    expect(process.exitCode).toBe(1)
    // The writer's failure stops the import; it is not an unreadable object for each one left.
    const stop = new RegExp(
      `The import stopped: BatchWriteItem: table ${table} was not found .*` +
        'By then: (\\d+) records read, 50 items written, 0 rejected; ' +
        'the records not yet written were not',
    ).exec(runner.stdout())
    expect(stop, runner.stdout()).not.toBeNull()
    // At least the three batches sent were read, and not everything: the reading stopped too.
    expect(Number(stop?.[1])).toBeGreaterThanOrEqual(75)
    expect(Number(stop?.[1])).toBeLessThan(600)
    expect(runner.summary()).toContain('The import stopped')
    // No retry of the refused call and no call after it.
    const calls = ddb.log().filter((r) => r.operation === 'BatchWriteItem')
    expect(calls.map((r) => r.status)).toEqual([200, 200, 400])
  })
})
