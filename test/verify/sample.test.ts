import { describe, expect, it } from 'vitest'
import { keyHash, Sample } from '../../src/verify/sample.js'

const keys = (n: number) => Array.from({ length: n }, (_, i) => `["key-${i}"]`)
/** The `size` keys of the smallest hashes, computed the plain way. */
const smallest = (all: string[], size: number) =>
  [...all]
    .sort((a, b) => (keyHash(a) < keyHash(b) ? -1 : 1))
    .slice(0, size)
    .sort()

describe('Sample', () => {
  it('keeps the keys of the smallest hashes, whatever the order they come in', () => {
    const all = keys(500)
    const forward = new Sample<string>(20)
    for (const key of all) forward.add(key, key)
    const backward = new Sample<string>(20)
    for (const key of [...all].reverse()) backward.add(key, key)
    expect(forward.values().sort()).toEqual(smallest(all, 20))
    expect(backward.values().sort()).toEqual(smallest(all, 20))
    expect(forward.length).toBe(20)
  })

  it('keeps the latest record of a key it keeps, and a key ranked out stays out', () => {
    const all = keys(100)
    const sample = new Sample<string>(10)
    for (const key of all) sample.add(key, `${key} first`)
    const kept = smallest(all, 10)
    const out = all.find((key) => !kept.includes(key)) as string
    sample.add(kept[3] as string, 'later')
    sample.add(out, 'later')
    const values = sample.values()
    expect(values).toContain('later')
    expect(values.filter((v) => v === 'later')).toHaveLength(1)
    expect(values).not.toContain(`${kept[3]} first`)
    expect(values).toHaveLength(10)
  })

  it('keeps every key when there are fewer than its size, and none at size 0', () => {
    const sample = new Sample<string>(10)
    for (const key of keys(3)) sample.add(key, key)
    expect(sample.values().sort()).toEqual(keys(3).sort())
    const none = new Sample<string>(0)
    none.add('["a"]', 'a')
    expect(none.values()).toEqual([])
  })

  it('hashes a key with SHA-256', () => {
    expect(keyHash('["a"]')).toMatch(/^[0-9a-f]{64}$/)
    expect(keyHash('["a"]')).not.toBe(keyHash('["b"]'))
  })
})
