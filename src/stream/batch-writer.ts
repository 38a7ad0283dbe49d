import {
  isServerError,
  isThrottlingError,
  isTransientError,
} from '@smithy/service-error-classification'
import { realClock, type Clock, type TimerClock } from '../clock.js'
import { errorMessage, errorName } from '../errors.js'
import type { PacingReport } from '../result.js'
import type { Item } from '../table/attribute-value.js'
import { DEFAULT_PACING, Pacer, WriterStalled, type PacingPolicy } from './pacer.js'
import { batchWriteBody, encodeBody } from './batch-body.js'
import type { RateLimiter } from './rate-limiter.js'
import type { WriteAnswer, WriteCalls } from './write-calls.js'

/** BatchWriteItem takes at most 25 requests per call. */
export const MAX_BATCH_ITEMS = 25
/** BatchWriteItem takes at most 16 MB per call. */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024
/**
 * How long a BatchWriteItem call may go without an answer before the writer abandons it and sends
 * its writes again. DynamoDB answers a call of 25 writes in milliseconds, and a call it will not
 * take at once, with a throttling error; the largest call (25 items of 400 KB) crosses a runner's
 * network in about a second. 10 s is hundreds of times a slow answer, and short enough that a call
 * lost on the way (a connection that hangs, an answer that never comes) costs seconds, not the
 * HTTP client's five minutes. The write client's own timeouts (http-handler.ts) may end a
 * call sooner; this one holds whatever the transport does.
 */
export const WRITE_CALL_DEADLINE_MS = 10_000

/** One write waiting to be sent: the latest record of its key. */
export interface PendingWrite {
  key: string
  /** The item to put, or with `delete` only its key attributes. */
  item: Item
  /** A DeleteRequest (an incremental export's removal, truncate) instead of a PutRequest. */
  delete?: boolean
  /** Bytes of the record as read, a fair bound of its size on the wire. */
  wireBytes: number
  /** The item's DynamoDB JSON text as read; sent as it is, and resent byte for byte. */
  json?: string
  /** Write capacity units the write consumes: one per started KB of item size. */
  units: number
  /** Records this write stands for: more than 1 when a later record of the key replaced it. */
  records: number
  /** Where the record came from, for the rejected file: the object, and the line in it. */
  url: string
  line: number
}

export interface WriterEvents {
  /** The service refused the item itself (a batch-level ValidationException narrowed to it). */
  onRefused(write: PendingWrite, reason: string): Promise<void> | void
  /** The writer gave up (a stall, a fatal error) while the item was still unwritten. */
  onUnwritten(write: PendingWrite, reason: string): Promise<void> | void
}

export interface BatchWriterOptions {
  /** Where the calls go out: this thread's client, or write threads. */
  calls: WriteCalls
  /** Table name or ARN. */
  table: string
  /** write-concurrency: the most calls in flight; the pacer may allow fewer. */
  concurrency: number
  keyOf(item: Item): string
  events: WriterEvents
  pacing?: Partial<PacingPolicy>
  /**
   * Ask DynamoDB for the capacity each call consumed (ReturnConsumedCapacity). When false, the
   * units are counted here, one per started KB of each item written: for emulators, whose figures
   * bill nothing and whose throughput the question costs (15% on DynamoDB Local, measured).
   */
  reportedCapacity: boolean
  /** Caps the write capacity units per second (max-write-capacity). */
  limiter?: RateLimiter
  /**
   * The pauses, the stall and the write calls' deadlines run on it. Without `every`, the deadlines
   * run on real timers.
   */
  clock?: Clock & Partial<Pick<TimerClock, 'every'>>
  random?: () => number
}

