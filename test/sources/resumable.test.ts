import { describe, expect, it } from 'vitest'
import { MAX_RESUMES, resumable } from '../../src/sources/s3.js'

const object = { url: 's3://b/k', key: 'k', size: 10, etag: '"e"' }
const broken = () => Object.assign(new Error('aborted'), { code: 'ECONNRESET' })

/** A body that yields `bytes` from `from`, breaking after `cut` bytes when given. */
function body(bytes: Buffer, from: number, cut?: number): AsyncIterable<Uint8Array> {
  return (async function* () {
    const end = cut === undefined ? bytes.length : from + cut
    for (let at = from; at < end; at += 3) yield bytes.subarray(at, Math.min(at + 3, end))
    if (cut !== undefined) throw broken()
  })()
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = []
  for await (const chunk of source) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts).toString()
}

describe('resumable', () => {
  it('resumes a broken read from the byte it reached, losing and repeating nothing', async () => {
    const bytes = Buffer.from('0123456789')
    const froms: number[] = []
    const resumes: number[] = []
    const text = await collect(
      resumable(
        object,
        async (from) => {
          froms.push(from)
          return body(bytes, from, froms.length < 3 ? 4 : undefined)
        },
        (from) => resumes.push(from),
      ),
    )
    expect(text).toBe('0123456789')
    expect(froms).toEqual([0, 4, 8])
    expect(resumes).toEqual([4, 8])
  })

  it('treats a body that ends early without an error as a break', async () => {
    const bytes = Buffer.from('0123456789')
    const froms: number[] = []
    const text = await collect(
      resumable(
        object,
        async (from) => {
          froms.push(from)
          return body(bytes.subarray(0, froms.length === 1 ? 6 : 10), from)
        },
        () => {},
      ),
    )
    expect(text).toBe('0123456789')
    expect(froms).toEqual([0, 6])
  })

  it('gives up after MAX_RESUMES breaks, and never resumes an answer that would repeat', async () => {
    const bytes = Buffer.from('0123456789')
    let calls = 0
    await expect(
      collect(
        resumable(
          object,
          async (from) => (calls++, body(bytes, from, 1)),
          () => {},
        ),
      ),
    ).rejects.toThrow()
    expect(calls).toBe(MAX_RESUMES + 1)

    calls = 0
    const changed = Object.assign(new Error('precondition'), {
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    })
    await expect(
      collect(
        resumable(
          object,
          async (from) => {
            calls++
            if (from > 0) throw changed
            return body(bytes, from, 5)
          },
          () => {},
        ),
      ),
    ).rejects.toThrow('precondition')
    expect(calls).toBe(2)
  })
})
