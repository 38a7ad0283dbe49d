/**
 * `fn` on every item, at most `limit` at a time (a pool of workers taking items in order); the
 * results in the items' order. For control-plane calls that wait seconds each (creating or
 * deleting tables), where all at once would meet the account's limits.
 */
export async function mapAtMost<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
