import { describe, expect, it } from 'vitest'
import { differingAttributes, equalValues, mismatchOf } from '../../src/verify/compare.js'

const bytes = (...b: number[]) => new Uint8Array(b)

describe('equalValues', () => {
  it.each([
    ['numbers by exact value', { N: '1' }, { N: '1.0' }],
    ['numbers in scientific form', { N: '1' }, { N: '10E-1' }],
    [
      'numbers past a double',
      { N: '12345678901234567890123456789012345678' },
      { N: '1.2345678901234567890123456789012345678E37' },
    ],
    ['number sets in any order and form', { NS: ['1', '2.50'] }, { NS: ['2.5', '1.0'] }],
    ['string sets in any order', { SS: ['a', 'b'] }, { SS: ['b', 'a'] }],
    ['binary by bytes', { B: bytes(1, 2) }, { B: Buffer.from([1, 2]) }],
    ['binary sets in any order', { BS: [bytes(1), bytes(2)] }, { BS: [bytes(2), bytes(1)] }],
    [
      'nested maps and lists',
      { M: { a: { L: [{ N: '1' }, { M: { b: { S: 'x' } } }] } } },
      { M: { a: { L: [{ N: '1.00' }, { M: { b: { S: 'x' } } }] } } },
    ],
    ['null', { NULL: true }, { NULL: true }],
    ['booleans', { BOOL: false }, { BOOL: false }],
  ])('%s are equal', (_, a, b) => {
    expect(equalValues(a, b)).toBe(true)
    expect(equalValues(b, a)).toBe(true)
  })

  it.each([
    [
      'numbers that differ past a double',
      { N: '12345678901234567890.1' },
      { N: '12345678901234567890.2' },
    ],
    ['a number and its string', { N: '1' }, { S: '1' }],
    ['strings', { S: 'a' }, { S: 'b' }],
    ['binary', { B: bytes(1, 2) }, { B: bytes(1, 3) }],
    ['sets of different sizes', { SS: ['a'] }, { SS: ['a', 'b'] }],
    ['sets with another member', { NS: ['1', '2'] }, { NS: ['1', '3'] }],
    ['binary sets', { BS: [bytes(1)] }, { BS: [bytes(2)] }],
    ['lists in another order', { L: [{ N: '1' }, { N: '2' }] }, { L: [{ N: '2' }, { N: '1' }] }],
    ['lists of different lengths', { L: [{ N: '1' }] }, { L: [{ N: '1' }, { N: '1' }] }],
    ['a map with a member more', { M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { S: 'y' } } }],
    [
      'a map with a nested change',
      { M: { a: { M: { b: { N: '1' } } } } },
      { M: { a: { M: { b: { N: '2' } } } } },
    ],
    ['booleans', { BOOL: true }, { BOOL: false }],
    ['null and false', { NULL: true }, { BOOL: false }],
    ['a list and a map', { L: [] }, { M: {} }],
  ])('%s differ', (_, a, b) => {
    expect(equalValues(a, b)).toBe(false)
    expect(equalValues(b, a)).toBe(false)
  })

  it('an unknown type equals nothing', () => {
    expect(equalValues({} as never, { S: 'a' })).toBe(false)
  })
})

describe('differingAttributes', () => {
  it('names the attributes added, removed and changed, sorted, never their values', () => {
    const expected = {
      pk: { S: 'a' },
      same: { N: '1' },
      gone: { S: 'x' },
      changed: { M: { n: { N: '1' } } },
    }
    const actual = {
      pk: { S: 'a' },
      same: { N: '1.0' },
      changed: { M: { n: { N: '2' } } },
      added: { BOOL: true },
    }
    expect(differingAttributes(expected, actual)).toEqual(['added', 'changed', 'gone'])
  })

  it('is empty for equal items', () => {
    expect(differingAttributes({ pk: { S: 'a' } }, { pk: { S: 'a' } })).toEqual([])
  })
})

describe('mismatchOf', () => {
  const at = 's3://b/k:3'
  const item = { pk: { S: 'a' }, v: { N: '1' } }
  it('is nothing when the table holds the item as written', () => {
    expect(
      mismatchOf({ item, delete: false, location: at }, { pk: { S: 'a' }, v: { N: '1.0' } }),
    ).toBeUndefined()
  })
  it('is missing when the table has no item for the key', () => {
    expect(mismatchOf({ item, delete: false, location: at }, undefined)).toEqual({
      kind: 'missing',
      location: at,
    })
  })
  it('is different, with the attribute names, when the item differs', () => {
    expect(
      mismatchOf({ item, delete: false, location: at }, { pk: { S: 'a' }, v: { N: '2' } }),
    ).toEqual({
      kind: 'different',
      location: at,
      attributes: ['v'],
    })
  })
  it('a deleted key: nothing when absent, different in every attribute when the table holds it', () => {
    const key = { pk: { S: 'a' } }
    expect(mismatchOf({ item: key, delete: true, location: at }, undefined)).toBeUndefined()
    expect(mismatchOf({ item: key, delete: true, location: at }, item)).toEqual({
      kind: 'different',
      location: at,
      attributes: ['pk', 'v'],
    })
  })
})
