/**
 * Amazon Ion text lines: `$ion_1_0 {Item:{<name>: <value>, ...}}`, one item per line, the form
 * DynamoDB exports write [docs/import-rules.md §5.2].
 *
 * A hand-written single-pass recursive-descent parser for the subset of Ion text that can hold a
 * DynamoDB item: it reads each character once with charCodeAt and builds the SDK item as it
 * goes, so no Ion library runs at import time. Reasons name the attribute path (`Item.a.b[3]`)
 * and what was expected, never a value: they end up in logs. Syntax errors give a column only.
 *
 * The mapping, as DynamoDB's exports use it:
 * - string (`"..."`, or adjacent `'''...'''` long strings, concatenated) → S;
 * - `true` / `false` → BOOL;
 * - decimal → N with its exact text rewritten to DynamoDB syntax (`103.` → `103`, `6d2` → `6E2`,
 *   `-0.` → `-0`, underscores dropped); int (`5`, `-7`, `1_000`, `0x1F`, `0b101`) → N as exact
 *   decimal text; float (`1.5e0`) → N from its written decimal text (`1.5E0`), not from the
 *   binary64 value Ion gives it, so `0.1e0` is 0.1; `nan`, `+inf` and `-inf` are rejected.
 *   Every number is then validated with normalizeNumber (38 digits, range);
 * - `null` and every typed null (`null.null`, `null.string`, `null.list`, ...) → NULL true, since
 *   DynamoDB has no typed null;
 * - blob `{{base64}}` (Ion whitespace allowed inside) → B as Uint8Array, validated as strictly as
 *   DynamoDB JSON's B (so unpadded base64 is accepted, as there);
 * - list → L; a list annotated `$dynamodb_SS`, `$dynamodb_NS` or `$dynamodb_BS` → SS, NS or BS
 *   (non-empty, members of the set's type, no duplicates: NS by value, BS by bytes);
 * - struct → M (field names are identifiers, quoted symbols or strings; a repeated name is an
 *   error, as are the unquoted keywords `null`, `true`, `false`, `nan` and symbol IDs like `$10`,
 *   which only a symbol table could resolve).
 * Timestamps, symbol values, clobs, s-expressions and any other annotation are rejected with the
 * Ion type's name. The line may start with one or more `$ion_1_0` version markers; any other
 * version marker or top-level value is an error, as is anything but whitespace and comments after
 * the item. Ion's grammar is followed where ion-js is laxer: no leading zeros (`01`), control
 * characters in strings must be escaped, and a lone surrogate escape is an error.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { MAX_NESTING_DEPTH, attributeNameProblem, type Item } from '../table/attribute-value.js'
import { MAX_NUMBER_DIGITS, normalizeNumber } from '../table/numbers.js'
import { nameSegment, showName, type ParseResult } from './record.js'
import { decodeBase64 } from './base64.js'
import { PathError } from './path-error.js'
import { bytesKey, SetMembers } from './set-members.js'

/** Ion's whitespace, which may stand between the base64 digits of a blob. */
const ION_WHITESPACE = /[ \t\n\r\v\f]/g
const SYMBOL_ID = /^\$[0-9]+$/
const VERSION_MARKER = /^\$ion_[0-9]+_[0-9]+$/
const ION_1_0 = '$ion_1_0'
/**
 * Hex and binary ints with more significant digits than this are far above DynamoDB's largest
 * number (below 10^126, which needs 105 hex or 419 binary digits), so they are rejected before
 * BigInt would spend time on them.
 */
const MAX_RADIX_BITS = 512

const SS_ANNOTATION = '$dynamodb_SS'
const NS_ANNOTATION = '$dynamodb_NS'
const BS_ANNOTATION = '$dynamodb_BS'
const NULL_TYPES = new Set([
  'null',
  'bool',
  'int',
  'float',
  'decimal',
  'timestamp',
  'string',
  'symbol',
  'blob',
  'clob',
  'struct',
  'list',
  'sexp',
])
const UNSUPPORTED_ANNOTATION = `unsupported Ion annotation: only ${SS_ANNOTATION}, ${NS_ANNOTATION} or ${BS_ANNOTATION} on a list is allowed`

