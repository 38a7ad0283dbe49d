import * as core from '@actions/core'
import type { TimerClock, StopTimer } from '../clock.js'
import type { WriteSummary } from './batch-writer.js'
import type { StreamOutcome } from './outcome.js'

/** A long import logs a progress line at least this often. */
export const PROGRESS_INTERVAL_MS = 10_000

/** Where a progress line reads its counts: the outcome as it grows, and the writer's live ones. */
export interface ProgressSource {
  outcome: Pick<StreamOutcome, 'imported' | 'processed' | 'processedSizeBytes' | 'errors'>
  /** The writer (none in a dry run): its counters are read at each line, never copied before. */
  writer?: { readonly progress: Readonly<WriteSummary> } | undefined
  /** Without a writer, what happened to the valid items: a dry run's, unless said here. */
  unwritten?: string
}

/**
 * Logs the counters every PROGRESS_INTERVAL_MS from start() to stop(), on the injected clock's
 * timer: reading and writing both take time (a writer paced by max-write-capacity drains long
 * after the last record was read), so the line comes from a timer, not from the reading loop.
 */
export class Progress {
  private started = 0
  private done = 0
  private stopTimer: StopTimer | undefined
  /** Items at each progress line, for the summary's chart. */
  readonly samples: Array<{ seconds: number; items: number }> = []

  constructor(
    private readonly clock: Pick<TimerClock, 'now' | 'every'>,
    private readonly total: number,
    private readonly source: ProgressSource,
  ) {}

  /** Starts the lines; the first comes PROGRESS_INTERVAL_MS from now. */
  start(): void {
    this.stop()
    this.started = this.clock.now()
    this.stopTimer = this.clock.every(PROGRESS_INTERVAL_MS, () => this.log())
  }

  /** No line after this: the write step has ended (or failed). */
  stop(): void {
    this.stopTimer?.()
    this.stopTimer = undefined
  }

  objectDone(): void {
    this.done++
  }

  private log(): void {
    const seconds = (this.clock.now() - this.started) / 1000
    const { outcome, writer } = this.source
    const write = writer?.progress
    const items = write ? write.written : outcome.imported
    this.samples.push({ seconds: Math.round(seconds), items })
    const rate = seconds > 0 ? Math.round(items / seconds) : 0
    const written = write
      ? `${items} items written in ${write.calls} calls`
      : `${items} items ${this.source.unwritten ?? 'validated (dry run)'}`
    core.info(
      `progress: ${this.done}/${this.total} objects done (${this.total - this.done} left), ` +
        `${outcome.processed} records read (${outcome.processedSizeBytes} bytes), ${written}, ` +
        `${rate} items/s, ${outcome.errors} rejected`,
    )
  }
}
