/** input-format: the formats the action reads, and the settings every reader of an object needs. */
import type { Compression } from '../sources/decompress.js'

/** The formats ImportTable takes (its InputFormat). */
export const IMPORT_TABLE_FORMATS = ['DYNAMODB_JSON', 'ION', 'CSV'] as const
/**
 * And the files people keep, which the stream engine reads too; auto (the default) recognises
 * each object's format from its first bytes (detect.ts).
 */
export const INPUT_FORMATS = [
  'auto',
  ...IMPORT_TABLE_FORMATS,
  'JSON',
  'REQUEST_ITEMS',
  'NOSQL_WORKBENCH',
] as const

export type InputFormat = (typeof INPUT_FORMATS)[number]
export type ImportTableFormat = (typeof IMPORT_TABLE_FORMATS)[number]

export function isImportTableFormat(format: InputFormat): format is ImportTableFormat {
  return (IMPORT_TABLE_FORMATS as readonly string[]).includes(format)
}

/** How the objects are read: input-format, input-compression and the CSV options. */
export interface FormatSettings {
  format: InputFormat
  /** Who set format when it was not the input: a DynamoDB export's manifest. */
  formatFrom?: string
  compression: Compression
  csvDelimiter: string
  csvHeader?: string[]
  /** Not an input: set when the source is an incremental DynamoDB export. */
  incremental?: boolean
  /**
   * Not an input: the table, as files naming several name it (a request-items file, a NoSQL
   * Workbench model), whose records this job reads; the records of other tables are skipped and
   * not counted here (their own table's job counts them). Undefined: every record of the file.
   */
  fileTable?: string
}
