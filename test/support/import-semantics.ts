// What DynamoDB's ImportTable, DescribeImport and ListImports and CloudWatch Logs' GetLogEvents
// answer, as plain functions for the fake server (fake-import-server.ts). "§3" and "rule 14" refer
// to docs/import-rules.md; [doc], [meas] and [unknown] are its tags (documented), (observed:
// ScyllaDB suite) and (unknown).
import * as fs from 'node:fs'
import type { ImportTableInput, TableDescription } from '@aws-sdk/client-dynamodb'
import type { Source } from '../../src/sources/source.js'
import type { StreamJob } from '../../src/stream/engine.js'

export const REGION = 'us-east-1'
export const ACCOUNT = '000000000000'
/** §3 CloudWatch: every import logs into this group. */
export const LOG_GROUP = '/aws-dynamodb/imports'
/** §3 [meas]: CloudWatchLogGroupArn is always present, in this form. */
export const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:*`
/** Rule 1 / §6 [doc VAL]: the FailureMessage of an import with item errors. */
export const ITEM_VALIDATION_MESSAGE =
  'Some of the items failed validation checks and were not imported. ' +
  'Please check CloudWatch error logs for more details.'

export const tableArn = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`
/** §3: the ImportArn is the table ARN plus `/import/<id>`. */
export const importArn = (table: string, id: string) => `${tableArn(table)}/import/${id}`
/** §3 CloudWatch: the stream of an import's item errors; the id is the ARN's last element. */
export const errorStream = (importId: string) => `${importId}/error`

export type Json = Record<string, unknown>
export type ImportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED'
/** An ImportTable request that passed {@link importTableProblems}: the required parts are set. */
export type ImportTableRequest = ImportTableInput & {
  ClientToken: string
  S3BucketSource: NonNullable<ImportTableInput['S3BucketSource']>
  InputFormat: NonNullable<ImportTableInput['InputFormat']>
  TableCreationParameters: NonNullable<ImportTableInput['TableCreationParameters']>
}

/** §3: the ImportTableDescription, as it travels (times are epoch seconds). */
export interface ImportDescription {
  ImportArn: string
  ImportStatus: ImportStatus
  TableArn: string
  TableId: string
  ClientToken: string
  S3BucketSource: ImportTableInput['S3BucketSource']
  ErrorCount: number
  CloudWatchLogGroupArn: string
  InputFormat: ImportTableInput['InputFormat']
  InputFormatOptions?: ImportTableInput['InputFormatOptions']
  InputCompressionType: string
  TableCreationParameters: ImportTableInput['TableCreationParameters']
  StartTime: number
  EndTime?: number
  ProcessedSizeBytes?: number
  ProcessedItemCount: number
  ImportedItemCount: number
  FailureCode?: string
  FailureMessage?: string
}

/** What an import ends with: laid over its IN_PROGRESS description once it is shown. */
export type ImportEnd = Pick<
  ImportDescription,
  'ImportStatus' | 'EndTime' | 'ProcessedItemCount' | 'ImportedItemCount' | 'ErrorCount'
> &
  Partial<Pick<ImportDescription, 'ProcessedSizeBytes' | 'FailureCode' | 'FailureMessage'>>

/** An error answer: `name` is the exception's short name (`ResourceInUseException`). */
export class ApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The `__type` DynamoDB answers with. Generic errors come from other Coral namespaces; the SDK
 * keeps only what follows `#`, so the namespace never changes `err.name`.
 */
export function dynamodbErrorType(name: string): string {
  if (name === 'ValidationException') return `com.amazon.coral.validate#${name}`
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException')
    return `com.amazon.coral.service#${name}`
  if (name === 'ThrottlingException') return `com.amazon.coral.availability#${name}`
  return `com.amazonaws.dynamodb.v20120810#${name}`
}

/** Server faults are 5xx (the SDK retries them); every other error is a 400. */
export function httpStatusOf(name: string): number {
  if (name === 'InternalServerError' || name === 'InternalFailure') return 500
  if (name === 'ServiceUnavailable' || name === 'ServiceUnavailableException') return 503
  return 400
}