// Character codes.
const TAB = 9
const LF = 10
const VT = 11
const FF = 12
const CR = 13
const SPACE = 32
const QUOTE = 34
const DOLLAR = 36
const APOSTROPHE = 39
const LPAREN = 40
const STAR = 42
const PLUS = 43
const COMMA = 44
const MINUS = 45
const DOT = 46
const SLASH = 47
const DIGIT_0 = 48
const DIGIT_1 = 49
const DIGIT_9 = 57
const COLON = 58
const LBRACKET = 91
const BACKSLASH = 92
const RBRACKET = 93
const UNDERSCORE = 95
const LOWER_B = 98
const LOWER_D = 100
const LOWER_E = 101
const LOWER_U = 117
const LOWER_X = 120
const UPPER_U = 85
const LBRACE = 123
const RBRACE = 125
/** OR-ing an ASCII letter with this makes it lowercase. */
const LOWERCASE_BIT = 0x20

// Character classes of ASCII characters, as bits in CHAR_CLASS.
const IDENTIFIER_START = 1
const IDENTIFIER_PART = 2
const HEX_DIGIT = 8
/** Characters that may follow a number: Ion's numeric stop characters. */
const NUMBER_STOP = 16
const WHITESPACE = 32

const CHAR_CLASS = buildCharClasses()

function buildCharClasses(): Uint8Array {
  const classes = new Uint8Array(128)
  const add = (characters: string, bits: number) => {
    for (let index = 0; index < characters.length; index++) {
      const code = characters.charCodeAt(index)
      classes[code] = (classes[code] ?? 0) | bits
    }
  }
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const lower = upper.toLowerCase()
  const digits = '0123456789'
  add(upper + lower + '_$', IDENTIFIER_START | IDENTIFIER_PART)
  add(digits, IDENTIFIER_PART)
  add(digits + 'abcdefABCDEF', HEX_DIGIT)
  add(' \t\n\r\v\f', WHITESPACE | NUMBER_STOP)
  add('{}[](),"\'', NUMBER_STOP)
  return classes
}

function hasClass(code: number, bits: number): boolean {
  return code < 128 && ((CHAR_CLASS[code] ?? 0) & bits) !== 0
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9
}

// What scanNumber found.
const INT = 0
const DECIMAL = 1
const FLOAT = 2
const TIMESTAMP = 3
const NEGATIVE_INFINITY = 4

// A syntax error gives a column and a line error stands alone: no attribute path for either.
const WHOLE_LINE = true

// The parser's state: one line is parsed at a time, synchronously.
let text = ''
let pos = 0
let end = 0
/** The DynamoDB text of the number scanNumber read last. */
let numberText = ''
/** Whether numberText is plain decimal text too short to break a DynamoDB number rule. */
let numberAlwaysValid = false

/**
 * Parses and validates one line of an Ion import file into an SDK item; never throws.
 *
 * Depth is counted as for DynamoDB JSON: the value of a top-level attribute is level 1 and each M
 * or L adds one level to its members; a value at level 33 is rejected before it is read, so
 * hostile nesting cannot exhaust the stack. Set members are not levels.
 */
export function parseIonLine(line: string): ParseResult {
  text = line
  pos = 0
  end = line.length
  try {
    return { ok: true, item: parseLine() }
  } catch (error) {
    return { ok: false, reason: describeFailure(error) }
  } finally {
    text = ''
    numberText = ''
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof PathError)) return 'invalid Ion: the line could not be parsed'
  return error.reason('Item')
}

function syntax(expected: string): PathError {
  return new PathError(`invalid Ion at column ${pos + 1}: expected ${expected}`, WHOLE_LINE)
}

function unsupported(type: string): PathError {
  return new PathError(`unsupported Ion type ${type}`)
}

function nonFinite(label: string): PathError {
  return new PathError(
    `${label}: unsupported Ion float: nan, +inf and -inf are not DynamoDB numbers`,
  )
}

/** Adds a path segment to a value error on its way out; anything else passes unchanged. */
function at(error: unknown, segment: string): unknown {
  return error instanceof PathError ? error.at(segment) : error
}

// ---------------------------------------------------------------------------------------------
// The line: version markers, `{Item: {...}}`, nothing after.

