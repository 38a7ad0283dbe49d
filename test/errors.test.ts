import { describe, expect, it } from 'vitest'
import {
  ActionError,
  PERMISSION_FOR_CALL,
  describeAwsError,
  errorMessage,
  errorName,
  httpStatus,
  isAccessDenied,
  isRetryableAwsError,
} from '../src/errors.js'

/** An exception as the SDK raises it: a name, a message and $metadata. */
function awsError(name: string, status = 400, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} says no`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'REQ123' },
    ...extra,
  })
}

// Written out here rather than read from PERMISSION_FOR_CALL, so that a wrong entry fails.
const PERMISSIONS: Array<[call: string, permission: string, target: string]> = [
  ['DescribeTable', 'dynamodb:DescribeTable', 'orders'],
  ['CreateTable', 'dynamodb:CreateTable', 'orders'],
  ['UpdateTimeToLive', 'dynamodb:UpdateTimeToLive', 'orders'],
  [
    'ListTagsOfResource',
    'dynamodb:ListTagsOfResource',
    'arn:aws:dynamodb:us-east-1:1:table/orders',
  ],
  ['UpdateTable', 'dynamodb:UpdateTable', 'orders'],
  ['DeleteTable', 'dynamodb:DeleteTable', 'orders'],
  ['BatchWriteItem', 'dynamodb:BatchWriteItem', 'orders'],
  ['BatchGetItem', 'dynamodb:BatchGetItem', 'orders'],
  ['Scan', 'dynamodb:Scan', 'orders'],
  ['ListObjectsV2', 's3:ListBucket', 's3://exports/orders/'],
  ['GetObject', 's3:GetObject', 's3://exports/orders/a.json.gz'],
  ['ImportTable', 'dynamodb:ImportTable', 'orders'],
  [
    'DescribeImport',
    'dynamodb:DescribeImport',
    'arn:aws:dynamodb:us-east-1:1:table/orders/import/9',
  ],
  ['ListImports', 'dynamodb:ListImports', 'orders'],
  ['GetLogEvents', 'logs:GetLogEvents', 'log group /aws-dynamodb/imports'],
]

describe('describeAwsError', () => {
  it.each(PERMISSIONS)(
    'AccessDenied on %s names %s and the resource',
    (call, permission, target) => {
      const text = describeAwsError(awsError('AccessDeniedException'), call, target)
      expect(text).toContain(`${call} on ${target} was denied (AccessDeniedException)`)
      expect(text).toContain('AccessDeniedException says no')
      expect(text).toContain(`The credentials need ${permission} on ${target}`)
      for (const [other, otherPermission] of PERMISSIONS) {
        if (otherPermission !== permission) {
          expect(text, other).not.toContain(`need ${otherPermission}`)
        }
      }
    },
  )

  it('has a permission for exactly the calls the action makes', () => {
    expect(Object.keys(PERMISSION_FOR_CALL).sort()).toEqual(PERMISSIONS.map(([c]) => c).sort())
  })

  it('names what else ImportTable needs: the source objects and its log group', () => {
    const text = describeAwsError(awsError('AccessDeniedException'), 'ImportTable', 'orders')
    expect(text).toContain('s3:GetObject and s3:ListBucket on the source')
    expect(text).toMatch(
      /logs:CreateLogGroup.*logs:PutLogEvents.*on arn:aws:logs:\*:\*:log-group:\/aws-dynamodb\/\*/,
    )
  })

  it.each([
    'AccessDenied',
    'UnrecognizedClientException',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
  ])('treats %s as a refusal of the credentials', (name) => {
    const text = describeAwsError(awsError(name, 403), 'GetObject', 's3://b/k')
    expect(text).toBe(
      `GetObject on s3://b/k was denied (${name}): ${name} says no. The credentials need s3:GetObject on s3://b/k.`,
    )
  })

  it('says only that a call without a known permission was denied', () => {
    expect(describeAwsError(awsError('AccessDeniedException'), 'PutItem', 'orders')).toBe(
      'PutItem on orders was denied (AccessDeniedException): AccessDeniedException says no.',
    )
  })

  it('keeps the name, the message and the request id of an error it does not know', () => {
    expect(describeAwsError(awsError('WeirdException', 400), 'DescribeTable', 'orders')).toBe(
      'DescribeTable on orders failed: WeirdException: WeirdException says no (request id REQ123)',
    )
  })

  it('passes an ActionError through unchanged, and a non-AWS error with its own name and message', () => {
    const written = new ActionError('Already written for the reader.')
    expect(describeAwsError(written, 'GetObject', 's3://b/k')).toBe(
      'Already written for the reader.',
    )
    expect(describeAwsError(new TypeError('x is not a function'), 'GetObject', 's3://b/k')).toBe(
      'GetObject on s3://b/k failed: TypeError: x is not a function',
    )
    expect(describeAwsError('a string', 'GetObject', 's3://b/k')).toBe(
      'GetObject on s3://b/k failed: Error: a string',
    )
  })

  it('says what to check for a missing table, bucket or object, and for missing credentials', () => {
    expect(
      describeAwsError(awsError('ResourceNotFoundException'), 'DescribeTable', 'orders'),
    ).toContain('table orders was not found')
    expect(describeAwsError(awsError('NoSuchBucket', 404), 'ListObjectsV2', 's3://b/p/')).toContain(
      'bucket of s3://b/p/ does not exist',
    )
    expect(describeAwsError(awsError('NoSuchKey', 404), 'GetObject', 's3://b/k')).toContain(
      's3://b/k no longer exists',
    )
    expect(
      describeAwsError(awsError('CredentialsProviderError'), 'GetObject', 's3://b/k'),
    ).toContain('No AWS credentials were found')
  })
})

