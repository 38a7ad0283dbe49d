// BatchWriter.cancel: what a cancelled import counts. Calls are answered when the test says so
// and the grace ends when the test says so: no real time passes.
import { describe, expect, it } from 'vitest'
import { BatchWriter, type PendingWrite } from '../../src/stream/batch-writer.js'
import type { WriteAnswer, WriteCalls } from '../../src/stream/write-calls.js'

const REASON = 'the import was cancelled (SIGINT)'

interface HeldCall {
  keys: string[]
  answer(unprocessed?: string[]): void
  refuse(err: Error): void
}

/** Calls that stay out until the test answers them. */
function heldCalls() {
  const calls: HeldCall[] = []
  const writeCalls: WriteCalls = {
    send(table, body) {
      const requests = (
        JSON.parse(Buffer.from(body).toString()) as {
          RequestItems: Record<string, Array<{ PutRequest: { Item: { pk: { S: string } } } }>>
        }
      ).RequestItems[table]!
      const keys = requests.map((r) => r.PutRequest.Item.pk.S)
      return new Promise<WriteAnswer>((resolve, reject) => {
        calls.push({
          keys,
          answer: (unprocessed = []) =>
            resolve({
              UnprocessedItems: unprocessed.length
                ? {
                    [table]: requests.filter((r) => unprocessed.includes(r.PutRequest.Item.pk.S)),
                  }
                : {},
            }),
          refuse: reject,
        })
      })
    },
    close: async () => {},
  }
  return { calls, writeCalls }
}

/** A clock whose sleeps end only when the test ends them. */
function heldClock() {
  const sleeps: Array<{ ms: number; end: () => void }> = []
  return {
    sleeps,
    clock: {
      now: () => 0,
      sleep: (ms: number) => new Promise<void>((end) => sleeps.push({ ms, end })),
    },
  }
}

function put(i: number): PendingWrite {
  const key = `k${i}`
  return {
    key,
    item: { pk: { S: key } },
    json: JSON.stringify({ pk: { S: key } }),
    wireBytes: 20,
    units: 1,
    records: 1,
    url: 's3://b/k',
    line: i + 1,
  }
}

function writer(concurrency = 1) {
  const { calls, writeCalls } = heldCalls()
  const { sleeps, clock } = heldClock()
  const unwritten: Array<{ key: string; reason: string }> = []
  const w = new BatchWriter({
    calls: writeCalls,
    table: 't',
    concurrency,
    reportedCapacity: false,
    keyOf: (item) => (item['pk'] as { S: string }).S,
    clock,
    events: {
      onRefused: () => {},
      onUnwritten: (write, reason) => void unwritten.push({ key: write.key, reason }),
    },
  })
  return { w, calls, sleeps, unwritten }
}

const flush = () => new Promise((resolve) => setImmediate(resolve))

describe('BatchWriter.cancel', () => {
  it('gives up the queued writes at once and counts a call answered inside the grace', async () => {
    const { w, calls, sleeps, unwritten } = writer()
    for (let i = 0; i < 25; i++) void w.add(put(i))
    await flush()
    expect(calls).toHaveLength(1)
    for (let i = 25; i < 35; i++) void w.add(put(i))

    const done = w.cancel(3_000, REASON)
    await flush()
    // The 10 queued writes: unwritten, never sent.
    expect(unwritten.map((u) => u.key)).toEqual(Array.from({ length: 10 }, (_, i) => `k${25 + i}`))
    expect(unwritten[0]?.reason).toBe(`not written: ${REASON}`)
    expect(calls).toHaveLength(1)
    expect(sleeps.map((s) => s.ms)).toEqual([3_000])

    calls[0]!.answer()
    const summary = await done
    expect(summary.written).toBe(25)
    expect(summary.unwritten).toBe(10)
  })

  it('gives up what a call answered inside the grace returned unprocessed', async () => {
    const { w, calls, unwritten } = writer()
    for (let i = 0; i < 25; i++) void w.add(put(i))
    await flush()
    const done = w.cancel(3_000, REASON)
    calls[0]!.answer(['k3', 'k7'])
    const summary = await done
    expect(summary.written).toBe(23)
    expect(summary.unwritten).toBe(2)
    expect(unwritten.map((u) => u.key)).toEqual(['k3', 'k7'])
    // Nothing goes out again once cancelled.
    expect(calls).toHaveLength(1)
  })

  it('never counts a call answered after the grace: its writes are unwritten, said so', async () => {
    const { w, calls, sleeps, unwritten } = writer(2)
    for (let i = 0; i < 50; i++) void w.add(put(i))
    await flush()
    expect(calls).toHaveLength(2)
    const done = w.cancel(3_000, REASON)
    await flush()
    calls[0]!.answer()
    await flush()
    sleeps[0]!.end()
    const summary = await done
    expect(summary.written).toBe(25)
    expect(summary.unwritten).toBe(25)
    expect(unwritten.map((u) => u.key)).toEqual(calls[1]!.keys)
    expect(unwritten[0]?.reason).toBe(
      `not written: ${REASON}, and DynamoDB had not answered its call within the 3 s grace (it may or may not have written it; writing it again is idempotent)`,
    )
    // The late answer, a success or a refusal, changes nothing.
    calls[1]!.answer()
    await flush()
    expect(w.progress.written).toBe(25)
    expect(w.progress.unwritten).toBe(25)
    expect(unwritten).toHaveLength(25)
  })

  it('gives up a write that waited for its key, and a write added after the cancel', async () => {
    const { w, calls, unwritten } = writer()
    for (let i = 0; i < 25; i++) void w.add(put(i))
    await flush()
    // k0 is in flight: this later record of k0 waits for the call to end.
    const waiting = w.add({ ...put(0), line: 99 })
    const done = w.cancel(3_000, REASON)
    // The reader waiting on it is let go at once.
    await waiting
    expect(unwritten.map((u) => `${u.key}:${w.progress.unwritten}`)).toEqual(['k0:1'])
    await w.add(put(100))
    calls[0]!.answer()
    const summary = await done
    expect(summary.written).toBe(25)
    expect(summary.unwritten).toBe(2)
    expect(calls).toHaveLength(1)
  })

  it('ends finish() with the cancel counts when cancelled while draining', async () => {
    const { w, calls, sleeps } = writer()
    for (let i = 0; i < 30; i++) void w.add(put(i))
    await flush()
    const finished = w.finish()
    await flush()
    expect(calls).toHaveLength(1)
    const done = w.cancel(3_000, REASON)
    await flush()
    sleeps[0]!.end()
    const [fromFinish, fromCancel] = await Promise.all([finished, done])
    expect(fromFinish).toEqual(fromCancel)
    expect(fromCancel.written).toBe(0)
    expect(fromCancel.unwritten).toBe(30)
    expect(await w.cancel(1, 'again')).toEqual(fromCancel)
  })

  it('ignores a refusal that comes after the grace', async () => {
    const { w, calls, sleeps } = writer()
    for (let i = 0; i < 25; i++) void w.add(put(i))
    await flush()
    const done = w.cancel(1_000, REASON)
    await flush()
    sleeps[0]!.end()
    const summary = await done
    calls[0]!.refuse(Object.assign(new Error('no'), { name: 'ValidationException' }))
    await flush()
    expect(summary.unwritten).toBe(25)
    expect(w.progress.refused).toBe(0)
    expect(w.progress.unwritten).toBe(25)
  })
})
