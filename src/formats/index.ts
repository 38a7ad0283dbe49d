import type { InputFormat } from '../inputs.js'
import type { TableSchema } from '../table/key-schema.js'
import { isBlank, type Line } from '../sources/lines.js'
import { csvParser } from './csv.js'
import { parseDynamoDBJsonLine, type ParseResult } from './dynamodb-json.js'
import { parseChangeLine } from './incremental.js'
import { parseIonLine } from './ion.js'

export type { ParseResult }

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
}

/**
 * Turns the lines of one object into records, one object at a time (CSV keeps a header per file).
 * A physical line completes at most one record, so push returns one record or none: none for a
 * blank line, a CSV header, or a line inside a quoted CSV field that continues on the next line.
 */
export interface RecordParser {
  push(line: Line): ParsedRecord | undefined
  /** The end of the object: a record still open (an unterminated CSV quote) is returned. */
  end(): ParsedRecord | undefined
}

export interface FormatOptions {
  format: InputFormat
  csvDelimiter: string
  csvHeader?: string[]
  schema: TableSchema
  /** The lines are an incremental export's changes (Keys, NewImage, OldImage). */
  incremental?: boolean
}

const BOM = '\uFEFF'

/** A parser for one object of the given format: the one switch from format name to parser. */
export function recordParser(options: FormatOptions): RecordParser {
  switch (options.format) {
    case 'DYNAMODB_JSON':
      return lineParser(options.incremental ? parseChangeLine : parseDynamoDBJsonLine)
    case 'ION':
      return lineParser(parseIonLine)
    case 'CSV':
      return csvParser({
        delimiter: options.csvDelimiter,
        header: options.csvHeader,
        schema: options.schema,
      })
  }
}

/** Formats of one record per line: blank lines are nothing, every other line is one record. */
function lineParser(parse: (text: string) => ParseResult): RecordParser {
  return {
    push(line) {
      if (line.problem !== undefined) {
        const result = { ok: false as const, reason: line.problem }
        return { line: line.number, raw: '', result, unreadable: true }
      }
      const text = withoutBom(line)
      if (isBlank(text)) return undefined
      return { line: line.number, raw: text, bytes: line.bytes, result: parse(text) }
    },
    end: () => undefined,
  }
}

/** A UTF-8 byte order mark at the start of an object is an encoding marker, not data. */
export function withoutBom(line: Line): string {
  return line.number === 1 && line.text.startsWith(BOM) ? line.text.slice(1) : line.text
}
