import { describe, it, expect } from 'vitest'
import { MAX_ITEM_BYTES } from '../../src/table/item-size.js'
import type { Item } from '../../src/table/attribute-value.js'
import { checkItem } from '../../src/table/item-rules.js'
import type { TableSchema } from '../../src/table/key-schema.js'
import { ordersSchema } from '../support/schemas.js'

const schema = ordersSchema

describe('checkItem', () => {
  const valid: Item = { pk: { S: 'p' }, sk: { N: '1' } }
  const check = (extra: Item) => checkItem({ ...valid, ...extra }, schema)

  it('accepts a valid item, with or without sparse index keys', () => {
    expect(checkItem(valid, schema)).toBeUndefined()
    expect(check({ email: { S: 'x' }, rank: { B: new Uint8Array([1]) } })).toBeUndefined()
  })

  it('requires the partition key and the sort key', () => {
    expect(checkItem({ sk: { N: '1' } }, schema)).toBe('partition key attribute "pk" is missing')
    expect(checkItem({ pk: { S: 'p' } }, schema)).toBe('sort key attribute "sk" is missing')
    const hashOnly: TableSchema = { ...schema, indexKeys: [] }
    delete hashOnly.sortKey
    expect(checkItem({ pk: { S: 'p' } }, hashOnly)).toBeUndefined()
  })

  it('requires key attributes of the declared scalar type', () => {
    expect(check({ pk: { N: '1' } })).toBe('key attribute "pk" must be of type S, found N')
    expect(check({ sk: { S: '1' } })).toBe('key attribute "sk" must be of type N, found S')
    expect(check({ pk: { SS: ['a'] } })).toBe('key attribute "pk" must be of type S, found SS')
    expect(check({ pk: { M: {} } })).toBe('key attribute "pk" must be of type S, found M')
    expect(check({ sk: { N: '1e999' } })).toMatch(/^key attribute "sk" is not a valid number: /)
  })

  it('rejects empty key values', () => {
    expect(check({ pk: { S: '' } })).toBe('key attribute "pk" must not be empty')
    const binary: TableSchema = { ...schema, partitionKey: { name: 'pk', type: 'B' } }
    expect(checkItem({ ...valid, pk: { B: new Uint8Array(0) } }, binary)).toBe(
      'key attribute "pk" must not be empty',
    )
  })

  it('limits key lengths in UTF-8 or raw bytes', () => {
    expect(check({ pk: { S: 'x'.repeat(2048) } })).toBeUndefined()
    expect(check({ pk: { S: 'x'.repeat(2049) } })).toBe(
      'key attribute "pk" is 2049 bytes, above the limit of 2048',
    )
    expect(check({ pk: { S: 'é'.repeat(1025) } })).toContain('is 2050 bytes')
    const sorted: TableSchema = { ...schema, sortKey: { name: 'sk', type: 'S' } }
    expect(checkItem({ pk: { S: 'p' }, sk: { S: 'é'.repeat(512) } }, sorted)).toBeUndefined()
    expect(checkItem({ pk: { S: 'p' }, sk: { S: 'é'.repeat(513) } }, sorted)).toBe(
      'key attribute "sk" is 1026 bytes, above the limit of 1024',
    )
    const binary: TableSchema = { ...schema, sortKey: { name: 'sk', type: 'B' } }
    expect(checkItem({ pk: { S: 'p' }, sk: { B: new Uint8Array(1024) } }, binary)).toBeUndefined()
    expect(checkItem({ pk: { S: 'p' }, sk: { B: new Uint8Array(1025) } }, binary)).toContain(
      'is 1025 bytes',
    )
  })

  it('checks index keys that are present', () => {
    expect(check({ email: { N: '1' } })).toBe(
      'index "byEmail" key attribute "email" must be of type S, found N',
    )
    expect(check({ email: { S: '' } })).toBe(
      'index "byEmail" key attribute "email" must not be empty',
    )
    expect(check({ email: { S: 'x'.repeat(2048) } })).toBeUndefined()
    expect(check({ rank: { B: new Uint8Array(1025) } })).toBe(
      'index "byRank" key attribute "rank" is 1025 bytes, above the limit of 1024',
    )
    expect(check({ rank: { NULL: true } })).toContain('must be of type B, found NULL')
  })

  it('limits the item to 409,600 bytes', () => {
    // pk: 2 + 1, sk: 2 + 2, d: 1 + value
    const fixed = 3 + 4 + 1
    expect(check({ d: { S: 'x'.repeat(MAX_ITEM_BYTES - fixed) } })).toBeUndefined()
    expect(check({ d: { S: 'x'.repeat(MAX_ITEM_BYTES - fixed + 1) } })).toBe(
      'item is 409601 bytes, above the limit of 409600',
    )
    const wide = check({ d: { S: 'é'.repeat(205_000) } })
    expect(wide).toBe('item is 410008 bytes, above the limit of 409600')
    expect(check({ d: { B: new Uint8Array(MAX_ITEM_BYTES - fixed + 1) } })).toContain('409601')
  })

  it('never puts values in reasons', () => {
    const secret = 'sk_live_SECRET'
    const reasons = [
      check({ pk: { S: secret.repeat(200) } }),
      check({ email: { N: secret } }),
      check({ d: { S: secret.repeat(30_000) } }),
      check({ sk: { N: secret } }),
      check({ pk: { N: secret } }),
    ]
    for (const reason of reasons) {
      expect(reason).toBeDefined()
      expect(reason).not.toContain('SECRET')
    }
  })
})
