import { describe, it, expect } from 'vitest'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import {
  MAX_ITEM_BYTES,
  MAX_NUMBER_DIGITS,
  attributeNameProblem,
  checkItem,
  itemSize,
  keyOf,
  normalizeNumber,
  plainSignificantDigits,
  tableSchemaFrom,
  type Item,
  type TableSchema,
} from '../src/item-rules.js'

function canonical(text: string): string {
  const result = normalizeNumber(text)
  if (!result.ok) throw new Error(`expected ${text} to be valid: ${result.reason}`)
  return result.value
}

function reasonFor(text: string): string {
  const result = normalizeNumber(text)
  if (result.ok) throw new Error(`expected ${text} to be rejected`)
  return result.reason
}

describe('normalizeNumber', () => {
  it('accepts 38 significant digits and rejects 39', () => {
    expect(normalizeNumber('12345678901234567890123456789012345678').ok).toBe(true)
    expect(normalizeNumber('-1.2345678901234567890123456789012345678E-5').ok).toBe(true)
    expect(reasonFor('123456789012345678901234567890123456789')).toBe(
      `expected at most ${MAX_NUMBER_DIGITS} significant digits, found 39`,
    )
    expect(reasonFor('1.23456789012345678901234567890123456789')).toContain('found 39')
  })

  it('does not count leading and trailing zeros as significant', () => {
    expect(canonical('1' + '0'.repeat(100))).toBe('1E+100')
    expect(canonical('0'.repeat(50) + '7')).toBe('7')
    expect(canonical('0.' + '0'.repeat(60) + '12345678901234567890123456789012345678')).toBe(
      '1.2345678901234567890123456789012345678E-61',
    )
    expect(canonical('12345678901234567890123456789012345678' + '0'.repeat(40))).toBe(
      '1.2345678901234567890123456789012345678E+77',
    )
  })

  it('accepts the range edges and rejects just beyond them', () => {
    expect(canonical('1E-130')).toBe('1E-130')
    expect(canonical('-1E-130')).toBe('-1E-130')
    expect(canonical('9.9999999999999999999999999999999999999E+125')).toBe(
      '9.9999999999999999999999999999999999999E+125',
    )
    expect(normalizeNumber('-9.9999999999999999999999999999999999999E+125').ok).toBe(true)
    expect(reasonFor('1E-131')).toBe(
      'number too close to zero: expected a decimal exponent of at least -130, found -131',
    )
    expect(reasonFor('-1E-131')).toContain('at least -130')
    expect(reasonFor('1E+126')).toBe(
      'number too large: expected a decimal exponent of at most 125, found 126',
    )
    expect(reasonFor('-10E+125')).toContain('at most 125, found 126')
    expect(reasonFor('1e999999999999999999999')).toContain('found a far larger one')
  })

  it('maps equal numbers to one canonical form', () => {
    const ones = ['1', '1.0', '1.000', '10E-1', '0.1e1', '+1', '1.', '001', '100e-2', '0.01E+2']
    for (const text of ones) expect(canonical(text)).toBe('1')
    for (const text of ['0', '-0', '0.000', '.0', '0e99', '-0.0E-999', '000']) {
      expect(canonical(text)).toBe('0')
    }
    expect(canonical('-12.50')).toBe('-12.5')
    expect(canonical('.5')).toBe('0.5')
    expect(canonical('5.')).toBe('5')
    expect(canonical('0.001')).toBe('0.001')
    expect(canonical('1.5e+100')).toBe('1.5E+100')
    expect(canonical('-25e-10')).toBe('-2.5E-9')
  })

  it('keeps numbers apart that a JS double would merge', () => {
    expect(canonical('9007199254740993')).not.toBe(canonical('9007199254740992'))
    expect(canonical('0.1')).not.toBe(canonical('0.10000000000000001'))
    expect(canonical('-1')).not.toBe(canonical('1'))
  })

  it('is idempotent and agrees with exact rational comparison', () => {
    // Writes the same value digits × 10^exponent in several notations.
    let seed = 12345
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % limit
    }
    const signed = (n: number) => (n < 0 ? String(n) : `+${n}`)
    for (let round = 0; round < 500; round++) {
      const digits = String(BigInt(random(1_000_000_000)) * BigInt(random(1_000_000_000)) + 1n)
      const exponent = random(200) - 100
      const sign = random(2) === 0 ? '-' : ''
      const forms = [
        `${sign}${digits}e${exponent}`,
        `${sign}${digits}000E${exponent - 3}`,
        `${sign}0.${digits}e${exponent + digits.length}`,
        `${sign}${digits.slice(0, 1)}.${digits.slice(1)}E${signed(exponent + digits.length - 1)}`,
      ]
      const expected = canonical(forms[0] ?? '')
      for (const form of forms) expect(canonical(form)).toBe(expected)
      expect(canonical(expected)).toBe(expected)
      expect(canonical(`${sign}${digits}1e${exponent - 1}`)).not.toBe(expected)
    }
  })

  it('rejects anything but the decimal syntax', () => {
    const invalid = ['1e', '--1', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '-Infinity', '', '.']
    invalid.push('1.2.3', '1e+', '+', '-', 'e5', '1_000', '1,5', '١', '1e1.5', '0b1', '1f')
    for (const text of invalid) expect(normalizeNumber(text).ok, text).toBe(false)
    expect(reasonFor('')).toContain('found an empty string')
    expect(reasonFor(' 1')).toContain('found text of 2 characters including whitespace')
    expect(reasonFor('x')).toContain('found text of 1 character that is not one')
  })

  it('never echoes the number in a reason', () => {
    const inputs = ['98765432109876543210987654321098765432109', '9.87654321E-999', '9876x']
    for (const text of inputs) expect(reasonFor(text)).not.toContain('98765')
  })
})

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

