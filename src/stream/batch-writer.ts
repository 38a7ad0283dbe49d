import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import {
  isServerError,
  isThrottlingError,
  isTransientError,
} from '@smithy/service-error-classification'
import { sleep } from '../clock.js'
import { errorMessage, errorName } from '../errors.js'
import type { Item } from '../table/attribute-value.js'
import type { RateLimiter } from './rate-limiter.js'

/** BatchWriteItem takes at most 25 requests per call. */
export const MAX_BATCH_ITEMS = 25
/** BatchWriteItem takes at most 16 MB per call. */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024

export interface RetryPolicy {
  /** Calls per batch before its remaining items are given up. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

/**
 * About half a minute of capped exponential backoff per batch: enough to ride out throttling
 * and a restarting endpoint, short enough that a dead one fails the step in reasonable time.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
}

/** One write waiting to be sent: the latest record of its key. */
export interface PendingWrite {
  key: string
  /** The item to put, or with `delete` only its key attributes. */
  item: Item
  /** A DeleteRequest (an incremental export's removal, truncate) instead of a PutRequest. */
  delete?: boolean
  /** Bytes of the record as read, a fair bound of its size on the wire. */
  wireBytes: number
  /** Write capacity units the put consumes: one per started KB of item size. */
  units: number
  /** Records this put stands for: more than 1 when a later record of the key replaced it. */
  records: number
  /** Where the record came from, for the rejected file: the object, and the line in it. */
  url: string
  line: number
}

export interface WriterEvents {
  /** The service refused the item itself (a batch-level ValidationException narrowed to it). */
  onRefused(put: PendingWrite, reason: string): Promise<void> | void
  /** The retries ran out while the item was still unwritten. */
  onUnwritten(put: PendingWrite, reason: string): Promise<void> | void
}

export interface BatchWriterOptions {
  client: DynamoDBClient
  /** Table name or ARN. */
  table: string
  concurrency: number
  keyOf(item: Item): string
  events: WriterEvents
  retry?: RetryPolicy
  /**
   * Ask DynamoDB for the capacity each call consumed (ReturnConsumedCapacity). When false, the
   * units are counted here, one per started KB of each item written: for emulators, whose figures
   * bill nothing and whose throughput the question costs (15% on DynamoDB Local, measured).
   */
  reportedCapacity: boolean
  /** Caps the write capacity units per second (max-write-capacity). */
  limiter?: RateLimiter
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export interface WriteSummary {
  /** Writes acknowledged, counting every record a put stood for. */
  written: number
  /** Records in the rejected file because the service refused them or the retries ran out. */
  refused: number
  unwritten: number
  calls: number
  retries: number
  consumedWriteCapacity: number
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(random() * ceiling)
}

/**
 * Throttling (ProvisionedThroughputExceededException, ThrottlingException, RequestLimitExceeded,
 * 429), 5xx and broken or refused connections: the SDK's own classification, which its retry
 * strategies use. Anything else (a ValidationException, a missing table) needs the request fixed.
 */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const error = err as Parameters<typeof isTransientError>[0]
  return isThrottlingError(error) || isTransientError(error) || isServerError(error)
}

/**
 * Writes puts with BatchWriteItem: batches of at most 25 requests and 16 MB, `concurrency` calls
 * in flight. Two writes of one key are never in one batch or in flight together, so the later
 * record of a key always wins: a put of a key that is in flight waits for that call to end.
 */
export class BatchWriter {
  private readonly options: Required<Omit<BatchWriterOptions, 'retry' | 'limiter'>> & {
    retry: RetryPolicy
    limiter?: RateLimiter
  }
  private open = new Map<string, PendingWrite>()
  private openBytes = 0
  private readonly inFlight = new Map<string, Promise<void>>()
  private readonly calls = new Set<Promise<void>>()
  private failure: unknown
  private readonly summary: WriteSummary = {
    written: 0,
    refused: 0,
    unwritten: 0,
    calls: 0,
    retries: 0,
    consumedWriteCapacity: 0,
  }

  constructor(options: BatchWriterOptions) {
    this.options = {
      retry: DEFAULT_RETRY_POLICY,
      sleep,
      random: Math.random,
      ...options,
    }
  }

