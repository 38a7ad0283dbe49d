/**
 * Paces write capacity units to at most `unitsPerSecond`, averaged over the import. Each call
 * reserves its units on a virtual timeline (the generic cell rate algorithm): a call waits until
 * the units of every earlier call have been paid for. Bursts are at most one batch, so the rate
 * holds within a batch's units over any window longer than a few batches.
 */
export class RateLimiter {
  private nextFree: number

  constructor(
    private readonly unitsPerSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    this.nextFree = now()
  }

  /** Waits until `units` may be spent now. */
  async take(units: number): Promise<void> {
    const now = this.now()
    const start = Math.max(now, this.nextFree)
    this.nextFree = start + (units / this.unitsPerSecond) * 1000
    if (start > now) await this.sleep(start - now)
  }
}

/** Write capacity units of a put: one per started KB of item size. */
export function writeUnits(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 1024))
}
