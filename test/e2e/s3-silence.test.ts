// An S3 body that stops mid-stream with its connection left open: the action abandons it after
// S3_BODY_IDLE_MS without a byte (on the injected clock: nothing here really waits) and reads the
// rest with a ranged GET from the last byte received, of the same object (If-Match its ETag).
// In process through run(), the local S3 server behind the fault proxy's `stall`.
//
// The bodies' silence checks (every S3_BODY_IDLE_CHECK_MS) run on a clock of their own, which the
// test moves on: the run's clock, which the writer's waits and progress lines use, stands still.
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { run } from '../../src/main.js'
import { MAX_RESUMES, S3_BODY_IDLE_CHECK_MS, S3_BODY_IDLE_MS } from '../../src/sources/s3.js'
import { startFaultProxy, type FaultProxy, type RequestRecord } from '../support/fault-proxy.js'
import {
  bucketWith,
  fromDynamoDBJson,
  jsonLines,
  scanAll,
  sortedCanonical,
  tableWith,
  useRunner,
  virtualClock,
  type Item,
} from '../support/helpers.js'

const proxies: FaultProxy[] = []
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()))
})

const ITEMS = 10_000
const items = Array.from({ length: ITEMS }, (_, i) => sampleItem(i))

/** The S3 server behind a fault proxy, and a run of the action through it on a virtual clock. */
async function silentRun(
  stall: { times: number; afterBytes?: number; gzip: boolean },
  inputs: Record<string, string> = {},
) {
  const text = jsonLines(items)
  const content = stall.gzip ? gzipSync(text) : Buffer.from(text)
  // By default where the read stopped: byte 21,773 of 28,439.
  const afterBytes = stall.afterBytes ?? Math.floor((content.length * 21_773) / 28_439)
  const key = `data/items.json${stall.gzip ? '.gz' : ''}`
  const bucket = await bucketWith({ [key]: content })
  const table = await tableWith('S', 'N')
  const s3 = await startFaultProxy({ target: inject('s3Endpoint'), seed: 1 })
  proxies.push(s3)
  s3.inject({ operation: 'GetObject', fault: { kind: 'stall', afterBytes }, times: stall.times })
  const runner = useRunner({
    table,
    source: `s3://${bucket}/data/`,
    region: 'us-east-1',
    'dynamodb-endpoint': inject('dynamodbEndpoint'),
    's3-endpoint': s3.endpoint,
    'input-format': 'DYNAMODB_JSON',
    ...inputs,
  })
  // Every retry is the action's own: the SDK's would back off on real timers.
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1')
  const clock = virtualClock()
  const bodies = virtualClock()
  const every = (ms: number, tick: () => void) =>
    (ms === S3_BODY_IDLE_CHECK_MS ? bodies : clock).every(ms, tick)
  let done = false
  const running = run({ now: clock.now, sleep: clock.sleep, every }).finally(() => (done = true))
  const url = `s3://${bucket}/${key}`
  return { content, afterBytes, url, table, s3, runner, bodies, running, isDone: () => done }
}

const gets = (s3: FaultProxy): RequestRecord[] =>
  s3.log().filter((r) => r.operation === 'GetObject')

/**
 * Moves the bodies' clock on by the idle limit, a real turn of the event loop apart, until
 * `enough` holds: checked before each move, so that the clock stands still once the action has
 * asked for the rest (a healthy read is never left waiting on a moved clock). A move while the
 * reader is busy with the bytes before the stall (not waiting on the body) changes nothing; the
 * first move waits one turn, so that those bytes have reached the reader.
 */
async function advanceUntil(bodies: ReturnType<typeof virtualClock>, enough: () => boolean) {
  let turns = 0
  await vi.waitFor(
    () => {
      if (enough()) return
      if (turns++ > 0) bodies.advance(S3_BODY_IDLE_MS + S3_BODY_IDLE_CHECK_MS)
      throw new Error('not yet')
    },
    { timeout: 90_000, interval: 20 },
  )
}