function parseLine(): Item {
  skipSpace()
  skipVersionMarkers()
  if (!atStruct()) {
    const found = describeValue('a struct')
    throw new PathError(`expected a struct with an "Item" field, found ${found}`, WHOLE_LINE)
  }
  pos++
  skipSpace()
  if (text.charCodeAt(pos) === RBRACE) {
    throw new PathError('expected a struct with an "Item" field, found an empty struct', WHOLE_LINE)
  }
  let item: Item | undefined
  for (;;) {
    const name = readFieldName()
    if (name !== 'Item') {
      throw new PathError(
        `unexpected top-level field ${showName(name)}: expected a struct with only an "Item" field`,
        WHOLE_LINE,
      )
    }
    if (item !== undefined) throw new PathError('duplicate top-level field "Item"', WHOLE_LINE)
    skipSpace()
    expectColon()
    if (!atStruct()) {
      const found = describeValue('a struct')
      throw new PathError(`expected "Item" to be a struct, found ${found}`, WHOLE_LINE)
    }
    item = parseStruct(0)
    skipSpace()
    if (text.charCodeAt(pos) === COMMA) {
      pos++
      skipSpace()
      if (text.charCodeAt(pos) !== RBRACE) continue
    }
    if (text.charCodeAt(pos) !== RBRACE) throw syntax("',' or '}'")
    pos++
    break
  }
  skipSpace()
  if (pos < end) throw syntax('the end of the line after the item')
  return item
}

function skipVersionMarkers(): void {
  while (text.startsWith('$ion_', pos)) {
    const start = pos
    const word = readIdentifier()
    skipSpace()
    // `$ion_symbol_table::{...}` and the like are annotations, reported by the caller.
    if (!atAnnotationSeparator()) {
      if (word === ION_1_0) continue
      if (VERSION_MARKER.test(word)) {
        throw new PathError(`unsupported Ion version marker: expected ${ION_1_0}`, WHOLE_LINE)
      }
    }
    pos = start
    return
  }
}

function atStruct(): boolean {
  return text.charCodeAt(pos) === LBRACE && text.charCodeAt(pos + 1) !== LBRACE
}

function atAnnotationSeparator(): boolean {
  return text.charCodeAt(pos) === COLON && text.charCodeAt(pos + 1) === COLON
}

function expectColon(): void {
  if (text.charCodeAt(pos) !== COLON) throw syntax("':'")
  pos++
  skipSpace()
}

// ---------------------------------------------------------------------------------------------
// Values.

function parseValue(depth: number): AttributeValue {
  if (depth > MAX_NESTING_DEPTH) {
    throw new PathError(`nested deeper than the limit of ${MAX_NESTING_DEPTH} levels`)
  }
  const code = text.charCodeAt(pos)
  if (code === QUOTE) return { S: readQuoted(QUOTE) }
  if (isDigit(code) || code === MINUS) return { N: readNumber() }
  if (code === LBRACE) {
    if (text.charCodeAt(pos + 1) === LBRACE) return { B: readBlob('B') }
    return { M: parseStruct(depth) }
  }
  if (code === LBRACKET) return { L: parseList(depth) }
  if (hasClass(code, IDENTIFIER_START)) {
    const word = readIdentifier()
    switch (word) {
      case 'true':
        return { BOOL: true }
      case 'false':
        return { BOOL: false }
      case 'null':
        skipNullType()
        return { NULL: true }
      case 'nan':
        throw nonFinite('N')
    }
    return parseAfterSymbol(word)
  }
  if (code === APOSTROPHE) {
    if (atLongString()) return { S: readLongStrings() }
    return parseAfterSymbol(readQuoted(APOSTROPHE))
  }
  if (atPositiveInfinity()) throw nonFinite('N')
  if (code === LPAREN) throw unsupported('sexp')
  throw syntax('a value')
}

