import * as core from '@actions/core'
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb'
import { ActionError, describeAwsError, errorMessage, errorName } from '../errors.js'
import { toDynamoDBJsonLine } from '../formats/dynamodb-json.js'
import { recordParser } from '../formats/index.js'
import type { ParsedRecord } from '../formats/record.js'
import type { Inputs } from '../inputs.js'
import { checkItem } from '../table/item-rules.js'
import { itemSize } from '../table/item-size.js'
import { keyOf, tableSchemaFrom } from '../table/key-schema.js'
import { type Item } from '../table/attribute-value.js'
import { RejectedRecords } from './rejected-records.js'
import type { RejectionKind } from '../formats/record.js'
import { decompress, type ResolvedCompression } from '../sources/decompress.js'
import { splitLines } from '../sources/lines.js'
import { listInOrder, type Source, type SourceObject } from '../sources/source.js'
import type { Steps } from '../steps.js'
import {
  BatchWriter,
  type PendingPut,
  type RetryPolicy,
  type WriteSummary,
} from './batch-writer.js'
import { RateLimiter, writeUnits } from './rate-limiter.js'

/**
 * The longest line that could still hold a valid item: 400 KB stored can take several times
 * that as JSON (escapes, base64, type wrappers). Anything longer is rejected unread.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024
/** A long import logs a progress line at least this often. */
export const PROGRESS_INTERVAL_MS = 10_000

export interface StreamOutcome {
  objects: number
  storedBytes: number
  processedSizeBytes: number
  processed: number
  imported: number
  errors: number
  unwritten: number
  /** Write capacity units the valid items need: one per started KB of each. */
  writeUnits: number
  write?: WriteSummary
  rejected: RejectedRecords
  rejectedFile?: string
}

