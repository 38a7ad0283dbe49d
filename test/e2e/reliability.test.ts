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
  expectStalled,
  rejectedLines,
  scanAll,
  sortedCanonical,
  tableWith,
  useRunner,
  virtualClock,
  type Item,
} from '../support/helpers.js'
import {
  startFaultProxy,
  type Fault,
  type FaultProxy,
  type FaultProxyOptions,
} from '../support/fault-proxy.js'

const proxies: FaultProxy[] = []
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()))
})

async function proxy(
  target: string,
  seed = 1,
  wait?: FaultProxyOptions['wait'],
  now?: () => number,
): Promise<FaultProxy> {
  const p = await startFaultProxy({ target, seed, ...(wait && { wait }), ...(now && { now }) })
  proxies.push(p)
  return p
}

/** BatchWriteItem fault rules, in order: each fault with its probability and uses (default all). */
function writeFaults(ddb: FaultProxy, rules: Array<[Fault, number, number?]>): void {
  for (const [fault, probability, times = Infinity] of rules) {
    ddb.inject({ operation: 'BatchWriteItem', fault, times, probability })
  }
}

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

/** The 600 items of objects() all read, all written exactly once, none rejected. */
async function expectAllWritten(runner: { outputs(): Record<string, string> }, table: string) {
  expect(runner.outputs()).toMatchObject({
    status: 'COMPLETED',
    'processed-item-count': '600',
    'imported-item-count': '600',
    'error-count': '0',
  })
  expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
    sortedCanonical(expected(0, 600), 'pk', 'sk'),
  )
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
    await run(virtualClock())

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
    await expectAllWritten(runner, table)
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
      writeFaults(ddb, [
        [{ kind: 'unprocessed', fraction: 0.5 }, 0.3],
        [{ kind: 'error', name: 'ProvisionedThroughputExceededException' }, 0.15],
        [{ kind: 'error', name: 'ThrottlingException' }, 0.1],
        [{ kind: 'error', name: 'InternalServerError' }, 0.05],
        [{ kind: 'drop' }, 0.05, 10],
      ])
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
      await run(virtualClock())

      const injected = [...ddb.log(), ...s3.log()].filter((r) => r.fault).length
      expect(injected, `seed ${seed}`).toBeGreaterThan(5)
      expect(process.exitCode, `seed ${seed}`).toBeUndefined()
      await expectAllWritten(runner, table)
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

  it('random DynamoDB faults on two write threads lose nothing and count exactly', async () => {
    const bucket = await bucketWith(objects())
    const table = await tableWith('S', 'N')
    const ddb = await proxy(inject('dynamodbEndpoint'), 1)
    writeFaults(ddb, [
      [{ kind: 'unprocessed', fraction: 0.5 }, 0.3],
      [{ kind: 'error', name: 'ThrottlingException' }, 0.15],
      [{ kind: 'error', name: 'InternalServerError' }, 0.05],
      [{ kind: 'drop' }, 0.05, 10],
    ])
    const runner = runnerFor(table, bucket, ddb.endpoint, inject('s3Endpoint'), {
      'write-threads': '2',
    })
    await run(virtualClock())

    const faults = ddb.log().filter((r) => r.fault)
    expect(new Set(faults.map((r) => r.fault?.kind))).toEqual(
      new Set(['unprocessed', 'error', 'drop']),
    )
    expect(runner.stdout()).toContain('the calls go out on 2 write threads')
    expect(process.exitCode).toBeUndefined()
    await expectAllWritten(runner, table)
  })

  it('sends ExpectedBucketOwner on every S3 call when bucket-owner is set', async () => {
    const bucket = await bucketWith(objects())
    const table = await tableWith('S', 'N')
    const s3 = await proxy(inject('s3Endpoint'))
    runnerFor(table, bucket, inject('dynamodbEndpoint'), s3.endpoint, {
      'bucket-owner': '123456789012',
    })
    await run(virtualClock())
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
    // Local is stopped and they are let go, to meet no server. The writer pauses (one pause for
    // all its calls, on the injected clock) and sends again, one call at a time, meeting no
    // server, until the pause of the last outage round restarts DynamoDB Local (same dbPath) and
    // points the proxy at it. No timer.
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

      const clock = virtualClock()
      let early = 0
      let pauses = 0
      let restarted: Promise<void> | undefined
      const sleep = async (ms: number) => {
        await clock.sleep(ms)
        // A pause before the stop is not expected: it is counted, not held.
        if (!stopped) return void early++
        if (restarted) return
        if (++pauses < OUTAGE_ROUNDS) return
        restarted = (async () => {
          await stopped
          local = await startEmulators({ dbPath })
          ddb.retarget(local.dynamodbEndpoint)
        })()
        await restarted
      }

      const bucket = await bucketWith(objects())
      await createSampleTable(local.dynamodbEndpoint, 'restarted')
      const runner = runnerFor('restarted', bucket, ddb.endpoint, inject('s3Endpoint'), {
        'write-concurrency': String(SLOTS),
      })
      await run({ now: clock.now, sleep })
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
      // Exactly: 4 calls before the stop; the 2 held calls and one call after each pause but the
      // last met no server; then the 20 other batches, each sent once, to the restarted server.
      const outage = SLOTS + OUTAGE_ROUNDS - 1
      const calls = ddb.log().filter((r) => r.operation === 'BatchWriteItem')
      const broken = calls.filter((r) => r.error !== undefined || r.status === undefined)
      const before = calls.filter((r) => r.target === firstEndpoint && r.status === 200)
      const after = calls.filter((r) => r.target === local.dynamodbEndpoint)
      expect({ early, pauses }).toEqual({ early: 0, pauses: OUTAGE_ROUNDS })
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

/** The data of the throttling scenarios: 20,000 items in 8 objects, half gzip. */
const MANY = 20_000
function manyObjects(): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {}
  const per = MANY / 8
  for (let o = 0; o < 8; o++) {
    const body = jsonLines(items(o * per, (o + 1) * per))
    out[`data/part-${o}.json${o % 2 ? '.gz' : ''}`] = o % 2 ? gzipSync(body) : body
  }
  return out
}

/** The summary's figure in the row named `measure` (`| Longest stall | 75.1 s |`). */
function summaryFigure(summary: string, measure: string): string | undefined {
  return new RegExp(`^\\| ${measure} \\| ([^|]*) \\|$`, 'm').exec(summary)?.[1]
}

describe('throttling that lasts: slow progress succeeds, no progress fails soon', () => {
  async function throttled(faults: (ddb: FaultProxy) => void, inputs: Record<string, string> = {}) {
    const bucket = await bucketWith(manyObjects())
    const table = await tableWith('S', 'N')
    const clock = virtualClock()
    const ddb = await proxy(inject('dynamodbEndpoint'), 1, undefined, clock.now)
    faults(ddb)
    const runner = runnerFor(table, bucket, ddb.endpoint, inject('s3Endpoint'), {
      'write-concurrency': '16',
      ...inputs,
    })
    await run({ now: clock.now, sleep: clock.sleep })
    return { table, bucket, clock, ddb, runner, outputs: runner.outputs() }
  }

  async function expectEverything(
    table: string,
    outputs: Record<string, string>,
    runner: { stdout: () => string },
  ) {
    expect(process.exitCode, runner.stdout().slice(-2000)).toBeUndefined()
    expect(outputs).toMatchObject({
      status: 'COMPLETED',
      'processed-item-count': String(MANY),
      'imported-item-count': String(MANY),
      'error-count': '0',
    })
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expected(0, MANY), 'pk', 'sk'),
    )
  }

  it('every write refused for the first 75 s (a table scaling up): all written, step passed', async () => {
    const { table, clock, ddb, runner, outputs } = await throttled((ddb) =>
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'error', name: 'ProvisionedThroughputExceededException' },
        times: Infinity,
        until: 75_000,
      }),
    )
    await expectEverything(table, outputs, runner)
    const refused = ddb.log().filter((r) => r.fault?.kind === 'error').length
    expect(refused).toBeGreaterThan(10)
    expect(clock.elapsed()).toBeGreaterThanOrEqual(75_000)
    const stall = Number.parseFloat(summaryFigure(runner.summary(), 'Longest stall') ?? '0')
    expect(stall).toBeGreaterThanOrEqual(70)
    expect(stall).toBeLessThan(120)
    expect(runner.stdout()).toMatch(/write: throttled \d+ times, longest stall \d+\.\d s/)
    recordScenario({
      scenario: 'every write refused for the first 75 s, then none (a table scaling up)',
      faults: `${refused} ProvisionedThroughputExceededException`,
      expected: MANY,
      written: MANY,
      rejected: 0,
      outcome: `${outputs['status']}, step passed; longest stall ${stall} s`,
    })
  })

  it('every write only half taken, for the whole import (a hot partition): all written', async () => {
    const { table, ddb, runner, outputs } = await throttled((ddb) =>
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'unprocessed', fraction: 0.5 },
        times: Infinity,
      }),
    )
    await expectEverything(table, outputs, runner)
    const calls = ddb.log().filter((r) => r.operation === 'BatchWriteItem').length
    // Each item needs about two calls: an item came back about once on average.
    expect(calls).toBeGreaterThan(MANY / 25)
    const partial = ddb.log().filter((r) => (r.unprocessed ?? 0) > 0).length
    expect(partial).toBeGreaterThan(MANY / 25)
    expect(summaryFigure(runner.summary(), 'Throttled calls')).toBe(String(partial))
    recordScenario({
      scenario: 'every write only partly taken, the whole import (a hot partition)',
      faults: `${calls} calls half UnprocessedItems`,
      expected: MANY,
      written: MANY,
      rejected: 0,
      outcome: `${outputs['status']}, step passed in ${calls} calls`,
    })
  })

  it('random faults (30% partial, 20% refused, 5% dropped), seed 1: all written', async () => {
    const { table, ddb, runner, outputs } = await throttled((ddb) =>
      writeFaults(ddb, [
        [{ kind: 'unprocessed', fraction: 0.5 }, 0.3],
        [{ kind: 'error', name: 'ThrottlingException' }, 0.2],
        [{ kind: 'drop' }, 0.05],
      ]),
    )
    await expectEverything(table, outputs, runner)
    const faults = ddb.log().filter((r) => r.fault)
    expect(faults.filter((r) => r.fault?.kind === 'drop').length).toBeGreaterThan(0)
    recordScenario({
      scenario: 'random faults (30% partial, 20% refused, 5% dropped), seed 1',
      faults: `${faults.length} faults in ${ddb.log().length} calls`,
      expected: MANY,
      written: MANY,
      rejected: 0,
      outcome: `${outputs['status']}, step passed`,
    })
  })

  it('every write refused for ever (DynamoDB gone): fails within the stall time, each item unwritten counted and in the file', async () => {
    const { table, clock, runner, outputs, bucket } = await throttled((ddb) =>
      ddb.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'error', name: 'ThrottlingException' },
        times: Infinity,
      }),
    )
    expect(process.exitCode).toBe(1)
    // The stall time (120 s by default) plus at most one pause (5 s), on the injected clock.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(120_000)
    expect(clock.elapsed()).toBeLessThanOrEqual(125_000)
    const read = expectStalled(
      outputs,
      /DynamoDB accepted no write for 12\d s.*ThrottlingException/,
    )
    expect(read).toBeLessThan(MANY)
    expect(await scanAll(table)).toHaveLength(0)
    expect(runner.stdout()).toContain(`${read} valid items were NOT written`)
    expect(runner.stdout()).toMatch(new RegExp(`Not read: s3://${bucket}/data/part-\\d`))
    recordScenario({
      scenario: 'every write refused for ever (DynamoDB gone)',
      faults: 'every BatchWriteItem ThrottlingException',
      expected: MANY,
      written: 0,
      rejected: read,
      outcome: `${outputs['status']} after ${Math.round(clock.elapsed() / 1000)} s on the injected clock, step failed: ${read} read and not written, the rest not read`,
    })
  })
})

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
    await run(virtualClock())
    await deleted

    expect(deleted).toBeDefined()
    expect(process.exitCode).toBe(1)
    // The writer's failure stops the import: every valid item read and not written is counted
    // and in the rejected file (none is an unreadable object), and what was not read is named.
    const outputs = runner.outputs()
    expect(outputs).toMatchObject({ status: 'FAILED', 'imported-item-count': '50' })
    const read = Number(outputs['processed-item-count'])
    const unwritten = read - 50
    // At least the three batches sent were read, and not everything: the reading stopped too.
    expect(read).toBeGreaterThanOrEqual(75)
    expect(read).toBeLessThan(600)
    expect(outputs['error-count']).toBe(String(unwritten))
    const rejected = rejectedLines(outputs['rejected-file'] as string)
    expect(rejected).toHaveLength(unwritten)
    expect(rejected.every((r) => r.kind === 'unwritten')).toBe(true)
    expect(runner.stdout()).toMatch(
      new RegExp(
        `The import stopped: BatchWriteItem: table ${table} was not found.*` +
          `${unwritten} valid items were NOT written; each is in .*` +
          `Not read: s3://${bucket}/data/part-\\d\\.json(\\.gz)? after line \\d+`,
      ),
    )
    expect(runner.summary()).toContain('The import stopped')
    // No retry of the refused call and no call after it.
    const calls = ddb.log().filter((r) => r.operation === 'BatchWriteItem')
    expect(calls.map((r) => r.status)).toEqual([200, 200, 400])
  })
})
