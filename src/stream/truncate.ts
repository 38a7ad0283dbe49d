import * as core from '@actions/core'
import { paginateScan, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb'
import { ActionError } from '../errors.js'
import { keyOf, tableSchemaFrom } from '../table/key-schema.js'
import { type Item } from '../table/attribute-value.js'
import type { Clock } from '../clock.js'
import { BatchWriter } from './batch-writer.js'
import { callsOn } from './write-calls.js'

/** Parallel scan segments: more would only queue behind the writer's calls. */
const MAX_SCAN_SEGMENTS = 16

export interface TruncateOptions {
  /** For the scan (the SDK retries it). */
  reads: DynamoDBClient
  /** For the deletes (the writer paces and resends them). */
  writes: DynamoDBClient
  table: TableDescription
  concurrency: number
  clock?: Clock
}

/**
 * Deletes every item of the table: a parallel scan of the key attributes only, and batch
 * deletes through the writer (the same batching, pacing and key ordering as the import).
 * Returns how many items it deleted; throws if any could not be deleted.
 */
export async function truncateTable(options: TruncateOptions): Promise<number> {
  const schema = tableSchemaFrom(options.table)
  const name = options.table.TableName ?? ''
  const keys = [schema.partitionKey, ...(schema.sortKey ? [schema.sortKey] : [])]
  const failures: string[] = []
  const writer = new BatchWriter({
    calls: callsOn(options.writes),
    table: name,
    concurrency: options.concurrency,
    reportedCapacity: false,
    keyOf: (item: Item) => keyOf(item, schema),
    ...(options.clock && { clock: options.clock }),
    events: {
      onRefused: (_, reason) => void failures.push(reason),
      onUnwritten: (_, reason) => void failures.push(reason),
    },
  })
  const segments = Math.min(MAX_SCAN_SEGMENTS, Math.max(1, options.concurrency))
  const scanSegment = async (segment: number) => {
    const pages = paginateScan(
      { client: options.reads },
      {
        TableName: name,
        Segment: segment,
        TotalSegments: segments,
        ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(keys.map((k, i) => [`#k${i}`, k.name])),
      },
    )
    for await (const page of pages) {
      for (const item of (page.Items ?? []) as Item[]) {
        const key = keyOf(item, schema)
        const pending = writer.add({
          key,
          item,
          delete: true,
          wireBytes: 0,
          units: 1,
          records: 1,
          url: name,
          line: 0,
        })
        if (pending) await pending
      }
    }
  }
  await Promise.all(Array.from({ length: segments }, (_, i) => scanSegment(i)))
  const summary = await writer.close()
  if (failures.length > 0) {
    throw new ActionError(
      `truncate: ${failures.length} items of ${name} could not be deleted (${summary.written} were): ${failures[0]}`,
    )
  }
  core.info(`truncate: deleted ${summary.written} items from ${name}`)
  return summary.written
}