export interface StreamOptions {
  inputs: Inputs
  source: Source
  /** The client for BatchWriteItem (best with the SDK's own retries off: the writer retries). */
  dynamodb: DynamoDBClient
  table: TableDescription
  steps: Steps
  /** The listing, when the start step made it already. */
  objects?: SourceObject[]
  now?: () => number
  /** Injected by tests so that backoff and pacing never really wait. */
  sleep?: (ms: number) => Promise<void>
  retry?: RetryPolicy
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Reads every object of the source, validates each record and writes the valid ones. */
export async function streamImport(options: StreamOptions): Promise<StreamOutcome> {
  const { inputs, source, steps } = options
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? realSleep
  const schema = tableSchemaFrom(options.table)
  const rejected = new RejectedRecords(inputs.rejectedFile)
  /** Incremental exports: the export time of the change applied to each key so far. */
  const latestChange = new Map<string, bigint>()
  let superseded = 0

  steps.start('read')
  const objects = await steps.group('Read: list the objects', async () => {
    const found = options.objects ?? (await listInOrder(source))
    core.info(
      `${found.length} objects, ${sum(found, (o) => o.size)} bytes stored in ${source.description}`,
    )
    return found
  })
  const outcome: StreamOutcome = {
    objects: objects.length,
    storedBytes: sum(objects, (o) => o.size),
    processedSizeBytes: 0,
    processed: 0,
    imported: 0,
    errors: 0,
    unwritten: 0,
    writeUnits: 0,
    rejected,
  }
  const reject = (
    kind: RejectionKind,
    location: string,
    reason: string,
    raw: string,
    records = 1,
  ) => {
    outcome.errors += records
    return rejected.add({ kind, location, reason, records }, raw)
  }
  const writer = inputs.dryRun
    ? undefined
    : new BatchWriter({
        client: options.dynamodb,
        table: inputs.table.id,
        concurrency: inputs.writeConcurrency,
        reportedCapacity: inputs.dynamodbEndpoint === undefined,
        keyOf: (item: Item) => keyOf(item, schema),
        sleep,
        ...(options.retry && { retry: options.retry }),
        ...(inputs.maxWriteCapacity > 0 && {
          limiter: new RateLimiter(inputs.maxWriteCapacity, now, sleep),
        }),
        events: {
          onRefused: (put, reason) => rejectPut('refused', put, reason),
          onUnwritten: (put, reason) => rejectPut('unwritten', put, reason),
        },
      })
  const rejectPut = (kind: RejectionKind, put: PendingPut, reason: string) =>
    reject(kind, locate(put), reason, toDynamoDBJsonLine(put.item), put.records)

  /**
   * One record through validation to the writer. Returns a promise only when the record must be
   * waited for (by the writer, or by the rejected file), so that most records cost no microtask.
   */
  function take(record: ParsedRecord, object: SourceObject): Promise<void> | undefined {
    outcome.processed++
    const { result } = record
    if (!result.ok) {
      const kind = record.unreadable ? 'unreadable' : 'invalid'
      return reject(kind, locate({ url: object.url, line: record.line }), result.reason, record.raw)
    }
    const size = itemSize(result.item)
    const problem = checkItem(result.item, schema, size)
    if (problem !== undefined) {
      return reject('mismatch', locate({ url: object.url, line: record.line }), problem, record.raw)
    }
    const units = writeUnits(size)
    outcome.writeUnits += units
    // The key is only needed to write, or to order an incremental export's changes.
    const key = writer || result.change ? keyOf(result.item, schema) : ''
    if (result.change) {
      // The files of an incremental export come in any order: apply a key's latest change only.
      // A change older than one applied counts as a write that the later one overwrote.
      const latest = latestChange.get(key)
      if (latest !== undefined && latest >= result.change.timestamp) {
        superseded++
        return
      }
      latestChange.set(key, result.change.timestamp)
    }
    if (!writer) {
      outcome.imported++
      return
    }
    const wireBytes = record.bytes ?? Buffer.byteLength(record.raw)
    const put: PendingPut = {
      key,
      item: result.item,
      ...(result.change?.delete && { delete: true }),
      wireBytes,
      units,
      records: 1,
      url: object.url,
      line: record.line,
    }
    return writer.put(put)
  }

  /** Every record of one object; a read failure mid-object is one error at the line it reached. */
  async function readObject(object: SourceObject): Promise<ResolvedCompression | undefined> {
    const parser = recordParser({ ...inputs, schema, incremental: inputs.incremental === true })
    let compression: ResolvedCompression | undefined
    let lastLine = 0
    try {
      const body = await source.open(object)
      const bytes = countBytes(
        decompress(body, inputs.compression, (c) => (compression = c)),
        outcome,
      )
      for await (const lines of splitLines(bytes, MAX_LINE_BYTES)) {
        for (const line of lines) {
          lastLine = line.number
          const record = parser.push(line)
          const taking = record && take(record, object)
          if (taking) await taking
        }
        progress.maybeLog(outcome, writer?.progress)
      }
      const last = parser.end()
      if (last) await take(last, object)
    } catch (err) {
      if (isConfigurationError(err)) throw err
      outcome.processed++
      const reason = `the object could not be read after line ${lastLine}: ${describeReadError(err, object)}`
      await reject('unreadable', `${object.url}:${lastLine + 1}`, reason, '')
    }
    return compression
  }

  const progress = new Progress(now, objects.length)
  steps.start('validate', 'write')
  try {
    await steps.group(`Validate and write: ${objects.length} objects`, async () => {
      for (const object of objects) {
        const before = { processed: outcome.processed, errors: outcome.errors }
        const compression = await readObject(object)
        progress.objectDone()
        core.info(
          `${object.url}: ${outcome.processed - before.processed} records, ` +
            `${outcome.errors - before.errors} rejected${compression ? ` (${compression})` : ''}`,
        )
      }
    })
    if (writer) outcome.write = await writer.close()
  } catch (err) {
    throw await stopped(err)
  }
  steps.end(
    'read',
    `${objects.length} objects, ${outcome.storedBytes} bytes stored, ${outcome.processedSizeBytes} bytes uncompressed`,
  )
  steps.end(
    'validate',
    `${outcome.processed} records, ${outcome.errors} rejected`,
    outcome.errors === 0,
  )

  if (writer && outcome.write) {
    const w = outcome.write
    outcome.imported = w.written + superseded
    outcome.unwritten = w.unwritten
    steps.end(
      'write',
      `${w.written} items written in ${w.calls} calls, ${w.retries} retries` +
        (w.unwritten ? `, ${w.unwritten} NOT written` : '') +
        (w.refused ? `, ${w.refused} refused by DynamoDB` : ''),
      w.unwritten === 0 && w.refused === 0,
    )
  } else {
    outcome.imported += superseded
    steps.end('write', `dry run: ${outcome.imported} items would be written, none were`)
  }
  const file = await rejected.close()
  if (file) outcome.rejectedFile = file
  return outcome

  /**
   * An error that stops the import (the table deleted, access denied): what was and was not done
   * by then, so that nobody has to guess whether to re-run.
   */
  async function stopped(err: unknown): Promise<Error> {
    const file = await rejected.close().catch(() => undefined)
    const written = writer?.progress.written ?? 0
    const what =
      `${outcome.processed} records read, ${written} items written, ${outcome.errors} rejected` +
      (file ? ` (in ${file})` : '') +
      `; the records not yet written were not: re-run the import once the cause is fixed (writes of the same items are idempotent)`
    // A service exception that reaches here came from a write; other errors are already worded.
    const fromService = typeof err === 'object' && err !== null && '$metadata' in err
    const cause = fromService
      ? describeAwsError(err, 'BatchWriteItem', inputs.table.id)
      : errorMessage(err)
    const reason = cause.replace(/\.$/, '')
    return new ActionError(`The import stopped: ${reason}. By then: ${what}.`, { cause: err })
  }
}

/** `s3://bucket/key:line`, made only for the records that need it. */
function locate(at: { url: string; line: number }): string {
  return `${at.url}:${at.line}`
}

function sum<T>(values: T[], of: (value: T) => number): number {
  return values.reduce((total, value) => total + of(value), 0)
}

/** Counts uncompressed bytes as they pass: ImportTable's ProcessedSizeBytes. */
async function* countBytes(
  chunks: AsyncIterable<Uint8Array>,
  outcome: { processedSizeBytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    outcome.processedSizeBytes += chunk.length
    yield chunk
  }
}

/** Failures that every other object would meet too: stop, rather than reject every object. */
function isConfigurationError(err: unknown): boolean {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  const name = errorName(cause) ?? ''
  return /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|NoSuchBucket|Credentials|ActionError/.test(
    name,
  )
}

function describeReadError(err: unknown, object: SourceObject): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  if (errorName(cause) === 'PreconditionFailed') {
    return `it changed after it was listed (ETag ${object.etag ?? '?'} no longer matches); re-run the import`
  }
  return err instanceof Error ? err.message : String(err)
}

/** Logs the counters at least every PROGRESS_INTERVAL_MS. */
class Progress {
  private readonly started: number
  private last: number
  private done = 0

  constructor(
    private readonly now: () => number,
    private readonly total: number,
  ) {
    this.started = now()
    this.last = this.started
  }

  objectDone(): void {
    this.done++
  }

  maybeLog(outcome: StreamOutcome, write: Readonly<WriteSummary> | undefined): void {
    const time = this.now()
    if (time - this.last < PROGRESS_INTERVAL_MS) return
    this.last = time
    const seconds = (time - this.started) / 1000
    const items = write ? write.written : outcome.imported
    core.info(
      `progress: ${this.done}/${this.total} objects done (${this.total - this.done} left), ` +
        `${items} items, ${outcome.processedSizeBytes} bytes, ` +
        `${Math.round(items / seconds)} items/s, ${outcome.errors} errors`,
    )
  }
}
