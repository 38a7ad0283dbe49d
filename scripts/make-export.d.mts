// Types for make-export.mjs, so strict TypeScript (tests) checks its use.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

export type ExportType = 'FULL_EXPORT' | 'INCREMENTAL_EXPORT'

/** One change of an incremental export: no newImage for a delete. */
export interface ExportChange {
  /** The item's key attributes, in DynamoDB JSON. */
  keys: object
  newImage?: object
  /** Only with the NEW_AND_OLD_IMAGES view. */
  oldImage?: object
  timestampMicros: bigint | number
}

export interface WriteExportOptions {
  /** The items of a full export, in DynamoDB JSON (B and BS as base64). */
  items: object[] | undefined
  /** The changes of an incremental export. */
  changes?: ExportChange[]
  type: ExportType
  /** How many data files the records are spread over, round robin (some may stay empty). */
  files: number
  /** Default: a new id like DynamoDB's (`01693685827463-2d8752fd`). */
  exportId?: string
  /** The export's key prefix (its s3Prefix), e.g. `exports/`; '' for none. */
  root: string
  /** Stores one object; called in the order DynamoDB writes them, the summary last. */
  put: (key: string, body: Buffer | string) => Promise<void>
  /** For the summary's s3Bucket (default `bucket`). */
  bucket?: string
  /** For the summary's tableArn and exportArn (default `table`). */
  tableName?: string
  tableId?: string
}

export interface WrittenExport {
  /** `<root>AWSDynamoDB/<export-id>/`: the folder of the manifests. */
  exportRoot: string
  /** The data files, in manifest order. */
  dataKeys: string[]
  itemCount: number
}

/** An export id as DynamoDB makes them: 14 digits of epoch milliseconds, `-`, 8 hex digits. */
export function newExportId(now?: number): string

/**
 * Writes a DynamoDB export's layout through `put`: `_started`, gzip data files (full exports under
 * `<root>AWSDynamoDB/<id>/data/`, incremental ones under the shared `<root>AWSDynamoDB/data/`),
 * manifest-files.json with each file's itemCount, md5Checksum (base64), etag (hex) and
 * dataFileS3Key, manifest-files.md5, manifest-summary.json and manifest-summary.md5.
 */
export function writeExport(options: WriteExportOptions): Promise<WrittenExport>

/** An SDK AttributeValue (or item) in DynamoDB JSON as exports write it: B and BS as base64. */
export function toDynamoDBJson(value: unknown): unknown

/** Scans the table and writes its items as a full export (see writeExport). */
export function tableToExport(
  client: DynamoDBClient,
  tableName: string,
  options: Omit<WriteExportOptions, 'items' | 'changes' | 'type' | 'tableName'>,
): Promise<WrittenExport>