describe('errorMessage, errorName, httpStatus', () => {
  it('reads the message of an Error and turns anything else into a string', () => {
    expect(errorMessage(new RangeError('too far'))).toBe('too far')
    expect(errorMessage('plain')).toBe('plain')
    expect(errorMessage(42)).toBe('42')
    expect(errorMessage(undefined)).toBe('undefined')
    expect(errorMessage(null)).toBe('null')
  })

  it('reads the SDK name and HTTP status, and nothing from what has none', () => {
    expect(errorName(awsError('ThrottlingException'))).toBe('ThrottlingException')
    expect(errorName({ name: 7 })).toBeUndefined()
    expect(errorName(null)).toBeUndefined()
    expect(httpStatus(awsError('InternalServerError', 500))).toBe(500)
    expect(httpStatus(new Error('x'))).toBeUndefined()
    expect(httpStatus(null)).toBeUndefined()
  })
})

describe('isAccessDenied', () => {
  it('knows the refusals of DynamoDB, S3 and CloudWatch Logs, and nothing else', () => {
    for (const name of ['AccessDeniedException', 'AccessDenied', 'InvalidAccessKeyId']) {
      expect(isAccessDenied(awsError(name)), name).toBe(true)
    }
    expect(isAccessDenied(awsError('ResourceNotFoundException'))).toBe(false)
    expect(isAccessDenied('AccessDenied')).toBe(false)
  })
})

describe('isRetryableAwsError', () => {
  it.each([
    ['throttling', awsError('ThrottlingException')],
    ['provisioned throughput exceeded', awsError('ProvisionedThroughputExceededException')],
    ['request limit exceeded', awsError('RequestLimitExceeded')],
    ['limit exceeded', awsError('LimitExceededException')],
    ['HTTP 429', awsError('Whatever', 429)],
    ['InternalServerError (500)', awsError('InternalServerError', 500)],
    ['ServiceUnavailable (503)', awsError('ServiceUnavailable', 503)],
    ['any other 5xx', awsError('NotImplemented', 501)],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['a reset connection', Object.assign(new Error('reset'), { code: 'ECONNRESET' })],
    ['a refused connection', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })],
    ['a retryable trait', awsError('Modelled', 400, { $retryable: {} })],
  ])('retries %s', (_, err) => {
    expect(isRetryableAwsError(err)).toBe(true)
  })

  it.each([
    ['access denied', awsError('AccessDeniedException')],
    ['a validation error', awsError('ValidationException')],
    ['a missing import', awsError('ImportNotFoundException')],
    ['a missing table', awsError('ResourceNotFoundException')],
    ['a plain Error', new Error('bug')],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['a string', 'ThrottlingException'],
    ['undefined', undefined],
    ['null', null],
  ])('does not retry %s', (_, err) => {
    expect(isRetryableAwsError(err)).toBe(false)
  })
})
