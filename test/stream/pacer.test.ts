import { describe, expect, it } from 'vitest'
import { Pacer, WriterStalled, type CallResult } from '../../src/stream/pacer.js'
import { virtualClock } from '../support/helpers.js'

const clean: CallResult = { written: 25, units: 25, partial: false, refused: false }
const partial: CallResult = { written: 12, units: 12, partial: true, refused: false }
const refused: CallResult = { written: 0, units: 0, partial: false, refused: true }
const policy = { baseDelayMs: 100, maxDelayMs: 800, stallMs: 10_000 }

/** `n` calls, each given a slot at once (the clock does not move). */
async function acquireAll(pacer: Pacer, n: number): Promise<number[]> {
  const calls: number[] = []
  for (let i = 0; i < n; i++) calls.push(await pacer.acquire())
  return calls
}

/** Whether acquire() is still waiting once everything runnable has run. */
async function waits(acquiring: Promise<number>): Promise<boolean> {
  let done = false
  void acquiring.then(() => (done = true))
  await new Promise((resolve) => setImmediate(resolve))
  return !done
}

describe('Pacer', () => {
  it('lets write-concurrency calls in flight, and one more only when one ends', async () => {
    const pacer = new Pacer(4, policy, virtualClock(), () => 0.5)
    expect(await acquireAll(pacer, 4)).toEqual([1, 2, 3, 4])
    const fifth = pacer.acquire()
    expect(await waits(fifth)).toBe(true)
    pacer.release(1, clean)
    expect(await fifth).toBe(5)
  })

  it('halves the calls in flight on UnprocessedItems once per round, and grows back', async () => {
    const pacer = new Pacer(8, policy, virtualClock(), () => 0.5)
    // Every call of the round comes back partial: one halving, not eight.
    for (const call of await acquireAll(pacer, 8)) pacer.release(call, partial)
    expect(pacer.figures().concurrency).toBe(4)
    const round = await acquireAll(pacer, 4)
    const probe = pacer.acquire()
    expect(await waits(probe)).toBe(true)
    // At the threshold (half of 8) each clean call adds 1/window: about one more per round.
    for (const call of round) pacer.release(call, clean)
    expect(pacer.figures().concurrency).toBe(4)
    pacer.release(await probe, clean)
    expect(pacer.figures().concurrency).toBe(5)
    expect(pacer.figures().throttled).toBe(8)
  })

  it('starts again from one call after a refusal, pausing all calls, and doubles back up', async () => {
    const clock = virtualClock()
    const pacer = new Pacer(8, policy, clock, () => 0.5)
    for (const call of await acquireAll(pacer, 8)) pacer.release(call, refused)
    expect(pacer.figures().concurrency).toBe(1)
    // One pause for every call: the base 100 ms, doubled per refusal while they go on (capped
    // at 800 here), jittered to 75% by random() = 0.5.
    const next = await pacer.acquire()
    expect(clock.elapsed()).toBe(600)
    // Below the threshold (half of 8) the calls in flight double each clean round: 1, 2, 4.
    pacer.release(next, clean)
    expect(pacer.figures().concurrency).toBe(2)
    for (const call of await acquireAll(pacer, 2)) pacer.release(call, clean)
    expect(pacer.figures().concurrency).toBe(4)
    // An accepted write ended the pause: no more waiting.
    await acquireAll(pacer, 4)
    expect(clock.elapsed()).toBe(600)
  })

  it('fails with WriterStalled once nothing was accepted for the stall time, not before', async () => {
    const clock = virtualClock()
    const pacer = new Pacer(1, policy, clock, () => 1)
    let call = await pacer.acquire()
    // Refusals for 9 s or so (pauses of at most 800 ms), then a partial write: the stall clock
    // starts again.
    while (clock.elapsed() < policy.stallMs - policy.maxDelayMs - 200) {
      pacer.release(call, refused)
      call = await pacer.acquire()
    }
    pacer.release(call, partial)
    expect(pacer.figures().longestStallMs).toBeGreaterThanOrEqual(9_000 - 800)
    call = await pacer.acquire()
    const since = clock.now()
    await expect(
      (async () => {
        for (;;) {
          pacer.release(call, refused)
          call = await pacer.acquire()
        }
      })(),
    ).rejects.toBeInstanceOf(WriterStalled)
    expect(clock.now() - since).toBeGreaterThanOrEqual(policy.stallMs)
    expect(clock.now() - since).toBeLessThan(policy.stallMs + policy.maxDelayMs)
  })

  it('reports the pace over the last ten seconds of writing', async () => {
    const clock = virtualClock()
    const pacer = new Pacer(1, policy, clock)
    for (let i = 0; i < 30; i++) {
      const call = await pacer.acquire()
      await clock.sleep(1_000)
      pacer.release(call, {
        written: i < 15 ? 10 : 50,
        units: i < 15 ? 20 : 100,
        partial: false,
        refused: false,
      })
    }
    // The last 10 s: 10 calls of 50 items (100 units) each.
    expect(pacer.figures()).toMatchObject({ itemsPerSecond: 50, unitsPerSecond: 100 })
  })
})
