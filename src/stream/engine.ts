import * as core from '@actions/core'
import { availableParallelism } from 'node:os'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from '../clients.js'
import { cancelledBy } from '../cancel.js'
import { realClock } from '../clock.js'
import type { EngineContext } from '../engine.js'
import { ActionError, describeAwsError, errorMessage } from '../errors.js'
import type { FormatSettings } from '../formats/input-format.js'
import { requestTableFor } from '../formats/request-tables.js'
import { describeUnread, type EngineResult } from '../result.js'
import { listInOrder, type Source, type SourceObject } from '../sources/source.js'
import type { Steps } from '../steps.js'
import { counted, formatBytes } from '../words.js'
import { keyOf, tableSchemaFrom, type TableSchema } from '../table/key-schema.js'
import { BatchWriter } from './batch-writer.js'
import { emptyOutcome, notRead, type ReadPosition, type StreamOutcome } from './outcome.js'
import { WriterStalled } from './pacer.js'
import { Progress } from './progress.js'
import { RateLimiter } from './rate-limiter.js'
import { readObject, WriteStopped } from './read.js'
import { SourceSilence } from './source-silence.js'
import { RejectedRecords } from './rejected-records.js'
import { fromStream } from './result.js'
import type { WriteSettings } from './settings.js'
import { Validator, type CollectedRecord } from './validate.js'
import { callsOn, type WriteCalls } from './write-calls.js'
import { autoWriteThreads, writeThreadCount, WriteThreads } from './write-threads.js'

export type { CollectedRecord, StreamOutcome }

/** What the stream engine takes from the start step. */
export interface StreamJob {
  engine: 'stream'
  /** The table to validate against: as described, as created, or as it would be created. */
  table: TableDescription
  /** The table as the user named it (a name or an ARN), for BatchWriteItem and its messages. */
  tableId: string
  source: Source
  /** The objects, listed once by the start step. */
  objects?: SourceObject[]
  format: FormatSettings
  write: WriteSettings
  /** dynamodb-endpoint was set: an emulator, where threads do not help and nothing is billed. */
  customEndpoint: boolean
  /** Validate only: nothing is written. */
  dryRun: boolean
  rejectedFile: string
  /** The start step read the objects for the tables they name (a request-items file's). */
  tablesRead?: boolean
  /** A table before this one in the step wrote rejected-file: add to it. */
  appendRejected?: boolean
  /** ImportTable could read the source (S3): a dry run then estimates both engines. */
  importTableCouldRead: boolean
  /**
   * The read-back (src/verify/): each valid record is handed here, in source order, where a dry run
   * counts it. Rejected records are then only counted: the import logged them and wrote
   * rejected-file already.
   */
  collect?: (record: CollectedRecord) => Promise<void> | undefined
}

/** What the engine uses of the clients: BatchWriteItem's, and its configuration for threads. */
export interface StreamContext extends Omit<EngineContext, 'clients'> {
  /** writeClient: best with the SDK's own retries off (the writer retries); writeConfig: for threads. */
  clients: Pick<Clients, 'writeClient'> & Partial<Pick<Clients, 'writeConfig'>>
}

/** The stream engine from the job to the one result. */
export async function runStream(job: StreamJob, context: StreamContext): Promise<EngineResult> {
  const outcome = await streamImport(job, context)
  return fromStream(outcome, { ...job, maxWriteCapacity: job.write.maxWriteCapacity })
}

