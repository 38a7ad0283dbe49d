/**
 * stall-timeout-seconds for the source: the time the reader spends waiting for a byte from it,
 * summed over every object and every resumed read since the last byte came, ends the import once
 * it reaches the limit, as DynamoDB accepting no write does. Without it a source that stays silent
 * (every body stops mid-stream, no answer ever comes) is only given up object by object, each
 * after its resumes: minutes each. Time the reader spends elsewhere (held back by a throttled
 * writer) is not the source's silence and is not counted.
 */
import type { StopTimer, TimerClock } from '../clock.js'

/** How often the silence is checked: counted in checks, so a busy process cannot fake it. */
export const SOURCE_SILENCE_CHECK_MS = 1_000

/** The source sent no byte for the limit while the reader waited: the import stops reading. */
export class SourceSilent extends Error {
  override name = 'SourceSilent'
}

export class SourceSilence {
  private waiting = false
  private checks = 0
  private abandon: ((err: Error) => void) | undefined
  private readonly stop: StopTimer
  /** Why the import stopped reading, once it did. */
  fired: string | undefined

  constructor(limitSeconds: number, clock: Pick<TimerClock, 'every'>) {
    // The first check after a wait starts may come at once: one more than the limit's worth.
    const limitChecks = Math.ceil((limitSeconds * 1000) / SOURCE_SILENCE_CHECK_MS) + 1
    this.stop = clock.every(SOURCE_SILENCE_CHECK_MS, () => {
      if (!this.waiting || ++this.checks < limitChecks) return
      this.waiting = false
      this.fired = `the source sent no byte for ${limitSeconds} s while the action waited for one, the stall-timeout-seconds (${limitSeconds})`
      this.abandon?.(new SourceSilent(this.fired))
    })
  }

  /** The chunks of one read; a byte from any read of the source starts the count again. */
  async *watch(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const iterator = chunks[Symbol.asyncIterator]()
    let ended = false
    try {
      for (;;) {
        if (this.fired) throw new SourceSilent(this.fired)
        this.waiting = true
        const next = await new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
          this.abandon = reject
          iterator.next().then(resolve, reject)
        })
        this.waiting = false
        if (next.done) {
          ended = true
          return
        }
        if (next.value.length > 0) this.checks = 0
        yield next.value
      }
    } catch (err) {
      ended = true
      throw err
    } finally {
      this.waiting = false
      this.abandon = undefined
      // Let go of a read left waiting: it is closed when it next moves, or with its client.
      if (!ended) void iterator.return?.()?.catch(() => {})
    }
  }

  close(): void {
    this.stop()
  }
}
