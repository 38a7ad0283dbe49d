// untilSilent: an S3 body that sends nothing while the reader waits is abandoned after
// S3_BODY_IDLE_MS, on the injected clock; with resumable, the rest is read from the byte reached.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  MAX_RESUMES,
  resumable,
  S3_BODY_IDLE_CHECK_MS,
  S3_BODY_IDLE_MS,
  untilSilent,
} from '../../src/sources/s3.js'
import { readInBackground, turn, virtualClock } from '../support/helpers.js'

/** A body like the SDK's: a stream that can be destroyed; `destroyed` says whether it was. */
function streamBody(...chunks: string[]): PassThrough {
  const body = new PassThrough()
  for (const chunk of chunks) body.write(chunk)
  return body
}

describe('untilSilent', () => {
  it('abandons a body that sends nothing for S3_BODY_IDLE_MS while the reader waits, and destroys it', async () => {
    const clock = virtualClock()
    const body = streamBody('abc')
    const { state, finished } = readInBackground(untilSilent(body, clock))
    await turn()
    expect(state.text).toBe('abc')
    // Just short of the limit: still waiting. (The first check may come at once after the wait
    // began, so the limit is only sure to be passed one check after it.)
    clock.advance(S3_BODY_IDLE_MS - S3_BODY_IDLE_CHECK_MS)
    await turn()
    expect(state.done).toBe(false)
    expect(body.destroyed).toBe(false)
    clock.advance(2 * S3_BODY_IDLE_CHECK_MS)
    await finished
    expect(state.error).toMatchObject({
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      message: `no byte for ${S3_BODY_IDLE_MS / 1000} s`,
    })
    expect(body.destroyed).toBe(true)
  })

  it('never abandons a body that keeps sending, however long the whole read takes', async () => {
    const clock = virtualClock()
    const body = streamBody()
    const { state, finished } = readInBackground(untilSilent(body, clock))
    for (let i = 0; i < 10; i++) {
      clock.advance(S3_BODY_IDLE_MS - S3_BODY_IDLE_CHECK_MS)
      body.write(String(i))
      await turn()
    }
    body.end()
    await finished
    expect(state.error).toBeUndefined()
    expect(state.text).toBe('0123456789')
    expect(clock.elapsed()).toBeGreaterThan(5 * S3_BODY_IDLE_MS)
  })

  it('does not count the time the reader spends elsewhere (the writer holding it back)', async () => {
    const clock = virtualClock()
    const body = streamBody('a', 'b')
    body.end()
    const chunks = untilSilent(body, clock)[Symbol.asyncIterator]()
    expect(Buffer.from((await chunks.next()).value as Uint8Array).toString()).toBe('ab')
    // The reader is busy for twice the limit: the body is not waited on meanwhile.
    clock.advance(2 * S3_BODY_IDLE_MS)
    expect(await chunks.next()).toEqual({ done: true, value: undefined })
    expect(body.destroyed).toBe(true) // ended normally: a stream destroys itself at its end
  })

  it('lets the body go when the reader stops early, and checks no more', async () => {
    const clock = virtualClock()
    const body = streamBody('head', 'rest')
    let checks = 0
    const counting = {
      every: (ms: number, tick: () => void) =>
        clock.every(ms, () => {
          checks++
          tick()
        }),
    }
    for await (const chunk of untilSilent(body, counting)) {
      expect(Buffer.from(chunk).toString()).toBe('headrest')
      break
    }
    await turn()
    expect(body.destroyed).toBe(true)
    clock.advance(2 * S3_BODY_IDLE_MS)
    expect(checks).toBe(0)
  })

  it('passes a body error through as it is', async () => {
    const clock = virtualClock()
    const body = streamBody('x')
    const { state, finished } = readInBackground(untilSilent(body, clock))
    await turn()
    body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))
    await finished
    expect(state.error).toMatchObject({ message: 'aborted', code: 'ECONNRESET' })
  })
})

describe('resumable with silent bodies', () => {
  const object = { url: 's3://b/k', key: 'k', size: 10, etag: '"e"' }
  const bytes = '0123456789'

  it('resumes a body that went silent from the byte reached, losing and repeating nothing', async () => {
    const clock = virtualClock()
    const froms: number[] = []
    const resumes: Array<[number, string]> = []
    const { state, finished } = readInBackground(
      resumable(
        object,
        async (from) => {
          froms.push(from)
          // The first read stalls after 4 bytes; the second sends the rest.
          const body = streamBody(bytes.slice(from, froms.length === 1 ? 4 : 10))
          if (froms.length > 1) body.end()
          return untilSilent(body, clock)
        },
        (from, why) => resumes.push([from, why]),
      ),
    )
    while (!state.done) {
      await turn()
      clock.advance(S3_BODY_IDLE_MS + S3_BODY_IDLE_CHECK_MS)
    }
    await finished
    expect(state.error).toBeUndefined()
    expect(state.text).toBe(bytes)
    expect(froms).toEqual([0, 4])
    expect(resumes).toEqual([[4, `no byte for ${S3_BODY_IDLE_MS / 1000} s`]])
  })

  it('gives up after MAX_RESUMES silences, saying how often and why', async () => {
    const clock = virtualClock()
    const froms: number[] = []
    const { state, finished } = readInBackground(
      resumable(
        object,
        async (from) => {
          froms.push(from)
          return untilSilent(streamBody(bytes.slice(from, from + 1)), clock)
        },
        () => {},
      ),
    )
    while (!state.done) {
      await turn()
      clock.advance(S3_BODY_IDLE_MS + S3_BODY_IDLE_CHECK_MS)
    }
    await finished
    expect(froms).toEqual(Array.from({ length: MAX_RESUMES + 1 }, (_, i) => i))
    expect(state.text).toBe(bytes.slice(0, MAX_RESUMES + 1))
    expect(state.error?.message).toBe(
      `the read broke ${MAX_RESUMES + 1} times; last: no byte for ${S3_BODY_IDLE_MS / 1000} s`,
    )
    expect(state.error?.cause).toMatchObject({ name: 'TimeoutError' })
  })
})
