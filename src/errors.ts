import {
  isServerError,
  isThrottlingError,
  isTransientError,
} from '@smithy/service-error-classification'

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** The name the AWS SDK gives a service exception (`ResourceNotFoundException`, ...), if any. */
export function errorName(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string') {
    return err.name
  }
  return undefined
}

/** The HTTP status of a failed AWS call, when the SDK recorded one. */
export function httpStatus(err: unknown): number | undefined {
  const metadata = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
  return metadata?.httpStatusCode
}

function requestId(err: unknown): string | undefined {
  const metadata = (err as { $metadata?: { requestId?: string } } | null)?.$metadata
  return metadata?.requestId
}

/** An error whose message is already written for the person reading the log. */
export class ActionError extends Error {
  override name = 'ActionError'
}

/**
 * Throttling, a broken or timed-out connection, or a 5xx: the same request may well succeed
 * later. The SDK's own classification, which its retry strategy uses, so that the action and the
 * SDK agree on what is worth another try. Access denied is not among them, although the SDK
 * counts AccessDeniedException as a possible clock skew.
 */
export function isRetryableAwsError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const sdkError = err as Parameters<typeof isThrottlingError>[0]
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError)
}

/** The names DynamoDB, S3 and CloudWatch Logs give a refusal of the credentials. */
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
])

/** The credentials were refused: missing permission, unknown key or bad signature. */
export function isAccessDenied(err: unknown): boolean {
  return ACCESS_DENIED.has(errorName(err) ?? '')
}

/** What a call needs to be allowed: its own IAM action, and what else it uses on the way. */
export interface Permission {
  action: string
  also?: string
}

/**
 * The permissions of every call the action makes, so that an access-denied error names the one
 * that is missing. ImportTable's list: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Requesting.html
 * (docs/import-rules.md §2).
 */
export const PERMISSION_FOR_CALL: Readonly<Record<string, Permission>> = {
  DescribeTable: { action: 'dynamodb:DescribeTable' },
  CreateTable: { action: 'dynamodb:CreateTable' },
  UpdateTimeToLive: { action: 'dynamodb:UpdateTimeToLive' },
  ListTagsOfResource: { action: 'dynamodb:ListTagsOfResource' },
  // The post step's, for delete-created-tables (UpdateTable turns deletion protection off).
  UpdateTable: { action: 'dynamodb:UpdateTable' },
  DeleteTable: { action: 'dynamodb:DeleteTable' },
  BatchWriteItem: { action: 'dynamodb:BatchWriteItem' },
  // The read-back (verify): BatchGetItem by key, and Scan for exact.
  BatchGetItem: { action: 'dynamodb:BatchGetItem' },
  Scan: { action: 'dynamodb:Scan' },
  ListObjectsV2: { action: 's3:ListBucket' },
  GetObject: { action: 's3:GetObject' },
  ImportTable: {
    action: 'dynamodb:ImportTable',
    // ImportTable reads the source and writes its log with the caller's credentials.
    also: 's3:GetObject and s3:ListBucket on the source, and logs:CreateLogGroup, logs:CreateLogStream, logs:DescribeLogGroups, logs:DescribeLogStreams, logs:PutLogEvents, logs:PutRetentionPolicy on arn:aws:logs:*:*:log-group:/aws-dynamodb/*',
  },
  DescribeImport: { action: 'dynamodb:DescribeImport' },
  ListImports: { action: 'dynamodb:ListImports' },
  GetLogEvents: { action: 'logs:GetLogEvents' },
}

/** "The credentials need ..." for `call` on `target`, or '' for a call without an entry. */
export function permissionHint(call: string, target: string): string {
  const permission = PERMISSION_FOR_CALL[call]
  if (!permission) return ''
  const also = permission.also ? `, and ${permission.also}` : ''
  return `The credentials need ${permission.action} on ${target}${also}.`
}

/**
 * Turns an AWS SDK failure of `call` on `target` into a sentence a person can act on: what
 * failed, why, and what to check. Unknown errors keep their name and request id.
 */
export function describeAwsError(err: unknown, call: string, target: string): string {
  if (err instanceof ActionError) return err.message
  const name = errorName(err) ?? 'Error'
  const message = errorMessage(err)
  if (isAccessDenied(err)) {
    const hint = permissionHint(call, target)
    return `${call} on ${target} was denied (${name}): ${message}.${hint ? ` ${hint}` : ''}`
  }
  switch (name) {
    case 'ResourceNotFoundException':
      return `${call}: table ${target} was not found (${message}). Check table, region and dynamodb-endpoint.`
    case 'NoSuchBucket':
      return `${call}: bucket of ${target} does not exist. Check source, region and s3-endpoint.`
    case 'NoSuchKey':
      return `${call}: ${target} no longer exists; was it deleted during the import?`
    case 'CredentialsProviderError':
      return `No AWS credentials were found for ${call} on ${target}: configure them, for example with aws-actions/configure-aws-credentials.`
    default: {
      const id = requestId(err)
      return `${call} on ${target} failed: ${name}: ${message}${id ? ` (request id ${id})` : ''}`
    }
  }
}
