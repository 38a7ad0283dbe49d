/**
 * The one result of an import, whichever engine ran, in the terms of ImportTable's DescribeImport:
 * what the engines return and all the report reads. A leaf: it imports no engine, so the report
 * depends on this contract alone and a new engine only has to fill it.
 */
import { counted } from './words.js'

export type ImportStatus = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'IN_PROGRESS'

/**
 * ImportTable's FailureCode for an import whose bad items were skipped and the rest imported
 * (docs/import-rules.md §1 rule 1); the stream engine reports item errors with it too.
 */
export const ITEM_VALIDATION_ERROR = 'ItemValidationError'

/** The stream engine's FailureCode when valid items could not be written (DynamoDB kept refusing). */
export const ITEMS_NOT_WRITTEN = 'ItemsNotWritten'

/**
 * The stream engine's FailureCode when an object could not be read to its end (its content broke
 * the format, or a read failed mid-object): what follows is neither imported nor counted as
 * records, so max-errors cannot accept it.
 */
export const SOURCE_NOT_READ = 'SourceNotRead'

/**
 * The FailureCode of an import the workflow cancelled (SIGINT or SIGTERM from the runner). The
 * stream engine then reports status CANCELLED; the native engine IN_PROGRESS, since ImportTable
 * goes on in AWS.
 */
export const IMPORT_CANCELLED = 'Cancelled'

/** Mismatched items of a report: missing, different and extra. */
export function mismatched(report: VerifyReport): number {
  return report.missing + report.different + (report.extra ?? 0)
}

/** What went wrong with a record, by category: annotations and the summary count by kind. */
export type RejectionKind = 'unreadable' | 'invalid' | 'mismatch' | 'refused' | 'unwritten'

export const REJECTION_KINDS: Record<RejectionKind, string> = {
  unreadable: 'unreadable line or object',
  invalid: 'invalid record',
  mismatch: 'does not fit the table',
  refused: 'refused by DynamoDB',
  unwritten: 'valid, not written (the writer gave up)',
}

/** A record that did not become a written item, where it was and why. */
export interface Rejection {
  kind: RejectionKind
  /** `s3://bucket/key:line` */
  location: string
  reason: string
  /** How many records this stands for: more than one when later records of a key replaced it. */
  records: number
}

/** Rejections kept in memory for annotations and the summary; the rest are only counted. */
export const MAX_REJECTION_SAMPLES = 10

/**
 * How far the read-back goes: a deterministic sample of the source's keys, every source item, or
 * every source item and no other item in the table.
 */
export type VerifyLevel = 'sample' | 'full' | 'exact'

/** The FailureCode of a step whose table does not hold what the source says it should. */
export const VERIFICATION_FAILED = 'VerificationFailed'

/** One source record whose item the table does not hold as written, or one table item not in the source. */
export interface Mismatch {
  kind: 'missing' | 'different' | 'extra'
  /** The source record's location, `s3://bucket/key:line` or the workspace file's path and line; for extra: undefined. */
  location?: string
  /** different: the top-level attribute names whose values differ (never the values), sorted. */
  attributes?: string[]
}

/** What the read-back found: counts, what it cost, and the first mismatches. */
export interface VerifyReport {
  level: VerifyLevel
  /** Source items compared (all valid ones for full/exact; the sample for sample). */
  checked: number
  equal: number
  missing: number
  different: number
  /** exact: table items whose key is not in the source (undefined for sample/full). */
  extra?: number
  /** Read capacity units consumed (reported by DynamoDB, or computed for an emulator endpoint: strongly consistent, 1 per started 4 KB). */
  readUnits: number
  seconds: number
  /** Up to MAX_REJECTION_SAMPLES mismatches, source order (missing/different), then extra. */
  samples: Mismatch[]
}

/** What one object gave. */
export interface ObjectCounts {
  url: string
  records: number
  rejected: number
  compression?: string
}

/**
 * An object whose reading stopped before its end: its content broke the format (a JSON array
 * missing a comma, a CSV header that cannot be one) or the read itself failed mid-stream. What
 * follows cannot be told apart into records, so it is not a rejected record that max-errors may
 * accept: the step fails.
 */
