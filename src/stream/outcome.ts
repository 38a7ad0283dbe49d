import type { ObjectCounts, UnreadObject } from '../result.js'
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
  /** The run was cancelled: by which signal, and what was not read. */
  cancelled?: { signal: string; notRead?: string }
  /** Objects that could not be read to their end: each fails the step whatever max-errors is. */
  unread: UnreadObject[]
}

/** Where reading stopped: the object's index in the listing, and the last line read in it. */
export interface ReadPosition {
  index: number
  line: number
}

/** How many objects were not read, or not to the end, said by object. */
export function notRead(
  objects: readonly { url: string; key: string }[],
  at: ReadPosition | undefined,
): string {
  if (!at) return 'nothing: every object was read'
  // A workspace file by its workspace path, as its annotations and the summary show it.
  const shown = (o: { url: string; key: string }) => (o.url.startsWith('s3://') ? o.url : o.key)
  const current = objects[at.index]
  const rest = objects.slice(at.index + 1)
  const named = rest.slice(0, 3).map(shown)
  const more = rest.length > named.length ? ` and ${rest.length - named.length} more` : ''
  const others =
    rest.length === 0
      ? ''
      : `; ${counted(rest.length, 'object')} not at all (${named.join(', ')}${more})`
  return `${current ? shown(current) : '?'} after line ${at.line}${others}`
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