/** After a symbol in value position: an annotation (`symbol::value`) or a symbol value. */
function parseAfterSymbol(symbol: string): AttributeValue {
  skipSpace()
  if (!atAnnotationSeparator()) throw unsupported('symbol')
  pos += 2
  skipSpace()
  if (symbol !== SS_ANNOTATION && symbol !== NS_ANNOTATION && symbol !== BS_ANNOTATION) {
    throw new PathError(UNSUPPORTED_ANNOTATION)
  }
  if (text.charCodeAt(pos) !== LBRACKET) {
    throw new PathError(`${symbol} must annotate a list, found ${describeValue('a list')}`)
  }
  if (symbol === SS_ANNOTATION) return { SS: parseSet('SS', readStringMember) }
  if (symbol === NS_ANNOTATION) return { NS: parseSet('NS', readNumberMember) }
  return { BS: parseSet('BS', readBinaryMember) }
}

function skipNullType(): void {
  if (text.charCodeAt(pos) !== DOT) return
  pos++
  const start = pos
  const type = hasClass(text.charCodeAt(pos), IDENTIFIER_START) ? readIdentifier() : ''
  if (!NULL_TYPES.has(type)) {
    pos = start
    throw syntax('an Ion type name after "null."')
  }
}

function parseStruct(depth: number): Record<string, AttributeValue> {
  pos++
  const members: Record<string, AttributeValue> = {}
  skipSpace()
  if (text.charCodeAt(pos) === RBRACE) {
    pos++
    return members
  }
  let name = ''
  try {
    for (;;) {
      name = readFieldName()
      const problem = attributeNameProblem(name)
      if (problem !== undefined) throw new PathError(problem)
      // Object.hasOwn ignores inherited names such as `constructor`, and is many times faster
      // than a keyed load that misses.
      if (Object.hasOwn(members, name)) {
        throw new PathError('field name repeats an earlier field of the same struct')
      }
      skipSpace()
      expectColon()
      const value = parseValue(depth + 1)
      if (name === '__proto__') {
        Object.defineProperty(members, name, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        })
      } else {
        members[name] = value
      }
      skipSpace()
      const code = text.charCodeAt(pos)
      if (code === COMMA) {
        pos++
        skipSpace()
        if (text.charCodeAt(pos) !== RBRACE) continue
      } else if (code !== RBRACE) {
        throw syntax("',' or '}'")
      }
      pos++
      return members
    }
  } catch (error) {
    throw at(error, nameSegment(name))
  }
}

function parseList(depth: number): AttributeValue[] {
  pos++
  const elements: AttributeValue[] = []
  skipSpace()
  if (text.charCodeAt(pos) === RBRACKET) {
    pos++
    return elements
  }
  try {
    for (;;) {
      elements.push(parseValue(depth + 1))
      if (endOfList()) return elements
    }
  } catch (error) {
    throw at(error, `[${elements.length}]`)
  }
}

/** After a list element: true at the closing `]` (consumed), false after a `,` with more to come. */
function endOfList(): boolean {
  skipSpace()
  const code = text.charCodeAt(pos)
  if (code === COMMA) {
    pos++
    skipSpace()
    if (text.charCodeAt(pos) !== RBRACKET) return false
  } else if (code !== RBRACKET) {
    throw syntax("',' or ']'")
  }
  pos++
  return true
}

/** Reads one set member into `members` and returns its identity for duplicate detection. */
type MemberReader<T> = (members: T[]) => string

function parseSet<T>(type: string, readMember: MemberReader<T>): T[] {
  pos++
  skipSpace()
  if (text.charCodeAt(pos) === RBRACKET) throw new PathError(`${type} must not be empty`)
  const members: T[] = []
  const seen = new SetMembers(type)
  try {
    for (;;) {
      const duplicate = seen.add(readMember(members))
      if (duplicate) throw duplicate
      if (endOfList()) return members
    }
  } catch (error) {
    throw at(error, `[${seen.size}]`)
  }
}

function readStringMember(members: string[]): string {
  const code = text.charCodeAt(pos)
  let member: string
  if (code === QUOTE) member = readQuoted(QUOTE)
  else if (code === APOSTROPHE && atLongString()) member = readLongStrings()
  else throw new PathError(`SS member must be a string, found ${describeValue('a string')}`)
  members.push(member)
  return member
}

