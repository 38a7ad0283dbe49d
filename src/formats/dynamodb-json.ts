/**
 * DynamoDB JSON lines: `{"Item": {<name>: <AttributeValue JSON>, ...}}`, one item per line
 * [docs/import-rules.md §5.1].
 *
 * Each line is parsed once with JSON.parse and then walked once, validating and converting in
 * place: the parsed object already has the SDK's AttributeValue shape except for B and BS, whose
 * base64 text is replaced by the decoded bytes. Reasons name the attribute path (`Item.a.b[3]`)
 * and what was expected, never a value: they end up in logs.
 */
import { MAX_NESTING_DEPTH, attributeNameProblem, type Item } from '../table/attribute-value.js'
import { normalizeNumber, plainSignificantDigits } from '../table/numbers.js'
import { decodeBase64 } from './base64.js'
import { PathError } from './path-error.js'
import { bytesKey, SetMembers } from './set-members.js'
import { nameSegment, showName, type ParseResult } from './record.js'
import { isJsonObject, jsonKind, type JsonObject } from '../json.js'

/** How many member names a reason lists before it elides the rest. */
const MAX_LISTED_NAMES = 5
const TYPE_KEYS = 'S, N, B, BOOL, NULL, M, L, SS, NS, BS'

/**
 * Parses and validates one line of a DynamoDB JSON import file into an SDK item.
 *
 * Depth is counted as DynamoDB does: the value of a top-level attribute is level 1 and each M or
 * L adds one level to its members; a value at level 33 is rejected (so an attribute may wrap 31
 * maps or lists around a scalar). Set members are not levels.
 */
export function parseDynamoDBJsonLine(line: string): ParseResult {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch (error) {
    return { ok: false, reason: describeJsonError(error) }
  }
  if (!isJsonObject(parsed)) {
    return {
      ok: false,
      reason: `expected an object with an "Item" member, found ${jsonKind(parsed)}`,
    }
  }
  const names = Object.keys(parsed)
  if (!Object.hasOwn(parsed, 'Item')) {
    const found = names.length === 0 ? 'an empty object' : `an object with members ${list(names)}`
    return { ok: false, reason: `expected an object with an "Item" member, found ${found}` }
  }
  if (names.length > 1) {
    const extra = list(names.filter((name) => name !== 'Item'))
    return { ok: false, reason: `unexpected top-level members next to "Item": ${extra}` }
  }
  return convertItem(parsed['Item'], 'Item')
}

/**
 * Parses one DynamoDB JSON item without the `Item` wrapper (`{"pk": {"S": "a"}}`, as
 * `aws dynamodb get-item` prints its Item and many fixture files keep them). ImportTable does not
 * take such files; the stream engine reads them.
 */
export function parseDynamoDBItem(text: string): ParseResult {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: describeJsonError(error) }
  }
  if (!isJsonObject(parsed)) {
    return {
      ok: false,
      reason: `expected a DynamoDB JSON item (an object), found ${jsonKind(parsed)}`,
    }
  }
  return convertItem(parsed, 'item')
}

/**
 * Validates a parsed DynamoDB JSON item (`{"name": {"S": ...}, ...}`) and converts it in place
 * (B and BS decoded); `label` names it in reasons (`Item`, `NewImage`, `Keys`).
 */
export function convertItem(item: unknown, label: string): ParseResult {
  if (!isJsonObject(item)) {
    return { ok: false, reason: `expected "${label}" to be an object, found ${jsonKind(item)}` }
  }
  const failure = convertMembers(item, 0)
  if (failure !== undefined) {
    return { ok: false, reason: failure.reason(label) }
  }
  return { ok: true, item: item as Item }
}

/**
 * Writes an item as one DynamoDB JSON line (B and BS as base64), the inverse of
 * {@link parseDynamoDBJsonLine}.
 */
export function toDynamoDBJsonLine(item: Item): string {
  return `{"Item":${itemJson(item)}}`
}

/** An item as DynamoDB JSON, the wire format: B and BS as base64, everything else as it is. */
export function itemJson(item: Item): string {
  return JSON.stringify(item, binaryAsBase64)
}

/** `{"Item": ` at the start of a line, as DynamoDB JSON files write it. */
const ITEM_PREFIX = /^\s*\{\s*"Item"\s*:/

/**
 * The text of a valid line's item, for the wire as it is: the line is one object with the single
 * member "Item" (checked by parseDynamoDBJsonLine), so the item runs from after `"Item":` to
 * before the last `}`. Undefined when the member is spelled otherwise (an escape in its name).
 * Taken only for the items that are written: a dry run makes none.
 */
export function itemText(line: string): string | undefined {
  const prefix = ITEM_PREFIX.exec(line)
  return prefix ? line.slice(prefix[0].length, line.lastIndexOf('}')) : undefined
}

// Looks at the holder's raw value, because JSON.stringify applies a Buffer's toJSON before the
// replacer sees it.
function binaryAsBase64(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as JsonObject)[key]
  if (!(raw instanceof Uint8Array)) return value
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64')
}

// V8 puts a snippet of the input into some messages, so only the position is taken from them.
function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : ''
  if (message.startsWith('Unexpected end of JSON input')) {
    return 'invalid JSON: the line ends inside a value'
  }
  const column = /\(line \d+ column (\d+)\)/.exec(message)?.[1]
  if (column !== undefined) return `invalid JSON at column ${column}`
  const position = /at position (\d+)/.exec(message)?.[1]
  if (position !== undefined) return `invalid JSON at column ${Number(position) + 1}`
  return 'invalid JSON'
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED_NAMES).map(showName).join(', ')
  const more = names.length - MAX_LISTED_NAMES
  return more > 0 ? `${shown} and ${more} more` : shown
}

