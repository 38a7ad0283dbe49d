/**
 * Splits a JSON file into the elements of its arrays as the bytes stream in, holding one element
 * at a time: a JSON array of a gigabyte (or a request-items file) is never read whole, and a
 * minified one on a single line is no longer than any other. It works on bytes: in UTF-8 no byte
 * of a multi-byte character is an ASCII byte, so quotes, brackets and newlines are found without
 * decoding; each element is decoded (strictly) on its own.
 *
 * Three shapes: `array`, one top-level array of documents (`[{…}, {…}]`); `tables`, one top-level
 * object whose members are arrays (`{"Table": [{…}, {…}], …}`, as batch-write-item's
 * --request-items takes them); `documents`, top-level values one after another, each of any
 * number of lines (a pretty-printed object, or jq's output of several).
 */

import type { ParsedRecord } from './record.js'
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET } from './json-codes.js'

const NEWLINE = 0x0a
const BOM = [0xef, 0xbb, 0xbf]

const strict = new TextDecoder('utf-8', { fatal: true })

/** One element of an array, or why the file stops making sense. */
export type Piece =
  | {
      kind: 'element'
      /** The element's JSON text; undefined when it was longer than the limit (`problem` says). */
      text: string | undefined
      problem?: string
      /** The line it starts on, and its index in its array. */
      line: number
      index: number
      /** `tables`: the member of the top-level object it belongs to. */
      table?: string
      bytes: number
    }
  | { kind: 'table'; name: string; line: number }
  /**
   * The file breaks the shape here: nothing after it is read. `offset`: bytes before the point;
   * `after`: the last whole element (`document[1]`, `"Table"[3]`).
   */
  | { kind: 'broken'; line: number; offset: number; after?: string; reason: string }

/** The point where a file breaks its shape, as the reader takes it: not a record. */
export function brokenRecord(piece: Extract<Piece, { kind: 'broken' }>): ParsedRecord {
  return {
    line: piece.line,
    raw: '',
    result: { ok: false, reason: piece.reason },
    broken: { offset: piece.offset, ...(piece.after !== undefined && { after: piece.after }) },
  }
}

type State =
  | 'start' // before the top-level container
  | 'key' // tables: before a member name (or the closing brace of an empty object)
  | 'name' // tables: within a member name
  | 'colon' // tables: after a member name
  | 'open' // tables: before the array of a table
  | 'element' // before an element (or the closing bracket of an empty array)
  | 'inside' // within an element
  | 'after' // after an element: a comma or the closing bracket
  | 'next' // tables: after an array: a comma or the closing brace
  | 'end' // after the top-level container: only whitespace
  | 'broken'

const MORE = 0
const END_WITH = 1 // the byte closes the element and belongs to it
const END_BEFORE = 2 // the byte follows the element (a scalar's comma, bracket or space)

/** Table names are at most 255 characters; a longer member name is not one. */
const MAX_NAME_BYTES = 1024

export class JsonSplitter {
  private state: State = 'start'
  private line = 1
  /** Bytes of the chunks before this one. */
  private offset = 0
  /** BOM bytes seen at the start; -1 once content began. */
  private bomAt = 0
  private index = 0
  private tables = 0
  private table: string | undefined
  // Within an element: its nesting, strings, and its bytes so far (up to the limit).
  private depth = 0
  private inString = false
  private escape = false
  private scalar = false
  private parts: Uint8Array[] = []
  private size = 0
  private elementLine = 0
  private elementOffset = 0
  // A member name being read (tables).
  private name: number[] = []
  private nameEscape = false

  constructor(
    private readonly shape: 'array' | 'tables' | 'documents',
    private readonly maxElementBytes: number,
  ) {}

