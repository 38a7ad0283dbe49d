/**
 * Attribute values as the SDK sends them, and the rules for attribute names and nesting
 * (docs/import-rules.md §7).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { utf8Bytes } from './utf8.js'

/** Document nesting limit; a top-level attribute is level 1 [doc SQ]. */
export const MAX_NESTING_DEPTH = 32
/** Attribute names are at least 1 byte and below 64 KB of UTF-8 [doc NR, SQ]. */
export const MAX_ATTRIBUTE_NAME_BYTES = 65_535

/** An item in the SDK's wire shape: N stays a string, B/BS are Uint8Array. */
export type Item = Record<string, AttributeValue>

/** The scalar or document type of an attribute value, e.g. `S` or `M`; undefined if unknown. */
export function typeOf(value: AttributeValue): string | undefined {
  if (value.S !== undefined) return 'S'
  if (value.N !== undefined) return 'N'
  if (value.B !== undefined) return 'B'
  if (value.BOOL !== undefined) return 'BOOL'
  if (value.NULL !== undefined) return 'NULL'
  if (value.M !== undefined) return 'M'
  if (value.L !== undefined) return 'L'
  if (value.SS !== undefined) return 'SS'
  if (value.NS !== undefined) return 'NS'
  if (value.BS !== undefined) return 'BS'
  return undefined
}

// A UTF-16 code unit never takes more than 3 UTF-8 bytes, so names up to this many code units
// cannot break the byte limit and skip the byte count.
const NAME_UNITS_ALWAYS_SHORT = Math.floor(MAX_ATTRIBUTE_NAME_BYTES / 3)

/**
 * Why `name` is not a valid attribute or map member name (empty, or 64 KB or more of UTF-8), or
 * undefined when it is valid.
 */
export function attributeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'attribute name must not be empty'
  if (name.length <= NAME_UNITS_ALWAYS_SHORT) return undefined
  const bytes = utf8Bytes(name)
  if (bytes > MAX_ATTRIBUTE_NAME_BYTES) {
    return `attribute name is ${bytes} bytes, above the limit of ${MAX_ATTRIBUTE_NAME_BYTES}`
  }
  return undefined
}