export function validationError(problems: string[]): ApiError {
  const n = problems.length
  return new ApiError(
    'ValidationException',
    `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  )
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A member's constraints; min and max are lengths (of a string, or of a list). */
interface Rule {
  required?: boolean
  kind?: 'string' | 'structure' | 'list'
  min?: number
  max?: number
  pattern?: RegExp
  oneOf?: string[]
}

/** §2: the API model's ImportTable constraints, member by member (`[]`: every list element). */
const IMPORT_TABLE_MODEL: Array<[string, Rule]> = [
  // ClientToken: required by the service [meas] (the SDK fills it in).
  ['ClientToken', { required: true, pattern: /^[^$]+$/ }],
  ['S3BucketSource', { required: true, kind: 'structure' }],
  [
    'S3BucketSource.S3Bucket',
    { required: true, max: 255, pattern: /^[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+$/ },
  ],
  ['S3BucketSource.S3BucketOwner', { pattern: /^[0-9]{12}$/ }],
  ['S3BucketSource.S3KeyPrefix', { max: 1024 }],
  ['InputFormat', { required: true, oneOf: ['DYNAMODB_JSON', 'ION', 'CSV'] }],
  ['InputCompressionType', { oneOf: ['GZIP', 'ZSTD', 'NONE'] }],
  ['InputFormatOptions', { kind: 'structure' }],
  ['InputFormatOptions.Csv', { kind: 'structure' }],
  ['InputFormatOptions.Csv.Delimiter', { min: 1, max: 1, pattern: /^[,;:|\t ]$/ }],
  ['InputFormatOptions.Csv.HeaderList', { kind: 'list', min: 1, max: 255 }],
  [
    'InputFormatOptions.Csv.HeaderList[]',
    { required: true, min: 1, max: 65536, pattern: /^[\x20-\x21\x23-\x2B\x2D-\x7E]*$/ },
  ],
  ['TableCreationParameters', { required: true, kind: 'structure' }],
  [
    'TableCreationParameters.TableName',
    { required: true, min: 3, max: 255, pattern: /^[a-zA-Z0-9_.-]+$/ },
  ],
  ['TableCreationParameters.BillingMode', { oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'] }],
  ['TableCreationParameters.AttributeDefinitions', { required: true, kind: 'list' }],
  [
    'TableCreationParameters.AttributeDefinitions[].AttributeName',
    { required: true, min: 1, max: 255 },
  ],
  [
    'TableCreationParameters.AttributeDefinitions[].AttributeType',
    { required: true, oneOf: ['S', 'N', 'B'] },
  ],
  ['TableCreationParameters.KeySchema', { required: true, kind: 'list', min: 1, max: 2 }],
  ['TableCreationParameters.KeySchema[].AttributeName', { required: true, min: 1, max: 255 }],
  ['TableCreationParameters.KeySchema[].KeyType', { required: true, oneOf: ['HASH', 'RANGE'] }],
]

/** The values at a path; none when a parent is absent (the parent's own rule reports that). */
function valuesAt(root: unknown, path: string): unknown[] {
  let values = [root]
  for (const segment of path.split('.')) {
    const name = segment.replace('[]', '')
    values = values.flatMap((v) => {
      if (!isObject(v)) return []
      const child = v[name]
      return !segment.endsWith('[]') ? [child] : Array.isArray(child) ? child : []
    })
  }
  return values
}

/** What is wrong with one value, in the service's words; undefined when it is fine. */
function violation(value: unknown, rule: Rule): string | undefined {
  if (value === undefined || value === null)
    return rule.required ? 'Member must not be null' : undefined
  const kind = rule.kind ?? 'string'
  if (kind === 'structure') return isObject(value) ? undefined : 'Member must be a structure'
  if (kind === 'list' ? !Array.isArray(value) : typeof value !== 'string')
    return `Member must be a ${kind}`
  const { length } = value as string | unknown[]
  if (rule.oneOf && !rule.oneOf.includes(value as string))
    return `Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`
  if (rule.min !== undefined && length < rule.min)
    return `Member must have length greater than or equal to ${rule.min}`
  if (rule.max !== undefined && length > rule.max)
    return `Member must have length less than or equal to ${rule.max}`
  if (rule.pattern && !rule.pattern.test(value as string))
    return `Member must satisfy regular expression pattern: ${rule.pattern.source}`
  return undefined
}

/** §2: the ImportTable request checked against the API model; [] when it is valid. */
export function importTableProblems(body: Json): string[] {
  const problems = IMPORT_TABLE_MODEL.flatMap(([path, rule]) =>
    valuesAt(body, path).flatMap((value) => {
      const constraint = violation(value, rule)
      if (constraint === undefined) return []
      const shown = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? 'null')
      const at = path.replace(/\[\]/g, '.member').replace(/(^|\.)([A-Z])/g, (m) => m.toLowerCase())
      return [`Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`]
    }),
  )
  if (problems.length > 0) return problems
  // §2 InputFormatOptions.Csv: sent with another format it is a ValidationException [meas].
  const format = body['InputFormat']
  if (valuesAt(body, 'InputFormatOptions.Csv')[0] !== undefined && format !== 'CSV')
    problems.push(
      `InputFormatOptions.Csv can only be used with InputFormat CSV, not ${String(format)}`,
    )
  // CreateTable's own rule, which the table an import creates must meet too.
  const params = body['TableCreationParameters'] as Json
  if (params['BillingMode'] !== 'PAY_PER_REQUEST' && params['ProvisionedThroughput'] === undefined)
    problems.push(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits ' +
        'must both be specified when BillingMode is PROVISIONED',
    )
  return problems
}

/**
 * §3 ListImports: NextToken is 112-1024 characters of `([0-9a-f]{16})+`. This one carries the
 * offset of the next page as hex, padded with zero bytes.
 */
export function encodeNextToken(offset: number): string {
  const hex = Buffer.from(JSON.stringify({ offset })).toString('hex')
  return hex.padEnd(Math.max(112, Math.ceil(hex.length / 16) * 16), '0')
}

export function decodeNextToken(token: unknown): number | undefined {
  if (typeof token !== 'string' || !/^([0-9a-f]{16})+$/.test(token) || token.length < 112) return
  try {
    const text = Buffer.from(token, 'hex').toString().replace(/\0+$/, '')
    const { offset } = JSON.parse(text) as { offset?: unknown }
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0
      ? offset
      : undefined
  } catch {
    return undefined
  }
}

export interface LogEvent {
  timestamp: number
  message: string
  ingestionTime: number
}

/**
 * §3 CloudWatch [doc VAL]: one event per rejected item. The stream engine's rejected-records
 * line has `location` = `s3://bucket/key:line`; itemIndex counts from 0.
 */
export function logEventMessage(
  rejection: { location: string; reason: string },
  arn: string,
): string {
  const match = /^s3:\/\/([^/]+)\/(.*):(\d+)$/s.exec(rejection.location)
  const [, bucket = '', key = rejection.location, line = '1'] = match ?? []
  return JSON.stringify({
    itemS3Pointer: { bucket, key, itemIndex: Number(line) - 1 },
    importArn: arn,
    errorMessages: [rejection.reason],
  })
}

const token = (direction: 'f' | 'b', position: number) =>
  `${direction}/${String(position).padStart(56, '0')}`

/**
 * GetLogEvents paging as CloudWatch does it: without a token, startFromHead picks the oldest
 * events, otherwise the newest; a forward token at the end comes back unchanged (the sign that
 * there is nothing more).
 */
export function pageLogEvents(
  events: LogEvent[],
  request: { startFromHead?: unknown; limit?: unknown; nextToken?: unknown },
): { events: LogEvent[]; nextForwardToken: string; nextBackwardToken: string } {
  const limit = request.limit ?? 10_000
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new ApiError('InvalidParameterException', 'limit must be between 1 and 10000')
  let forward = request.startFromHead === true
  let position = forward ? 0 : events.length
  if (request.nextToken !== undefined) {
    const match = /^([fb])\/(\d{56})$/.exec(String(request.nextToken))
    if (!match)
      throw new ApiError('InvalidParameterException', 'The specified nextToken is invalid.')
    forward = match[1] === 'f'
    position = Math.min(Number(match[2]), events.length)
  }
  const start = forward ? position : Math.max(0, position - limit)
  const end = forward ? Math.min(events.length, position + limit) : position
  return {
    events: events.slice(start, end),
    nextForwardToken: token('f', end),
    nextBackwardToken: token('b', start),
  }
}

/**
 * The stream engine's job for an import (§11: it accepts exactly what ImportTable accepts): the
 * same format, compression (§2 [meas]: absent is NONE) and CSV options, into the table created.
 */
export function streamJobFor(
  request: ImportTableRequest,
  source: Source,
  table: TableDescription,
  rejectedFile: string,
): StreamJob {
  const csv = request.InputFormatOptions?.Csv
  return {
    engine: 'stream',
    table,
    tableId: table.TableName ?? '',
    source,
    format: {
      format: request.InputFormat,
      compression: request.InputCompressionType ?? 'NONE',
      csvDelimiter: csv?.Delimiter ?? ',',
      ...(csv?.HeaderList && { csvHeader: csv.HeaderList }),
    },
    write: { writeConcurrency: 4, writeThreads: 0, maxWriteCapacity: 0, stallTimeoutSeconds: 120 },
    customEndpoint: true,
    dryRun: false,
    rejectedFile,
    importTableCouldRead: true,
  }
}

/** §3 CloudWatch: one event per line of the stream engine's rejected-records file. */
export function errorEvents(rejectedFile: string, arn: string, time: number): LogEvent[] {
  return fs
    .readFileSync(rejectedFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ({
      timestamp: time,
      ingestionTime: time,
      message: logEventMessage(JSON.parse(line) as { location: string; reason: string }, arn),
    }))
}

/** §3 [doc VAL]: the S3 error and its request id, as S3NoSuchBucket's FailureMessage has them. */
export function s3FailureMessage(err: unknown): string {
  const e = err as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } }
  return (
    `${e.message} (Service: Amazon S3; Status Code: ${e.$metadata?.httpStatusCode ?? '?'}; ` +
    `Error Code: ${e.name}; Request ID: ${e.$metadata?.requestId ?? '?'}; Proxy: null)`
  )
}

/** §3 ListImports: the ImportSummary of a description (EndTime only once ended). */
export function importSummary(d: ImportDescription): Json {
  return {
    ImportArn: d.ImportArn,
    ImportStatus: d.ImportStatus,
    TableArn: d.TableArn,
    S3BucketSource: d.S3BucketSource,
    CloudWatchLogGroupArn: d.CloudWatchLogGroupArn,
    InputFormat: d.InputFormat,
    StartTime: d.StartTime,
    ...(d.EndTime !== undefined && { EndTime: d.EndTime }),
  }
}