export interface WriteSummary {
  /** Writes acknowledged, counting every record a write stood for. */
  written: number
  /** Records in the rejected file because the service refused them. */
  refused: number
  /** Records of valid items never written: the writer gave up on them. */
  unwritten: number
  calls: number
  /** Items sent again after DynamoDB returned them unprocessed or refused their call. */
  resent: number
  consumedWriteCapacity: number
  pacing: PacingReport
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
 * A write call that got no answer by its deadline. It is retried as a broken connection is: the
 * writes of a BatchWriteItem are puts and deletes of whole items, which land the same however many
 * times they are sent.
 */
export class NoAnswer extends Error {
  override name = 'NoAnswer'
}

/**
 * Writes with BatchWriteItem: batches of at most 25 requests and 16 MB, as many calls in flight
 * as the pacer allows. Writes that DynamoDB returns unprocessed, or whose call it refused, go back
 * to the queue and travel in the next batches; no batch waits on its own. Two writes of one key
 * are never in one batch or in flight together, so the later record of a key always wins: a write
 * of a key that is in flight waits for that call to end, and replaces it if it came back.
 */
export class BatchWriter {
  private readonly queue = new Map<string, PendingWrite>()
  private queuedBytes = 0
  private readonly inFlight = new Map<string, Promise<void>>()
  private readonly calls = new Set<Promise<void>>()
  private readonly pacer: Pacer
  private pumping: Promise<void> | undefined
  private closing = false
  private failed: unknown
  private lastProblem = ''
  private readonly clock: NonNullable<BatchWriterOptions['clock']>
  /** Writes handed to calls and not yet counted (written, refused, queued again, given up). */
  private readonly unsettled = new Set<PendingWrite>()
  /** Writes waiting for a call of their key to end before they are queued. */
  private readonly waiting = new Set<PendingWrite>()
  /** Once cancel() was called: why, and what it returns. */
  private cancelled: { reason: string; done: Promise<WriteSummary> } | undefined
  /** Who waits on the writer (untilCancel): let go at once when a cancel starts. */
  private readonly held = new Set<() => void>()
  /** The grace is over: answers that come now are not counted, whatever they say. */
  private abandoned = false
  private readonly summary: Omit<WriteSummary, 'pacing'> = {
    written: 0,
    refused: 0,
    unwritten: 0,
    calls: 0,
    resent: 0,
    consumedWriteCapacity: 0,
  }

  constructor(private readonly options: BatchWriterOptions) {
    this.clock = options.clock ?? realClock
    this.pacer = new Pacer(
      options.concurrency,
      { ...DEFAULT_PACING, ...options.pacing },
      this.clock,
      options.random,
    )
  }

  /**
   * Queues a write. Returns a promise only when the caller must wait (its key is in flight, or a
   * full batch waits for a call slot), so that most writes cost no microtask. Once the writer has
   * failed, the write is counted as unwritten and the failure thrown.
   */
  add(write: PendingWrite): Promise<void> | undefined {
    if (this.cancelled) return this.giveUp([write])
    if (this.failure !== undefined) return this.refuseAfterFailure(write)
    const flying = this.inFlight.get(write.key)
    if (flying) {
      // Held aside, so that a cancel finds it (and gives it up) while the call is still out.
      this.waiting.add(write)
      // The call's own clean-up runs first (registered earlier), so the key is free by then.
      return this.untilCancel(
        flying.then(() => (this.waiting.delete(write) ? this.add(write) : undefined)),
      )
    }
    this.enqueue(write)
    return this.hasFullBatch() ? this.untilCancel(this.pump()) : undefined
  }

  /**
   * Stops at once, for a cancelled import: nothing more is sent; every queued write, and every
   * write waiting for its key, is given up (`onUnwritten`, with `reason`). The calls in flight
   * get `graceMs` to answer: what they confirm is counted, what they return is given up. After
   * the grace, the writes of the calls still out are given up too and their answers, if any come,
   * are ignored: `written` counts exactly the writes DynamoDB confirmed in time. Resolves with the
   * final counts; calling it again returns the same.
   */
  cancel(graceMs: number, reason: string): Promise<WriteSummary> {
    if (this.cancelled) return this.cancelled.done
    const cancelled = { reason, done: Promise.resolve(this.progress) }
    this.cancelled = cancelled
    cancelled.done = this.stopAll(graceMs, reason)
    for (const release of this.held) release()
    this.held.clear()
    return cancelled.done
  }

  private async stopAll(graceMs: number, reason: string): Promise<WriteSummary> {
    const queued = [...this.queue.values(), ...this.waiting]
    this.queue.clear()
    this.waiting.clear()
    this.queuedBytes = 0
    await this.giveUp(queued)
    const clock = this.options.clock ?? realClock
    let graceOver = false
    const grace = clock.sleep(graceMs).then(() => (graceOver = true))
    await Promise.race([this.allCalls(), grace])
    if (graceOver && this.unsettled.size > 0) {
      // Set before the first await: an answer that comes while these are written out is ignored.
      this.abandoned = true
      const late = [...this.unsettled]
      this.unsettled.clear()
      const why =
        `not written: ${reason}, and DynamoDB had not answered its call within the ` +
        `${graceMs / 1000} s grace (it may or may not have written it; writing it again is idempotent)`
      for (const write of late) {
        this.summary.unwritten += write.records
        await this.options.events.onUnwritten(write, why)
      }
    }
    return this.progress
  }

  /** Every call, including those started while waiting (narrowed halves run inside theirs). */
  private async allCalls(): Promise<void> {
    while (this.calls.size > 0) await Promise.all(this.calls)
  }

