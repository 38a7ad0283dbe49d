// Silence, with the writer and the pacer alone: write calls that never answer, on the injected
// clock. The test moves the clock on itself while calls hang, as time would pass while they did.
import { describe, expect, it } from 'vitest'
import {
  BatchWriter,
  WRITE_CALL_DEADLINE_MS,
  type PendingWrite,
} from '../../src/stream/batch-writer.js'
import { Pacer, WriterStalled, type CallResult } from '../../src/stream/pacer.js'
import type { WriteAnswer, WriteCalls } from '../../src/stream/write-calls.js'
import type { Item } from '../../src/table/attribute-value.js'
import { virtualClock } from '../support/helpers.js'

const policy = { baseDelayMs: 100, maxDelayMs: 800, stallMs: 30_000 }

function put(i: number): PendingWrite {
  const item: Item = { pk: { S: `item-${i}` } }
  return { key: `item-${i}`, item, wireBytes: 100, units: 1, records: 1, url: 's3://b/k', line: i }
}

/** A call that has not answered yet, and the keys it carried. */
interface Pending {
  keys: string[]
  answer(output: WriteAnswer): void
  fail(err: unknown): void
}

/** Write calls that answer as `answer` says: at once (an answer), or never until told (undefined). */
function fakeCalls(answer: (n: number) => WriteAnswer | undefined) {
  const pending: Pending[] = []
  const signals: Array<AbortSignal | undefined> = []
  let n = 0
  const calls: WriteCalls = {
    send(_table, body, abandon) {
      signals.push(abandon)
      const request = JSON.parse(Buffer.from(body).toString()) as {
        RequestItems: Record<string, Array<{ PutRequest: { Item: Item } }>>
      }
      const keys = Object.values(request.RequestItems)
        .flat()
        .map((r) => (r.PutRequest.Item['pk'] as { S: string }).S)
      const now = answer(++n)
      if (now) return Promise.resolve(now)
      return new Promise<WriteAnswer>((resolve, reject) =>
        pending.push({ keys, answer: resolve, fail: reject }),
      )
    },
    async close() {},
  }
  return { calls, pending, signals, sent: () => n }
}

function writer(calls: WriteCalls, clock: ReturnType<typeof virtualClock>, stallMs?: number) {
  const unwritten: Array<{ key: string; reason: string }> = []
  const w = new BatchWriter({
    calls,
    table: 't',
    concurrency: 4,
    reportedCapacity: false,
    keyOf: (item) => (item['pk'] as { S: string }).S,
    pacing: { ...policy, ...(stallMs && { stallMs }) },
    clock,
    random: () => 0.5,
    events: {
      onRefused: () => {},
      onUnwritten: (write, reason) => void unwritten.push({ key: write.key, reason }),
    },
  })
  return { w, unwritten }
}

