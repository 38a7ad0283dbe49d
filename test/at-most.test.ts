import { describe, expect, it } from 'vitest'
import { mapAtMost } from '../src/at-most.js'
import { turn } from './support/helpers.js'

describe('mapAtMost', () => {
  it('keeps at most the limit in flight and gives the results in the items order', async () => {
    let inFlight = 0
    let most = 0
    const results = await mapAtMost([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++
      most = Math.max(most, inFlight)
      for (let i = 0; i < n; i++) await turn()
      inFlight--
      return n * 10
    })
    expect(results).toEqual([50, 10, 40, 20, 30])
    expect(most).toBe(2)
    expect(await mapAtMost([], 3, async () => 1)).toEqual([])
  })
})
