// The source's silence over the whole run: the time the reader waits for a byte, summed over
// every read since the last byte came, stops the import at stall-timeout-seconds. On the injected
// clock: nothing here really waits.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  SOURCE_SILENCE_CHECK_MS,
  SourceSilence,
  SourceSilent,
} from '../../src/stream/source-silence.js'
import { readInBackground, turn, virtualClock } from '../support/helpers.js'

const LIMIT_S = 20

describe('SourceSilence', () => {
  it('stops a read that waits for a byte for stall-timeout-seconds, and says so', async () => {
    const clock = virtualClock()
    const silence = new SourceSilence(LIMIT_S, clock)
    const body = new PassThrough()
    body.write('abc')
    const { state, finished } = readInBackground(silence.watch(body))
    await turn()
    expect(state.text).toBe('abc')
    clock.advance(LIMIT_S * 1000 - SOURCE_SILENCE_CHECK_MS)
    await turn()
    expect(state.done).toBe(false)
    expect(silence.fired).toBeUndefined()
    clock.advance(2 * SOURCE_SILENCE_CHECK_MS)
    await finished
    expect(state.error).toBeInstanceOf(SourceSilent)
    expect(silence.fired).toBe(
      `the source sent no byte for ${LIMIT_S} s while the action waited for one, the stall-timeout-seconds (${LIMIT_S})`,
    )
    silence.close()
  })

  it('sums the silence of every read since the last byte: a resumed read that stays silent too', async () => {
    const clock = virtualClock()
    const silence = new SourceSilence(LIMIT_S, clock)
    // The first read waits 15 s and ends (as a broken read does), the second waits on.
    const first = new PassThrough()
    first.write('abc')
    const one = readInBackground(silence.watch(first))
    await turn()
    clock.advance(15_000)
    first.end()
    await one.finished
    expect(one.state.error).toBeUndefined()
    const second = readInBackground(silence.watch(new PassThrough()))
    await turn()
    clock.advance(LIMIT_S * 1000 - 15_000 + 2 * SOURCE_SILENCE_CHECK_MS)
    await second.finished
    expect(second.state.error).toBeInstanceOf(SourceSilent)
    // Once fired, a read that starts later fails at once.
    const third = readInBackground(silence.watch(new PassThrough()))
    await third.finished
    expect(third.state.error).toBeInstanceOf(SourceSilent)
    silence.close()
  })

  it('starts the count again at each byte, and counts no time when the reader is not waiting', async () => {
    const clock = virtualClock()
    const silence = new SourceSilence(LIMIT_S, clock)
    const body = new PassThrough()
    const iterator = silence.watch(body)[Symbol.asyncIterator]()
    // The reader holds the first chunk for a long time (a throttled writer): not silence.
    body.write('a')
    await iterator.next()
    clock.advance(10 * LIMIT_S * 1000)
    // Waiting again: 15 s of silence, then a byte, then 15 s more: never 20 s in a row.
    const next = iterator.next()
    clock.advance(15_000)
    body.write('b')
    expect(Buffer.from((await next).value as Uint8Array).toString()).toBe('b')
    const last = iterator.next()
    clock.advance(15_000)
    body.end('c')
    expect(Buffer.from((await last).value as Uint8Array).toString()).toBe('c')
    expect(silence.fired).toBeUndefined()
    silence.close()
  })
})