const schema: TableSchema = {
  tableName: 'orders',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
  indexKeys: [
    { name: 'email', type: 'S', indexName: 'byEmail', keyType: 'HASH' },
    { name: 'rank', type: 'B', indexName: 'byRank', keyType: 'RANGE' },
  ],
}

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

describe('keyOf', () => {
  it('treats numerically equal keys as the same item', () => {
    const a = keyOf({ pk: { S: 'p' }, sk: { N: '1' } }, schema)
    expect(keyOf({ pk: { S: 'p' }, sk: { N: '1.000' } }, schema)).toBe(a)
    expect(keyOf({ pk: { S: 'p' }, sk: { N: '10E-1' } }, schema)).toBe(a)
    expect(keyOf({ pk: { S: 'p' }, sk: { N: '2' } }, schema)).not.toBe(a)
    expect(keyOf({ pk: { S: 'p' }, sk: { N: '9007199254740993' } }, schema)).not.toBe(
      keyOf({ pk: { S: 'p' }, sk: { N: '9007199254740992' } }, schema),
    )
  })

  it('compares binary keys by bytes', () => {
    const binary: TableSchema = { ...schema, partitionKey: { name: 'pk', type: 'B' } }
    const backing = new Uint8Array([9, 1, 2, 3, 9])
    const a = keyOf({ pk: { B: new Uint8Array([1, 2, 3]) }, sk: { N: '1' } }, binary)
    expect(keyOf({ pk: { B: backing.subarray(1, 4) }, sk: { N: '1' } }, binary)).toBe(a)
    expect(keyOf({ pk: { B: Buffer.from([1, 2, 3]) }, sk: { N: '1' } }, binary)).toBe(a)
    expect(keyOf({ pk: { B: new Uint8Array([1, 2, 4]) }, sk: { N: '1' } }, binary)).not.toBe(a)
  })

  it('keeps partition and sort parts from colliding', () => {
    const sorted: TableSchema = { ...schema, sortKey: { name: 'sk', type: 'S' } }
    const a = keyOf({ pk: { S: 'a|' }, sk: { S: 'b' } }, sorted)
    expect(keyOf({ pk: { S: 'a' }, sk: { S: '|b' } }, sorted)).not.toBe(a)
    expect(keyOf({ pk: { S: 'a","b' }, sk: { S: 'c' } }, sorted)).not.toBe(
      keyOf({ pk: { S: 'a' }, sk: { S: 'b","c' } }, sorted),
    )
  })

  it('ignores non-key attributes and throws without a key', () => {
    expect(keyOf({ pk: { S: 'p' }, sk: { N: '1' }, x: { S: 'y' } }, schema)).toBe(
      keyOf({ pk: { S: 'p' }, sk: { N: '1' } }, schema),
    )
    expect(() => keyOf({ pk: { S: 'p' } }, schema)).toThrow('"sk"')
    expect(() => keyOf({ pk: { N: '1' }, sk: { N: '1' } }, schema)).toThrow('"pk"')
  })
})

