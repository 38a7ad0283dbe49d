/** The clock and the sleep every wait in the action uses; tests inject both so nothing really waits. */
export interface Clock {
  /** Milliseconds, as Date.now. */
  now: () => number
  sleep: (ms: number) => Promise<void>
}

/** Stops a periodic timer: no call of its tick comes after. */
export type StopTimer = () => void

/** A clock that can also call back periodically (progress lines); tests fire it as they advance. */
export interface TimerClock extends Clock {
  /** Calls `tick` every `ms` milliseconds until the returned function is called. */
  every: (ms: number, tick: () => void) => StopTimer
}

/** Waits `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms))
}

/** A real periodic timer that never keeps the process alive on its own. */
export function every(ms: number, tick: () => void): StopTimer {
  const timer = setInterval(tick, ms)
  timer.unref()
  return () => clearInterval(timer)
}

export const realClock: TimerClock = { now: Date.now, sleep, every }
