/**
 * The table's keys: which attributes they are (from DescribeTable), and the identity of an item
 * by its key, with numbers equal by value and binary by bytes (docs/import-rules.md §7).
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Item } from './attribute-value.js'
import { normalizeNumber } from './numbers.js'

/** Partition key value limit in bytes [doc SQ]. */
export const MAX_PARTITION_KEY_BYTES = 2048
/** Sort key value limit in bytes [doc SQ]. */
export const MAX_SORT_KEY_BYTES = 1024

/** One scalar key attribute of the table or of an index. */
export interface KeyAttribute {
  name: string
  type: 'S' | 'N' | 'B'
}

/** The key attributes an import must validate, taken from DescribeTable. */
export interface TableSchema {
  tableName: string
  partitionKey: KeyAttribute
  sortKey?: KeyAttribute
  /**
   * One entry per (index, key attribute) pair, except attributes that are also table keys (the
   * table-key checks already cover them). `keyType` picks the length limit; when absent, the
   * partition-key limit applies.
   */
  indexKeys: Array<KeyAttribute & { indexName: string; keyType?: 'HASH' | 'RANGE' }>
}

interface KeySchemaLike {
  AttributeName?: string | undefined
  KeyType?: string | undefined
}

/**
 * Extracts the key attributes of a table and its indexes from a DescribeTable result.
 * @throws Error when the description lacks a table name, a partition key, or the
 *   AttributeDefinition of a key attribute.
 */
export function tableSchemaFrom(table: TableDescription): TableSchema {
  const tableName = table.TableName
  if (tableName === undefined) throw new Error('table description has no TableName')
  const types = new Map<string, string | undefined>()
  for (const def of table.AttributeDefinitions ?? []) {
    if (def.AttributeName !== undefined) types.set(def.AttributeName, def.AttributeType)
  }
  const keyAttribute = (name: string, where: string): KeyAttribute => {
    const type = types.get(name)
    if (type !== 'S' && type !== 'N' && type !== 'B') {
      throw new Error(
        `table "${tableName}": ${where} key attribute "${name}" has no S, N or B AttributeDefinition`,
      )
    }
    return { name, type }
  }
  const hash = findKey(table.KeySchema, 'HASH')
  if (hash === undefined) throw new Error(`table "${tableName}" has no HASH key in its KeySchema`)
  const range = findKey(table.KeySchema, 'RANGE')
  const schema: TableSchema = {
    tableName,
    partitionKey: keyAttribute(hash, 'partition'),
    indexKeys: [],
  }
  if (range !== undefined) schema.sortKey = keyAttribute(range, 'sort')
  const tableKeys = new Set([hash, range])
  const indexes = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]
  for (const index of indexes) {
    const indexName = index.IndexName ?? '(unnamed index)'
    for (const element of index.KeySchema ?? []) {
      const name = element.AttributeName
      if (name === undefined || tableKeys.has(name)) continue
      const keyType = element.KeyType === 'RANGE' ? 'RANGE' : 'HASH'
      schema.indexKeys.push({ ...keyAttribute(name, `index "${indexName}"`), indexName, keyType })
    }
  }
  return schema
}

function findKey(
  keySchema: readonly KeySchemaLike[] | undefined,
  keyType: 'HASH' | 'RANGE',
): string | undefined {
  return keySchema?.find((element) => element.KeyType === keyType)?.AttributeName
}

function keyPart(item: Item, key: KeyAttribute): string {
  const value = item[key.name]
  if (key.type === 'S' && value?.S !== undefined) return value.S
  if (key.type === 'B' && value?.B !== undefined) {
    return Buffer.from(value.B.buffer, value.B.byteOffset, value.B.byteLength).toString('base64')
  }
  if (key.type === 'N' && value?.N !== undefined) {
    const number = normalizeNumber(value.N)
    if (number.ok) return number.value
  }
  throw new Error(`keyOf: key attribute "${key.name}" is missing or not a valid ${key.type}`)
}

/**
 * A string that is equal for two items exactly when they address the same DynamoDB item:
 * numbers compare by value (`1` = `1.0`), binary by bytes. JSON array encoding keeps the
 * partition and sort parts from running into each other.
 * @throws Error when a key attribute is missing or invalid; call {@link checkItem} first.
 */
export function keyOf(item: Item, schema: TableSchema): string {
  const parts = [keyPart(item, schema.partitionKey)]
  if (schema.sortKey !== undefined) parts.push(keyPart(item, schema.sortKey))
  return JSON.stringify(parts)
}
