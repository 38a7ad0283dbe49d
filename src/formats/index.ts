import type { InputFormat } from '../inputs.js'
import type { TableSchema } from '../table/key-schema.js'
import { isBlank } from '../sources/lines.js'
import { csvParser } from './csv.js'
import { parseDynamoDBJsonLine } from './dynamodb-json.js'
import { jsonArrayParser, ARRAY_START } from './json-documents.js'
import { parseJsonDocument } from './json-document.js'
import {
  withoutBom,
  type ChunkRecordParser,
  type ParseResult,
  type RecordParser,
} from './record.js'
import { requestItemsParser } from './request-items.js'
import { parseChangeLine } from './incremental.js'
import { parseIonLine } from './ion.js'

export interface FormatOptions {
  format: InputFormat
  csvDelimiter: string
  csvHeader?: string[]
  schema: TableSchema
  /** The lines are an incremental export's changes (Keys, NewImage, OldImage). */
  incremental?: boolean
}

/**
 * The longest document of a JSON array or request of a request-items file: as for a line, a 400 KB
 * item can take several times that as JSON.
 */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024

/** Formats whose parser depends on the object's first character (past a BOM and whitespace). */
export function needsFirstByte(options: Pick<FormatOptions, 'format'>): boolean {
  return options.format === 'JSON'
}

/**
 * A parser for one object of the given format: the one switch from format name to parser.
 * `firstByte`: the object's first character, for the formats that need it.
 */
export function recordParser(
  options: FormatOptions,
  firstByte?: number,
): RecordParser | ChunkRecordParser {
  switch (options.format) {
    case 'JSON':
      return firstByte === ARRAY_START
        ? jsonArrayParser(MAX_DOCUMENT_BYTES)
        : lineParser((text) => parseJsonDocument(text))
    case 'REQUEST_ITEMS':
      return requestItemsParser(MAX_DOCUMENT_BYTES)
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