/** Lets every promise that can settle settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('a write call that never answers', () => {
  it('is abandoned at the deadline and its writes sent again; its late answer counts nothing', async () => {
    const clock = virtualClock()
    // The first call hangs; every other call is answered at once, everything written.
    const { calls, pending, signals, sent } = fakeCalls((n) => (n === 1 ? undefined : {}))
    const { w, unwritten } = writer(calls, clock)
    for (let i = 0; i < 25; i++) await w.add(put(i))
    await settle()
    expect(sent()).toBe(1)
    expect(pending).toHaveLength(1)
    // Not a millisecond before the deadline...
    clock.advance(WRITE_CALL_DEADLINE_MS - 1)
    await settle()
    expect(sent()).toBe(1)
    expect(signals[0]?.aborted).toBe(false)
    // ...but at it the call is abandoned (aborted, its connection closed) and its 25 writes go
    // out again.
    clock.advance(1)
    const summary = await w.close()
    expect(signals[0]?.aborted).toBe(true)
    expect(signals[1]?.aborted).toBe(false)
    expect(sent()).toBe(2)
    expect(summary).toMatchObject({ written: 25, calls: 2, resent: 25, unwritten: 0 })
    expect(summary.pacing.throttled).toBe(1)
    // The abandoned call answers at last, saying it wrote all 25: nothing more is counted.
    pending[0]?.answer({})
    await settle()
    expect(w.progress).toMatchObject({ written: 25, calls: 2, resent: 25 })
    expect(unwritten).toEqual([])
  })

  it('an abandoned call that fails late is not a failure of the writer', async () => {
    const clock = virtualClock()
    const { calls, pending } = fakeCalls((n) => (n === 1 ? undefined : {}))
    const { w } = writer(calls, clock)
    for (let i = 0; i < 25; i++) await w.add(put(i))
    await settle()
    clock.advance(WRITE_CALL_DEADLINE_MS)
    await w.close()
    pending[0]?.fail(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }))
    await settle()
    expect(w.failure).toBeUndefined()
    expect(w.progress.written).toBe(25)
  })

  it('every call silent: fails as a stall after the stall time, every write not written and reported', async () => {
    const clock = virtualClock()
    const { calls, pending, sent } = fakeCalls(() => undefined)
    const stallMs = 30_000
    const { w, unwritten } = writer(calls, clock, stallMs)
    // 100 writes: the reader waits for a slot once four calls are out.
    const adding = (async () => {
      for (let i = 0; i < 100; i++) await w.add(put(i))
    })().catch((err: unknown) => err)
    let finished = false
    const finishing = adding.then(() => w.finish()).finally(() => (finished = true))
    // Time passes while the calls hang: a second at a time.
    for (let step = 0; !finished && step < 1_000; step++) {
      await settle()
      clock.advance(1_000)
    }
    const summary = await finishing
    expect(w.failure).toBeInstanceOf(WriterStalled)
    expect((w.failure as Error).message).toMatch(
      /^DynamoDB accepted no write for 3\d s, the stall-timeout-seconds \(30\)$/,
    )
    expect(clock.elapsed()).toBeGreaterThanOrEqual(stallMs)
    expect(clock.elapsed()).toBeLessThanOrEqual(stallMs + WRITE_CALL_DEADLINE_MS + 1_000)
    expect(summary).toMatchObject({ written: 0, unwritten: 100 })
    expect(new Set(unwritten.map((u) => u.key)).size).toBe(100)
    expect(unwritten[0]?.reason).toBe(
      `not written: ${(w.failure as Error).message}; last: no answer to BatchWriteItem within ${WRITE_CALL_DEADLINE_MS / 1000} s`,
    )
    expect(sent()).toBeGreaterThan(4)
    // Every abandoned call now answers, as if it had written everything: nothing is counted.
    for (const call of pending) call.answer({})
    await settle()
    expect(w.progress).toMatchObject({ written: 0, unwritten: 100 })
  })
})

describe('the stall clock', () => {
  const silent = (sentAt: number): CallResult => ({
    written: 0,
    units: 0,
    partial: false,
    refused: true,
    sentAt,
  })

  it('starts when a call that brought nothing went out, not when it was given up', async () => {
    const clock = virtualClock()
    const pacer = new Pacer(1, policy, clock, () => 0.5)
    const call = await pacer.acquire()
    const sentAt = clock.now()
    clock.advance(WRITE_CALL_DEADLINE_MS)
    pacer.release(call, silent(sentAt))
    expect(pacer.figures().longestStallMs).toBe(WRITE_CALL_DEADLINE_MS)
    // Silent calls one after another: the stall is reached stallMs after the first went out.
    await expect(
      (async () => {
        for (;;) {
          const next = await pacer.acquire()
          const at = clock.now()
          clock.advance(WRITE_CALL_DEADLINE_MS)
          pacer.release(next, silent(at))
        }
      })(),
    ).rejects.toBeInstanceOf(WriterStalled)
    expect(clock.now() - sentAt).toBeGreaterThanOrEqual(policy.stallMs)
    expect(clock.now() - sentAt).toBeLessThan(policy.stallMs + WRITE_CALL_DEADLINE_MS)
  })

  it('does not start before the last accepted write', async () => {
    const clock = virtualClock()
    const pacer = new Pacer(2, policy, clock, () => 0.5)
    const slow = await pacer.acquire()
    const slowSentAt = clock.now()
    clock.advance(4_000)
    const quick = await pacer.acquire()
    pacer.release(quick, { written: 25, units: 25, partial: false, refused: false })
    clock.advance(6_000)
    // The slow call, sent before the write accepted at 4 s, is given up at 10 s.
    pacer.release(slow, silent(slowSentAt))
    expect(pacer.figures().longestStallMs).toBe(6_000)
  })

  it('without the time a call went out, starts when it ended', async () => {
    const clock = virtualClock()
    const pacer = new Pacer(1, policy, clock, () => 0.5)
    const call = await pacer.acquire()
    clock.advance(5_000)
    pacer.release(call, { written: 0, units: 0, partial: false, refused: true })
    expect(pacer.figures().longestStallMs).toBe(0)
  })
})
