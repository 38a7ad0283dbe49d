/**
 * Checks an item against the table: keys present, typed, non-empty and within their lengths;
 * index keys of the index's type; the item within 400 KB (docs/import-rules.md §7, §8). Reasons
 * are shown to users and written to logs, so they name attributes and limits but never contain
 * attribute values.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { typeOf, type Item } from './attribute-value.js'
import { itemSize, MAX_ITEM_BYTES } from './item-size.js'
import {
  MAX_PARTITION_KEY_BYTES,
  MAX_SORT_KEY_BYTES,
  type KeyAttribute,
  type TableSchema,
} from './key-schema.js'
import { normalizeNumber } from './numbers.js'
import { utf8Bytes } from './utf8.js'

/** The byte length DynamoDB counts against a key limit, or undefined for a number key. */
function keyBytes(value: AttributeValue): number | undefined {
  if (value.S !== undefined) return utf8Bytes(value.S)
  if (value.B !== undefined) return value.B.byteLength
  return undefined
}

/** Checks a present key value's type, emptiness, number validity and length. */
function checkKeyValue(
  value: AttributeValue,
  key: KeyAttribute,
  label: string,
  maxBytes: number,
): string | undefined {
  const found = typeOf(value) ?? 'an unknown type'
  if (found !== key.type) {
    return `${label} "${key.name}" must be of type ${key.type}, found ${found}`
  }
  if (value.N !== undefined) {
    const number = normalizeNumber(value.N)
    return number.ok ? undefined : `${label} "${key.name}" is not a valid number: ${number.reason}`
  }
  const bytes = keyBytes(value) ?? 0
  if (bytes === 0) return `${label} "${key.name}" must not be empty`
  if (bytes > maxBytes) {
    return `${label} "${key.name}" is ${bytes} bytes, above the limit of ${maxBytes}`
  }
  return undefined
}

function checkTableKey(item: Item, key: KeyAttribute, role: string, maxBytes: number) {
  const value = item[key.name]
  if (value === undefined) return `${role} attribute "${key.name}" is missing`
  return checkKeyValue(value, key, 'key attribute', maxBytes)
}

/**
 * Returns the first DynamoDB rule the item breaks, as a short reason without values, or
 * undefined when the item is valid for the table: keys present, of the right type, non-empty and
 * within their length limits; index keys (when present; a missing one means a sparse index) of
 * the index's type; size within {@link MAX_ITEM_BYTES}. Document rules (numbers, sets, nesting)
 * are the parsers' job, because they see the input before it becomes an {@link Item}.
 */
export function checkItem(
  item: Item,
  schema: TableSchema,
  size: number = itemSize(item),
): string | undefined {
  const partition = checkTableKey(
    item,
    schema.partitionKey,
    'partition key',
    MAX_PARTITION_KEY_BYTES,
  )
  if (partition !== undefined) return partition
  if (schema.sortKey !== undefined) {
    const sort = checkTableKey(item, schema.sortKey, 'sort key', MAX_SORT_KEY_BYTES)
    if (sort !== undefined) return sort
  }
  for (const key of schema.indexKeys) {
    const value = item[key.name]
    if (value === undefined) continue
    const maxBytes = key.keyType === 'RANGE' ? MAX_SORT_KEY_BYTES : MAX_PARTITION_KEY_BYTES
    const label = `index "${key.indexName}" key attribute`
    const broken = checkKeyValue(value, key, label, maxBytes)
    if (broken !== undefined) return broken
  }
  if (size > MAX_ITEM_BYTES) return `item is ${size} bytes, above the limit of ${MAX_ITEM_BYTES}`
  return undefined
}
