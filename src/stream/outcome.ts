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
  }
}