  /**
   * Queues a put. Returns a promise only when the caller must wait (its key is in flight, or a
   * full batch waits for a free call slot), so that most puts cost no microtask.
   */
  add(put: PendingWrite): Promise<void> | undefined {
    this.throwIfFailed()
    const pending = this.inFlight.get(put.key)
    // The call's own clean-up runs first (registered earlier), so the key is free by then.
    if (pending) return pending.then(() => this.add(put))
    const replaced = this.open.get(put.key)
    if (replaced) {
      this.open.delete(put.key)
      this.openBytes -= replaced.wireBytes
      put.records += replaced.records
    } else if (this.openBytes + put.wireBytes > MAX_BATCH_BYTES) {
      return this.flushOpen().then(() => this.add(put))
    }
    this.open.set(put.key, put)
    this.openBytes += put.wireBytes
    return this.open.size === MAX_BATCH_ITEMS ? this.flushOpen() : undefined
  }

  /** Writes what is left and waits for every call; throws the first fatal error. */
  async close(): Promise<WriteSummary> {
    await this.flushOpen()
    await Promise.all(this.calls)
    this.throwIfFailed()
    return this.summary
  }

  /** The counters so far, for progress lines. */
  get progress(): Readonly<WriteSummary> {
    return this.summary
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure
  }

  private async flushOpen(): Promise<void> {
    if (this.open.size === 0) return
    const batch = [...this.open.values()]
    this.open = new Map()
    this.openBytes = 0
    while (this.calls.size >= this.options.concurrency) await Promise.race(this.calls)
    this.throwIfFailed()
    const call = this.write(batch).catch((err: unknown) => {
      this.failure ??= err
    })
    this.calls.add(call)
    for (const put of batch) this.inFlight.set(put.key, call)
    void call.finally(() => {
      this.calls.delete(call)
      for (const put of batch) {
        if (this.inFlight.get(put.key) === call) this.inFlight.delete(put.key)
      }
    })
  }

  /** One batch to the end: UnprocessedItems and throttling retried, a refused batch bisected. */
  private async write(batch: PendingWrite[]): Promise<void> {
    const { retry, sleep, random } = this.options
    let pending = batch
    let lastProblem = ''
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      if (attempt > 1) {
        this.summary.retries++
        await sleep(backoffDelay(attempt - 1, retry, random))
      }
      await this.options.limiter?.take(pending.reduce((units, put) => units + put.units, 0))
      let output: BatchWriteItemCommandOutput
      try {
        this.summary.calls++
        output = await this.options.client.send(
          new BatchWriteItemCommand({
            RequestItems: { [this.options.table]: pending.map(toWriteRequest) },
            ...(this.options.reportedCapacity && { ReturnConsumedCapacity: 'TOTAL' }),
          }),
        )
      } catch (err) {
        if (isRetryable(err)) {
          lastProblem = `${errorName(err) ?? 'Error'}: ${errorMessage(err)}`
          continue
        }
        if (errorName(err) === 'ValidationException') return this.narrow(pending, err)
        throw err
      }
      for (const consumed of output.ConsumedCapacity ?? []) {
        this.summary.consumedWriteCapacity += consumed.CapacityUnits ?? 0
      }
      const unprocessed = this.unprocessedKeys(output)
      const done = pending.filter((put) => !unprocessed.has(put.key))
      for (const put of done) {
        this.summary.written += put.records
        if (!this.options.reportedCapacity) this.summary.consumedWriteCapacity += put.units
      }
      pending = pending.filter((put) => unprocessed.has(put.key))
      if (pending.length === 0) return
      lastProblem = `${pending.length} UnprocessedItems`
    }
    for (const put of pending) {
      this.summary.unwritten += put.records
      await this.options.events.onUnwritten(
        put,
        `not written after ${retry.maxAttempts} attempts (last: ${lastProblem})`,
      )
    }
  }

  /**
   * A ValidationException refuses the whole batch for one bad request: halve until the bad one
   * is alone, so it alone is rejected and its neighbours are written.
   */
  private async narrow(batch: PendingWrite[], err: unknown): Promise<void> {
    if (batch.length === 1) {
      const put = batch[0] as PendingWrite
      this.summary.refused += put.records
      await this.options.events.onRefused(put, `refused by DynamoDB: ${errorMessage(err)}`)
      return
    }
    const middle = Math.ceil(batch.length / 2)
    await this.write(batch.slice(0, middle))
    await this.write(batch.slice(middle))
  }

  private unprocessedKeys(output: BatchWriteItemCommandOutput): Set<string> {
    const keys = new Set<string>()
    for (const requests of Object.values(output.UnprocessedItems ?? {})) {
      for (const request of requests) {
        const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key
        if (item) keys.add(this.options.keyOf(item as Item))
      }
    }
    return keys
  }
}

function toWriteRequest(put: PendingWrite): WriteRequest {
  return put.delete ? { DeleteRequest: { Key: put.item } } : { PutRequest: { Item: put.item } }
}