/** Reads every object of the source, validates each record and writes the valid ones. */
export async function streamImport(job: StreamJob, options: StreamContext): Promise<StreamOutcome> {
  const { steps } = options
  const schema = tableSchemaFrom(job.table)
  const objects = await listObjects(job, steps)
  const outcome = emptyOutcome(
    objects,
    new RejectedRecords(job.rejectedFile, job.appendRejected === true, job.collect !== undefined),
  )
  const validator = new Validator(outcome, schema)
  if (job.collect) validator.collect = job.collect
  const calls = job.dryRun ? undefined : writeCalls(job, options, outcome.storedBytes)
  const writer = calls && createWriter(job, options, calls, schema, validator)
  validator.writer = writer
  steps.start('validate', 'write')
  // Lines from the first read to the last write: a paced writer drains long after the last read.
  const progress = new Progress(
    { now: options.now ?? realClock.now, every: options.every ?? realClock.every },
    objects.length,
    { outcome, writer, ...(job.collect && { unwritten: 'to check' }) },
  )
  progress.start()
  const { signal } = options
  // On a cancel the writer stops sending at once, whatever the reader is waiting for.
  const cancelWriter = () => {
    const cancelled = cancelledBy(signal)
    if (writer && cancelled) void writer.cancel(cancelled.graceMs, cancelled.message)
  }
  signal?.addEventListener('abort', cancelWriter, { once: true })
  if (signal?.aborted) cancelWriter()
  options.showCounts?.(() => ({
    processedItemCount: outcome.processed,
    importedItemCount: (writer?.progress.written ?? 0) + validator.superseded,
    errorCount: outcome.errors,
    unwrittenItemCount: writer?.progress.unwritten ?? 0,
    processedSizeBytes: outcome.processedSizeBytes,
  }))
  let stoppedAt: ReadPosition | undefined
  const silence = new SourceSilence(job.write.stallTimeoutSeconds, {
    every: options.every ?? realClock.every,
  })
  try {
    stoppedAt = await readAll(objects, job, steps, {
      outcome,
      validator,
      schema,
      progress,
      silence,
      ...(signal && { signal }),
    })
    if (writer) outcome.write = await writer.finish()
  } catch (err) {
    // The read-back says itself what stopped it: nothing was to be written.
    if (job.collect) throw err
    throw await stopped(err, outcome, writer, job.tableId)
  } finally {
    silence.close()
    signal?.removeEventListener('abort', cancelWriter)
    progress.stop()
    outcome.progress = progress.samples
    // Threads whose calls were given up after a cancel's grace are not waited for.
    if (cancelledBy(signal)) void calls?.close().catch(() => undefined)
    else await calls?.close()
  }
  const cancelled = cancelledBy(signal)
  if (cancelled) {
    outcome.cancelled = {
      signal: cancelled.signal,
      ...(stoppedAt && { notRead: notRead(objects, stoppedAt) }),
    }
  } else if (writer?.failure !== undefined) {
    outcome.stopped = {
      reason: writerStopReason(writer.failure, job.tableId),
      notRead: notRead(objects, stoppedAt),
    }
  } else if (silence.fired) {
    outcome.stopped = {
      reason: silence.fired,
      notRead: notRead(objects, stoppedAt),
    }
  }
  endSteps(steps, outcome, validator.superseded)
  const file = await outcome.rejected.close()
  if (file) outcome.rejectedFile = file
  return outcome
}

/** The read step begins with the listing (made once, by the start step when it needed it). */
async function listObjects(job: StreamJob, steps: Steps): Promise<SourceObject[]> {
  const { source } = job
  steps.start('read')
  return steps.group('Read: list the objects', async () => {
    const found = job.objects ?? (await listInOrder(source))
    const bytes = found.reduce((total, o) => total + o.size, 0)
    core.info(
      `${counted(found.length, 'object')}, ${formatBytes(bytes)} stored in ${source.description}`,
    )
    return found
  })
}

