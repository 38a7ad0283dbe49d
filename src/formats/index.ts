import type { InputFormat } from './input-format.js'
import type { TableSchema } from '../table/key-schema.js'
import { isBlank } from '../sources/lines.js'
import { csvParser } from './csv.js'
import {
  detectReading,
  explicitReading,
  readingNote,
  type Reading,
  type ReadingChoice,
} from './detect.js'
import { parseDynamoDBItem, parseDynamoDBJsonLine } from './dynamodb-json.js'
import { jsonDocumentsParser } from './json-documents.js'
import { parseJsonDocument } from './json-document.js'
import {
  withoutBom,
  type ChunkRecordParser,
  type ParsedRecord,
  type ParseResult,
  type RecordParser,
} from './record.js'
import { requestItemsParser } from './request-items.js'
import { parseChangeLine } from './incremental.js'
import { parseIonLine } from './ion.js'
import { scanOutputParser, workbenchParser } from './whole-object.js'

export interface FormatOptions {
  format: InputFormat
  /** Who set the format when it was not the input (a DynamoDB export's manifest). */
  formatFrom?: string
  csvDelimiter: string
  csvHeader?: string[]
  schema: TableSchema
  /** The lines are an incremental export's changes (Keys, NewImage, OldImage). */
  incremental?: boolean
  /**
   * The table, as the file names it, whose records this job reads from a file naming several
   * (a request-items file, a NoSQL Workbench model): the records of other tables are skipped and
   * not counted here (their own table's job counts them). Undefined: every record of the file.
   */
  fileTable?: string
  /**
   * The table the records are written to, when `fileTable` is not set: a model naming several tables
   * is read for the one of this name (one table per step, the table input).
   */
  destination?: string
}

/**
 * The longest document of a JSON array or request of a request-items file: as for a line, a 400 KB
 * item can take several times that as JSON.
 */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024

/**
 * Formats whose reading depends on the object's first bytes: auto, and the framing of JSON and
 * DYNAMODB_JSON (lines, or an array).
 */
export function needsHead(options: Pick<FormatOptions, 'format'>): boolean {
  return (
    options.format === 'auto' || options.format === 'JSON' || options.format === 'DYNAMODB_JSON'
  )
}

/**
 * How one object is read: as input-format names it, or under auto as its head and name say.
 * `head`: the object's first bytes (the whole object when `complete`), for the formats that need it.
 */
export function chooseReading(
  options: Pick<FormatOptions, 'format' | 'formatFrom' | 'incremental'>,
  name: string,
  head?: { bytes: Uint8Array; complete: boolean },
): ReadingChoice {
  const from = options.formatFrom ? { formatFrom: options.formatFrom } : {}
  if (options.incremental) {
    const reading = { kind: 'json', framing: 'lines', items: 'changes' } as const
    return { reading, basis: 'input', format: options.format, ...from }
  }
  if (options.format !== 'auto') {
    const reading = explicitReading(options.format, head?.bytes)
    return { reading, basis: 'input', format: options.format, ...from }
  }
  const detected = detectReading(name, head?.bytes ?? new Uint8Array(0), head?.complete ?? true)
  return { ...detected, format: 'auto' }
}

/**
 * A parser for one object (`file`, as messages show it) read as `choice` says: the one switch
 * from reading to parser. Each record it rejects says what the object was read as and which input
 * changes that.
 */
export function recordParser(
  options: FormatOptions,
  choice: ReadingChoice,
  file: string,
): RecordParser | ChunkRecordParser {
  return noted(parserFor(options, choice.reading, file), readingNote(choice))
}

function parserFor(
  options: FormatOptions,
  reading: Reading,
  file: string,
): RecordParser | ChunkRecordParser {
  switch (reading.kind) {
    case 'json':
      if (reading.framing !== 'lines') {
        return jsonDocumentsParser(reading.framing, reading.items, MAX_DOCUMENT_BYTES)
      }
      if (reading.items === 'plain') return lineParser((text) => parseJsonDocument(text))
      if (reading.items === 'bare') return lineParser(parseDynamoDBItem)
      if (reading.items === 'changes') return lineParser(parseChangeLine)
      return lineParser(parseDynamoDBJsonLine)
    case 'request-items':
      return requestItemsParser(MAX_DOCUMENT_BYTES, options.fileTable)
    case 'workbench':
      return workbenchParser(file, options.fileTable, options.destination)
    case 'scan-output':
      return scanOutputParser(file)
    case 'ion':
      return lineParser(parseIonLine)
    case 'csv':
      return csvParser({
        delimiter: options.csvDelimiter,
        header: options.csvHeader,
        schema: options.schema,
      })
  }
}

/**
 * The parser, with `note` after the reason of each record it could not make an item of. A
 * record where the object breaks off is not a rejected record: its object is reported, with the
 * format, as not read to its end.
 */
function noted(
  parser: RecordParser | ChunkRecordParser,
  note: string,
): RecordParser | ChunkRecordParser {
  const withNote = (record: ParsedRecord): ParsedRecord => {
    if (record.result.ok || record.unreadable || record.broken) return record
    return { ...record, result: { ok: false, reason: record.result.reason + note } }
  }
  if (parser.framing === 'bytes') {
    return {
      framing: 'bytes',
      push: (chunk) => parser.push(chunk).map(withNote),
      end: () => parser.end().map(withNote),
    }
  }
  return {
    push(line) {
      const record = parser.push(line)
      return record && withNote(record)
    },
    end() {
      const record = parser.end()
      return record && withNote(record)
    },
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
