import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from './clients.js'
import { describeAwsError, errorName } from './errors.js'
import { parseDynamoDBJsonLine, toDynamoDBJsonLine } from './formats/dynamodb-json.js'
import type { Inputs } from './inputs.js'
import { checkItem, keyOf, tableSchemaFrom, type Item } from './item-rules.js'
import { RejectedRecords, type RejectionKind } from './rejected-records.js'
import { decompress, type ResolvedCompression } from './sources/decompress.js'
import { isBlank, splitLines, type Line } from './sources/lines.js'
import { listObjects, objectUrl, readObject, type SourceObject } from './sources/s3.js'
import type { Steps } from './steps.js'
import {
  BatchWriter,
  type PendingPut,
  type RetryPolicy,
  type WriteSummary,
} from './writers/batch-writer.js'

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
  write?: WriteSummary
  rejected: RejectedRecords
  rejectedFile?: string
}

export interface StreamOptions {
  inputs: Inputs
  clients: Clients
  table: TableDescription
  steps: Steps
  now?: () => number
  /** Injected by tests so backoff never really waits. */
  sleep?: (ms: number) => Promise<void>
  retry?: RetryPolicy
}

/** Reads every object under the prefix, validates each record and writes the valid ones. */
export async function streamImport(options: StreamOptions): Promise<StreamOutcome> {
  const { inputs, clients, steps } = options
  const now = options.now ?? Date.now
  const schema = tableSchemaFrom(options.table)
  const rejected = new RejectedRecords(inputs.rejectedFile)

  steps.start('read')
  const objects = await steps.group('Read: list the objects', async () => {
    const found = await listObjects(clients.s3, inputs.source, inputs.bucketOwner)
    const bytes = found.reduce((sum, o) => sum + o.size, 0)
    core.info(
      `${found.length} objects, ${bytes} bytes stored under s3://${inputs.source.bucket}/${inputs.source.prefix}`,
    )
    return found
  })
  const outcome: StreamOutcome = {
    objects: objects.length,
    storedBytes: objects.reduce((sum, o) => sum + o.size, 0),
    processedSizeBytes: 0,
    processed: 0,
    imported: 0,
    errors: 0,
    unwritten: 0,
    rejected,
  }

  const reject = async (
    kind: RejectionKind,
    location: string,
    reason: string,
    record: string,
    records = 1,
  ) => {
    outcome.errors += records
    await rejected.add({ kind, location, reason, records }, record)
  }
  const writer = inputs.dryRun
    ? undefined
    : new BatchWriter({
        client: clients.dynamodb,
        table: inputs.table.id,
        concurrency: inputs.writeConcurrency,
        keyOf: (item: Item) => keyOf(item, schema),
        ...(options.sleep && { sleep: options.sleep }),
        ...(options.retry && { retry: options.retry }),
        events: {
          onRefused: (put, reason) =>
            void reject('refused', put.location, reason, toDynamoDBJsonLine(put.item), put.records),
          onUnwritten: (put, reason) =>
            void reject(
              'unwritten',
              put.location,
              reason,
              toDynamoDBJsonLine(put.item),
              put.records,
            ),
        },
      })

  const progress = new Progress(now, objects.length)
  steps.start('validate', 'write')
  await steps.group(`Validate and write: ${objects.length} objects`, async () => {
    for (const object of objects) {
      const counts = { processed: outcome.processed, errors: outcome.errors }
      let compression: ResolvedCompression | undefined
      const url = objectUrl(object)
      let lineNumber = 0
      try {
        const body = await readObject(clients.s3, object, inputs.bucketOwner)
        const bytes = countBytes(
          decompress(body, inputs.compression, (c) => (compression = c)),
          outcome,
        )
        for await (const lines of splitLines(bytes, MAX_LINE_BYTES)) {
          for (const line of lines) {
            lineNumber = line.number
            await record(line, `${url}:${line.number}`)
          }
          progress.maybeLog(outcome, writer?.progress)
        }
      } catch (err) {
        if (isConfigurationError(err)) throw err
        await reject(
          'unreadable',
          `${url}:${lineNumber + 1}`,
          `object could not be read past line ${lineNumber}: ${describeReadError(err, object)}`,
          '',
        )
        outcome.processed++
      }
      progress.objectDone()
      core.info(
        `${url}: ${outcome.processed - counts.processed} records, ${outcome.errors - counts.errors} rejected` +
          (compression ? ` (${compression})` : ''),
      )
    }
  })
  steps.end(
    'read',
    `${objects.length} objects, ${outcome.storedBytes} bytes stored, ${outcome.processedSizeBytes} bytes uncompressed`,
  )
  steps.end(
    'validate',
    `${outcome.processed} records, ${outcome.errors} rejected`,
    outcome.errors === 0,
  )

  if (writer) {
    outcome.write = await writer.close()
    outcome.imported = outcome.write.written
    outcome.unwritten = outcome.write.unwritten
    const w = outcome.write
    steps.end(
      'write',
      `${w.written} items written in ${w.calls} calls, ${w.retries} retries` +
        (w.unwritten ? `, ${w.unwritten} NOT written` : '') +
        (w.refused ? `, ${w.refused} refused` : ''),
      w.unwritten === 0 && w.refused === 0,
    )
  } else {
    steps.end('write', `dry run: ${outcome.imported} items would be written, none were`)
  }
  const file = await rejected.close()
  if (file) outcome.rejectedFile = file
  return outcome

  async function record(line: Line, location: string): Promise<void> {
    if (line.problem !== undefined) {
      outcome.processed++
      return reject('unreadable', location, line.problem, '')
    }
    if (isBlank(line.text)) return
    outcome.processed++
    const parsed = parseDynamoDBJsonLine(line.text)
    if (!parsed.ok) return reject('invalid', location, parsed.reason, line.text)
    const problem = checkItem(parsed.item, schema)
    if (problem !== undefined) return reject('mismatch', location, problem, line.text)
    if (!writer) {
      outcome.imported++
      return
    }
    const put: PendingPut = {
      key: keyOf(parsed.item, schema),
      item: parsed.item,
      wireBytes: line.bytes,
      records: 1,
      location,
    }
    await writer.put(put)
  }
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

/** Failures no other object would escape: stop the import rather than reject every object. */
function isConfigurationError(err: unknown): boolean {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  const name = errorName(cause) ?? ''
  return (
    /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|NoSuchBucket|Credentials/.test(name) ||
    name === 'ActionError'
  )
}

function describeReadError(err: unknown, object: SourceObject): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  if (errorName(cause) === 'PreconditionFailed') {
    return `the object changed after it was listed (ETag ${object.etag ?? '?'} no longer matches); re-run the import`
  }
  const code = (err as { code?: string } | null)?.code
  if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
    return `the gzip data is truncated or corrupt (${code})`
  }
  return err instanceof Error ? err.message : describeAwsError(err, 'GetObject', objectUrl(object))
}

/** Logs counters at least every PROGRESS_INTERVAL_MS. */
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
    const rate = seconds > 0 ? Math.round(items / seconds) : 0
    core.info(
      `progress: ${this.done}/${this.total} objects done (${this.total - this.done} left), ` +
        `${items} items, ${outcome.processedSizeBytes} bytes, ${rate} items/s, ${outcome.errors} errors`,
    )
  }
}
