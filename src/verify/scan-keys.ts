/**
 * verify: exact. Every key of the table, by a parallel Scan projecting the key attributes only,
 * with strongly consistent reads; throttled pages are asked again on the writer's backoff.
 */
import { ScanCommand, type DynamoDBClient, type ScanCommandOutput } from '@aws-sdk/client-dynamodb'
import type { Clock } from '../clock.js'
import type { Item } from '../table/attribute-value.js'
import type { TableSchema } from '../table/key-schema.js'
import { isRetryable } from '../stream/batch-writer.js'
import { Pacer, type PacingPolicy } from '../stream/pacer.js'
import type { RateLimiter } from '../stream/rate-limiter.js'
import { itemSize } from '../table/item-size.js'
import { READ_UNIT_BYTES } from './read-back.js'

/** Scan segments read in parallel: enough to keep a table's partitions busy, few enough to pace. */
export const SCAN_SEGMENTS = 4

export interface ScanKeysOptions {
  client: Pick<DynamoDBClient, 'send'>
  table: string
  schema: TableSchema
  clock: Clock
  pacing: PacingPolicy
  limiter?: RateLimiter
  /** An emulator reports no capacity: count it from what the pages returned. */
  computeUnits: boolean
  /** Each key the table holds (its key attributes only), in no particular order. */
  onKey: (key: Item) => void
}

/** Scans every key of the table; returns the read units consumed. */
export async function scanKeys(options: ScanKeysOptions): Promise<number> {
  const { client, table, schema, clock, limiter } = options
  const pacer = new Pacer(SCAN_SEGMENTS, options.pacing, clock)
  const names = [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])]
  // Placeholders: a key attribute may be named like a reserved word.
  const attributeNames = Object.fromEntries(names.map((name, i) => [`#k${i}`, name]))
  let units = 0
  const segment = async (index: number) => {
    let start: Item | undefined
    for (;;) {
      const call = await pacer.acquire()
      const sentAt = clock.now()
      let page: ScanCommandOutput
      try {
        page = await client.send(
          new ScanCommand({
            TableName: table,
            Segment: index,
            TotalSegments: SCAN_SEGMENTS,
            ConsistentRead: true,
            ProjectionExpression: Object.keys(attributeNames).join(', '),
            ExpressionAttributeNames: attributeNames,
            ReturnConsumedCapacity: 'TOTAL',
            ...(start && { ExclusiveStartKey: start }),
          }),
        )
      } catch (err) {
        if (!isRetryable(err)) {
          pacer.releaseNeutral()
          throw err
        }
        pacer.release(call, { written: 0, units: 0, partial: false, refused: true, sentAt })
        continue
      }
      const items = page.Items ?? []
      // An emulator: a Scan's units are counted from the keys returned (the whole items, which
      // DynamoDB counts, are not read), one per started 4 KB of a page.
      const pageUnits = options.computeUnits
        ? Math.max(
            1,
            Math.ceil(items.reduce((total, item) => total + itemSize(item), 0) / READ_UNIT_BYTES),
          )
        : (page.ConsumedCapacity?.CapacityUnits ?? 0)
      units += pageUnits
      if (limiter) void limiter.take(pageUnits)
      // An empty page is still an answer: the scan goes on.
      pacer.release(call, {
        written: Math.max(1, items.length),
        units: pageUnits,
        partial: false,
        refused: false,
        sentAt,
      })
      for (const item of items) options.onKey(item)
      start = page.LastEvaluatedKey
      if (!start) return
    }
  }
  await Promise.all(Array.from({ length: SCAN_SEGMENTS }, (_, i) => segment(i)))
  return units
}
