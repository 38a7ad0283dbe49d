/**
 * verify: sample. The keys with the smallest hashes: the same keys whatever order the source is
 * read in and however often it is checked, spread over the key space (a hash ignores how keys
 * were chosen), in memory for the sample alone.
 */
import { createHash } from 'node:crypto'

/** The hash that ranks a key (its identity text, keyOf): SHA-256, as hex, compared as text. */
export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

interface Kept<T> {
  hash: string
  key: string
  value: T
}

/**
 * Keeps the `size` keys with the smallest hashes seen, each with the value of its latest record:
 * a bounded max-heap (the largest kept hash on top, evicted by a smaller one), and a map by key.
 */
export class Sample<T> {
  private readonly heap: Kept<T>[] = []
  private readonly byKey = new Map<string, Kept<T>>()

  constructor(private readonly size: number) {}

  /** A record of `key`: kept when its hash is among the smallest, replacing an earlier record of the key. */
  add(key: string, value: T): void {
    const kept = this.byKey.get(key)
    if (kept) {
      kept.value = value
      return
    }
    if (this.size <= 0) return
    const hash = keyHash(key)
    if (this.heap.length < this.size) {
      const entry = { hash, key, value }
      this.heap.push(entry)
      this.byKey.set(key, entry)
      this.up(this.heap.length - 1)
      return
    }
    const top = this.heap[0] as Kept<T>
    // A key ranked out stays out: its hash never changes, and the top only ever gets smaller.
    if (hash >= top.hash) return
    this.byKey.delete(top.key)
    const entry = { hash, key, value }
    this.heap[0] = entry
    this.byKey.set(key, entry)
    this.down(0)
  }

  /** The kept values, each its key's latest. */
  values(): T[] {
    return this.heap.map((entry) => entry.value)
  }

  get length(): number {
    return this.heap.length
  }

  private up(at: number): void {
    const heap = this.heap
    let i = at
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((heap[parent] as Kept<T>).hash >= (heap[i] as Kept<T>).hash) return
      this.swap(i, parent)
      i = parent
    }
  }

  private down(at: number): void {
    const heap = this.heap
    let i = at
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let largest = i
      if (left < heap.length && (heap[left] as Kept<T>).hash > (heap[largest] as Kept<T>).hash)
        largest = left
      if (right < heap.length && (heap[right] as Kept<T>).hash > (heap[largest] as Kept<T>).hash)
        largest = right
      if (largest === i) return
      this.swap(i, largest)
      i = largest
    }
  }

  private swap(i: number, j: number): void {
    const heap = this.heap
    const a = heap[i] as Kept<T>
    heap[i] = heap[j] as Kept<T>
    heap[j] = a
  }
}
