/** The clock and the sleep every wait in the action uses; tests inject both so nothing really waits. */
export interface Clock {
  /** Milliseconds, as Date.now. */
  now: () => number
  sleep: (ms: number) => Promise<void>
}

/** Waits `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms))
}

export const realClock: Clock = { now: Date.now, sleep }
