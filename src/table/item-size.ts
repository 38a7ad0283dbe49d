/**
 * The size of an item by DynamoDB's formula, and its 400 KB limit (docs/import-rules.md §1 rule
 * 10, §7). Sizes are UTF-8 bytes, never JS string lengths.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import type { Item } from './attribute-value.js'
import { parseDecimal, plainSignificantDigits } from './numbers.js'
import { utf8Bytes } from './utf8.js'

/** Item size limit: 400 KB, conventionally 409,600 bytes [doc SQ, SIZE]. */
export const MAX_ITEM_BYTES = 409_600

/** Size formula overhead of a List or Map value [doc SIZE]. */
const CONTAINER_OVERHEAD_BYTES = 3
/** Size formula overhead per List or Map element [doc SIZE]. */
const ELEMENT_OVERHEAD_BYTES = 1
/** Size of a BOOL or NULL value [doc SIZE]. */
const BOOL_NULL_BYTES = 1
/** A number costs one byte per two significant digits plus this [doc SIZE]. */
const NUMBER_OVERHEAD_BYTES = 1

function numberBytes(text: string): number {
  const plain = plainSignificantDigits(text)
  if (plain >= 0) return Math.ceil(Math.max(plain, 1) / 2) + NUMBER_OVERHEAD_BYTES
  const decimal = parseDecimal(text)
  // An invalid number never reaches DynamoDB; its text length is a safe over-estimate.
  if (decimal === undefined) return utf8Bytes(text)
  // Zero is stored with one digit, so it costs like `1`.
  const digits = Math.max(decimal.digits.length, 1)
  return Math.ceil(digits / 2) + NUMBER_OVERHEAD_BYTES
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S)
  if (value.N !== undefined) return numberBytes(value.N)
  if (value.B !== undefined) return value.B.byteLength
  if (value.BOOL !== undefined || value.NULL !== undefined) return BOOL_NULL_BYTES
  if (value.M !== undefined) {
    let size = CONTAINER_OVERHEAD_BYTES
    for (const name in value.M) {
      const member = value.M[name]
      if (member === undefined) continue
      size += utf8Bytes(name) + valueBytes(member) + ELEMENT_OVERHEAD_BYTES
    }
    return size
  }
  if (value.L !== undefined) {
    let size = CONTAINER_OVERHEAD_BYTES
    for (const element of value.L) size += valueBytes(element) + ELEMENT_OVERHEAD_BYTES
    return size
  }
  let size = 0
  for (const member of value.SS ?? []) size += utf8Bytes(member)
  for (const member of value.NS ?? []) size += numberBytes(member)
  for (const member of value.BS ?? []) size += member.byteLength
  return size
}

/**
 * The item's size by DynamoDB's formula [doc SIZE]: per attribute, the UTF-8 name length plus the
 * value size (strings in UTF-8 bytes, binary in raw bytes, numbers ceil(digits / 2) + 1, BOOL and
 * NULL 1, lists and maps 3 + their elements + 1 per element, sets the sum of their members).
 */
export function itemSize(item: Item): number {
  let size = 0
  for (const name in item) {
    const value = item[name]
    if (value !== undefined) size += utf8Bytes(name) + valueBytes(value)
  }
  return size
}
