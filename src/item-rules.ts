/**
 * DynamoDB's item rules (keys, numbers, sizes), shared by every input format.
 *
 * The rules follow /work/shared/reference/import-semantics.md sections 1, 7 and 8. Reasons
 * returned from here are shown to users and written to logs, so they name attributes and limits
 * but never contain attribute values.
 */
import type { AttributeValue, TableDescription } from '@aws-sdk/client-dynamodb'

/** Item size limit: 400 KB, conventionally 409,600 bytes [doc SQ, SIZE]. */
export const MAX_ITEM_BYTES = 409_600
/** Partition key value limit in bytes [doc SQ]. */
export const MAX_PARTITION_KEY_BYTES = 2048
/** Sort key value limit in bytes [doc SQ]. */
export const MAX_SORT_KEY_BYTES = 1024
/** Precision of a DynamoDB number, in significant digits [doc NR]. */
export const MAX_NUMBER_DIGITS = 38
/** Document nesting limit; a top-level attribute is level 1 [doc SQ]. */
export const MAX_NESTING_DEPTH = 32
/** Attribute names are at least 1 byte and below 64 KB of UTF-8 [doc NR, SQ]. */
export const MAX_ATTRIBUTE_NAME_BYTES = 65_535

/** Smallest decimal exponent of a non-zero number: the range starts at 1E-130 [doc NR]. */
const MIN_DECIMAL_EXPONENT = -130
/** Largest decimal exponent: the range ends at 9.99…9E+125 (38 nines) [doc NR]. */
const MAX_DECIMAL_EXPONENT = 125
/** Size formula overhead of a List or Map value [doc SIZE]. */
const CONTAINER_OVERHEAD_BYTES = 3
/** Size formula overhead per List or Map element [doc SIZE]. */
const ELEMENT_OVERHEAD_BYTES = 1
/** Size of a BOOL or NULL value [doc SIZE]. */
const BOOL_NULL_BYTES = 1
/** A number costs one byte per two significant digits plus this [doc SIZE]. */
const NUMBER_OVERHEAD_BYTES = 1
/**
 * The canonical form is plain decimal when the decimal exponent is in [-7, 20] (the window
 * JavaScript's own number formatting uses, so canonical forms look familiar) and scientific
 * otherwise. Any fixed window keeps the form unique; this one keeps common values readable.
 */
const PLAIN_MIN_EXPONENT = -7
const PLAIN_MAX_EXPONENT = 20

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

/** An item in the SDK's wire shape: N stays a string, B/BS are Uint8Array. */
export type Item = Record<string, AttributeValue>

/** The outcome of {@link normalizeNumber}. */
export type NumberResult = { ok: true; value: string } | { ok: false; reason: string }

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

/** A parsed decimal: value = (negative ? -1 : 1) × digits × 10^exponent. */
interface Decimal {
  negative: boolean
  /** Significant digits without leading or trailing zeros; '' means zero. */
  digits: string
  exponent: number
}

// Sign, integer digits, fraction digits, exponent. `5.` and `.5` are numbers; `.` matches too and
// is rejected after the match.
const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

// An integer without leading zeros and with at most PLAIN_MAX_EXPONENT + 1 digits is its own
// canonical form.
const PLAIN_INTEGER = /^-?[1-9]\d{0,20}$/

/**
 * A plain decimal (`-12.50`, `007`) of at most this many characters is always a valid DynamoDB
 * number: it has at most 38 digits, and its exponent is far inside [-130, 125].
 */
const MAX_PLAIN_NUMBER_CHARS = 38

/**
 * The significant digits of a short plain decimal (optional `-`, digits, optional `.` and
 * digits), or -1 for anything else. One pass over char codes: numbers are on the hot path, and
 * most of them are short plain decimals.
 */
export function plainSignificantDigits(text: string): number {
  const length = text.length
  if (length === 0 || length > MAX_PLAIN_NUMBER_CHARS) return -1
  let i = text.charCodeAt(0) === 45 ? 1 : 0 // '-'
  let first = -1 // index of the first non-zero digit
  let last = -1 // index of the last non-zero digit
  let digits = 0
  let dot = -1
  for (; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code === 46) {
      if (dot !== -1) return -1
      dot = i
      continue
    }
    if (code < 48 || code > 57) return -1
    digits++
    if (code !== 48) {
      if (first === -1) first = i
      last = i
    }
  }
  if (digits === 0 || dot === length - 1 || dot === 0 || (dot === 1 && text.charCodeAt(0) === 45)) {
    return -1
  }
  if (first === -1) return 0
  // Digits between the first and last non-zero ones, not counting the dot.
  return last - first + 1 - (dot > first && dot < last ? 1 : 0)
}

