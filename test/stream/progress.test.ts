import { afterEach, describe, expect, it, vi } from 'vitest'
import { Progress, PROGRESS_INTERVAL_MS } from '../../src/stream/progress.js'

const counts = { imported: 50, processedSizeBytes: 1000, errors: 1 }
const writes = {
  written: 0,
  refused: 0,
  unwritten: 0,
  calls: 0,
  resent: 0,
  consumedWriteCapacity: 0,
  pacing: { throttled: 0, itemsPerSecond: 0, unitsPerSecond: 0, concurrency: 1, longestStallMs: 0 },
}

/** The progress lines logged while `run` runs. */
function logged(run: () => void): string[] {
  const lines: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('progress:')),
    )
    return true
  })
  run()
  return lines
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('Progress', () => {
  it(`logs once ${PROGRESS_INTERVAL_MS} ms have passed since the last line, never sooner`, () => {
    let clock = 1_000_000
    const progress = new Progress(() => clock, 3)
    const lines = logged(() => {
      clock += PROGRESS_INTERVAL_MS - 1
      progress.maybeLog(counts, undefined)
      clock += 1
      progress.objectDone()
      progress.maybeLog(counts, undefined)
      clock += PROGRESS_INTERVAL_MS - 1
      progress.maybeLog(counts, undefined)
      clock += 1
      progress.maybeLog(counts, { ...writes, written: 120 })
    })
    expect(lines).toEqual([
      'progress: 1/3 objects done (2 left), 50 items, 1000 bytes, 5 items/s, 1 errors',
      'progress: 1/3 objects done (2 left), 120 items, 1000 bytes, 6 items/s, 1 errors',
    ])
  })
})
