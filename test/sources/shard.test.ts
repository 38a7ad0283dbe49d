import { describe, expect, it } from 'vitest'
import { parseShard, shardObjects } from '../../src/sources/shard.js'
import type { SourceObject } from '../../src/sources/source.js'

const object = (key: string, size: number): SourceObject => ({ url: `s3://b/${key}`, key, size })

describe('parseShard', () => {
  it('reads i/n and refuses what is not a shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 })
    for (const bad of ['0/4', '5/4', '1/0', '1/257', 'a/b', '2', '1/2/3'])
      expect(parseShard(bad), bad).toBeUndefined()
  })
})

describe('shardObjects', () => {
  const objects = Array.from({ length: 23 }, (_, i) =>
    object(`k${String(i).padStart(2, '0')}`, ((i * 7919) % 101) + 1),
  )

  it.each([1, 3, 4])('splits %i ways: disjoint, complete, in key order', (count) => {
    const parts = Array.from({ length: count }, (_, i) =>
      shardObjects(objects, { index: i + 1, count }),
    )
    const all = parts.flat().map((o) => o.key)
    expect(all.sort()).toEqual(objects.map((o) => o.key).sort())
    expect(new Set(all).size).toBe(objects.length)
    for (const part of parts)
      expect(part.map((o) => o.key)).toEqual([...part.map((o) => o.key)].sort())
  })

  it('balances by size: no shard holds more than the average plus the largest object', () => {
    const total = objects.reduce((n, o) => n + o.size, 0)
    const largest = Math.max(...objects.map((o) => o.size))
    for (let i = 1; i <= 4; i++) {
      const bytes = shardObjects(objects, { index: i, count: 4 }).reduce((n, o) => n + o.size, 0)
      expect(bytes).toBeLessThanOrEqual(total / 4 + largest)
    }
  })

  it('is the same in every job, whatever order the listing came in', () => {
    const reversed = [...objects].reverse()
    expect(
      shardObjects(objects, { index: 2, count: 3 })
        .map((o) => o.key)
        .sort(),
    ).toEqual(
      shardObjects(reversed, { index: 2, count: 3 })
        .map((o) => o.key)
        .sort(),
    )
  })
})
