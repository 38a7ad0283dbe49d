import type { Clock } from '../clock.js'
import type { PacingReport } from '../result.js'

/**
 * How the writer backs off. DynamoDB's advice for throttling and UnprocessedItems is exponential
 * backoff with jitter (docs/import-rules.md §8); here one pause holds back every call, not each
 * batch on its own, and the number of calls in flight adapts.
 */
export interface PacingPolicy {
  /** The first pause after a call that DynamoDB refused whole. */
  baseDelayMs: number
  /** Pauses double while refusals go on, up to this. */
  maxDelayMs: number
  /** The writer gives up when DynamoDB has accepted no write for this long (stall-timeout-seconds). */
  stallMs: number
}

export const DEFAULT_PACING: PacingPolicy = {
  baseDelayMs: 50,
  maxDelayMs: 5_000,
  stallMs: 120_000,
}

/** The pace is reported over the last this many milliseconds of writing: where it settled. */
const PACE_WINDOW_MS = 10_000

/** How one call went, for the pace. */
export interface CallResult {
  /** Items DynamoDB accepted, and their write units. */
  written: number
  units: number
  /** DynamoDB took some of the call's items and returned the rest as UnprocessedItems. */
  partial: boolean
  /** Nothing was taken: throttling, a 5xx, a broken connection, no answer by the deadline. */
  refused: boolean
  /**
   * When the call went out (the pacer's clock). A call that brought nothing starts the stall
   * clock from there, not from when it ended: a call that never answered was silence from the
   * start. Without it, from when it ended.
   */
  sentAt?: number
}

/** What the pacing did, for the log and the summary. */
/** Thrown when DynamoDB has accepted no write for the stall time. */
export class WriterStalled extends Error {
  override name = 'WriterStalled'
}

/**
 * One controller for the whole writer, as TCP's congestion window (Reno) and the AWS SDK's
 * adaptive retry mode do it: additive increase, multiplicative decrease. A call with
 * UnprocessedItems halves the calls in flight; a call refused whole starts again from one; both
 * once per round of calls, since the calls already sent when throttling began say nothing new.
 * Clean calls then double the calls in flight each round up to half of where throttling began,
 * and add one per round above that, up to write-concurrency. A refused call also pauses every call, the pause
 * doubling while refusals go on and ending at the first accepted write. The writer fails only on
 * a stall: no write accepted for stallMs while writes wait, whatever kept them waiting (refusals,
 * broken connections, calls abandoned at their deadline): the stall clock starts when the first
 * call that brought nothing went out.
 */
export class Pacer {
  private window: number
  /** Where doubling the window stops and steady growth takes over (TCP's slow-start threshold). */
  private threshold: number
  private inFlight = 0
  private delayMs = 0
  private resumeAt: number
  /** Calls are numbered as they start; a decrease is remembered by the number last started. */
  private started = 0
  private decreasedAt = 0
  private readonly waiting: Array<() => void> = []
  /**
   * Since when writes have waited in vain: when the first call that brought nothing (refused,
   * broken, or never answered) since DynamoDB last accepted a write went out.
   */
  private fruitlessSince: number | undefined
  /** When DynamoDB last accepted a write: a call sent before it cannot start the stall earlier. */
  private lastAccepted = -Infinity
  private readonly samples: Array<{ at: number; written: number; units: number }> = []
  /** When the first call asked for a slot: the pace is measured from there at most. */
  private began: number | undefined
  private readonly report: PacingReport

