import * as core from '@actions/core'
import type { WriteSummary } from './batch-writer.js'
import type { StreamOutcome } from './outcome.js'

/** A long import logs a progress line at least this often. */
export const PROGRESS_INTERVAL_MS = 10_000

/** Logs the counters at least every PROGRESS_INTERVAL_MS, on the injected clock. */
export class Progress {
  private readonly started: number
  private last: number
  private done = 0
  /** Items at each progress line, for the summary's chart. */
  readonly samples: Array<{ seconds: number; items: number }> = []

  constructor(
    private readonly now: () => number,
    private readonly total: number,
  ) {
    this.started = now()
    this.last = this.started
  }

  objectDone(): void {
    this.done++
  }

  maybeLog(
    outcome: Pick<StreamOutcome, 'imported' | 'processedSizeBytes' | 'errors'>,
    write: Readonly<WriteSummary> | undefined,
  ): void {
    const time = this.now()
    if (time - this.last < PROGRESS_INTERVAL_MS) return
    this.last = time
    const seconds = (time - this.started) / 1000
    const items = write ? write.written : outcome.imported
    this.samples.push({ seconds: Math.round(seconds), items })
    core.info(
      `progress: ${this.done}/${this.total} objects done (${this.total - this.done} left), ` +
        `${items} items, ${outcome.processedSizeBytes} bytes, ` +
        `${Math.round(items / seconds)} items/s, ${outcome.errors} errors`,
    )
  }
}