function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_SYNTAX.exec(text)
  if (match === null) return undefined
  const intPart = match[2] ?? ''
  const fracPart = match[3] ?? ''
  if (intPart.length === 0 && fracPart.length === 0) return undefined
  const all = intPart + fracPart
  let start = 0
  while (start < all.length && all.charCodeAt(start) === 48) start++
  let end = all.length
  while (end > start && all.charCodeAt(end - 1) === 48) end--
  // The exponent is only ever a small integer for in-range numbers; a huge one may lose
  // precision as a JS number, but it is then far out of range either way.
  const exponentText = match[4]
  const written = exponentText === undefined ? 0 : Number(exponentText)
  return {
    negative: match[1] === '-',
    digits: all.slice(start, end),
    exponent: written - fracPart.length + (all.length - end),
  }
}

/**
 * Validates a DynamoDB number and returns its canonical text.
 *
 * Two inputs denote the same number exactly when their canonical forms are equal: zero is `0`
 * (whatever its sign), other numbers are plain decimals like `-12.5` or `0.001` when their
 * decimal exponent is in [-7, 20], else scientific like `1.5E+130` or `-1E-130`. The value never
 * passes through a JS number.
 */
export function normalizeNumber(text: string): NumberResult {
  // Most numbers are small integers, which are already canonical.
  if (PLAIN_INTEGER.test(text)) return { ok: true, value: text }
  const decimal = parseDecimal(text)
  if (decimal === undefined) {
    return {
      ok: false,
      reason: `expected a decimal number such as -12.5 or 1.5E+3, found ${describeNonNumber(text)}`,
    }
  }
  const { negative, digits, exponent } = decimal
  if (digits.length === 0) return { ok: true, value: '0' }
  if (digits.length > MAX_NUMBER_DIGITS) {
    return {
      ok: false,
      reason: `expected at most ${MAX_NUMBER_DIGITS} significant digits, found ${digits.length}`,
    }
  }
  const adjusted = exponent + digits.length - 1
  if (adjusted > MAX_DECIMAL_EXPONENT) {
    return {
      ok: false,
      reason: `number too large: expected a decimal exponent of at most ${MAX_DECIMAL_EXPONENT}, found ${describeExponent(adjusted)}`,
    }
  }
  if (adjusted < MIN_DECIMAL_EXPONENT) {
    return {
      ok: false,
      reason: `number too close to zero: expected a decimal exponent of at least ${MIN_DECIMAL_EXPONENT}, found ${describeExponent(adjusted)}`,
    }
  }
  return { ok: true, value: (negative ? '-' : '') + formatDecimal(digits, adjusted) }
}

function describeNonNumber(text: string): string {
  if (text.length === 0) return 'an empty string'
  const characters = text.length === 1 ? '1 character' : `${text.length} characters`
  if (/\s/.test(text)) return `text of ${characters} including whitespace`
  return `text of ${characters} that is not one`
}

// Huge written exponents are imprecise as JS numbers, so only their direction is reported.
function describeExponent(exponent: number): string {
  const limit = 1e9
  if (exponent > limit) return 'a far larger one'
  if (exponent < -limit) return 'a far smaller one'
  return String(exponent)
}

/** Formats non-zero significant `digits` whose first digit has decimal exponent `adjusted`. */
function formatDecimal(digits: string, adjusted: number): string {
  if (adjusted < PLAIN_MIN_EXPONENT || adjusted > PLAIN_MAX_EXPONENT) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ''
    return `${digits.charAt(0)}${fraction}E${adjusted < 0 ? '-' : '+'}${Math.abs(adjusted)}`
  }
  if (adjusted < 0) return `0.${'0'.repeat(-adjusted - 1)}${digits}`
  const intLength = adjusted + 1
  if (intLength >= digits.length) return digits + '0'.repeat(intLength - digits.length)
  return `${digits.slice(0, intLength)}.${digits.slice(intLength)}`
}

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

/** Below this length a JS loop beats the call into Buffer.byteLength. */
const SHORT_STRING = 64

function utf8Bytes(text: string): number {
  if (text.length > SHORT_STRING) return Buffer.byteLength(text, 'utf8')
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) {
      bytes += 1
    } else if (code <= 0xdbff && code >= 0xd800 && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 2 // a pair: two units, four bytes
      i++
    } else {
      bytes += 2 // three bytes, also for a lone surrogate (sent as U+FFFD)
    }
  }
  return bytes
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

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
