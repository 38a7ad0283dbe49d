import * as core from '@actions/core'
import {
  DescribeImportCommand,
  ImportTableCommand,
  paginateListImports,
  type DynamoDBClient,
  type ImportTableCommandInput,
  type ImportTableDescription,
} from '@aws-sdk/client-dynamodb'
import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { ActionError, errorMessage, errorName } from '../errors.js'
import { MAX_REJECTION_SAMPLES, type Rejection } from '../stream/rejected-records.js'
import { consoleLink } from './import-request.js'

/** First wait between DescribeImport polls; an import takes minutes at the very least. */
export const POLL_MIN_MS = 5_000
/** Longest wait between polls, so that the end of an import is seen within a minute. */
export const POLL_MAX_MS = 60_000
const POLL_GROWTH = 1.5
/** "Up to 50 simultaneous import table operations are allowed per account": wait this long for a slot. */
export const LIMIT_RETRY_BUDGET_MS = 15 * 60_000
const LIMIT_RETRY_MIN_MS = 15_000
const LIMIT_RETRY_MAX_MS = 120_000
/** ImportTable logs each rejected item here, one stream per import: `<import-id>/error`. */
export const IMPORT_LOG_GROUP = '/aws-dynamodb/imports'
/** ListImports returns at most 25 imports per page. */
const LIST_PAGE_SIZE = 25

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED'])

export interface NativeOptions {
  dynamodb: DynamoDBClient
  logs: CloudWatchLogsClient
  request: ImportTableCommandInput
  region: string
  wait: boolean
  timeoutMinutes: number
  /** Called as soon as the import is known, so its ARN is an output even if the wait fails. */
  onStarted(description: ImportTableDescription): void
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface NativeOutcome {
  description: ImportTableDescription
  /** An import already IN_PROGRESS for the table was attached to, none was started. */
  attached: boolean
  /** timeout-minutes passed before the import ended: it goes on in AWS. */
  timedOut: boolean
  /** The first item errors, read from CloudWatch Logs. */
  itemErrors: Rejection[]
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** ImportTable, or an import already running for the table; then, unless told not to, its end. */
export async function nativeImport(options: NativeOptions): Promise<NativeOutcome> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? realSleep
  const tableName = options.request.TableCreationParameters?.TableName ?? ''
  const running = await findRunningImport(options.dynamodb, tableName)
  const started = running ?? (await startImport(options, now, sleep))
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

  const done = await waitForEnd(options, arn, now, sleep)
  outcome.description = done.description
  outcome.timedOut = done.timedOut
  if (done.description.FailureCode === 'ItemValidationError') {
    outcome.itemErrors = await readItemErrors(options.logs, done.description)
  }
  return outcome
}

/** An import of this table that is still running: a re-run after a runner died attaches to it. */
export async function findRunningImport(
  client: DynamoDBClient,
  tableName: string,
): Promise<ImportTableDescription | undefined> {
  try {
    for await (const page of paginateListImports({ client }, { PageSize: LIST_PAGE_SIZE })) {
      for (const summary of page.ImportSummaryList ?? []) {
        if (summary.ImportStatus !== 'IN_PROGRESS') continue
        if (!summary.TableArn?.endsWith(`:table/${tableName}`)) continue
        const { ImportTableDescription } = await client.send(
          new DescribeImportCommand({ ImportArn: summary.ImportArn }),
        )
        return ImportTableDescription
      }
    }
  } catch (err) {
    throw new ActionError(explainImportError(err, 'ListImports', tableName), { cause: err })
  }
  return undefined
}

/** ImportTable, waiting for a slot while the account's 50 concurrent imports are taken. */
async function startImport(
  options: NativeOptions,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
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
      await sleep(delay)
    }
  }
}

