// The runner's signals, delivered as process events: the first cancels, a second (or the
// deadline) ends the process through the injected exit.
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  Cancellation,
  Cancelled,
  cancelledBy,
  CANCEL_DEADLINE_MS,
  CANCEL_GRACE_MS,
} from '../src/cancel.js'

const watched: Cancellation[] = []
afterEach(() => {
  for (const c of watched.splice(0)) c.stop()
  vi.useRealTimers()
})

function watch() {
  const events: string[] = []
  const exit = vi.fn<(code: number) => void>()
  const cancellation = new Cancellation(
    {
      onCancel: (c) => events.push(`cancel ${c.signal} ${c.graceMs}`),
      onStopNow: ({ signal, again }) =>
        events.push(`stop ${signal} ${again ? 'again' : 'deadline'}`),
    },
    exit,
  ).watch()
  watched.push(cancellation)
  return { cancellation, events, exit }
}

describe('Cancellation', () => {
  it('the first SIGINT aborts the signal with the grace of a SIGINT; a second exits with 130', () => {
    const { cancellation, events, exit } = watch()
    expect(cancellation.cancelled).toBeUndefined()
    process.emit('SIGINT')
    expect(cancellation.signal.aborted).toBe(true)
    expect(cancelledBy(cancellation.signal)).toEqual(new Cancelled('SIGINT', 3_000))
    expect(cancellation.cancelled?.message).toBe('the import was cancelled (SIGINT)')
    expect(events).toEqual(['cancel SIGINT 3000'])
    expect(exit).not.toHaveBeenCalled()
    process.emit('SIGINT')
    expect(events).toEqual(['cancel SIGINT 3000', 'stop SIGINT again'])
    expect(exit).toHaveBeenCalledWith(130)
  })

  it('a first SIGTERM leaves less grace, well inside the 2.5 s before SIGKILL; a second exits with 143', () => {
    const { events, exit } = watch()
    process.emit('SIGTERM')
    process.emit('SIGTERM')
    expect(events).toEqual([`cancel SIGTERM ${CANCEL_GRACE_MS.SIGTERM}`, 'stop SIGTERM again'])
    expect(CANCEL_DEADLINE_MS.SIGTERM).toBeLessThan(2_500)
    expect(CANCEL_GRACE_MS.SIGTERM).toBeLessThan(CANCEL_DEADLINE_MS.SIGTERM)
    expect(exit).toHaveBeenCalledWith(143)
  })

  it('ends the process at the deadline when the run did not stop by then', () => {
    vi.useFakeTimers()
    const { events, exit } = watch()
    process.emit('SIGINT')
    vi.advanceTimersByTime(CANCEL_DEADLINE_MS.SIGINT - 1)
    expect(exit).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(events).toEqual(['cancel SIGINT 3000', 'stop SIGINT deadline'])
    expect(exit).toHaveBeenCalledWith(1)
    // Before SIGTERM comes, 7.5 s after SIGINT.
    expect(CANCEL_DEADLINE_MS.SIGINT).toBeLessThan(7_500)
  })

  it('exits even when the last outputs cannot be written', () => {
    const exit = vi.fn<(code: number) => void>()
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const cancellation = new Cancellation(
      {
        onCancel: () => {},
        onStopNow: () => {
          throw new Error('disk full')
        },
      },
      exit,
    ).watch()
    watched.push(cancellation)
    process.emit('SIGINT')
    process.emit('SIGINT')
    expect(stderr).toHaveBeenCalledWith('could not write the outputs: disk full\n')
    expect(exit).toHaveBeenCalledWith(130)
  })

  it('stop() removes its handlers and the deadline', () => {
    vi.useFakeTimers()
    const before = process.listenerCount('SIGINT')
    const { cancellation, exit } = watch()
    expect(process.listenerCount('SIGINT')).toBe(before + 1)
    process.emit('SIGINT')
    cancellation.stop()
    expect(process.listenerCount('SIGINT')).toBe(before)
    vi.advanceTimersByTime(CANCEL_DEADLINE_MS.SIGINT)
    expect(exit).not.toHaveBeenCalled()
  })
})
