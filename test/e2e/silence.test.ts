// Silence: a BatchWriteItem held open at the fault proxy (no byte of an answer, the connection
// open) is abandoned at the write call's deadline and sent again; when every call is silent, the
// import fails as a stall after stall-timeout-seconds. The action runs in this process against
// DynamoDB Local through the proxy; time passes on an injected clock. A held call makes the clock
// move on as it would have while the call hung: the deadlines of the calls then
// in flight fall due (silenceClock), and nothing really waits.
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { run } from '../../src/main.js'
import { WRITE_CALL_DEADLINE_MS } from '../../src/stream/batch-writer.js'
import {
  bucketWith,
  fromDynamoDBJson,
  jsonLines,
  recordScenario,
  expectStalled,
  scanAll,
  sortedCanonical,
  tableWith,
  useRunner,
  virtualClock,
  type Item,
} from '../support/helpers.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'

const proxies: FaultProxy[] = []
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()))
})

const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => sampleItem(from + i))

/** `count` items in `parts` objects. */
function objects(count: number, parts: number): Record<string, string> {
  const out: Record<string, string> = {}
  const per = count / parts
  for (let o = 0; o < parts; o++)
    out[`data/part-${o}.json`] = jsonLines(items(o * per, (o + 1) * per))
  return out
}

/**
 * The virtual clock of these tests, and `held()`: a call held open lets the time run on until
 * every timer then waiting for its first tick (the deadlines of the calls in flight, the held one's
 * among them) has fired, as they would while the call hung. Only those: calls sent together share
 * one deadline, and a call already abandoned moves nothing.
 */
function silenceClock() {
  const clock = virtualClock()
  const untouched = new Set<{ due: number }>()
  return {
    ...clock,
    every(ms: number, tick: () => void) {
      const timer = { due: clock.now() + ms }
      untouched.add(timer)
      const stop = clock.every(ms, () => {
        untouched.delete(timer)
        tick()
      })
      return () => {
        untouched.delete(timer)
        stop()
      }
    },
    held() {
      const last = Math.max(...[...untouched].map((t) => t.due))
      if (last > clock.now()) clock.advance(last - clock.now())
    },
  }
}

/**
 * A proxy in front of DynamoDB Local that holds open every BatchWriteItem that `held` picks (by
 * its number, from 1): never answered, the connection left open.
 */
async function holdingProxy(clock: ReturnType<typeof silenceClock>, held: (n: number) => boolean) {
  let writes = 0
  const holds: number[] = []
  const ddb = await startFaultProxy({
    target: inject('dynamodbEndpoint'),
    seed: 1,
    wait: (_ms, record) => {
      if (record.operation !== 'BatchWriteItem' || !held(++writes)) return Promise.resolve()
      holds.push(writes)
      clock.held()
      return new Promise<void>(() => {})
    },
  })
  proxies.push(ddb)
  ddb.inject({
    operation: 'BatchWriteItem',
    fault: { kind: 'delay', ms: 0 },
    times: Infinity,
  })
  return { ddb, holds }
}

function runnerFor(table: string, bucket: string, ddb: FaultProxy, inputs: Record<string, string>) {
  const runner = useRunner({
    table,
    source: `s3://${bucket}/data/`,
    region: 'us-east-1',
    'dynamodb-endpoint': ddb.endpoint,
    's3-endpoint': inject('s3Endpoint'),
    'write-concurrency': '8',
    ...inputs,
  })
  // Every retry is the action's own (the writer's, on the injected clock).
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1')
  return runner
}

