import * as core from '@actions/core'
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb'
import { realClock } from '../clock.js'
import { ActionError, describeAwsError, errorMessage } from '../errors.js'
import type { Inputs } from '../inputs.js'
import { listInOrder, type Source, type SourceObject } from '../sources/source.js'
import type { Steps } from '../steps.js'
import { keyOf, tableSchemaFrom, type TableSchema } from '../table/key-schema.js'
import { BatchWriter, type RetryPolicy } from './batch-writer.js'
import { emptyOutcome, type StreamOutcome } from './outcome.js'
import { Progress } from './progress.js'
import { RateLimiter } from './rate-limiter.js'
import { readObject } from './read.js'
import { RejectedRecords } from './rejected-records.js'
import { Validator } from './validate.js'

export type { StreamOutcome }

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

/** Reads every object of the source, validates each record and writes the valid ones. */
export async function streamImport(options: StreamOptions): Promise<StreamOutcome> {
  const { inputs, steps } = options
  const schema = tableSchemaFrom(options.table)
  const objects = await listObjects(options)
  const outcome = emptyOutcome(objects, new RejectedRecords(inputs.rejectedFile))
  const validator = new Validator(outcome, schema)
  const writer = inputs.dryRun ? undefined : createWriter(options, schema, validator)
  validator.writer = writer
  steps.start('validate', 'write')
  try {
    await readAll(objects, options, { outcome, validator, schema })
    if (writer) outcome.write = await writer.close()
  } catch (err) {
    throw await stopped(err, outcome, writer, inputs)
  }
  endSteps(steps, outcome, validator.superseded)
  const file = await outcome.rejected.close()
  if (file) outcome.rejectedFile = file
  return outcome
}

/** The read step begins with the listing (made once, by the start step when it needed it). */
async function listObjects(options: StreamOptions): Promise<SourceObject[]> {
  const { source, steps } = options
  steps.start('read')
  return steps.group('Read: list the objects', async () => {
    const found = options.objects ?? (await listInOrder(source))
    const bytes = found.reduce((total, o) => total + o.size, 0)
    core.info(`${found.length} objects, ${bytes} bytes stored in ${source.description}`)
    return found
  })
}

/** The writer, paced by max-write-capacity; its refusals and give-ups become rejections. */
function createWriter(
  options: StreamOptions,
  schema: TableSchema,
  validator: Validator,
): BatchWriter {
  const { inputs } = options
  const now = options.now ?? realClock.now
  const sleep = options.sleep ?? realClock.sleep
  return new BatchWriter({
    client: options.dynamodb,
    table: inputs.table.id,
    concurrency: inputs.writeConcurrency,
    reportedCapacity: inputs.dynamodbEndpoint === undefined,
    keyOf: (item) => keyOf(item, schema),
    sleep,
    ...(options.retry && { retry: options.retry }),
    ...(inputs.maxWriteCapacity > 0 && {
      limiter: new RateLimiter(inputs.maxWriteCapacity, now, sleep),
    }),
    events: {
      onRefused: (write, reason) => validator.rejectWrite('refused', write, reason),
      onUnwritten: (write, reason) => validator.rejectWrite('unwritten', write, reason),
    },
  })
}

/** Every object in order, one at a time, each logged with its counts when done. */
async function readAll(
  objects: SourceObject[],
  options: StreamOptions,
  {
    outcome,
    validator,
    schema,
  }: { outcome: StreamOutcome; validator: Validator; schema: TableSchema },
): Promise<void> {
  const { inputs, steps } = options
  const progress = new Progress(options.now ?? realClock.now, objects.length)
  const format = { ...inputs, schema, incremental: inputs.incremental === true }
  const context = {
    inputs,
    format,
    source: options.source,
    outcome,
    validator,
    progress,
    writeProgress: validator.writer?.progress,
  }
  await steps.group(`Validate and write: ${objects.length} objects`, async () => {
    for (const object of objects) {
      const before = { processed: outcome.processed, errors: outcome.errors }
      const compression = await readObject(object, context)
      progress.objectDone()
      core.info(
        `${object.url}: ${outcome.processed - before.processed} records, ` +
          `${outcome.errors - before.errors} rejected${compression ? ` (${compression})` : ''}`,
      )
    }
  })
}

/** Read, validate and write end together: each when its last record has passed. */
function endSteps(steps: Steps, outcome: StreamOutcome, superseded: number): void {
  steps.end(
    'read',
    `${outcome.objects} objects, ${outcome.storedBytes} bytes stored, ${outcome.processedSizeBytes} bytes uncompressed`,
  )
  steps.end(
    'validate',
    `${outcome.processed} records, ${outcome.errors} rejected`,
    outcome.errors === 0,
  )
  const w = outcome.write
  if (!w) {
    outcome.imported += superseded
    steps.end('write', `dry run: ${outcome.imported} items would be written, none were`)
    return
  }
  outcome.imported = w.written + superseded
  outcome.unwritten = w.unwritten
  steps.end(
    'write',
    `${w.written} items written in ${w.calls} calls, ${w.retries} retries` +
      (w.unwritten ? `, ${w.unwritten} NOT written` : '') +
      (w.refused ? `, ${w.refused} refused by DynamoDB` : ''),
    w.unwritten === 0 && w.refused === 0,
  )
}

/**
 * An error that stops the import (the table deleted, access denied): what was and was not done
 * by then, so that nobody has to guess whether to re-run.
 */
async function stopped(
  err: unknown,
  outcome: StreamOutcome,
  writer: BatchWriter | undefined,
  inputs: Inputs,
): Promise<Error> {
  const file = await outcome.rejected.close().catch(() => undefined)
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
