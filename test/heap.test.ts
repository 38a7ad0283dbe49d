import { Session } from 'node:inspector/promises'
import { describe, expect, it, vi } from 'vitest'
import { SETTLE_FROM_BYTES, settleHeap } from '../src/heap.js'
import type { SourceObject } from '../src/sources/source.js'

const objects = (...sizes: number[]): SourceObject[] =>
  sizes.map((size, i) => ({ url: `file:///o${i}`, key: `o${i}`, size }))

describe('settleHeap', () => {
  it('runs one full collection through the inspector for a large source, and disconnects', async () => {
    const post = vi.spyOn(Session.prototype, 'post')
    const disconnect = vi.spyOn(Session.prototype, 'disconnect')
    await settleHeap(objects(SETTLE_FROM_BYTES / 2, SETTLE_FROM_BYTES / 2))
    expect(post).toHaveBeenCalledExactlyOnceWith('HeapProfiler.collectGarbage')
    expect(await post.mock.results[0]?.value).toEqual({})
    expect(disconnect).toHaveBeenCalledOnce()
  })

  it('leaves a small source alone', async () => {
    const connect = vi.spyOn(Session.prototype, 'connect')
    await settleHeap(objects(SETTLE_FROM_BYTES - 1))
    await settleHeap([])
    expect(connect).not.toHaveBeenCalled()
  })

  it('goes on without the collection when the inspector refuses, saying why in the debug log', async () => {
    vi.spyOn(Session.prototype, 'post').mockRejectedValue(new Error('inspector unavailable'))
    const disconnect = vi.spyOn(Session.prototype, 'disconnect')
    const written: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    await expect(settleHeap(objects(SETTLE_FROM_BYTES))).resolves.toBeUndefined()
    expect(written.join('')).toContain(
      '::debug::No garbage collection before the read: inspector unavailable',
    )
    expect(disconnect).toHaveBeenCalledOnce()
  })
})
