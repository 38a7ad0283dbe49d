import { describe, it, expect } from 'vitest'
import { itemSize } from '../../src/table/item-size.js'

describe('itemSize', () => {
  const bytes = (...values: number[]) => new Uint8Array(values)

  it('counts strings and names in UTF-8 bytes', () => {
    expect(itemSize({ a: { S: 'abc' } })).toBe(4)
    expect(itemSize({ a: { S: '' } })).toBe(1)
    expect(itemSize({ a: { S: 'é' } })).toBe(3)
    expect(itemSize({ a: { S: '😀' } })).toBe(5)
    expect(itemSize({ ñame: { S: 'x' } })).toBe(6)
  })

  it('counts numbers as ceil(significant digits / 2) + 1', () => {
    expect(itemSize({ n: { N: '123' } })).toBe(1 + 3)
    expect(itemSize({ n: { N: '1.000' } })).toBe(1 + 2)
    expect(itemSize({ n: { N: '-1200' } })).toBe(1 + 2)
    expect(itemSize({ n: { N: '0' } })).toBe(1 + 2)
    expect(itemSize({ n: { N: '12345678901234567890123456789012345678' } })).toBe(1 + 20)
  })

  it('counts binary as raw bytes, BOOL and NULL as 1', () => {
    expect(itemSize({ b: { B: bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) } })).toBe(11)
    expect(itemSize({ b: { B: new Uint8Array(0) } })).toBe(1)
    expect(itemSize({ t: { BOOL: true } })).toBe(2)
    expect(itemSize({ z: { NULL: true } })).toBe(2)
  })

  it('adds 3 per list or map and 1 per element', () => {
    expect(itemSize({ l: { L: [] } })).toBe(1 + 3)
    expect(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } })).toBe(1 + 3 + (2 + 1) + (2 + 1))
    expect(itemSize({ m: { M: { x: { S: 'ab' } } } })).toBe(1 + 3 + (1 + 2 + 1))
    expect(itemSize({ m: { M: { x: { M: { é: { NULL: true } } } } } })).toBe(
      1 + 3 + (1 + 3 + (2 + 1 + 1) + 1),
    )
  })

  it('sums set members by their scalar type', () => {
    expect(itemSize({ s: { SS: ['a', 'bc', 'é'] } })).toBe(1 + 1 + 2 + 2)
    expect(itemSize({ s: { NS: ['1', '22', '333'] } })).toBe(1 + 2 + 2 + 3)
    expect(itemSize({ s: { BS: [bytes(1), bytes(1, 2, 3)] } })).toBe(1 + 1 + 3)
  })

  it('sums all attributes', () => {
    expect(itemSize({ pk: { S: 'k' }, n: { N: '10' }, b: { BOOL: false } })).toBe(3 + 3 + 2)
  })
})

describe('the UTF-8 fast path', () => {
  it('counts UTF-8 bytes of short strings as Buffer.byteLength does', () => {
    const samples = [
      '',
      'a',
      'é',
      '€',
      '🚀',
      'a🚀b',
      '\ud800',
      '\udc00x',
      '\ud800\ud800',
      'x'.repeat(70) + '🚀',
    ]
    for (const s of samples) {
      expect(itemSize({ a: { S: s } }), JSON.stringify(s)).toBe(1 + Buffer.byteLength(s, 'utf8'))
    }
  })
})