/** Where the calls go out: write threads where they can help (write-threads.ts). */
function writeCalls(job: StreamJob, options: StreamContext, storedBytes: number): WriteCalls {
  const { writeThreads } = job.write
  const context = { storedBytes, cores: availableParallelism(), customEndpoint: job.customEndpoint }
  const count = writeThreadCount(writeThreads, context)
  if (writeThreads === 'auto' && count === 0)
    core.info(
      `write: the calls go out on the main thread (write-threads auto: ${autoWriteThreads(context).why})`,
    )
  const { writeClient, writeConfig } = options.clients
  if (count === 0 || !writeConfig) return callsOn(writeClient)
  try {
    const threads = new WriteThreads(count, writeConfig)
    core.info(`write: the calls go out on ${counted(count, 'write thread')}`)
    return threads
  } catch (err) {
    // Threads are for speed only: without them the same calls go out on this thread.
    core.warning(
      `write: no write threads could start (${errorMessage(err)}); the calls go out on the main thread. Set write-threads: 0 to skip trying.`,
    )
    return callsOn(writeClient)
  }
}

/** The writer, paced by max-write-capacity; its refusals and give-ups become rejections. */
function createWriter(
  job: StreamJob,
  options: StreamContext,
  calls: WriteCalls,
  schema: TableSchema,
  validator: Validator,
): BatchWriter {
  const { write } = job
  const now = options.now ?? realClock.now
  const sleep = options.sleep ?? realClock.sleep
  return new BatchWriter({
    calls,
    table: job.tableId,
    concurrency: write.writeConcurrency,
    reportedCapacity: !job.customEndpoint,
    keyOf: (item) => keyOf(item, schema),
    // The write calls' deadlines run on the same clock as the pauses and the stall.
    clock: { now, sleep, ...(options.every && { every: options.every }) },
    pacing: { ...options.pacing, stallMs: write.stallTimeoutSeconds * 1000 },
    ...(write.maxWriteCapacity > 0 && {
      limiter: new RateLimiter(write.maxWriteCapacity, now, sleep),
    }),
    events: {
      onRefused: (write, reason) => validator.rejectWrite('refused', write, reason),
      onUnwritten: (write, reason) => validator.rejectWrite('unwritten', write, reason),
    },
  })
}

/**
 * Every object in order, one at a time, each logged with its counts when done. Returns where the
 * reading stopped when the writer failed (a stall, the table deleted), undefined when all was read.
 */
async function readAll(
  objects: SourceObject[],
  job: StreamJob,
  steps: Steps,
  {
    outcome,
    validator,
    schema,
    progress,
    silence,
    signal,
  }: {
    outcome: StreamOutcome
    validator: Validator
    schema: TableSchema
    progress: Progress
    silence: SourceSilence
    signal?: AbortSignal
  },
): Promise<ReadPosition | undefined> {
  const name = job.table.TableName ?? job.tableId
  const format = {
    ...job.format,
    schema,
    incremental: job.format.incremental === true,
    destination: name,
  }
  const context = {
    format,
    source: job.source,
    outcome,
    validator,
    // The start step read the files for their tables already; otherwise each is read here.
    ...(!job.tablesRead && {
      checkRequestTables: (object: SourceObject) =>
        requestTableFor(job.source, object, name, job.format.compression),
    }),
    silence,
    ...(signal && { signal }),
  }
  return steps.group(
    `${job.collect ? 'Read again' : 'Validate and write'}: ${counted(objects.length, 'object')}`,
    async (): Promise<ReadPosition | undefined> => {
      for (const [index, object] of objects.entries()) {
        // Cancelled between objects: this one and the rest are not read.
        if (signal?.aborted) return { index, line: 0 }
        const before = { processed: outcome.processed, errors: outcome.errors }
        const unreadBefore = outcome.unread.length
        let compression
        try {
          compression = await readObject(object, context)
        } catch (err) {
          if (err instanceof WriteStopped) return { index, line: err.line }
          throw err
        }
        progress.objectDone()
        const unread = outcome.unread.length > unreadBefore ? outcome.unread.at(-1) : undefined
        const counts = {
          url: object.url,
          records: outcome.processed - before.processed,
          rejected: outcome.errors - before.errors,
          ...(compression && { compression }),
        }
        outcome.perObject.push(counts)
        core.info(
          `${object.url}: ${counts.records} records, ` +
            `${counts.rejected} rejected${compression ? ` (${compression})` : ''}` +
            (unread ? '; NOT read to its end' : ''),
        )
        if (unread) core.info(describeUnread(unread))
      }
      return undefined
    },
  )
}

