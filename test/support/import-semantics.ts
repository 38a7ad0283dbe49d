// What DynamoDB's ImportTable, DescribeImport and ListImports and CloudWatch Logs' GetLogEvents
// answer, as plain functions for the fake server (fake-import-server.ts). "§3" and "rule 14" refer
// to /work/shared/reference/import-semantics.md; [doc], [meas] and [unknown] are its tags.
import type { ImportTableInput } from '@aws-sdk/client-dynamodb'

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
export type ImportTableRequest = ImportTableInput & { ClientToken: string }

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

interface Rule {
  required?: boolean
  pattern?: RegExp
  min?: number
  max?: number
  oneOf?: string[]
}

/** One member against its model constraints, in the service's wording. */
function check(problems: string[], value: unknown, at: string, rule: Rule): value is string {
  const fail = (constraint: string) => {
    const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value)
    problems.push(`Value ${shown ?? 'null'} at '${at}' failed to satisfy constraint: ${constraint}`)
    return false
  }
  if (value === undefined || value === null)
    return rule.required ? fail('Member must not be null') : false
  if (typeof value !== 'string') return fail('Member must be a string')
  if (rule.oneOf && !rule.oneOf.includes(value))
    return fail(`Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`)
  if (rule.min !== undefined && value.length < rule.min)
    return fail(`Member must have length greater than or equal to ${rule.min}`)
  if (rule.max !== undefined && value.length > rule.max)
    return fail(`Member must have length less than or equal to ${rule.max}`)
  if (rule.pattern && !rule.pattern.test(value))
    return fail(`Member must satisfy regular expression pattern: ${rule.pattern.source}`)
  return true
}

/** §2: the ImportTable request checked against the API model; [] when it is valid. */
export function importTableProblems(body: Json): string[] {
  const p: string[] = []
  // §2 ClientToken: required by the service [meas] (the SDK fills it), pattern ^[^\$]+$ [doc].
  check(p, body['ClientToken'], 'clientToken', { required: true, pattern: /^[^$]+$/ })
  const source = body['S3BucketSource']
  if (!isObject(source)) check(p, undefined, 's3BucketSource', { required: true })
  else {
    const bucket = /^[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+$/
    check(p, source['S3Bucket'], 's3BucketSource.s3Bucket', {
      required: true,
      max: 255,
      pattern: bucket,
    })
    check(p, source['S3BucketOwner'], 's3BucketSource.s3BucketOwner', { pattern: /^[0-9]{12}$/ })
    check(p, source['S3KeyPrefix'], 's3BucketSource.s3KeyPrefix', { max: 1024 })
  }
  const format = body['InputFormat']
  check(p, format, 'inputFormat', { required: true, oneOf: ['DYNAMODB_JSON', 'ION', 'CSV'] })
  check(p, body['InputCompressionType'], 'inputCompressionType', {
    oneOf: ['GZIP', 'ZSTD', 'NONE'],
  })
  const options = body['InputFormatOptions']
  const csv = isObject(options) ? options['Csv'] : undefined
  if (isObject(csv)) {
    check(p, csv['Delimiter'], 'inputFormatOptions.csv.delimiter', {
      min: 1,
      max: 1,
      pattern: /^[,;:|\t ]$/,
    })
    const header = csv['HeaderList']
    if (
      header !== undefined &&
      (!Array.isArray(header) || header.length < 1 || header.length > 255)
    )
      p.push(
        `Value at 'inputFormatOptions.csv.headerList' failed to satisfy constraint: Member must have length between 1 and 255`,
      )
    else
      for (const name of header ?? [])
        check(p, name, 'inputFormatOptions.csv.headerList.member', {
          required: true,
          min: 1,
          max: 65536,
          pattern: /^[\x20-\x21\x23-\x2B\x2D-\x7E]*$/,
        })
  }
  const params = body['TableCreationParameters']
  if (!isObject(params)) check(p, undefined, 'tableCreationParameters', { required: true })
  else {
    const at = 'tableCreationParameters'
    check(p, params['TableName'], `${at}.tableName`, {
      required: true,
      min: 3,
      max: 255,
      pattern: /^[a-zA-Z0-9_.-]+$/,
    })
    check(p, params['BillingMode'], `${at}.billingMode`, {
      oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'],
    })
    for (const [member, name, type, types] of [
      ['AttributeDefinitions', 'AttributeName', 'AttributeType', ['S', 'N', 'B']],
      ['KeySchema', 'AttributeName', 'KeyType', ['HASH', 'RANGE']],
    ] as const) {
      const list = params[member]
      const where = `${at}.${member[0]?.toLowerCase()}${member.slice(1)}`
      if (!Array.isArray(list)) check(p, undefined, where, { required: true })
      else
        for (const entry of list as unknown[]) {
          const e = isObject(entry) ? entry : {}
          check(p, e[name], `${where}.member.attributeName`, { required: true, min: 1, max: 255 })
          check(p, e[type], `${where}.member.${type[0]?.toLowerCase()}${type.slice(1)}`, {
            required: true,
            oneOf: [...types],
          })
        }
    }
  }
  if (p.length > 0) return p
  // §2 InputFormatOptions.Csv: sent with another format it is a ValidationException [meas].
  if (csv !== undefined && format !== 'CSV')
    p.push(`InputFormatOptions.Csv can only be used with InputFormat CSV, not ${String(format)}`)
  // CreateTable's own rule, which ImportTable must meet to create the table.
  const tcp = params as Json
  if (tcp['BillingMode'] !== 'PAY_PER_REQUEST' && !isObject(tcp['ProvisionedThroughput']))
    p.push(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    )
  return p
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
