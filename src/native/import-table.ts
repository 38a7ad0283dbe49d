import * as core from '@actions/core'
import {
  ImportTableCommand,
  waitUntilImportCompleted,
  type DescribeImportCommand,
  type DescribeImportCommandOutput,
  type DynamoDBClient,
  type ImportTableCommandInput,
  type ImportTableDescription,
} from '@aws-sdk/client-dynamodb'
import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { sleep } from '../clock.js'
import {
  ActionError,
  errorMessage,
  errorName,
  isAccessDenied,
  isRetryableAwsError,
  permissionHint,
} from '../errors.js'
import { ITEM_VALIDATION_ERROR, MAX_REJECTION_SAMPLES, type Rejection } from '../result.js'
import { explainImportError, LIMIT_RETRY_BUDGET_MS } from './explain.js'
import { consoleLink } from './import-request.js'
import { findRunningImport } from './running-import.js'

/** First wait between DescribeImport polls; an import takes minutes at the very least. */
export const POLL_MIN_MS = 5_000
/** Longest wait between polls, so that the end of an import is seen within a minute. */
export const POLL_MAX_MS = 60_000
const LIMIT_RETRY_MIN_MS = 15_000
const LIMIT_RETRY_MAX_MS = 120_000
/** ImportTable logs each rejected item here, one stream per import: `<import-id>/error`. */
export const IMPORT_LOG_GROUP = '/aws-dynamodb/imports'

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED'])

export interface NativeOptions {
  dynamodb: DynamoDBClient
  /** The CloudWatch Logs client, made on first use (Clients.logs): most imports never need it. */
  logs: () => Promise<CloudWatchLogsClient>
  request: ImportTableCommandInput
  region: string
  wait: boolean
  timeoutMinutes: number
  /** The table's ARN when it exists already: ListImports then lists its imports alone. */
  tableArn?: string
  /** Called as soon as the import is known, so its ARN is an output even if the wait fails. */
  onStarted(description: ImportTableDescription): void
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Aborted when the run is cancelled: the wait stops; the import goes on in AWS. */
  signal?: AbortSignal
}

export interface NativeOutcome {
  description: ImportTableDescription
  /** An import already IN_PROGRESS for the table was attached to, none was started. */
  attached: boolean
  /** timeout-minutes passed before the import ended: it goes on in AWS. */
  timedOut: boolean
  /** The run was cancelled while waiting: the import goes on in AWS. */
  cancelled?: boolean
  /** The first item errors, read from CloudWatch Logs. */
  itemErrors: Rejection[]
}

/** ImportTable, or an import already running for the table; then, unless told not to, its end. */
export async function nativeImport(options: NativeOptions): Promise<NativeOutcome> {
  const now = options.now ?? Date.now
  const pause = options.sleep ?? sleep
  const tableName = options.request.TableCreationParameters?.TableName ?? ''
  const running = await findRunningImport(options.dynamodb, tableName, options.tableArn)
  const started = running ?? (await startImport(options, now, pause))
  const arn = started.ImportArn ?? ''
  core.info(
    running
      ? `Attached to import ${arn}, already IN_PROGRESS for table ${tableName}.`
      : `Started import ${arn}.`,
  )
  core.info(`Console: ${consoleLink(options.region, arn)}`)
  options.onStarted(started)
  const outcome: NativeOutcome = {
    description: started,
    attached: running !== undefined,
    timedOut: false,
    itemErrors: [],
  }
  if (!options.wait) return outcome

  const done = await waitForEnd(options, arn, now)
  outcome.description = done.description ?? started
  outcome.timedOut = done.timedOut
  if (done.cancelled) {
    outcome.cancelled = true
    return outcome
  }
  if (outcome.description.FailureCode === ITEM_VALIDATION_ERROR) {
    outcome.itemErrors = await readItemErrors(options.logs, outcome.description)
  }
  return outcome
}

/** ImportTable, waiting for a slot while the account's 50 concurrent imports are taken. */
async function startImport(
  options: NativeOptions,
  now: () => number,
  pause: (ms: number) => Promise<void>,
): Promise<ImportTableDescription> {
  const tableName = options.request.TableCreationParameters?.TableName ?? ''
  const giveUpAt = now() + LIMIT_RETRY_BUDGET_MS
  for (let delay = LIMIT_RETRY_MIN_MS; ; delay = Math.min(LIMIT_RETRY_MAX_MS, delay * 2)) {
    try {
      const { ImportTableDescription } = await options.dynamodb.send(
        new ImportTableCommand(options.request),
      )
      if (!ImportTableDescription) throw new Error('ImportTable answered without a description')
      return ImportTableDescription
    } catch (err) {
      if (errorName(err) !== 'LimitExceededException' || now() + delay > giveUpAt) {
        throw new ActionError(explainImportError(err, 'ImportTable', tableName), { cause: err })
      }
      core.info(
        `ImportTable: the account's concurrent imports are all taken; trying again in ${Math.round(delay / 1000)} s.`,
      )
      await pause(delay)
    }
  }
}