describe('an S3 body that goes silent mid-stream', () => {
  it(
    'is abandoned after the idle limit and the rest read with a ranged GET (If-Match): every item imported',
    { timeout: 150_000 },
    async () => {
      const { afterBytes, url, table, s3, runner, bodies, running } = await silentRun({
        times: 1,
        gzip: true,
      })
      const stalled = () => gets(s3)[0]?.stalled === true
      await vi.waitFor(() => expect(stalled()).toBe(true), { timeout: 25_000, interval: 20 })
      await advanceUntil(bodies, () => gets(s3).length > 1)
      await running

      expect(process.exitCode).toBeUndefined()
      expect(runner.outputs()).toMatchObject({
        status: 'COMPLETED',
        'processed-item-count': String(ITEMS),
        'imported-item-count': String(ITEMS),
        'error-count': '0',
        'failure-code': '',
      })
      expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
        sortedCanonical(
          items.map((i) => fromDynamoDBJson(i) as Item),
          'pk',
          'sk',
        ),
      )
      // The silent read, then one ranged read of the same object from the byte reached.
      const [silent, rest, ...more] = gets(s3)
      expect(more).toEqual([])
      expect(silent).toMatchObject({ status: 200, bytesSent: afterBytes, stalled: true })
      expect(silent?.headers['range']).toBeUndefined()
      expect(silent?.headers['if-match']).toMatch(/^"[0-9a-f]+"$/)
      expect(rest?.url.split('?')[0]).toBe(silent?.url.split('?')[0])
      expect(rest).toMatchObject({ status: 206 })
      expect(rest?.headers['range']).toBe(`bytes=${afterBytes}-`)
      expect(rest?.headers['if-match']).toBe(silent?.headers['if-match'])
      expect(runner.stdout()).toContain(
        `${url}: the read broke after ${afterBytes} bytes (no byte for ${S3_BODY_IDLE_MS / 1000} s); resuming from there`,
      )
    },
  )

  it(
    'is resumed at most MAX_RESUMES times when every read goes silent: the object is not read to the end, the step fails',
    { timeout: 120_000 },
    async () => {
      const afterBytes = 1000
      // stall-timeout-seconds well past the six silent reads: the limit per object is what counts.
      const { content, url, table, s3, runner, bodies, running, isDone } = await silentRun(
        { times: Infinity, afterBytes, gzip: false },
        { 'stall-timeout-seconds': '600' },
      )
      // Each read is let go silent only once its bytes have reached the reader (a turn after the
      // proxy handed them over), so that each read resumes exactly where the one before stopped.
      let seen: number | undefined
      await vi.waitFor(
        () => {
          if (isDone()) return
          const last = gets(s3).at(-1)
          if (last?.stalled && last.seq === seen)
            bodies.advance(S3_BODY_IDLE_MS + S3_BODY_IDLE_CHECK_MS)
          seen = last?.stalled ? last.seq : undefined
          throw new Error('not yet')
        },
        { timeout: 90_000, interval: 20 },
      )
      await running

      const reads = gets(s3)
      expect(reads.map((r) => r.headers['range'])).toEqual([
        undefined,
        ...Array.from({ length: MAX_RESUMES }, (_, i) => `bytes=${(i + 1) * afterBytes}-`),
      ])
      expect(new Set(reads.map((r) => r.headers['if-match']))).toEqual(
        new Set([reads[0]?.headers['if-match']]),
      )
      const got = (MAX_RESUMES + 1) * afterBytes
      const lines = content.subarray(0, got).toString().split('\n').length - 1
      expect(process.exitCode).toBe(1)
      expect(runner.outputs()).toMatchObject({
        status: 'FAILED',
        'failure-code': 'SourceNotRead',
        'processed-item-count': String(lines),
        'imported-item-count': String(lines),
        'error-count': '0',
      })
      expect(await scanAll(table)).toHaveLength(lines)
      expect(runner.stdout()).toContain(
        `${url}:${lines + 1}: reading stopped at byte ${got} after line ${lines}: the object could not be read: the read broke ${MAX_RESUMES + 1} times; last: no byte for ${S3_BODY_IDLE_MS / 1000} s (input-format DYNAMODB_JSON); ${lines} records read, ${content.length - got} of ${content.length} bytes not read.`,
      )
    },
  )

  it(
    'stops the import once the source has sent no byte for stall-timeout-seconds, over every read: outputs, the rest named',
    { timeout: 120_000 },
    async () => {
      const afterBytes = 1000
      const { content, url, table, s3, runner, bodies, running, isDone } = await silentRun(
        { times: Infinity, afterBytes, gzip: false },
        { 'stall-timeout-seconds': '20' },
      )
      await vi.waitFor(() => expect(gets(s3)[0]?.stalled).toBe(true), {
        timeout: 25_000,
        interval: 20,
      })
      // Once its bytes have reached the reader, the silence runs on a second at a time.
      await vi.waitFor(
        () => {
          if (isDone()) return
          bodies.advance(S3_BODY_IDLE_CHECK_MS)
          throw new Error('not yet')
        },
        { timeout: 90_000, interval: 20 },
      )
      await running

      // The first read went silent; 20 s of it stopped the import before the 30 s after which a
      // body alone is abandoned and resumed.
      expect(gets(s3)[0]).toMatchObject({ stalled: true, bytesSent: afterBytes })
      const lines = content.subarray(0, afterBytes).toString().split('\n').length - 1
      expect(process.exitCode).toBe(1)
      expect(runner.outputs()).toMatchObject({
        status: 'FAILED',
        'failure-code': 'SourceNotRead',
        'processed-item-count': String(lines),
        'imported-item-count': String(lines),
      })
      expect(await scanAll(table)).toHaveLength(lines)
      const stdout = runner.stdout()
      expect(stdout).toContain(
        `${url}:${lines + 1}: reading stopped at byte ${afterBytes} after line ${lines}: the object could not be read: the source sent no byte for 20 s while the action waited for one, the stall-timeout-seconds (20) (input-format DYNAMODB_JSON)`,
      )
      expect(stdout).toContain(
        `The import stopped: the source sent no byte for 20 s while the action waited for one, the stall-timeout-seconds (20). 0 valid items were NOT written`,
      )
      expect(stdout).toContain(`Not read: ${url} after line ${lines}`)
    },
  )
})