function readNumberMember(members: string[]): string {
  const code = text.charCodeAt(pos)
  if (isDigit(code) || code === MINUS) {
    const kind = scanNumber()
    if (kind === TIMESTAMP)
      throw new PathError('NS member must be a number, found an Ion timestamp')
    if (kind === NEGATIVE_INFINITY) throw nonFinite('NS member')
    // Duplicates are by value: `1`, `1.0` and `1d0` are the same member.
    const number = normalizeNumber(numberText)
    if (!number.ok) throw new PathError(`NS member: ${number.reason}`)
    members.push(numberText)
    return number.value
  }
  if (atPositiveInfinity() || atWord('nan')) throw nonFinite('NS member')
  throw new PathError(`NS member must be a number, found ${describeValue('a number')}`)
}

function readBinaryMember(members: Uint8Array[]): string {
  if (text.charCodeAt(pos) !== LBRACE || text.charCodeAt(pos + 1) !== LBRACE) {
    throw new PathError(`BS member must be a blob, found ${describeValue('a blob')}`)
  }
  const bytes = readBlob('BS member')
  members.push(bytes)
  return bytesKey(bytes)
}

function atPositiveInfinity(): boolean {
  return text.charCodeAt(pos) === PLUS && atWord('inf', pos + 1)
}

function atWord(word: string, from = pos): boolean {
  return (
    text.startsWith(word, from) && !hasClass(text.charCodeAt(from + word.length), IDENTIFIER_PART)
  )
}

/**
 * Names the Ion type of the value at `pos` for a reason, without consuming it, or throws a
 * syntax error expecting `expected` when no value starts there.
 */
function describeValue(expected: string): string {
  const start = pos
  let kind: string | undefined
  try {
    kind = kindOfValue()
  } catch {
    kind = 'an invalid Ion value'
  }
  pos = start
  if (kind === undefined) throw syntax(expected)
  return kind
}

function kindOfValue(): string | undefined {
  const code = text.charCodeAt(pos)
  if (code === LBRACE) {
    if (text.charCodeAt(pos + 1) !== LBRACE) return 'an Ion struct'
    pos += 2
    while (hasClass(text.charCodeAt(pos), WHITESPACE)) pos++
    const first = text.charCodeAt(pos)
    return first === QUOTE || first === APOSTROPHE ? 'an Ion clob' : 'an Ion blob'
  }
  if (code === LBRACKET) return 'an Ion list'
  if (code === LPAREN) return 'an Ion sexp'
  if (code === QUOTE) return 'an Ion string'
  if (code === APOSTROPHE) {
    if (atLongString()) return 'an Ion string'
    readQuoted(APOSTROPHE)
    return annotatedOr('an Ion symbol')
  }
  if (isDigit(code) || code === MINUS) {
    switch (scanNumber()) {
      case INT:
        return 'an Ion int'
      case DECIMAL:
        return 'an Ion decimal'
      case TIMESTAMP:
        return 'an Ion timestamp'
      default:
        return 'an Ion float'
    }
  }
  if (atPositiveInfinity()) return 'an Ion float'
  if (hasClass(code, IDENTIFIER_START)) {
    switch (readIdentifier()) {
      case 'true':
      case 'false':
        return 'an Ion bool'
      case 'null':
        return 'an Ion null'
      case 'nan':
        return 'an Ion float'
    }
    return annotatedOr('an Ion symbol')
  }
  return undefined
}

function annotatedOr(kind: string): string {
  skipSpace()
  return atAnnotationSeparator() ? 'an annotated Ion value' : kind
}

// ---------------------------------------------------------------------------------------------
// Tokens.

/** Skips whitespace and `//` and `/* *\/` comments. */
function skipSpace(): void {
  for (;;) {
    const code = text.charCodeAt(pos)
    if (code === SPACE || (code >= TAB && code <= CR)) {
      pos++
    } else if (code === SLASH) {
      const next = text.charCodeAt(pos + 1)
      if (next === SLASH) {
        pos += 2
        while (pos < end) {
          const inComment = text.charCodeAt(pos)
          if (inComment === LF || inComment === CR) break
          pos++
        }
      } else if (next === STAR) {
        const close = text.indexOf('*/', pos + 2)
        if (close < 0) {
          pos = end
          throw syntax("'*/' to end the comment")
        }
        pos = close + 2
      } else {
        return
      }
    } else {
      return
    }
  }
}