/**
 * DescribeImport until the import ends or timeout-minutes pass, with the SDK's waiter
 * (docs/import-rules.md §3): pauses from 5 s doubling, with jitter, up to 60 s. The outcome is the
 * last description DescribeImport gave, whatever the waiter made of it: the waiter throws for
 * FAILED, which is also how an import with item errors ends (docs/import-rules.md §1, rule 1), for
 * CANCELLED and on its timeout.
 */
async function waitForEnd(
  options: NativeOptions,
  arn: string,
  now: () => number,
): Promise<{
  description: ImportTableDescription | undefined
  timedOut: boolean
  cancelled?: boolean
}> {
  const began = now()
  let last: ImportTableDescription | undefined
  let lastError: unknown
  let fatal: Error | undefined
  const stop = new AbortController()
  const giveUp = (err: Error) => {
    fatal = err
    stop.abort()
  }
  // The waiter takes every DescribeImport error for "not ended yet" and polls on until
  // maxWaitTime. Only errors worth another try (throttling, 5xx, a broken connection: what the
  // SDK itself retries) deserve that; any other, AccessDenied say, ends the wait at once.
  const send = async (command: DescribeImportCommand): Promise<DescribeImportCommandOutput> => {
    let output: DescribeImportCommandOutput
    try {
      output = await options.dynamodb.send(command)
    } catch (err) {
      lastError = err
      if (!isRetryableAwsError(err)) {
        giveUp(new ActionError(explainImportError(err, 'DescribeImport', arn), { cause: err }))
      }
      throw err
    }
    if (!output.ImportTableDescription) {
      const err = new Error(`DescribeImport answered without a description for ${arn}`)
      giveUp(err)
      throw err
    }
    last = output.ImportTableDescription
    const elapsed = Math.round((now() - began) / 1000)
    // ImportTable's counters stay 0 until the end, so status and time are all there is to show.
    core.info(`import ${last.ImportStatus ?? 'IN_PROGRESS'} after ${elapsed} s`)
    return output
  }
  const client = new Proxy(options.dynamodb, {
    get: (target, property, receiver) =>
      property === 'send' ? send : Reflect.get(target, property, receiver),
  })
  try {
    await waitUntilImportCompleted(
      {
        client,
        minDelay: POLL_MIN_MS / 1000,
        maxDelay: POLL_MAX_MS / 1000,
        // The waiter refuses a maxWaitTime that is not longer than its first pause.
        maxWaitTime: Math.max(options.timeoutMinutes * 60, POLL_MIN_MS / 1000 + 1),
        abortSignal: options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal,
      },
      { ImportArn: arn },
    )
  } catch {
    // FAILED, CANCELLED, the timeout or an abort: `last` and `fatal` say which.
  }
  if (fatal) throw fatal
  // Cancelled: the last description seen, if any; the import itself goes on.
  if (options.signal?.aborted) return { description: last, timedOut: false, cancelled: true }
  if (!last) {
    // Every answer until timeout-minutes was an error worth another try: the last one says why.
    throw new ActionError(explainImportError(lastError, 'DescribeImport', arn), {
      cause: lastError,
    })
  }
  return { description: last, timedOut: !TERMINAL.has(last.ImportStatus ?? 'IN_PROGRESS') }
}

/**
 * The first item errors of a failed import, from its CloudWatch log stream. Without permission to
 * read them, a warning names the permission and the import's outcome stands.
 */
async function readItemErrors(
  logs: () => Promise<CloudWatchLogsClient>,
  description: ImportTableDescription,
): Promise<Rejection[]> {
  const importId = description.ImportArn?.split('/').pop() ?? ''
  const stream = `${importId}/error`
  try {
    const client = await logs()
    const { events } = await client.send(
      new GetLogEventsCommand({
        logGroupName: IMPORT_LOG_GROUP,
        logStreamName: stream,
        startFromHead: true,
        limit: MAX_REJECTION_SAMPLES,
      }),
    )
    return (events ?? []).slice(0, MAX_REJECTION_SAMPLES).map((e) => itemError(e.message ?? ''))
  } catch (err) {
    const why = isAccessDenied(err)
      ? permissionHint('GetLogEvents', `log group ${IMPORT_LOG_GROUP}`)
      : `${errorName(err) ?? 'Error'}: ${errorMessage(err)}.`
    core.warning(
      `Could not read the item errors of the import from ${IMPORT_LOG_GROUP} ${stream}. ${why}`,
    )
    return []
  }
}

/** One CloudWatch event of ImportTable as a rejection: the object, the item's index, the reasons. */
export function itemError(message: string): Rejection {
  try {
    const event = JSON.parse(message) as {
      itemS3Pointer?: { bucket?: string; key?: string; itemIndex?: number }
      errorMessages?: string[]
    }
    const pointer = event.itemS3Pointer ?? {}
    return {
      kind: 'invalid',
      location: `s3://${pointer.bucket ?? '?'}/${pointer.key ?? '?'} item ${pointer.itemIndex ?? '?'}`,
      reason: (event.errorMessages ?? []).join('; ') || 'no reason given',
      records: 1,
    }
  } catch {
    return {
      kind: 'invalid',
      location: 'ImportTable error log',
      reason: 'unreadable log event',
      records: 1,
    }
  }
}
