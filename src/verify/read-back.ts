/**
 * The read-back's reads: BatchGetItem calls of up to 100 keys with strongly consistent reads,
 * paced by the writer's controller (a call with UnprocessedKeys halves the calls in flight, a
 * throttled call pauses them all), capped by max-read-capacity, with the unprocessed keys sent
 * again (docs/import-rules.md, "Read-back verification").
 */
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import type { Clock } from '../clock.js'
import type { Item } from '../table/attribute-value.js'
import { itemSize } from '../table/item-size.js'
import { keyOf, type TableSchema } from '../table/key-schema.js'
import { isRetryable } from '../stream/batch-writer.js'
import { Pacer, type PacingPolicy } from '../stream/pacer.js'
import type { RateLimiter } from '../stream/rate-limiter.js'

/** BatchGetItem takes at most 100 keys a call [API BatchGetItem]. */
export const MAX_BATCH_GET_KEYS = 100

/** A strongly consistent read costs one read unit per started 4 KB of each item [doc RCU]. */
export const READ_UNIT_BYTES = 4096

/** One key to read back, and what the source says the table must hold for it. */
export interface Expected {
  /** Source order of the record: the later record of a key is the one that counts. */
  seq: number
  /** keyOf the item: its identity. */
  key: string
  /** The item, or for a delete its key. */
  item: Item
  /** The key must be absent. */
  delete: boolean
  /** `s3://bucket/key:line`, or the workspace file's path and line. */
  location: string
}

/** Read units of a strongly consistent read of `item`; a key with no item still costs one [doc RCU]. */
export function consistentReadUnits(item: Item | undefined): number {
  if (!item) return 1
  return Math.max(1, Math.ceil(itemSize(item) / READ_UNIT_BYTES))
}

/** The key attributes of an item, as BatchGetItem and Scan's ProjectionExpression take them. */
export function keyAttributes(item: Item, schema: TableSchema): Item {
  const names = [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])]
  return Object.fromEntries(names.map((name) => [name, item[name]])) as Item
}

export interface ReadBackOptions {
  client: Pick<DynamoDBClient, 'send'>
  /** The table as the user named it (a name or an ARN). */
  table: string
  schema: TableSchema
  /** BatchGetItem calls in flight at most. */
  concurrency: number
  clock: Clock
  pacing: PacingPolicy
  /** max-read-capacity, when set. */
  limiter?: RateLimiter
  /** An emulator endpoint reports no capacity that means anything: count it from the items. */
  computeUnits: boolean
  /** What the table holds for an expected key: its item, or undefined. */
  onRead: (expected: Expected, actual: Item | undefined) => void
}

/**
 * Sends the keys it is given in calls of up to 100, each key with its latest record: a later
 * record of a key waiting to be sent replaces the earlier one (a call may not name a key twice).
 */
export class ReadBack {
  /** Read units consumed: as DynamoDB reported them, or computed for an emulator. */
  units = 0
  calls = 0
  /** Keys DynamoDB returned unprocessed (or whose call was throttled), sent again. */
  resent = 0
  private waiting = new Map<string, Expected>()
  private readonly inFlight = new Set<Promise<void>>()
  private failure: { error: unknown } | undefined
  private readonly pacer: Pacer

  constructor(private readonly options: ReadBackOptions) {
    this.pacer = new Pacer(options.concurrency, options.pacing, options.clock)
  }

  /**
   * Queues a key to read. Returns a promise when the caller must wait: a full call waits for a
   * slot among the calls in flight, so that the keys read ahead stay few.
   */
  add(expected: Expected): Promise<void> | undefined {
    this.throwIfFailed()
    // Records come in source order: a later one of a key waiting replaces it.
    this.waiting.set(expected.key, expected)
    return this.waiting.size >= MAX_BATCH_GET_KEYS ? this.sendNext() : undefined
  }

  /** Sends what is queued and waits for every answer, unprocessed keys included. */
  async finish(): Promise<void> {
    for (;;) {
      this.throwIfFailed()
      if (this.waiting.size > 0) await this.sendNext()
      else if (this.inFlight.size > 0) await Promise.race(this.inFlight)
      else return
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error
  }

  /** The next call of up to 100 keys, once a slot is free; its answer is handled when it comes. */
  private async sendNext(): Promise<void> {
    let call: number
    try {
      call = await this.pacer.acquire()
    } catch (error) {
      // A stall: the reader stops at the next key, and finish says why.
      this.failure ??= { error }
      throw error
    }
    const keys: Expected[] = []
    for (const [key, expected] of this.waiting) {
      keys.push(expected)
      this.waiting.delete(key)
      if (keys.length === MAX_BATCH_GET_KEYS) break
    }
    const sent: Promise<void> = this.send(call, keys)
      .catch((error: unknown) => {
        this.failure ??= { error }
      })
      .finally(() => this.inFlight.delete(sent))
    this.inFlight.add(sent)
  }

  private async send(call: number, keys: Expected[]): Promise<void> {
    const { client, table, schema, limiter, clock } = this.options
    // A strongly consistent read costs at least a unit a key: reserved before, the rest after.
    await limiter?.take(keys.length)
    const sentAt = clock.now()
    this.calls++
    let response: BatchGetItemCommandOutput
    try {
      response = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: {
              Keys: keys.map((expected) => keyAttributes(expected.item, schema)),
              ConsistentRead: true,
            },
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      )
    } catch (err) {
      if (!isRetryable(err)) {
        this.pacer.releaseNeutral()
        throw err
      }
      this.pacer.release(call, { written: 0, units: 0, partial: false, refused: true, sentAt })
      this.sendAgain(keys)
      return
    }
    const found = new Map<string, Item>()
    for (const items of Object.values(response.Responses ?? {}))
      for (const item of items) found.set(keyOf(item, schema), item)
    const unprocessed = new Set<string>()
    for (const request of Object.values(response.UnprocessedKeys ?? {}))
      for (const key of request.Keys ?? []) unprocessed.add(keyOf(key, schema))
    const read = keys.filter((expected) => !unprocessed.has(expected.key))
    const units = this.options.computeUnits
      ? read.reduce((total, expected) => total + consistentReadUnits(found.get(expected.key)), 0)
      : (response.ConsumedCapacity ?? []).reduce((total, c) => total + (c.CapacityUnits ?? 0), 0)
    this.units += units
    // Larger items cost more than the unit a key reserved: the next calls wait for it.
    if (limiter && units > keys.length) void limiter.take(units - keys.length)
    this.pacer.release(call, {
      written: read.length,
      units,
      partial: unprocessed.size > 0,
      refused: false,
      sentAt,
    })
    if (unprocessed.size > 0)
      this.sendAgain(keys.filter((expected) => unprocessed.has(expected.key)))
    for (const expected of read) this.options.onRead(expected, found.get(expected.key))
  }

  /** Keys to read again, unless a later record of the key is already waiting. */
  private sendAgain(keys: Expected[]): void {
    this.resent += keys.length
    for (const expected of keys) {
      const queued = this.waiting.get(expected.key)
      if (!queued || queued.seq < expected.seq) this.waiting.set(expected.key, expected)
    }
  }
}