  /** The pieces that the chunk completes. */
  push(chunk: Uint8Array): Piece[] {
    const out: Piece[] = []
    let elementStart = 0
    let i = 0
    for (; i < chunk.length && this.state !== 'broken'; i++) {
      const c = chunk[i] as number
      // A UTF-8 byte order mark at the start (maybe split over chunks) is not content.
      if (this.bomAt >= 0) {
        if (this.bomAt < BOM.length && c === BOM[this.bomAt]) {
          this.bomAt++
          continue
        }
        this.bomAt = -1
      }
      if (this.state === 'inside') {
        const step = this.inElement(c)
        if (step === MORE) {
          if (c === NEWLINE) this.line++
          continue
        }
        this.keep(chunk, elementStart, step === END_WITH ? i + 1 : i)
        out.push(this.finishElement())
        this.state = 'after'
        if (step === END_WITH) continue
      }
      if (this.state === 'name') {
        const piece = this.nameByte(c)
        if (piece) out.push(piece)
        continue
      }
      if (c === NEWLINE) this.line++
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue
      const piece = this.structure(c)
      if (piece) out.push(piece)
      if ((this.state as State) === 'inside') {
        elementStart = i
        this.elementOffset = this.offset + i
      }
    }
    // The loop stops one byte past the one that broke the shape: the point where reading stopped.
    const last = out[out.length - 1]
    if (last?.kind === 'broken') last.offset = this.offset + i - 1
    if (this.state === 'inside') this.keep(chunk, elementStart, chunk.length)
    this.offset += chunk.length
    return out
  }

  /** The end of the file: an element or a container still open is a cut-off file. */
  end(): Piece[] {
    if (this.state === 'end' || this.state === 'broken' || this.state === 'start') return []
    if (this.shape === 'documents' && this.state === 'after') return []
    if (this.state === 'inside' && this.scalar && !this.inString) {
      // A number or literal that ends the file is complete; the container around it is not.
      this.state = 'after'
      return [this.finishElement(), ...this.end()]
    }
    const inside = this.state === 'inside'
    const reason = inside
      ? `the file ends inside ${this.label(this.index)}, which starts on this line`
      : this.shape === 'array'
        ? 'the file ends before the JSON array is closed: expected "," or "]"'
        : 'the file ends before the request-items object is closed: expected "]" and "}"'
    return [
      {
        kind: 'broken',
        line: inside ? this.elementLine : this.line,
        offset: inside ? this.elementOffset : this.offset,
        ...this.after(),
        reason,
      },
    ]
  }

  /** An element as reasons name it: `document[3]`, or `"Table"[3]` in a request-items file. */
  private label(index: number): string {
    return this.shape === 'tables'
      ? `${JSON.stringify(this.table)}[${index}]`
      : `document[${index}]`
  }

  /** The last whole element of the current array, if any. */
  private after(): { after?: string } {
    return this.index > 0 ? { after: this.label(this.index - 1) } : {}
  }

  /** One byte within an element: whether the element goes on, or ends with or before it. */
  private inElement(c: number): number {
    if (this.inString) {
      if (this.escape) this.escape = false
      else if (c === BACKSLASH) this.escape = true
      else if (c === QUOTE) {
        this.inString = false
        if (this.scalar) return END_WITH
      }
      return MORE
    }
    if (this.scalar) {
      const ends = c === COMMA || c === RBRACKET || c === RBRACE || c <= 0x20
      return ends ? END_BEFORE : MORE
    }
    if (c === QUOTE) this.inString = true
    else if (c === LBRACE || c === LBRACKET) this.depth++
    else if ((c === RBRACE || c === RBRACKET) && --this.depth === 0) return END_WITH
    return MORE
  }