  /**
   * The promise, or the start of a cancel: the reader is not held by a writer that stopped.
   * Not a race with one long-lived promise, which would keep a reaction for every wait of the
   * import: each wait is forgotten when it ends.
   */
  private untilCancel(promise: Promise<void>): Promise<void> {
    if (this.cancelled) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const release = () => resolve()
      this.held.add(release)
      promise.then(resolve, reject).finally(() => this.held.delete(release))
    })
  }

  /** Writes what is left and waits for every call; throws what made the writer fail. */
  async close(): Promise<WriteSummary> {
    const summary = await this.finish()
    if (this.failure !== undefined) throw this.failure
    return summary
  }

  /**
   * Writes what is left and waits for every call, also after a failure: then every write still
   * waiting is given up and counted (see `failure`).
   */
  async finish(): Promise<WriteSummary> {
    this.closing = true
    while (!this.cancelled && (this.queue.size > 0 || this.calls.size > 0)) {
      await this.untilCancel(this.pump().catch(() => undefined))
      await this.untilCancel(Promise.all(this.calls).then(() => undefined))
    }
    // A cancel while draining: its counts, once its grace is over.
    if (this.cancelled) return this.cancelled.done
    return this.progress
  }

  /** What made the writer give up, if it did: WriterStalled, or an error retrying cannot fix. */
  get failure(): unknown {
    return this.failed
  }

  /** The counters so far, for progress lines. */
  get progress(): WriteSummary {
    return { ...this.summary, pacing: this.pacer.figures() }
  }

  private enqueue(write: PendingWrite): void {
    const replaced = this.queue.get(write.key)
    if (replaced) {
      this.queue.delete(write.key)
      this.queuedBytes -= replaced.wireBytes
      write.records += replaced.records
    }
    this.queue.set(write.key, write)
    this.queuedBytes += write.wireBytes
  }

  private hasFullBatch(): boolean {
    return this.queue.size >= MAX_BATCH_ITEMS || this.queuedBytes >= MAX_BATCH_BYTES
  }

  /** Sends batches while there are full ones (or any, when closing); one loop at a time. */
  private pump(): Promise<void> {
    this.pumping ??= this.sendWhileReady().finally(() => (this.pumping = undefined))
    return this.pumping
  }

  private async sendWhileReady(): Promise<void> {
    while (
      this.failure === undefined &&
      !this.cancelled &&
      (this.hasFullBatch() || (this.closing && this.queue.size > 0))
    ) {
      let call: number
      try {
        call = await this.pacer.acquire()
      } catch (err) {
        await this.fail(err)
        break
      }
      const batch = this.takeBatch()
      if (batch.length === 0) {
        this.pacer.releaseNeutral()
        break
      }
      this.launch(batch, call)
    }
    if (this.failure !== undefined) throw this.failure
  }

  /** The oldest queued writes, at most 25 and 16 MB. */
  private takeBatch(): PendingWrite[] {
    const batch: PendingWrite[] = []
    let bytes = 0
    for (const write of this.queue.values()) {
      if (batch.length === MAX_BATCH_ITEMS) break
      if (batch.length > 0 && bytes + write.wireBytes > MAX_BATCH_BYTES) break
      batch.push(write)
      bytes += write.wireBytes
    }
    for (const write of batch) this.queue.delete(write.key)
    this.queuedBytes -= bytes
    return batch
  }

  private launch(batch: PendingWrite[], call: number): void {
    for (const write of batch) this.unsettled.add(write)
    const sent = this.send(batch, call).catch((err: unknown) => this.fail(err))
    this.calls.add(sent)
    for (const write of batch) this.inFlight.set(write.key, sent)
    void sent.finally(() => {
      this.calls.delete(sent)
      for (const write of batch) {
        if (this.inFlight.get(write.key) === sent) this.inFlight.delete(write.key)
      }
      // Writes that came back may fill a batch while the reader is not adding.
      if (this.failure === undefined && (this.hasFullBatch() || this.closing)) {
        this.pump().catch(() => undefined)
      }
    })
  }

  /** One call: what DynamoDB took is counted, what it returned goes back to the queue. */
  private async send(batch: PendingWrite[], call: number): Promise<void> {
    const units = batch.reduce((total, write) => total + write.units, 0)
    const { table, reportedCapacity } = this.options
    let output: WriteAnswer
    let sentAt: number | undefined
    try {
      await this.options.limiter?.take(units)
      this.summary.calls++
      const body = encodeBody(batchWriteBody(table, batch, reportedCapacity))
      sentAt = this.clock.now()
      const abandon = new AbortController()
      output = await this.answerInTime(
        this.options.calls.send(table, body, abandon.signal),
        abandon,
      )
    } catch (err) {
      // After a cancel's grace the writes were given up: a late answer changes nothing.
      if (this.abandoned) return
      if (err instanceof NoAnswer || isRetryable(err)) {
        this.lastProblem =
          err instanceof NoAnswer
            ? err.message
            : `${errorName(err) ?? 'Error'}: ${errorMessage(err)}`
        this.pacer.release(call, {
          written: 0,
          units: 0,
          partial: false,
          refused: true,
          ...(sentAt !== undefined && { sentAt }),
        })
        return this.requeue(batch)
      }
      this.pacer.releaseNeutral()
      if (errorName(err) === 'ValidationException') return this.narrow(batch, err)
      // Retrying cannot fix it (the table deleted, access denied): the writer stops.
      await this.fail(err)
      return this.giveUp(batch)
    }
    if (this.abandoned) return
    for (const consumed of output.ConsumedCapacity ?? []) {
      this.summary.consumedWriteCapacity += consumed.CapacityUnits ?? 0
    }
    const unprocessed = this.unprocessedKeys(output)
    const done = batch.filter((write) => !unprocessed.has(write.key))
    const doneUnits = done.reduce((total, write) => total + write.units, 0)
    for (const write of done) {
      this.summary.written += write.records
      this.unsettled.delete(write)
    }
    if (!this.options.reportedCapacity) this.summary.consumedWriteCapacity += doneUnits
    const back = batch.filter((write) => unprocessed.has(write.key))
    if (back.length > 0) this.lastProblem = `${back.length} UnprocessedItems`
    this.pacer.release(call, {
      written: done.length,
      units: doneUnits,
      partial: back.length > 0,
      refused: false,
      sentAt,
    })
    return this.requeue(back)
  }

  /**
   * The call's answer, or NoAnswer once WRITE_CALL_DEADLINE_MS has passed on the writer's clock
   * without one. An answer that comes later is dropped: what it says was written is not counted,
   * and the writes are sent again (or given up, counted as not written). The call is aborted at
   * the deadline, so that its connection is closed now rather than held until the request timeout
   * (the connections are as many as the calls in flight).
   */
  private answerInTime(
    answer: Promise<WriteAnswer>,
    abandon: AbortController,
  ): Promise<WriteAnswer> {
    const every = this.clock.every ?? realClock.every
    return new Promise<WriteAnswer>((resolve, reject) => {
      const stop = every(WRITE_CALL_DEADLINE_MS, () => {
        stop()
        abandon.abort()
        reject(
          new NoAnswer(`no answer to BatchWriteItem within ${WRITE_CALL_DEADLINE_MS / 1000} s`),
        )
      })
      answer.then(
        (output) => {
          stop()
          resolve(output)
        },
        (err: unknown) => {
          stop()
          reject(err)
        },
      )
    })
  }

  /** Writes DynamoDB did not take: queued again, or given up once the writer has failed. */
  private async requeue(writes: PendingWrite[]): Promise<void> {
    if (this.failure !== undefined || this.cancelled) return this.giveUp(writes)
    this.summary.resent += writes.length
    for (const write of writes) {
      this.unsettled.delete(write)
      this.enqueue(write)
    }
  }

  /**
   * A ValidationException refuses the whole batch for one bad request: halve until the bad one
   * is alone, so it alone is rejected and its neighbours are written.
   */
  private async narrow(batch: PendingWrite[], err: unknown): Promise<void> {
    if (this.abandoned) return
    if (batch.length === 1) {
      const write = batch[0] as PendingWrite
      this.unsettled.delete(write)
      this.summary.refused += write.records
      await this.options.events.onRefused(write, `refused by DynamoDB: ${errorMessage(err)}`)
      return
    }
    const middle = Math.ceil(batch.length / 2)
    for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
      if (this.abandoned) return
      if (this.failed !== undefined || this.cancelled) {
        await this.giveUp(half)
        continue
      }
      let call: number
      try {
        call = await this.pacer.acquire()
      } catch (err) {
        await this.fail(err)
        await this.giveUp(half)
        continue
      }
      await this.send(half, call)
    }
  }

  /**
   * The writer stops: what is queued, and what comes back from the calls still in flight, is
   * given up and counted, every item in the rejected file.
   */
  private async fail(err: unknown): Promise<void> {
    this.failed ??= err
    const queued = [...this.queue.values()]
    this.queue.clear()
    this.queuedBytes = 0
    await this.giveUp(queued)
  }

  private async refuseAfterFailure(write: PendingWrite): Promise<never> {
    await this.giveUp([write])
    throw this.failure
  }

  private async giveUp(writes: PendingWrite[]): Promise<void> {
    if (this.abandoned) return
    for (const write of writes) this.unsettled.delete(write)
    const why = this.cancelled
      ? `not written: ${this.cancelled.reason}`
      : this.failure instanceof WriterStalled
        ? `not written: ${this.failure.message}; last: ${this.lastProblem || 'no answer'}`
        : `not written: the import stopped (${errorMessage(this.failure)})`
    for (const write of writes) {
      this.summary.unwritten += write.records
      await this.options.events.onUnwritten(write, why)
    }
  }

  private unprocessedKeys(output: WriteAnswer): Set<string> {
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