describe('a write that never answers', () => {
  it('every 50th BatchWriteItem held open: abandoned at the deadline, sent again, every item written once and counted once', async () => {
    const COUNT = 2_500
    const bucket = await bucketWith(objects(COUNT, 5))
    const table = await tableWith('S', 'N')
    const clock = silenceClock()
    const { ddb, holds } = await holdingProxy(clock, (n) => n % 50 === 0)
    const runner = runnerFor(table, bucket, ddb, {})
    await run(clock)

    expect(process.exitCode, runner.stdout().slice(-2000)).toBeUndefined()
    expect(holds.length).toBeGreaterThanOrEqual(COUNT / 25 / 50)
    expect(runner.outputs()).toMatchObject({
      status: 'COMPLETED',
      'processed-item-count': String(COUNT),
      'imported-item-count': String(COUNT),
      'error-count': '0',
    })
    const scanned = await scanAll(table)
    expect(sortedCanonical(scanned, 'pk', 'sk')).toEqual(
      sortedCanonical(
        items(0, COUNT).map((i) => fromDynamoDBJson(i) as Item),
        'pk',
        'sk',
      ),
    )
    // The held calls' batches were sent again: more calls than batches.
    const calls = ddb.log().filter((r) => r.operation === 'BatchWriteItem').length
    expect(calls).toBeGreaterThan(COUNT / 25)
    recordScenario({
      scenario: 'every 50th BatchWriteItem held open (never answered)',
      faults: `${holds.length} calls held open`,
      expected: COUNT,
      written: scanned.length,
      rejected: 0,
      outcome: `${runner.outputs()['status']}, step passed`,
    })
  }, 60_000)

  it('on write threads too: a held call is abandoned, and the threads end although it never answered', async () => {
    const COUNT = 1_000
    const bucket = await bucketWith(objects(COUNT, 2))
    const table = await tableWith('S', 'N')
    const clock = silenceClock()
    const { ddb, holds } = await holdingProxy(clock, (n) => n === 10 || n === 20)
    const runner = runnerFor(table, bucket, ddb, { 'write-threads': '2' })
    await run(clock)

    expect(runner.stdout()).toContain('the calls go out on 2 write threads')
    expect(holds).toEqual([10, 20])
    expect(process.exitCode, runner.stdout().slice(-2000)).toBeUndefined()
    expect(runner.outputs()).toMatchObject({
      status: 'COMPLETED',
      'imported-item-count': String(COUNT),
      'error-count': '0',
    })
    expect(await scanAll(table)).toHaveLength(COUNT)
  }, 60_000)

  it('every BatchWriteItem held open: fails as a stall after stall-timeout-seconds, every item read and not written in the rejected file', async () => {
    const STALL_SECONDS = 20
    const bucket = await bucketWith(objects(4_000, 4))
    const table = await tableWith('S', 'N')
    const clock = silenceClock()
    const { ddb, holds } = await holdingProxy(clock, () => true)
    const runner = runnerFor(table, bucket, ddb, {
      'stall-timeout-seconds': String(STALL_SECONDS),
    })
    await run(clock)

    expect(process.exitCode).toBe(1)
    expect(holds.length).toBeGreaterThan(1)
    // The stall time, at most one deadline and one pause more, on the injected clock.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(STALL_SECONDS * 1000)
    expect(clock.elapsed()).toBeLessThanOrEqual(
      STALL_SECONDS * 1000 + WRITE_CALL_DEADLINE_MS + 5_000,
    )
    const outputs = runner.outputs()
    const read = expectStalled(
      outputs,
      new RegExp(
        `DynamoDB accepted no write for (2\\d|3\\d) s, the stall-timeout-seconds \\(${STALL_SECONDS}\\); ` +
          `last: no answer to BatchWriteItem within ${WRITE_CALL_DEADLINE_MS / 1000} s`,
      ),
    )
    expect(read).toBeLessThan(4_000)
    expect(await scanAll(table)).toHaveLength(0)
    expect(runner.stdout()).toContain(`${read} valid items were NOT written`)
    expect(runner.stdout()).toMatch(new RegExp(`Not read: s3://${bucket}/data/part-\\d`))
    expect(runner.summary()).toContain('DynamoDB accepted no write for')
    recordScenario({
      scenario: 'every BatchWriteItem held open (DynamoDB silent)',
      faults: `${holds.length} calls held open`,
      expected: 4_000,
      written: 0,
      rejected: read,
      outcome: `${outputs['status']} after ${Math.round(clock.elapsed() / 1000)} s on the injected clock, step failed: ${read} read and not written, the rest not read`,
    })
  }, 60_000)
})