/** Read, validate and write end together: each when its last record has passed. */
function endSteps(steps: Steps, outcome: StreamOutcome, superseded: number): void {
  const unread = outcome.unread.length
  steps.end(
    'read',
    `${counted(outcome.objects, 'object')}, ${formatBytes(outcome.storedBytes)} stored, ` +
      `${formatBytes(outcome.processedSizeBytes)} uncompressed` +
      (unread > 0 ? `, ${unread} NOT read to the end` : '') +
      (outcome.cancelled?.notRead
        ? `; cancelled (${outcome.cancelled.signal}): stopped at ${outcome.cancelled.notRead}`
        : ''),
    unread === 0 && !outcome.cancelled?.notRead,
  )
  steps.end(
    'validate',
    `${counted(outcome.processed, 'record')}, ${outcome.errors} rejected`,
    outcome.errors === 0,
  )
  const w = outcome.write
  if (!w) {
    outcome.imported += superseded
    steps.end('write', `dry run: ${counted(outcome.imported, 'item')} would be written, none were`)
    return
  }
  outcome.imported = w.written + superseded
  outcome.unwritten = w.unwritten
  const p = w.pacing
  const throttling = p.throttled
    ? `, throttled ${p.throttled} times, longest stall ${(p.longestStallMs / 1000).toFixed(1)} s`
    : ''
  const pace = `settled at ${p.itemsPerSecond} items/s (${p.unitsPerSecond} WCU/s)`
  // Without throttling the pace is only the rate the Counts show: it says nothing of its own.
  steps.end(
    'write',
    `${counted(w.written, 'item')} written in ${counted(w.calls, 'call')}` +
      (p.throttled ? `${throttling}, ${pace}` : '') +
      (w.unwritten ? `, ${w.unwritten} NOT written` : '') +
      (w.refused ? `, ${w.refused} refused by DynamoDB` : ''),
    w.unwritten === 0 && w.refused === 0,
  )
  if (p.throttled)
    core.info(
      `write: throttled ${p.throttled} times${throttling.slice(throttling.indexOf(', longest'))}; ${pace}`,
    )
}

/** Why the writer gave up, in words a person can act on. */
function writerStopReason(failure: unknown, tableId: string): string {
  if (failure instanceof WriterStalled) return failure.message
  // A service exception here came from a write; other errors are already worded.
  const fromService = typeof failure === 'object' && failure !== null && '$metadata' in failure
  const cause = fromService
    ? describeAwsError(failure, 'BatchWriteItem', tableId)
    : errorMessage(failure)
  return cause.replace(/\.$/, '')
}

/**
 * An error that stops the import (the table deleted, access denied): what was and was not done
 * by then, so that nobody has to guess whether to re-run.
 */
async function stopped(
  err: unknown,
  outcome: StreamOutcome,
  writer: BatchWriter | undefined,
  tableId: string,
): Promise<Error> {
  const file = await outcome.rejected.close().catch(() => undefined)
  const written = writer?.progress.written ?? 0
  const what =
    `${outcome.processed} records read, ${written} items written, ${outcome.errors} rejected` +
    (file ? ` (in ${file})` : '') +
    `; the records not yet written were not: re-run the import once the cause is fixed (writes of the same items are idempotent)`
  // A service exception that reaches here came from a write; other errors are already worded.
  const fromService = typeof err === 'object' && err !== null && '$metadata' in err
  const cause = fromService ? describeAwsError(err, 'BatchWriteItem', tableId) : errorMessage(err)
  const reason = cause.replace(/\.$/, '')
  return new ActionError(`The import stopped: ${reason}. By then: ${what}.`, { cause: err })
}