describe('tableSchemaFrom', () => {
  const table: TableDescription = {
    TableName: 'orders',
    KeySchema: [
      { AttributeName: 'sk', KeyType: 'RANGE' },
      { AttributeName: 'pk', KeyType: 'HASH' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'email', AttributeType: 'S' },
      { AttributeName: 'rank', AttributeType: 'B' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byEmail',
        KeySchema: [
          { AttributeName: 'email', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byRank',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'rank', KeyType: 'RANGE' },
        ],
      },
    ],
  }

  it('reads table and index keys with their types, leaving out table keys', () => {
    expect(tableSchemaFrom(table)).toEqual(schema)
  })

  it('handles a table with a partition key only', () => {
    const schemaOf = tableSchemaFrom({
      TableName: 't',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
    })
    expect(schemaOf).toEqual({
      tableName: 't',
      partitionKey: { name: 'id', type: 'B' },
      indexKeys: [],
    })
  })

  it('throws clearly when a key has no definition', () => {
    const broken = { ...table, AttributeDefinitions: table.AttributeDefinitions?.slice(0, 3) }
    expect(() => tableSchemaFrom(broken)).toThrow(
      'table "orders": index "byRank" key attribute "rank" has no S, N or B AttributeDefinition',
    )
    expect(() => tableSchemaFrom({ ...table, AttributeDefinitions: [] })).toThrow(
      'partition key attribute "pk"',
    )
    expect(() => tableSchemaFrom({ ...table, KeySchema: [] })).toThrow('has no HASH key')
  })
})

describe('attributeNameProblem', () => {
  it('requires 1 byte to 65,535 bytes of UTF-8', () => {
    expect(attributeNameProblem('a')).toBeUndefined()
    expect(attributeNameProblem('')).toBe('attribute name must not be empty')
    expect(attributeNameProblem('x'.repeat(65_535))).toBeUndefined()
    expect(attributeNameProblem('x'.repeat(65_536))).toBe(
      'attribute name is 65536 bytes, above the limit of 65535',
    )
    expect(attributeNameProblem('é'.repeat(32_768))).toContain('65536 bytes')
  })
})

describe('fast paths agree with the general rules', () => {
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

  it('counts significant digits of plain decimals as the general parser does', () => {
    const samples = [
      '0',
      '-0',
      '007',
      '7.50',
      '-0.0010',
      '12345678901234567890123456789012345678',
      '100',
      '1.0',
      '10.01',
      '0.5',
    ]
    for (const n of samples) {
      const general = normalizeNumber(n)
      expect(general.ok, n).toBe(true)
      expect(plainSignificantDigits(n), n).toBe(
        (general.ok ? general.value : '')
          .replace(/^-/, '')
          .replace(/E.*$/, '')
          .replace('.', '')
          .replace(/^0+/, '')
          .replace(/0+$/, '').length,
      )
    }
    for (const n of ['', '-', '.', '1.', '.5', '-.5', '1e5', '1.2.3', '+1', 'x', '1'.repeat(39)]) {
      expect(plainSignificantDigits(n), n).toBe(-1)
    }
  })
})
