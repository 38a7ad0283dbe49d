import type { InputFormat } from '../inputs.js'
import type { TableSchema } from '../table/key-schema.js'
import { isBlank } from '../sources/lines.js'
import { csvParser } from './csv.js'
import { parseDynamoDBJsonLine } from './dynamodb-json.js'
import { withoutBom, type ParseResult, type RecordParser } from './record.js'
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
