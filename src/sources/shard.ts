import * as core from '@actions/core'
import { formatBytes } from '../words.js'
import type { SourceObject } from './source.js'

/** One job's part of a sharded import: `shard: 2/4` is { index: 2, count: 4 }. */
export interface Shard {
  index: number
  count: number
}

/** Matrix jobs beyond this would each get next to nothing, and is more likely a typo. */
export const MAX_SHARDS = 256

export function parseShard(value: string): Shard | undefined {
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(value.trim())
  if (!match) return undefined
  const index = Number(match[1])
  const count = Number(match[2])
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) return undefined
  return { index, count }
}

/**
 * This shard's objects. Every job computes the same split from the same listing: objects go, the
 * largest first, to the shard with the fewest bytes so far (ties to the lower shard), which
 * balances the shards by size; within a shard, objects keep their key order.
 */
export function shardObjects(objects: SourceObject[], shard: Shard): SourceObject[] {
  if (shard.count === 1) return objects
  const loads = new Array<number>(shard.count).fill(0)
  const mine = new Set<SourceObject>()
  const bySize = [...objects].sort(
    (a, b) => b.size - a.size || Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)),
  )
  for (const object of bySize) {
    let target = 0
    for (let i = 1; i < loads.length; i++) if ((loads[i] ?? 0) < (loads[target] ?? 0)) target = i
    loads[target] = (loads[target] ?? 0) + object.size
    if (target === shard.index - 1) mine.add(object)
  }
  return objects.filter((o) => mine.has(o))
}

/** This job's part of the objects when shard is set (every job computes the same split). */
export function thisShard(objects: SourceObject[], shard: Shard | undefined): SourceObject[] {
  if (!shard || shard.count === 1) return objects
  const part = shardObjects(objects, shard)
  const bytes = (list: SourceObject[]) => list.reduce((sum, o) => sum + o.size, 0)
  core.info(
    `shard ${shard.index}/${shard.count}: ${part.length} of ${objects.length} objects, ` +
      `${formatBytes(bytes(part))} of ${formatBytes(bytes(objects))}`,
  )
  return part
}