/** Polls DescribeImport with growing pauses until the import ends or timeout-minutes pass. */
async function waitForEnd(
  options: NativeOptions,
  arn: string,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<{ description: ImportTableDescription; timedOut: boolean }> {
  const began = now()
  const deadline = began + options.timeoutMinutes * 60_000
  for (let delay = POLL_MIN_MS; ; delay = Math.min(POLL_MAX_MS, delay * POLL_GROWTH)) {
    let description: ImportTableDescription | undefined
    try {
      description = (await options.dynamodb.send(new DescribeImportCommand({ ImportArn: arn })))
        .ImportTableDescription
    } catch (err) {
      throw new ActionError(explainImportError(err, 'DescribeImport', arn), { cause: err })
    }
    if (!description) throw new Error(`DescribeImport answered without a description for ${arn}`)
    const status = description.ImportStatus ?? 'IN_PROGRESS'
    const elapsed = Math.round((now() - began) / 1000)
    // ImportTable's counters stay 0 until the end, so status and time are all there is to show.
    core.info(`import ${status} after ${elapsed} s`)
    if (TERMINAL.has(status)) return { description, timedOut: false }
    if (now() + delay > deadline) return { description, timedOut: true }
    await sleep(delay)
  }
}

/**
 * The first item errors of a failed import, from its CloudWatch log stream. Without permission to
 * read them, a warning names the permission and the import's outcome stands.
 */
async function readItemErrors(
  logs: CloudWatchLogsClient,
  description: ImportTableDescription,
): Promise<Rejection[]> {
  const importId = description.ImportArn?.split('/').pop() ?? ''
  const stream = `${importId}/error`
  try {
    const { events } = await logs.send(
      new GetLogEventsCommand({
        logGroupName: IMPORT_LOG_GROUP,
        logStreamName: stream,
        startFromHead: true,
        limit: MAX_REJECTION_SAMPLES,
      }),
    )
    return (events ?? []).slice(0, MAX_REJECTION_SAMPLES).map((e) => itemError(e.message ?? ''))
  } catch (err) {
    const name = errorName(err) ?? 'Error'
    const why = /AccessDenied/.test(name)
      ? `the credentials need logs:GetLogEvents on log group ${IMPORT_LOG_GROUP}`
      : `${name}: ${errorMessage(err)}`
    core.warning(
      `Could not read the item errors of the import from ${IMPORT_LOG_GROUP} ${stream}: ${why}.`,
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

/** Permissions each call needs, so that an access-denied error names the one that is missing. */
const PERMISSIONS: Record<string, string> = {
  ImportTable:
    'dynamodb:ImportTable (plus s3:GetObject and s3:ListBucket on the source, and logs:CreateLogGroup, logs:CreateLogStream, logs:DescribeLogGroups, logs:DescribeLogStreams, logs:PutLogEvents, logs:PutRetentionPolicy on arn:aws:logs:*:*:log-group:/aws-dynamodb/*)',
  DescribeImport: 'dynamodb:DescribeImport',
  ListImports: 'dynamodb:ListImports',
}

/** An ImportTable-family error, turned into what to do about it. */
export function explainImportError(err: unknown, call: string, target: string): string {
  const name = errorName(err) ?? 'Error'
  const message = errorMessage(err)
  switch (name) {
    case 'ResourceInUseException':
      return `${call}: table ${target} already exists (${message}). ImportTable only creates new tables: use mode: stream (or auto) to write into an existing table, or choose a new table name.`
    case 'ImportConflictException':
      return `${call}: this client token was already used for an import into another table within the last 8 hours (${message}). Set another client-token, or leave it empty to derive one from the request.`
    case 'LimitExceededException':
      return `${call}: the account already runs 50 imports, and none ended within ${LIMIT_RETRY_BUDGET_MS / 60_000} minutes (${message}). Try again later.`
    case 'ImportNotFoundException':
      return `${call}: import ${target} was not found (${message}).`
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
      return `${call} was denied (${name}: ${message}). The credentials need ${PERMISSIONS[call] ?? call}.`
    case 'ValidationException':
      return `${call} refused the request: ${message}. Check source, input-format, the CSV options and the table definition.`
    default:
      return `${call} on ${target} failed: ${name}: ${message}`
  }
}

/** What a FailureCode means and what to check. */
export function explainFailure(code: string, message: string): string {
  const hints: Record<string, string> = {
    S3NoSuchBucket:
      'the bucket does not exist or is in another account: check source and bucket-owner',
    S3AccessDenied:
      'ImportTable could not read the objects: the credentials need s3:GetObject and s3:ListBucket (and kms:Decrypt for SSE-KMS objects)',
    S3NoSuchKey: 'objects were deleted while the import ran',
    ItemValidationError: 'some items failed validation; the table keeps every valid item',
  }
  const hint = hints[code] ? `: ${hints[code]}` : ''
  return `${code}${hint}. ${message}`.trim()
}
