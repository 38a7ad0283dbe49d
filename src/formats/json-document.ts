/**
 * Plain JSON documents as items, the way DynamoDB's document marshalling maps them (the SDK's
 * `marshall`, docs/import-rules.md §9): string → S, number → N, true/false → BOOL, null → NULL,
 * object → M, array → L. Numbers keep the exact text they were written with (`0.1`, `1e3`,
 * `12345678901234567890123`): this parser never makes a JS number of them, which JSON.parse would.
 * No set can be written this way: a JSON array is always a list.
 *
 * Reasons name the path (`document.address.zip`) and what was expected, never a value.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { MAX_NESTING_DEPTH, attributeNameProblem, type Item } from '../table/attribute-value.js'
import { normalizeNumber } from '../table/numbers.js'
import { nameSegment, type ParseResult } from './record.js'
import { PathError } from './path-error.js'
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET } from './json-codes.js'

const MINUS = 0x2d
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39
const DOT = 0x2e
const PLUS = 0x2b
const LOWER_E = 0x65
const UPPER_E = 0x45

/**
 * One JSON document (an object) as an item. `label` starts the path in reasons (`document`).
 * Anything but one object, with nothing after it but whitespace, is refused.
 */
export function parseJsonDocument(text: string, label = 'document'): ParseResult {
  const parser = new DocumentParser(text)
  try {
    parser.skipWhitespace()
    if (parser.code() !== LBRACE) {
      return {
        ok: false,
        reason: `${label}: expected a JSON object (one document), found ${parser.kind()}`,
      }
    }
    const item = parser.members(0)
    parser.skipWhitespace()
    if (parser.pos < text.length) throw parser.syntax('the end of the document')
    return { ok: true, item }
  } catch (err) {
    if (!(err instanceof PathError)) throw err
    return { ok: false, reason: err.reason(label) }
  }
}

class DocumentParser {
  pos = 0

  constructor(private readonly text: string) {}

  code(): number {
    return this.text.charCodeAt(this.pos)
  }

  skipWhitespace(): void {
    for (;;) {
      const c = this.code()
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++
      else return
    }
  }

  /** What is at the position, for reasons: never the value itself. */
  kind(): string {
    const c = this.code()
    if (Number.isNaN(c)) return 'the end of the text'
    if (c === LBRACKET) return 'an array'
    if (c === QUOTE) return 'a string'
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return 'a number'
    if (this.text.startsWith('true', this.pos) || this.text.startsWith('false', this.pos))
      return 'a boolean'
    if (this.text.startsWith('null', this.pos)) return 'null'
    return `the character ${JSON.stringify(this.text[this.pos])}`
  }

  syntax(expected: string): PathError {
    return new PathError(`invalid JSON at column ${this.pos + 1}: expected ${expected}`)
  }

  /** The members of an object at `{`, as an item; `depth` is the object's own level. */
  members(depth: number): Item {
    this.pos++ // {
    const item: Item = {}
    this.skipWhitespace()
    if (this.code() === RBRACE) {
      this.pos++
      return item
    }
    for (;;) {
      this.skipWhitespace()
      if (this.code() !== QUOTE) throw this.syntax('a member name in double quotes')
      const name = this.string()
      const problem = attributeNameProblem(name)
      if (problem !== undefined) throw new PathError(problem)
      this.skipWhitespace()
      if (this.code() !== COLON) throw this.syntax('":" after a member name')
      this.pos++
      try {
        // A later member of the same name replaces the earlier one, as with JSON.parse.
        item[name] = this.value(depth + 1)
      } catch (err) {
        if (err instanceof PathError) err.at(nameSegment(name))
        throw err
      }
      this.skipWhitespace()
      const c = this.code()
      this.pos++
      if (c === RBRACE) return item
      if (c !== COMMA) {
        this.pos--
        throw this.syntax('"," or "}" after a member')
      }
    }
  }

  value(depth: number): AttributeValue {
    this.skipWhitespace()
    const c = this.code()
    if (c === QUOTE) return { S: this.string() }
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return { N: this.number() }
    if (c === LBRACE || c === LBRACKET) {
      if (depth > MAX_NESTING_DEPTH) {
        throw new PathError(`nested deeper than the limit of ${MAX_NESTING_DEPTH} levels`)
      }
      return c === LBRACE ? { M: this.members(depth) } : { L: this.elements(depth) }
    }
    // Fresh objects: items are handed on and must not share their values.
    if (this.literal('true')) return { BOOL: true }
    if (this.literal('false')) return { BOOL: false }
    if (this.literal('null')) return { NULL: true }
    throw this.syntax('a value')
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false
    this.pos += word.length
    return true
  }

  private elements(depth: number): AttributeValue[] {
    this.pos++ // [
    const list: AttributeValue[] = []
    this.skipWhitespace()
    if (this.code() === RBRACKET) {
      this.pos++
      return list
    }
    for (;;) {
      try {
        list.push(this.value(depth + 1))
      } catch (err) {
        if (err instanceof PathError) err.at(`[${list.length}]`)
        throw err
      }
      this.skipWhitespace()
      const c = this.code()
      this.pos++
      if (c === RBRACKET) return list
      if (c !== COMMA) {
        this.pos--
        throw this.syntax('"," or "]" after an element')
      }
    }
  }

  /** A string at `"`: sliced as is when it has no escape, else decoded by JSON.parse. */
  string(): string {
    const start = this.pos
    let escaped = false
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i)
      if (c === BACKSLASH) {
        escaped = true
        i++
      } else if (c === QUOTE) {
        this.pos = i + 1
        if (!escaped) return this.text.slice(start + 1, i)
        try {
          return JSON.parse(this.text.slice(start, i + 1)) as string
        } catch {
          this.pos = start
          throw this.syntax('a valid string (an escape is broken)')
        }
      } else if (c < 0x20) {
        this.pos = i
        throw this.syntax('a control character to be escaped in a string')
      }
    }
    this.pos = this.text.length
    throw this.syntax('the closing quote of a string')
  }

  /** A number token, checked against JSON's grammar and DynamoDB's range; its text as written. */
  private number(): string {
    const start = this.pos
    if (this.code() === MINUS) this.pos++
    const first = this.code()
    if (!this.digits()) throw this.syntax('digits in a number')
    if (first === DIGIT_0 && this.pos - start > (this.text.charCodeAt(start) === MINUS ? 2 : 1)) {
      this.pos = start
      throw this.syntax('a number without leading zeros')
    }
    if (this.code() === DOT) {
      this.pos++
      if (!this.digits()) throw this.syntax('digits after the decimal point')
    }
    if (this.code() === LOWER_E || this.code() === UPPER_E) {
      this.pos++
      if (this.code() === PLUS || this.code() === MINUS) this.pos++
      if (!this.digits()) throw this.syntax('digits in the exponent')
    }
    const text = this.text.slice(start, this.pos)
    const number = normalizeNumber(text)
    if (!number.ok) throw new PathError(`N: ${number.reason}`)
    return text
  }

  private digits(): boolean {
    const start = this.pos
    for (let c = this.code(); c >= DIGIT_0 && c <= DIGIT_9; c = this.code()) this.pos++
    return this.pos > start
  }
}