/** Validates the members of an Item or M object (whose members are at `depth + 1`) in place. */
function convertMembers(members: JsonObject, depth: number): PathError | undefined {
  for (const name of Object.keys(members)) {
    const problem = attributeNameProblem(name)
    if (problem !== undefined) return new PathError(problem).at(nameSegment(name))
    const failure = convertValue(members[name], depth + 1)
    if (failure !== undefined) return failure.at(nameSegment(name))
  }
  return undefined
}

function convertValue(value: unknown, depth: number): PathError | undefined {
  if (depth > MAX_NESTING_DEPTH) {
    return new PathError(`nested deeper than the limit of ${MAX_NESTING_DEPTH} levels`)
  }
  if (!isJsonObject(value)) {
    return new PathError(`expected an attribute value object, found ${jsonKind(value)}`)
  }
  const type = onlyKey(value)
  if (type === undefined) {
    const keys = Object.keys(value)
    const found = keys.length === 0 ? 'none' : list(keys)
    return new PathError(`expected exactly one type key of ${TYPE_KEYS}, found ${found}`)
  }
  const content = value[type]
  switch (type) {
    case 'S':
      return typeof content === 'string' ? undefined : wrongKind('S', 'a string', content)
    case 'N':
      return typeof content === 'string'
        ? checkNumber(content)
        : wrongKind('N', 'a string', content)
    case 'B':
      return convertBinary(value, content)
    case 'BOOL':
      return typeof content === 'boolean' ? undefined : wrongKind('BOOL', 'a boolean', content)
    case 'NULL':
      if (content === true) return undefined
      return new PathError(
        `NULL must be true, found ${content === false ? 'false' : jsonKind(content)}`,
      )
    case 'M':
      return isJsonObject(content)
        ? convertMembers(content, depth)
        : wrongKind('M', 'an object', content)
    case 'L':
      return Array.isArray(content)
        ? convertList(content, depth)
        : wrongKind('L', 'an array', content)
    case 'SS':
      return checkSet('SS', content, stringSetKey)
    case 'NS':
      return checkSet('NS', content, numberSetKey)
    case 'BS':
      return checkSet('BS', content, binarySetKey)
    default:
      return new PathError(`unknown type key ${showName(type)}, expected one of ${TYPE_KEYS}`)
  }
}

// for-in is markedly faster than Object.keys on small objects, and JSON.parse output has no
// inherited enumerable members.
function onlyKey(value: JsonObject): string | undefined {
  let first: string | undefined
  let count = 0
  for (const key in value) {
    if (count++ > 0) return undefined
    first = key
  }
  return first
}

function wrongKind(type: string, expected: string, content: unknown): PathError {
  return new PathError(`${type} must be ${expected}, found ${jsonKind(content)}`)
}

function checkNumber(text: string): PathError | undefined {
  // The original text is sent on: DynamoDB trims the zeros itself, and a rejected-records file
  // then shows what the user wrote.
  if (plainSignificantDigits(text) >= 0) return undefined
  const number = normalizeNumber(text)
  return number.ok ? undefined : new PathError(`N: ${number.reason}`)
}

function convertList(elements: unknown[], depth: number): PathError | undefined {
  for (let index = 0; index < elements.length; index++) {
    const failure = convertValue(elements[index], depth + 1)
    if (failure !== undefined) return failure.at(`[${index}]`)
  }
  return undefined
}

function convertBinary(value: JsonObject, content: unknown): PathError | undefined {
  if (typeof content !== 'string') return wrongKind('B', 'a base64 string', content)
  const bytes = decodeBase64(content)
  if (typeof bytes === 'string') return new PathError(`B ${bytes}`)
  value['B'] = bytes
  return undefined
}

/** Returns a member's identity for duplicate detection, or why the member is invalid. */
type SetKey = (member: unknown, members: unknown[], index: number) => string | PathError

function stringSetKey(member: unknown): string | PathError {
  return typeof member === 'string' ? member : wrongKind('SS member', 'a string', member)
}

function numberSetKey(member: unknown): string | PathError {
  if (typeof member !== 'string') return wrongKind('NS member', 'a string', member)
  // Duplicates are by value: `1` and `1.0` are the same member.
  const number = normalizeNumber(member)
  return number.ok ? number.value : new PathError(`NS member: ${number.reason}`)
}

// Decodes in place so the item holds bytes.
function binarySetKey(member: unknown, members: unknown[], index: number): string | PathError {
  if (typeof member !== 'string') return wrongKind('BS member', 'a base64 string', member)
  const bytes = decodeBase64(member)
  if (typeof bytes === 'string') return new PathError(`BS member ${bytes}`)
  members[index] = bytes
  return bytesKey(bytes)
}

function checkSet(type: string, content: unknown, keyOf: SetKey): PathError | undefined {
  if (!Array.isArray(content)) return wrongKind(type, 'an array', content)
  if (content.length === 0) return new PathError(`${type} must not be empty`)
  const members = new SetMembers(type)
  for (let index = 0; index < content.length; index++) {
    const key = keyOf(content[index], content, index)
    const failure = key instanceof PathError ? key : members.add(key)
    if (failure !== undefined) return failure.at(`[${index}]`)
  }
  return undefined
}