export interface UnreadObject {
  /** `s3://bucket/key:line` (or the file's path and line): the line where reading stopped. */
  location: string
  /** The location as messages show it: a workspace file by its workspace path. */
  shown: string
  /** Uncompressed bytes of the object before the point where reading stopped. */
  offset: number
  /** The last whole record before it, when known: `document[1]`, `line 80`. */
  after?: string
  /** What was expected and what was found (never a value of an item). */
  reason: string
  /** The input-format it was read as (under auto, the one it was recognised as). */
  format: string
  /** input-format auto: how the object was read, said instead of the format. */
  readAs?: string
  /** Records read (and handed to validation) before reading stopped. */
  recordsRead: number
  /** The object's bytes, and those not read, in `measure`. */
  totalBytes: number
  notReadBytes: number
  /**
   * uncompressed: the rest was read through and counted (the content broke the format);
   * stored: a read failed mid-stream, so the rest is the stored object's bytes not received.
   */
  measure: 'uncompressed' | 'stored'
  /** The content broke the format (fix the file), or the read failed (check it and re-run). */
  cause: 'content' | 'read'
}

/** How the writer's pace followed DynamoDB's throttling. */
export interface PacingReport {
  /** Calls throttled whole or in part (refused, or with UnprocessedItems). */
  throttled: number
  /** Where the pace settled: over the last seconds of writing. */
  itemsPerSecond: number
  unitsPerSecond: number
  /** The calls in flight allowed at the end (write-concurrency at most). */
  concurrency: number
  /** The longest time DynamoDB accepted no write while writes waited. */
  longestStallMs: number
}

/** Dry runs: what an engine would cost and take. */
export interface EngineEstimate {
  engine: 'native' | 'stream'
  cost: string
  time: string
  notes: string
}

/** What an import did, in the terms of ImportTable's DescribeImport. */
export interface ImportResult {
  /** verify: nothing was imported; the table was compared with the source. */
  mode: 'native' | 'stream' | 'verify'
  modeReason: string
  status: ImportStatus
  failureCode?: string
  failureMessage?: string
  importArn?: string
  tableArn?: string
  processedItemCount: number
  importedItemCount: number
  errorCount: number
  /** Valid items the writer gave up on (a stall, an error retrying cannot fix): also in errorCount. */
  unwrittenItemCount: number
  processedSizeBytes: number
  durationSeconds: number
  consumedWriteCapacity?: number
  /** reported: DynamoDB's ConsumedCapacity; computed: one per started KB (emulator endpoints). */
  capacitySource?: 'reported' | 'computed'
  cloudwatchLogGroupArn?: string
  /** A DynamoDB export's manifest: the items the import must end with. */
  expectedItemCount?: number
  /** native: the wait ended after timeout-minutes with the import still running. */
  timedOutAfterMinutes?: number
  rejectedFile?: string
  dryRun: boolean
  /** Dry runs: what each engine would cost and take. */
  estimates?: EngineEstimate[]
  /** Objects read; native: known only when the action listed them. */
  objects?: number
  /** The table and the source, for the summary's headline. */
  table?: string
  source?: string
  /**
   * stream: the action created the table (not in a dry run), from what: `key-schema`, or
   * `table-definition <file>`; for the summary's headline.
   */
  tableCreatedFrom?: string
  /**
   * stream: dynamodb-endpoint was set (an emulator such as DynamoDB Local), which bills nothing and
   * has no ImportTable: the summary leaves out write capacity and cost.
   */
  customEndpoint?: boolean
  /** stream: each object's counts, in the order read. */
  perObject?: ObjectCounts[]
  /** How the objects were read, each with how many objects were read that way. */
  readAs?: Array<{ how: string; objects: number }>
  /** stream: items written so far at each progress line (seconds since the start). */
  progress?: Array<{ seconds: number; items: number }>
  /** stream: how the writer's pace followed DynamoDB's throttling. */
  pacing?: PacingReport
  /** stream: the writer gave up; why, and what was not read. */
  stopped?: { reason: string; notRead: string }
  /**
   * The workflow cancelled the run: by which signal; stream: what was not read (the import
   * stopped there); native: the import goes on in AWS (importArn).
   */
  cancelled?: { signal: string; notRead?: string }
  /** stream: objects that could not be read to their end; any fails the step. */
  unread?: UnreadObject[]
  rejections: { samples: Rejection[]; byKind: Partial<Record<RejectionKind, number>> }
  /** Each table of the step (one, unless the files named several): the `tables` output. */
  tables?: TableOutcome[]
  /** verify: what the read-back found; `skipped` when the import did not complete enough to check. */
  verification?: VerifyReport
  /** verify, when it was not run: why (a dry run plans it; an import that did not complete). */
  verifyNotRun?: { level: VerifyLevel; why: string; items?: number; readUnits?: number }
}

