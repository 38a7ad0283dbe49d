/**
 * What every format's parser shares: the record it makes of the input, how a record that is not
 * an item is described, and how names are shown in reasons. Reasons never contain attribute
 * values, and names are cut, so a hostile input cannot flood a log.
 */
import type { Item } from '../table/attribute-value.js'
import type { Line } from '../sources/lines.js'

/** One change of an incremental export: the item's new image, or its removal. */
export interface Change {
  /** Export time of the write, in microseconds: the later write of a key wins. */
  timestamp: bigint
  delete: boolean
}

/** The outcome of parsing one record: an item to put, a key to delete, or why not. */
export type ParseResult =
  | {
      ok: true
      item: Item
      change?: Change
      /** A DeleteRequest: `item` holds the key. */
      delete?: true
    }
  | { ok: false; reason: string }

/** One record of an object: the line it starts on, its raw text, and what parsing made of it. */
export interface ParsedRecord {
  line: number
  /** The record as read, for the rejected file ('' when it could not be read as text). */
  raw: string
  result: ParseResult
  /** Bytes of the record as read, when the parser knows them. */
  bytes?: number
  /** The line could not be read as text (invalid UTF-8, too long): not a parse failure. */
  unreadable?: true
  /**
   * The object breaks its format here and nothing after can be told apart into records (a JSON
   * array missing a comma, a CSV header that cannot be one): not a record, but the point where
   * reading stopped (`result.reason` says why). `offset`: uncompressed bytes of the object before
   * it; `after`: the last whole record (`document[1]`).
   */
  broken?: { offset: number; after?: string }
}

/**
 * Turns the lines of one object into records, one object at a time (CSV keeps a header per file).
 * A physical line completes at most one record, so push returns one record or none: none for a
 * blank line, a CSV header, or a line inside a quoted CSV field that continues on the next line.
 */
export interface RecordParser {
  framing?: 'lines'
  push(line: Line): ParsedRecord | undefined
  /** The end of the object: a record still open (an unterminated CSV quote) is returned. */
  end(): ParsedRecord | undefined
}

/**
 * Formats that find their records in the bytes themselves, not in lines: a JSON array, which may
 * be one line of a gigabyte, and a request-items file.
 */
export interface ChunkRecordParser {
  framing: 'bytes'
  /** The records the chunk completes, in order. */
  push(chunk: Uint8Array): ParsedRecord[]
  /** The end of the object: a record cut off is returned, rejected. */
  end(): ParsedRecord[]
}

const BOM = '\uFEFF'

/** A UTF-8 byte order mark at the start of an object is an encoding marker, not data. */
export function withoutBom(line: Line): string {
  return line.number === 1 && line.text.startsWith(BOM) ? line.text.slice(1) : line.text
}

/** Longer names are cut in reasons, so a hostile 64 KB name cannot flood a log. */
const MAX_SHOWN_NAME_CHARS = 64
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A name as reasons show it: quoted, and cut when long. */
export function showName(name: string): string {
  const shown =
    name.length > MAX_SHOWN_NAME_CHARS ? `${name.slice(0, MAX_SHOWN_NAME_CHARS)}…` : name
  return JSON.stringify(shown)
}

/** A step of an attribute path in a reason: `.name`, or `["odd name"]`. */
export function nameSegment(name: string): string {
  if (IDENTIFIER.test(name) && name.length <= MAX_SHOWN_NAME_CHARS) return `.${name}`
  return `[${showName(name)}]`
}