/** Reads `[A-Za-z_$][A-Za-z0-9_$]*` from `pos`, which the caller has checked starts one. */
function readIdentifier(): string {
  const start = pos++
  while (hasClass(text.charCodeAt(pos), IDENTIFIER_PART)) pos++
  return text.slice(start, pos)
}

/** A field name: an identifier, a quoted symbol, a string or adjacent long strings. */
function readFieldName(): string {
  const code = text.charCodeAt(pos)
  if (hasClass(code, IDENTIFIER_START)) {
    const start = pos
    const name = readIdentifier()
    if ((code === 110 || code === 116 || code === 102) && isKeyword(name)) {
      pos = start
      throw syntax('a field name (the keywords null, true, false and nan must be quoted)')
    }
    if (code === DOLLAR && SYMBOL_ID.test(name)) {
      pos = start
      throw syntax('a field name as text (symbol IDs such as $10 are not supported)')
    }
    return name
  }
  if (code === QUOTE) return readQuoted(QUOTE)
  if (code === APOSTROPHE) return atLongString() ? readLongStrings() : readQuoted(APOSTROPHE)
  throw syntax('a field name')
}

function isKeyword(name: string): boolean {
  return name === 'null' || name === 'true' || name === 'false' || name === 'nan'
}

/**
 * Reads a `"string"` or `'quoted symbol'` (by `delimiter`) with its escapes. Raw control
 * characters other than tab, vertical tab and form feed must be escaped, as Ion requires.
 */
function readQuoted(delimiter: number): string {
  let start = ++pos
  let result = ''
  while (pos < end) {
    const code = text.charCodeAt(pos)
    if (code === delimiter) {
      result += text.slice(start, pos)
      pos++
      return result
    }
    if (code === BACKSLASH) {
      result += text.slice(start, pos)
      result += readEscape()
      start = pos
    } else if (code < SPACE && code !== TAB && code !== VT && code !== FF) {
      throw syntax('an escape sequence instead of a control character')
    } else {
      pos++
    }
  }
  throw syntax(delimiter === QUOTE ? "'\"' to end the string" : '"\'" to end the symbol')
}

function atLongString(): boolean {
  return text.charCodeAt(pos + 1) === APOSTROPHE && text.charCodeAt(pos + 2) === APOSTROPHE
}

/** Reads `'''...'''` long strings, concatenating adjacent ones as Ion does. */
function readLongStrings(): string {
  let result = ''
  do {
    pos += 3
    let start = pos
    for (;;) {
      if (pos >= end) throw syntax("''' to end the long string")
      const code = text.charCodeAt(pos)
      if (code === APOSTROPHE && atLongString()) {
        result += text.slice(start, pos)
        pos += 3
        break
      }
      if (code === BACKSLASH) {
        result += text.slice(start, pos)
        result += readEscape()
        start = pos
      } else if (code < SPACE && (code < TAB || code > CR)) {
        throw syntax('an escape sequence instead of a control character')
      } else {
        pos++
      }
    }
    skipSpace()
  } while (text.charCodeAt(pos) === APOSTROPHE && atLongString())
  return result
}

/** Reads the escape sequence at `pos` (a backslash) and returns the text it stands for. */
function readEscape(): string {
  const code = text.charCodeAt(pos + 1)
  pos += 2
  switch (code) {
    case 110: // n
      return '\n'
    case 116: // t
      return '\t'
    case 114: // r
      return '\r'
    case BACKSLASH:
      return '\\'
    case QUOTE:
      return '"'
    case APOSTROPHE:
      return "'"
    case SLASH:
      return '/'
    case DIGIT_0:
      return '\0'
    case 97: // a
      return '\x07'
    case LOWER_B:
      return '\b'
    case 102: // f
      return '\f'
    case 118: // v
      return '\v'
    case 63: // ?
      return '?'
    case LF: // an escaped newline continues the string
      return ''
    case CR:
      if (text.charCodeAt(pos) === LF) pos++
      return ''
    case LOWER_X:
      return String.fromCharCode(readHex(2))
    case LOWER_U:
      return readUtf16Escape()
    case UPPER_U: {
      const codePoint = readHex(8)
      if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        pos -= 8
        throw syntax('a Unicode scalar value in the \\U escape')
      }
      return String.fromCodePoint(codePoint)
    }
  }
  pos--
  throw syntax('a valid escape sequence after the backslash')
}