/** One table of the step, as the `tables` output gives it. */
export interface TableOutcome {
  table: string
  status: ImportStatus
  tableArn?: string
  failureCode?: string
  imported: number
  rejected: number
  /** This step created the table (delete-created-tables deletes it). */
  created: boolean
}

/** What the start step knows of an import before an engine runs: its part of the result. */
export type PlannedResult = Pick<
  ImportResult,
  'mode' | 'modeReason' | 'table' | 'source' | 'expectedItemCount' | 'tableCreatedFrom' | 'readAs'
>

/** What an engine returns: the result but for what the start step and the clock add. */
export type EngineResult = Omit<ImportResult, keyof PlannedResult | 'durationSeconds'> &
  Pick<ImportResult, 'readAs'>

/** An engine's result that read and wrote nothing (mode verify, a table a cancel came before). */
export function nothingDone(status: ImportStatus): EngineResult {
  return {
    status,
    processedItemCount: 0,
    importedItemCount: 0,
    errorCount: 0,
    unwrittenItemCount: 0,
    processedSizeBytes: 0,
    dryRun: false,
    rejections: { samples: [], byKind: {} },
  }
}

/** max-errors and min-items: what the step's verdict is measured against. */
export interface Limits {
  maxErrors: number
  minItems: number
}

/** What a record is called in a format: `2 documents read`. */
export function recordNoun(format: string): string {
  if (format === 'JSON') return 'document'
  if (format === 'REQUEST_ITEMS') return 'request'
  return 'record'
}

/** Where reading stopped: `byte 225 after document[1]`. */
export function unreadPlace(unread: Pick<UnreadObject, 'offset' | 'after'>): string {
  return `byte ${unread.offset}${unread.after ? ` after ${unread.after}` : ''}`
}

/** How much was not read: `187 of 412 bytes not read`. */
export function unreadAmount(
  unread: Pick<UnreadObject, 'notReadBytes' | 'totalBytes' | 'measure'>,
): string {
  const bytes = unread.measure === 'stored' ? 'stored bytes' : 'bytes'
  // A compressed object cut off or corrupt: every stored byte arrived, its data did not decode.
  if (unread.measure === 'stored' && unread.notReadBytes === 0 && unread.totalBytes > 0) {
    return `all ${unread.totalBytes} stored bytes received, their data not read past that point`
  }
  return `${unread.notReadBytes} of ${unread.totalBytes} ${bytes} not read`
}

/**
 * The one sentence of the log, the annotation and the failure: where reading stopped, why, how
 * much was and was not read, and what to do. `where` is the location as the reader shows it.
 */
export function describeUnread(unread: UnreadObject, where = unread.shown): string {
  const noun = recordNoun(unread.format)
  const advice =
    unread.cause === 'content'
      ? 'Fix the file; max-errors does not apply to a file that cannot be read to its end.'
      : 'Check the object and re-run the import; max-errors does not apply to an object that cannot be read to its end.'
  return (
    `${where}: reading stopped at ${unreadPlace(unread)}: ${unread.reason} ` +
    `(input-format ${unread.readAs ?? unread.format}); ${counted(unread.recordsRead, noun)} read, ` +
    `${unreadAmount(unread)}. ${advice}`
  )
}
