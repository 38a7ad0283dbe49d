/** The stream engine's own inputs: how it writes, and when it gives up. */

/** BatchWriteItem calls in flight by default: enough to keep DynamoDB Local or a table busy. */
export const DEFAULT_WRITE_CONCURRENCY = 16
/** BatchWriteItem calls in flight: beyond this the client only queues work the table can't take. */
export const MAX_WRITE_CONCURRENCY = 256
/** Write threads: past the runner's cores they only take turns. */
export const MAX_WRITE_THREADS = 64
/**
 * How long DynamoDB may accept no write before the import fails: longer than a table's first
 * minutes of scaling up and an emulator's restart, short enough to fail a dead endpoint soon.
 */
export const DEFAULT_STALL_TIMEOUT_SECONDS = 120

export interface WriteSettings {
  /** BatchWriteItem calls in flight at most. */
  writeConcurrency: number
  /** Threads that send the BatchWriteItem calls; 0 sends them on the main thread. */
  writeThreads: number | 'auto'
  /** Write units per second at most; 0: as fast as the table takes them. */
  maxWriteCapacity: number
  /** The import fails once DynamoDB has accepted no write for this long. */
  stallTimeoutSeconds: number
}
