import { describe, expect, it, vi } from 'vitest'
import { Progress, PROGRESS_INTERVAL_MS } from '../../src/stream/progress.js'
import type { WriteSummary } from '../../src/stream/batch-writer.js'
import { virtualClock } from '../support/helpers.js'

const outcome = { imported: 0, processed: 0, processedSizeBytes: 0, errors: 0 }
const counters = (): WriteSummary => ({
  written: 0,
  refused: 0,
  unwritten: 0,
  calls: 0,
  resent: 0,
  consumedWriteCapacity: 0,
  pacing: { throttled: 0, itemsPerSecond: 0, unitsPerSecond: 0, concurrency: 1, longestStallMs: 0 },
})

/** The progress lines logged from now on. */
function captureLines(): string[] {
  const lines: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('progress:')),
    )
    return true
  })
  return lines
}

describe('Progress', () => {
  it(`logs every ${PROGRESS_INTERVAL_MS} ms with the writer's live counts, and none after stop`, () => {
    const clock = virtualClock(1_000_000)
    // The writer's counters are a getter that returns a fresh copy, as BatchWriter's does: a
    // line must read them when it is logged, not a copy taken at the start.
    let live = counters()
    const writer = {
      get progress() {
        return { ...live }
      },
    }
    const counts = { ...outcome, processed: 300, processedSizeBytes: 9000, errors: 1 }
    const progress = new Progress(clock, 3, { outcome: counts, writer })
    const lines = captureLines()
    progress.start()
    clock.advance(PROGRESS_INTERVAL_MS - 1)
    expect(lines).toEqual([])
    live = { ...live, written: 100, calls: 4 }
    clock.advance(1)
    progress.objectDone()
    live = { ...live, written: 250, calls: 10 }
    clock.advance(PROGRESS_INTERVAL_MS)
    progress.stop()
    live = { ...live, written: 300, calls: 12 }
    clock.advance(5 * PROGRESS_INTERVAL_MS)
    expect(lines).toEqual([
      'progress: 0/3 objects done (3 left), 300 records read (9000 bytes), 100 items written in 4 calls, 10 items/s, 1 rejected',
      'progress: 1/3 objects done (2 left), 300 records read (9000 bytes), 250 items written in 10 calls, 13 items/s, 1 rejected',
    ])
    expect(progress.samples).toEqual([
      { seconds: 10, items: 100 },
      { seconds: 20, items: 250 },
    ])
  })

  it('in a dry run counts the items validated', () => {
    const clock = virtualClock()
    const progress = new Progress(clock, 1, {
      outcome: { ...outcome, imported: 40, processed: 41 },
    })
    const lines = captureLines()
    progress.start()
    clock.advance(PROGRESS_INTERVAL_MS)
    progress.stop()
    expect(lines).toEqual([
      'progress: 0/1 objects done (1 left), 41 records read (0 bytes), 40 items validated (dry run), 4 items/s, 0 rejected',
    ])
  })

  it('on the real clock, ticks on an unref-ed interval that stop clears', async () => {
    const { realClock } = await import('../../src/clock.js')
    vi.useFakeTimers()
    try {
      const ticks: number[] = []
      const stop = realClock.every(1000, () => ticks.push(Date.now()))
      vi.advanceTimersByTime(2500)
      stop()
      vi.advanceTimersByTime(5000)
      expect(ticks).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