/** `\uHHHH`, where a high surrogate must be followed by a `\uHHHH` low surrogate. */
function readUtf16Escape(): string {
  const unit = readHex(4)
  if (unit < 0xd800 || unit > 0xdfff) return String.fromCharCode(unit)
  if (
    unit <= 0xdbff &&
    text.charCodeAt(pos) === BACKSLASH &&
    text.charCodeAt(pos + 1) === LOWER_U
  ) {
    pos += 2
    const low = readHex(4)
    if (low >= 0xdc00 && low <= 0xdfff) return String.fromCharCode(unit, low)
  }
  throw syntax('a surrogate pair of \\u escapes')
}

function readHex(digits: number): number {
  let value = 0
  for (let index = 0; index < digits; index++) {
    const code = text.charCodeAt(pos)
    if (!hasClass(code, HEX_DIGIT)) throw syntax('a hexadecimal digit')
    value = value * 16 + (code <= DIGIT_9 ? code - DIGIT_0 : (code | LOWERCASE_BIT) - 87)
    pos++
  }
  return value
}

// ---------------------------------------------------------------------------------------------
// Numbers.

/** Reads an int, decimal or float as validated N text; rejects the other things digits start. */
function readNumber(): string {
  const kind = scanNumber()
  if (kind === TIMESTAMP) throw unsupported('timestamp')
  if (kind === NEGATIVE_INFINITY) throw nonFinite('N')
  if (numberAlwaysValid) return numberText
  const number = normalizeNumber(numberText)
  if (!number.ok) throw new PathError(`N: ${number.reason}`)
  return numberText
}

/**
 * Scans the number at `pos` (a digit or `-`), leaves `pos` after it and returns its kind; for
 * ints, decimals and floats `numberText` is then its exact DynamoDB text. A timestamp is only
 * recognised by its start (four digits and `-` or `T`), as it is rejected anyway.
 */
function scanNumber(): number {
  const start = pos
  const negative = text.charCodeAt(pos) === MINUS
  if (negative) pos++
  const first = text.charCodeAt(pos)
  if (!isDigit(first)) {
    if (negative && atWord('inf')) {
      pos += 3
      return NEGATIVE_INFINITY
    }
    throw syntax('a digit')
  }
  if (first === DIGIT_0) {
    const radix = text.charCodeAt(pos + 1) | LOWERCASE_BIT
    if (radix === LOWER_X) return scanRadixInt(start, 16)
    if (radix === LOWER_B) return scanRadixInt(start, 2)
  }
  const intStart = pos
  let underscores = skipDigits()
  const intEnd = pos
  let code = text.charCodeAt(pos)
  if (!negative && !underscores && intEnd - intStart === 4 && (code === MINUS || code === 84)) {
    return TIMESTAMP
  }
  if (first === DIGIT_0 && intEnd - intStart > 1) {
    pos = intStart + 1
    throw syntax('a number without leading zeros')
  }
  let kind = INT
  // Where the mantissa's text ends: before a `.` with no digits after it, else before the
  // exponent or the end.
  let mantissaEnd = -1
  if (code === DOT) {
    kind = DECIMAL
    pos++
    if (isDigit(text.charCodeAt(pos))) {
      if (skipDigits()) underscores = true
    } else {
      mantissaEnd = intEnd
    }
    code = text.charCodeAt(pos)
  }
  const exponentLetter = code | LOWERCASE_BIT
  let exponentAt = -1
  if (exponentLetter === LOWER_D || exponentLetter === LOWER_E) {
    kind = exponentLetter === LOWER_D ? DECIMAL : FLOAT
    exponentAt = pos
    if (mantissaEnd < 0) mantissaEnd = pos
    pos++
    code = text.charCodeAt(pos)
    if (code === PLUS || code === MINUS) pos++
    if (!isDigit(text.charCodeAt(pos))) throw syntax('a digit in the exponent')
    while (isDigit(text.charCodeAt(pos))) pos++
  }
  if (pos < end && !hasClass(text.charCodeAt(pos), NUMBER_STOP)) {
    throw syntax('the end of the number')
  }
  if (mantissaEnd < 0) mantissaEnd = pos
  let mantissa = text.slice(start, mantissaEnd)
  if (underscores) mantissa = mantissa.replaceAll('_', '')
  if (exponentAt < 0) {
    numberText = mantissa
    // At most 38 characters without an exponent: at most 38 significant digits and, unless zero,
    // a decimal exponent in [-38, 37], well inside DynamoDB's range, so normalizeNumber would
    // accept it; skipping it saves a third of the time spent on such numbers.
    numberAlwaysValid = mantissa.length <= MAX_NUMBER_DIGITS
  } else {
    numberText = `${mantissa}E${text.slice(exponentAt + 1, pos)}`
    numberAlwaysValid = false
  }
  return kind
}