  private structure(c: number): Piece | undefined {
    switch (this.state) {
      case 'start':
        if (this.shape === 'documents') return this.startElement(c)
        if (this.shape === 'array' && c === LBRACKET) return this.to('element')
        if (this.shape === 'tables' && c === LBRACE) return this.to('key')
        return this.break(
          this.shape === 'array'
            ? 'expected a JSON array of documents ("[")'
            : 'expected a request-items object ({"TableName": [requests]})',
        )
      case 'key':
        if (c === RBRACE && this.tables === 0) return this.to('end')
        if (c !== QUOTE) return this.break('expected a table name in double quotes')
        this.name = []
        this.nameEscape = false
        return this.to('name')
      case 'colon':
        if (c !== COLON) return this.break('expected ":" after the table name')
        return this.to('open')
      case 'open':
        if (c !== LBRACKET) {
          return this.break(
            `expected an array of requests for table ${JSON.stringify(this.table)}, found ${describe(c)}`,
          )
        }
        this.index = 0
        return this.to('element')
      case 'element':
        if (c === RBRACKET && this.index === 0) return this.closeArray()
        return this.startElement(c)
      case 'after':
        // Documents follow one another with only whitespace between them.
        if (this.shape === 'documents') return this.startElement(c)
        if (c === COMMA) return this.to('element')
        if (c === RBRACKET) return this.closeArray()
        return this.break(`expected "," or "]", found ${found(c)}`)
      case 'next':
        if (c === COMMA) return this.to('key')
        if (c === RBRACE) return this.to('end')
        return this.break('expected "," or "}" after the array of a table')
      case 'end':
        return this.break('expected nothing after the end of the JSON value')
      default:
        return undefined
    }
  }

  private to(state: State): undefined {
    this.state = state
    return undefined
  }

  private startElement(c: number): undefined {
    this.state = 'inside'
    this.elementLine = this.line
    this.depth = c === LBRACE || c === LBRACKET ? 1 : 0
    this.scalar = this.depth === 0
    this.inString = c === QUOTE
    this.escape = false
    this.parts = []
    this.size = 0
    return undefined
  }

  private closeArray(): undefined {
    return this.to(this.shape === 'array' ? 'end' : 'next')
  }

  /** The offset is set by push, which knows the byte. */
  private break(reason: string): Piece {
    this.state = 'broken'
    return { kind: 'broken', line: this.line, offset: this.offset, ...this.after(), reason }
  }

  /** One byte of a table name (names are short: byte by byte, across chunks). */
  private nameByte(c: number): Piece | undefined {
    if (c === QUOTE && !this.nameEscape) {
      let name: string
      try {
        name = JSON.parse(`"${strict.decode(new Uint8Array(this.name))}"`) as string
      } catch {
        return this.break('expected a table name: this one is not a valid JSON string')
      }
      this.table = name
      this.tables++
      this.state = 'colon'
      return { kind: 'table', name, line: this.line }
    }
    this.nameEscape = !this.nameEscape && c === BACKSLASH
    this.name.push(c)
    if (this.name.length > MAX_NAME_BYTES) {
      return this.break('expected a table name: this one is too long')
    }
    return undefined
  }

  private keep(chunk: Uint8Array, start: number, end: number): void {
    if (end <= start) return
    this.size += end - start
    if (this.size <= this.maxElementBytes) this.parts.push(chunk.subarray(start, end))
    else this.parts = []
  }

  private finishElement(): Piece {
    const piece = {
      kind: 'element' as const,
      line: this.elementLine,
      index: this.index++,
      bytes: this.size,
      ...(this.table !== undefined && { table: this.table }),
    }
    if (this.size > this.maxElementBytes) {
      return {
        ...piece,
        text: undefined,
        problem: `the document is ${this.size} bytes, longer than ${this.maxElementBytes}: not read`,
      }
    }
    const bytes =
      this.parts.length === 1 ? (this.parts[0] as Uint8Array) : Buffer.concat(this.parts)
    this.parts = []
    try {
      return { ...piece, text: strict.decode(bytes) }
    } catch {
      return { ...piece, text: undefined, problem: 'the document is not valid UTF-8' }
    }
  }
}

/**
 * A byte where JSON structure was expected, as a reason shows it: punctuation as itself, anything
 * else by kind, so that no value of an item reaches a log.
 */
function found(c: number): string {
  if ('{}[]:,"'.includes(String.fromCharCode(c))) return JSON.stringify(String.fromCharCode(c))
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d) return 'a number'
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return 'a letter'
  return `byte 0x${c.toString(16).padStart(2, '0')}`
}

function describe(c: number): string {
  if (c === LBRACE) return 'an object'
  if (c === QUOTE) return 'a string'
  return 'a value that is not an array'
}
