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
}

export interface EngineContext extends RunOptions {
  clients: Clients
  steps: Steps
}

/** An engine: its job (from the plan) in, the one result out. */
export type Engine<Job> = (job: Job, context: EngineContext) => Promise<EngineResult>
