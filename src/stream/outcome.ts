import { counted } from '../words.js'
import type { WriteSummary } from './batch-writer.js'
import type { RejectedRecords } from './rejected-records.js'

/** What the stream engine did, counted as it went. */
export interface StreamOutcome {
  objects: number
  storedBytes: number
  processedSizeBytes: number
  processed: number
  imported: number
  errors: number
  unwritten: number
  /** Write capacity units the valid items need: one per started KB of each. */
  writeUnits: number
  write?: WriteSummary
  rejected: RejectedRecords
  rejectedFile?: string
  /** Each object's counts, in the order read. */
  perObject: ObjectCounts[]
  /** How the objects were read (`a JSON array of plain documents (…)`), and how many each way. */
  readAs: Map<string, number>
  /** Items written (or validated, in a dry run) at each progress line. */
  progress: Array<{ seconds: number; items: number }>
  /** The writer gave up (a stall, an error retrying cannot fix): why, and what was not read. */
  stopped?: { reason: string; notRead: string }
  /** Objects that could not be read to their end: each fails the step whatever max-errors is. */
  unread: UnreadObject[]
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

/** Where reading stopped: the object's index in the listing, and the last line read in it. */
export interface ReadPosition {
  index: number
  line: number
}

/** How many objects were not read, or not to the end, said by object. */
export function notRead(objects: readonly { url: string }[], at: ReadPosition | undefined): string {
  if (!at) return 'nothing: every object was read'
  const current = objects[at.index]
  const rest = objects.slice(at.index + 1)
  const shown = rest.slice(0, 3).map((o) => o.url)
  const more = rest.length > shown.length ? ` and ${rest.length - shown.length} more` : ''
  const others =
    rest.length === 0 ? '' : `; ${rest.length} objects not at all (${shown.join(', ')}${more})`
  return `${current?.url ?? '?'} after line ${at.line}${others}`
}

/** What one object gave. */
export interface ObjectCounts {
  url: string
  records: number
  rejected: number
  compression?: string
}

/** Nothing done yet, for these objects. */
export function emptyOutcome(
  objects: readonly { size: number }[],
  rejected: RejectedRecords,
): StreamOutcome {
  return {
    objects: objects.length,
    storedBytes: objects.reduce((total, o) => total + o.size, 0),
    processedSizeBytes: 0,
    processed: 0,
    imported: 0,
    errors: 0,
    unwritten: 0,
    writeUnits: 0,
    rejected,
    perObject: [],
    readAs: new Map(),
    progress: [],
    unread: [],
  }
}
