import { describe, expect, it } from 'vitest'
import { estimateVerify } from '../../src/verify/estimate.js'

describe('estimateVerify', () => {
  it('full: a unit a key for small items, a unit per started 4 KB of the average item', () => {
    expect(estimateVerify('full', { items: 1000, writeUnits: 1000 }, 1000)).toEqual({
      keys: 1000,
      readUnits: 1000,
    })
    // 1000 items of 10 KB: 10 write units each, 3 read units each.
    expect(estimateVerify('full', { items: 1000, writeUnits: 10_000 }, 1000)).toEqual({
      keys: 1000,
      readUnits: 3000,
    })
  })

  it('exact: the reads and a Scan of the items', () => {
    expect(estimateVerify('exact', { items: 1000, writeUnits: 1000 }, 1000)).toEqual({
      keys: 1000,
      readUnits: 1250,
    })
  })

  it('sample: the sample size at most, its share of the units', () => {
    // Items of 8 KB: 2 read units each.
    expect(estimateVerify('sample', { items: 100_000, writeUnits: 800_000 }, 1000)).toEqual({
      keys: 1000,
      readUnits: 2000,
    })
    expect(estimateVerify('sample', { items: 10, writeUnits: 10 }, 1000)).toEqual({
      keys: 10,
      readUnits: 10,
    })
    expect(estimateVerify('sample', { items: 0, writeUnits: 0 }, 1000)).toEqual({
      keys: 0,
      readUnits: 0,
    })
  })
})
