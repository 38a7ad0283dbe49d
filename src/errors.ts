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

/** Permissions a call needs, so an AccessDenied can name the one that is missing. */
const PERMISSION_FOR_CALL: Record<string, string> = {
  DescribeTable: 'dynamodb:DescribeTable',
  CreateTable: 'dynamodb:CreateTable',
  BatchWriteItem: 'dynamodb:BatchWriteItem',
  ListObjectsV2: 's3:ListBucket',
  GetObject: 's3:GetObject',
}

/**
 * Turns an AWS SDK failure of `call` on `target` into a sentence a person can act on: what
 * failed, why, and what to check. Unknown errors keep their name and request id.
 */
export function describeAwsError(err: unknown, call: string, target: string): string {
  if (err instanceof ActionError) return err.message
  const name = errorName(err) ?? 'Error'
  const message = errorMessage(err)
  switch (name) {
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnrecognizedClientException':
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch': {
      const permission = PERMISSION_FOR_CALL[call]
      const needs = permission ? ` The credentials need ${permission} on ${target}.` : ''
      return `${call} on ${target} was denied (${name}): ${message}.${needs}`
    }
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