/** Skips `digit ('_'? digit)*` from `pos` (a digit); returns whether it held underscores. */
function skipDigits(isDigitOf: (code: number) => boolean = isDigit): boolean {
  let underscores = false
  pos++
  for (;;) {
    const code = text.charCodeAt(pos)
    if (isDigitOf(code)) {
      pos++
    } else if (code === UNDERSCORE && isDigitOf(text.charCodeAt(pos + 1))) {
      underscores = true
      pos += 2
    } else if (code === UNDERSCORE) {
      pos++
      throw syntax('a digit after the underscore')
    } else {
      return underscores
    }
  }
}

/** Scans `0x...` or `0b...` (after an optional `-` at `start`) into decimal `numberText`. */
function scanRadixInt(start: number, radix: 16 | 2): number {
  pos += 2
  const digitsStart = pos
  const isRadixDigit =
    radix === 16
      ? (code: number) => hasClass(code, HEX_DIGIT)
      : (code: number) => code === DIGIT_0 || code === DIGIT_1
  if (!isRadixDigit(text.charCodeAt(pos))) throw syntax('a digit after the radix prefix')
  const underscores = skipDigits(isRadixDigit)
  if (pos < end && !hasClass(text.charCodeAt(pos), NUMBER_STOP)) {
    throw syntax('the end of the number')
  }
  let digits = text.slice(digitsStart, pos)
  if (underscores) digits = digits.replaceAll('_', '')
  let significant = 0
  while (significant < digits.length && digits.charCodeAt(significant) === DIGIT_0) significant++
  const bits = (digits.length - significant) * (radix === 16 ? 4 : 1)
  if (bits > MAX_RADIX_BITS) {
    throw new PathError('N: number too large: its decimal exponent is far above the limit of 125')
  }
  const sign = text.charCodeAt(start) === MINUS ? '-' : ''
  numberText = sign + BigInt((radix === 16 ? '0x' : '0b') + digits).toString()
  numberAlwaysValid = false
  return INT
}

// ---------------------------------------------------------------------------------------------
// Blobs.

/**
 * Reads `{{ base64 }}` at `pos` into bytes; `label` starts its reasons (`B`, `BS member`). Base64
 * rules are DynamoDB JSON's: the standard alphabet, at most two `=` at the end that complete the
 * last quantum, or no padding at all (but never a lone last character).
 */
function readBlob(label: string): Uint8Array {
  pos += 2
  while (hasClass(text.charCodeAt(pos), WHITESPACE)) pos++
  const first = text.charCodeAt(pos)
  if (first === QUOTE || first === APOSTROPHE) {
    throw label === 'B'
      ? unsupported('clob')
      : new PathError(`${label} must be a blob, found an Ion clob`)
  }
  const start = pos
  while (pos < end && text.charCodeAt(pos) !== RBRACE) pos++
  if (pos >= end) throw syntax("'}}' to end the blob")
  const contentEnd = pos
  if (text.charCodeAt(pos + 1) !== RBRACE) {
    pos++
    throw syntax("'}}' to end the blob")
  }
  pos += 2
  // Ion allows whitespace between the base64 digits; the digits follow DynamoDB JSON's rules.
  const bytes = decodeBase64(text.slice(start, contentEnd).replace(ION_WHITESPACE, ''))
  if (typeof bytes === 'string') throw new PathError(`${label} ${bytes}`)
  return bytes
}
