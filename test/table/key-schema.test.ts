import { describe, it, expect } from 'vitest'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { keyOf, tableSchemaFrom, type TableSchema } from '../../src/table/key-schema.js'
import { ordersSchema } from '../support/schemas.js'

const schema = ordersSchema

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