  constructor(
    private readonly maxConcurrency: number,
    private readonly policy: PacingPolicy,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {
    this.window = maxConcurrency
    this.threshold = maxConcurrency
    this.resumeAt = clock.now()
    this.report = {
      throttled: 0,
      itemsPerSecond: 0,
      unitsPerSecond: 0,
      concurrency: maxConcurrency,
      longestStallMs: 0,
    }
  }

  /**
   * Waits for a call slot and for the pause, if any. Returns the call's number, to give back to
   * release. Throws WriterStalled once no write was accepted for the stall time.
   */
  async acquire(): Promise<number> {
    this.began ??= this.clock.now()
    for (;;) {
      this.checkStall()
      if (this.inFlight < Math.floor(this.window)) {
        const pause = this.resumeAt - this.clock.now()
        if (pause <= 0) {
          this.inFlight++
          return ++this.started
        }
        await this.clock.sleep(pause)
        continue
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
  }

  /** Ends call `call`: the pace follows what DynamoDB answered. */
  release(call: number, result: CallResult): void {
    this.inFlight--
    const now = this.clock.now()
    if (result.written > 0) this.accepted(now, result)
    // Every item back as UnprocessedItems is as much a refusal as an exception.
    const refused = result.refused || result.written === 0
    if (refused || result.partial) {
      this.report.throttled++
      if (call > this.decreasedAt) {
        // Reno: remember half the window as the threshold; a refusal starts again from one call,
        // a partial call goes on from that half.
        this.threshold = Math.max(2, this.window / 2)
        this.window = refused ? 1 : Math.max(1, this.window / 2)
        this.decreasedAt = this.started
      }
      if (refused) {
        this.delayMs = Math.min(
          this.policy.maxDelayMs,
          Math.max(this.policy.baseDelayMs, this.delayMs * 2),
        )
        // Jitter spreads the calls that resume together (full jitter, floored at half the pause).
        this.resumeAt = now + this.delayMs * (0.5 + this.random() / 2)
        this.fruitlessSince ??= Math.max(Math.min(result.sentAt ?? now, now), this.lastAccepted)
      }
    } else {
      // Below the threshold the window doubles each round (one more call per clean call), above
      // it grows by one call per round.
      const step = this.window < this.threshold ? 1 : 1 / this.window
      this.window = Math.min(this.maxConcurrency, this.window + step)
    }
    this.waiting.splice(0).forEach((wake) => wake())
  }

  /** A call that ended without an answer to judge (a batch narrowed to its bad item). */
  releaseNeutral(): void {
    this.inFlight--
    this.waiting.splice(0).forEach((wake) => wake())
  }

  /** The figures so far. */
  figures(): PacingReport {
    const now = this.clock.now()
    const stall = this.fruitlessSince === undefined ? 0 : now - this.fruitlessSince
    const recent = this.samples.filter((s) => s.at > now - PACE_WINDOW_MS)
    // Over the last ten seconds, or all of the writing when it was shorter.
    const span =
      this.began === undefined ? 0 : Math.max(1, Math.min(PACE_WINDOW_MS, now - this.began))
    const sum = (of: (s: (typeof recent)[number]) => number) =>
      recent.reduce((t, s) => t + of(s), 0)
    return {
      ...this.report,
      concurrency: Math.floor(this.window),
      longestStallMs: Math.max(this.report.longestStallMs, stall),
      itemsPerSecond: span ? Math.round((sum((s) => s.written) * 1000) / span) : 0,
      unitsPerSecond: span ? Math.round((sum((s) => s.units) * 1000) / span) : 0,
    }
  }

  private accepted(now: number, result: CallResult): void {
    if (this.fruitlessSince !== undefined) {
      this.report.longestStallMs = Math.max(this.report.longestStallMs, now - this.fruitlessSince)
      this.fruitlessSince = undefined
    }
    this.lastAccepted = now
    this.delayMs = 0
    this.resumeAt = now
    this.samples.push({ at: now, written: result.written, units: result.units })
    while ((this.samples[0]?.at ?? now) <= now - PACE_WINDOW_MS) this.samples.shift()
  }

  private checkStall(): void {
    if (this.fruitlessSince === undefined) return
    const quiet = this.clock.now() - this.fruitlessSince
    if (quiet >= this.policy.stallMs) {
      throw new WriterStalled(
        `DynamoDB accepted no write for ${Math.floor(quiet / 1000)} s, ` +
          `the stall-timeout-seconds (${Math.round(this.policy.stallMs / 1000)})`,
      )
    }
  }
}
