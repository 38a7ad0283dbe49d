/**
 * What every engine is given besides its job, and what it returns (result.ts): the contract that
 * makes an engine one folder and one line in main.ts.
 */
import type { Clients } from './clients.js'
import type { TimerClock } from './clock.js'
import type { EngineResult } from './result.js'
import type { Steps } from './steps.js'
import type { PacingPolicy } from './stream/pacer.js'

/** Injected by tests: a clock that never waits, and the writer's pauses. */
export interface RunOptions extends Partial<TimerClock> {
  pacing?: Partial<PacingPolicy>
  /** Ends the process after a cancel (process.exit; tests: a spy). */
  exit?: (code: number) => void
}

export interface EngineContext extends RunOptions {
  clients: Clients
  steps: Steps
  /**
   * Aborted on the first SIGINT or SIGTERM, with a Cancelled (cancel.ts) as its reason: the
   * engine stops reading at once, lets the calls in flight end within the grace, and returns
   * its result as it stands (stream: status CANCELLED; native: the import goes on in AWS).
   */
  signal?: AbortSignal
  /**
   * The engine gives the run a reader of its counts so far: when a cancel starts, the outputs
   * are written from it at once, so that a second signal still leaves them.
   */
  showCounts?: (counts: () => CountsSoFar) => void
}

/** What an engine has done so far, for the outputs written as soon as a cancel starts. */
export type CountsSoFar = Partial<
  Pick<
    EngineResult,
    | 'status'
    | 'importArn'
    | 'tableArn'
    | 'processedItemCount'
    | 'importedItemCount'
    | 'errorCount'
    | 'unwrittenItemCount'
    | 'processedSizeBytes'
  >
>

/** An engine: its job (from the plan) in, the one result out. */
export type Engine<Job> = (job: Job, context: EngineContext) => Promise<EngineResult>
