import { describe, expect, it } from 'vitest'
import { RateLimiter, writeUnits } from '../../src/stream/rate-limiter.js'

function fakeClock() {
  let now = 0
  const waits: number[] = []
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms)
      now += ms
    },
    advance: (ms: number) => void (now += ms),
    waits,
    time: () => now,
  }
}

describe('RateLimiter', () => {
  it('lets the first call through and paces the rest to the rate', async () => {
    const clock = fakeClock()
    const limiter = new RateLimiter(100, clock.now, clock.sleep)
    for (let i = 0; i < 10; i++) await limiter.take(25)
    // 10 calls of 25 units at 100/s: the 9 after the first wait 250 ms each.
    expect(clock.waits).toEqual(Array(9).fill(250))
    expect(clock.time()).toBe(2250)
  })

  it('does not save up unused time into a burst', async () => {
    const clock = fakeClock()
    const limiter = new RateLimiter(100, clock.now, clock.sleep)
    await limiter.take(50)
    clock.advance(10_000)
    await limiter.take(50)
    await limiter.take(50)
    expect(clock.waits).toEqual([500])
  })

  it('gives concurrent callers successive slots on one timeline', async () => {
    const waits: number[] = []
    const limiter = new RateLimiter(
      1000,
      () => 0,
      async (ms) => void waits.push(ms),
    )
    await Promise.all([limiter.take(500), limiter.take(500), limiter.take(500)])
    expect(waits).toEqual([500, 1000])
  })
})

describe('writeUnits', () => {
  it('is one unit per started KB, at least one', () => {
    expect([0, 1, 1024, 1025, 2048, 409_600].map(writeUnits)).toEqual([1, 1, 1, 2, 2, 400])
  })
})
