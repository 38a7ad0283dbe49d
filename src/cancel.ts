/**
 * Cancellation as the runner does it. GitHub cancels a step by sending SIGINT, then SIGTERM 7.5 s
 * later, then SIGKILL 2.5 s after that (GitHub's docs, "Canceling a workflow"). The first signal
 * aborts the run's AbortSignal (engines stop reading, give the calls in flight a grace, report
 * what they did); a second ends the process at once.
 */
import { errorMessage } from './errors.js'

/** The signals the runner cancels a step with. */
export const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const
export type CancelSignal = (typeof CANCEL_SIGNALS)[number]

/**
 * How long the calls in flight get to answer once a cancel starts. On SIGINT, 3 s of the 7.5 s
 * before SIGTERM: a BatchWriteItem call answers in tens of milliseconds when DynamoDB is well,
 * so 3 s is many times what a healthy call needs, and leaves 4.5 s to give up on the rest, close
 * the rejected file, write the outputs and the summary, and exit. On a first SIGTERM (the runner
 * did not send SIGINT, or a person sent SIGTERM) only 2.5 s are left before SIGKILL: 1 s.
 */
export const CANCEL_GRACE_MS: Record<CancelSignal, number> = { SIGINT: 3_000, SIGTERM: 1_000 }

/**
 * However a cancelled run is doing (a read that hangs, a start step waiting on a table), the
 * process ends itself this long after the first signal, with the outputs it has: 1.5 s before
 * SIGTERM after a SIGINT, 0.5 s before SIGKILL after a SIGTERM.
 */
export const CANCEL_DEADLINE_MS: Record<CancelSignal, number> = { SIGINT: 6_000, SIGTERM: 2_000 }

/** The exit code of a process ended by a second signal: 128 + its number, as shells report it. */
export const SIGNAL_EXIT_CODES: Record<CancelSignal, number> = { SIGINT: 130, SIGTERM: 143 }

/** Why a run's signal was aborted: the signal, and the grace the calls in flight get. */
export class Cancelled extends Error {
  constructor(
    readonly signal: CancelSignal,
    readonly graceMs: number = CANCEL_GRACE_MS[signal],
  ) {
    super(`the import was cancelled (${signal})`)
    this.name = 'Cancelled'
  }
}

/** The Cancelled an aborted signal carries, if it was aborted by a cancel. */
export function cancelledBy(signal: AbortSignal | undefined): Cancelled | undefined {
  return signal?.aborted && signal.reason instanceof Cancelled ? signal.reason : undefined
}

export interface CancelHooks {
  /** The first signal: the run's signal is aborted; the outputs known now should be written. */
  onCancel(cancelled: Cancelled): void
  /** A second signal, or the deadline: write what can be written at once; the process ends after. */
  onStopNow(why: { signal: CancelSignal; again: boolean }): void
}

/**
 * Watches for the runner's signals while a run lasts. The first aborts `signal`; a second one, or
 * CANCEL_DEADLINE_MS after the first, calls onStopNow and then `exit`.
 */
export class Cancellation {
  private readonly controller = new AbortController()
  private deadline: NodeJS.Timeout | undefined
  private readonly listeners = CANCEL_SIGNALS.map(
    (name) => [name, () => this.received(name)] as const,
  )

  constructor(
    private readonly hooks: CancelHooks,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  /** Aborted on the first signal, with a Cancelled as its reason. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** The cancel, once one has started. */
  get cancelled(): Cancelled | undefined {
    return cancelledBy(this.signal)
  }

  /** Installs the handlers (replacing Node's default: die at once, without a word). */
  watch(): this {
    for (const [name, listener] of this.listeners) process.on(name, listener)
    return this
  }

  /** Removes the handlers and the deadline: the run has ended. */
  stop(): void {
    for (const [name, listener] of this.listeners) process.off(name, listener)
    clearTimeout(this.deadline)
  }

  /** What a signal does: the first cancels, a later one stops the process. */
  received(name: CancelSignal): void {
    const first = this.cancelled
    if (first) return this.stopNow(name, true)
    const cancelled = new Cancelled(name)
    this.controller.abort(cancelled)
    this.deadline = setTimeout(() => this.stopNow(name, false), CANCEL_DEADLINE_MS[name])
    // The deadline must not keep a run that has ended alive.
    this.deadline.unref()
    this.hooks.onCancel(cancelled)
  }

  private stopNow(signal: CancelSignal, again: boolean): void {
    try {
      this.hooks.onStopNow({ signal, again })
    } catch (err) {
      // Ending is what matters now: say why the last words failed, and end.
      process.stderr.write(`could not write the outputs: ${errorMessage(err)}\n`)
    }
    this.exit(again ? SIGNAL_EXIT_CODES[signal] : 1)
  }
}
