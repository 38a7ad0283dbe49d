import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import type { SourceObject } from './sources/source.js'

/**
 * Below this much source (compressed, it can be ten times as much text), the heap never grows far
 * enough before a full collection for settleHeap to matter.
 */
export const SETTLE_FROM_BYTES = 16 * 1024 * 1024

/**
 * One full, memory-reducing garbage collection before a large source is read, so that V8 sizes
 * the heap from what is live then.
 *
 * V8 sets the old generation's limit after each full collection: the live size times a factor
 * that grows with how fast the program allocates. The first one comes while the bundle loads,
 * allocating fast, so its factor is the largest (4): with 13 MB live, the next full collection
 * waits for 56 MB. And reading fills the old generation at once: JSON.parse internalizes string
 * values shorter than 10 characters (numbers, mostly), and internalized strings are made in the
 * old generation and listed in V8's string table, which doubles as they pile up (32 MB). A 1 GiB
 * dry run peaked at 200 MiB. After a memory-reducing collection the factor is the smallest; the
 * collections that follow, sized by the read's own pace, keep the peak at 120 MiB.
 *
 * The inspector's HeapProfiler.collectGarbage runs one (about 20 ms) without any V8 flag; it
 * caps nothing. Without the inspector (a Node built without it), the import runs as it would.
 */
export async function settleHeap(objects: readonly SourceObject[]): Promise<void> {
  const bytes = objects.reduce((sum, o) => sum + o.size, 0)
  if (bytes < SETTLE_FROM_BYTES) return
  try {
    const { Session } = await import('node:inspector/promises')
    const session = new Session()
    session.connect()
    try {
      await session.post('HeapProfiler.collectGarbage')
    } finally {
      session.disconnect()
    }
  } catch (err) {
    core.debug(`No garbage collection before the read: ${errorMessage(err)}`)
  }
}
