import { describe, expect, it } from 'vitest'
import { fromKeySchema } from '../../src/table/definition.js'
import {
  agreeOnCompression,
  compressionFromName,
  consoleLink,
  defaultClientToken,
  importRequest,
  type RequestInputs,
} from '../../src/native/import-request.js'
import { explainFailure, explainImportError } from '../../src/native/explain.js'
import { itemError } from '../../src/native/import-table.js'

const table = fromKeySchema('orders', [{ name: 'pk', type: 'S' }], 'PAY_PER_REQUEST')
const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '42', GITHUB_JOB: 'seed' }
const base: RequestInputs = {
  source: { kind: 's3', bucket: 'exports', prefix: 'orders/' },
  format: 'DYNAMODB_JSON',
  csvDelimiter: ',',
}

describe('importRequest', () => {
  it('sends no CSV options for DYNAMODB_JSON (the service refuses them)', () => {
    const request = importRequest({ ...base, bucketOwner: '123456789012' }, table, 'GZIP', env)
    expect(request).toEqual({
      S3BucketSource: {
        S3Bucket: 'exports',
        S3KeyPrefix: 'orders/',
        S3BucketOwner: '123456789012',
      },
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: 'GZIP',
      TableCreationParameters: table,
      ClientToken: expect.stringMatching(/^dynamodb-s3-import-[0-9a-f]{40}$/),
    })
  })

  it('sends the delimiter and the header list for CSV', () => {
    const request = importRequest(
      { ...base, format: 'CSV', csvDelimiter: '\t', csvHeader: ['pk', 'v'] },
      table,
      'NONE',
      env,
    )
    expect(request.InputFormatOptions).toEqual({
      Csv: { Delimiter: '\t', HeaderList: ['pk', 'v'] },
    })
  })

  it('uses client-token when given', () => {
    expect(importRequest({ ...base, clientToken: 'mine' }, table, 'NONE', env).ClientToken).toBe(
      'mine',
    )
  })
})

describe('defaultClientToken', () => {
  const request = importRequest(base, table, 'NONE', env)
  const { ClientToken: _token, ...withoutToken } = request

  it('is the same for a re-run of the same step, so that no second import starts', () => {
    expect(defaultClientToken(withoutToken, env)).toBe(defaultClientToken(withoutToken, { ...env }))
    expect(request.ClientToken).toBe(defaultClientToken(withoutToken, env))
  })

  it('changes with the run, the job and any part of the request', () => {
    const token = defaultClientToken(withoutToken, env)
    expect(defaultClientToken(withoutToken, { ...env, GITHUB_RUN_ID: '43' })).not.toBe(token)
    expect(defaultClientToken(withoutToken, { ...env, GITHUB_JOB: 'other' })).not.toBe(token)
    const other = {
      ...withoutToken,
      S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'orders/2/' },
    }
    expect(defaultClientToken(other, env)).not.toBe(token)
    expect(token).not.toContain('$')
  })
})

describe('compression', () => {
  it('reads what a name says, and nothing from a name that says nothing', () => {
    expect(
      ['a.json.gz', 'a.GZIP', 'a.zst', 'b.zstd', 'c.json', 'd'].map(compressionFromName),
    ).toEqual(['GZIP', 'GZIP', 'ZSTD', 'ZSTD', undefined, undefined])
  })

  it('agrees on one compression or says which objects disagree', () => {
    expect(agreeOnCompression([])).toBe('NONE')
    expect(
      agreeOnCompression([
        { key: 'a', compression: 'GZIP' },
        { key: 'b', compression: 'GZIP' },
      ]),
    ).toBe('GZIP')
    expect(() =>
      agreeOnCompression([
        { key: 'a.gz', compression: 'GZIP' },
        { key: 'b.json', compression: 'NONE' },
        { key: 'c.gz', compression: 'GZIP' },
      ]),
    ).toThrow(
      'input-compression: auto found objects compressed in different ways: GZIP (a.gz), NONE (b.json)',
    )
  })
})

describe('ImportTable errors and failures', () => {
  const error = (name: string, message = 'm') => Object.assign(new Error(message), { name })

  it('turns known errors into what to do', () => {
    expect(explainImportError(error('ResourceInUseException'), 'ImportTable', 'orders')).toContain(
      'use mode: stream (or auto)',
    )
    expect(explainImportError(error('ImportConflictException'), 'ImportTable', 'orders')).toContain(
      'Set another client-token',
    )
    expect(explainImportError(error('AccessDeniedException'), 'ImportTable', 'orders')).toContain(
      'The credentials need dynamodb:ImportTable',
    )
    expect(explainImportError(error('Weird'), 'ImportTable', 'orders')).toBe(
      'ImportTable on orders failed: Weird: m',
    )
  })

  it('names the permission of the call that was denied, on its resource', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:1:table/orders/import/9'
    expect(explainImportError(error('AccessDeniedException'), 'DescribeImport', arn)).toBe(
      `DescribeImport was denied (AccessDeniedException: m). The credentials need dynamodb:DescribeImport on ${arn}.`,
    )
    expect(explainImportError(error('UnrecognizedClientException'), 'ListImports', 'orders')).toBe(
      'ListImports was denied (UnrecognizedClientException: m). The credentials need dynamodb:ListImports on orders.',
    )
    expect(explainImportError(error('AccessDeniedException'), 'ImportTable', 'orders')).toContain(
      'dynamodb:ImportTable on orders, and s3:GetObject and s3:ListBucket on the source, and logs:CreateLogGroup',
    )
  })

  it('explains failure codes', () => {
    expect(explainFailure('S3NoSuchBucket', 'The specified bucket does not exist')).toBe(
      'S3NoSuchBucket: the bucket does not exist or is in another account: check source and bucket-owner. The specified bucket does not exist',
    )
    expect(explainFailure('Other', 'x')).toBe('Other. x')
  })

  it('reads an item error event of CloudWatch Logs into a rejection', () => {
    const message = JSON.stringify({
      itemS3Pointer: { bucket: 'b', key: 'data/a.csv', itemIndex: 4 },
      importArn: 'arn',
      errorMessages: ['One or more parameter values were invalid: Missing the key pk in the item'],
    })
    expect(itemError(message)).toEqual({
      kind: 'invalid',
      location: 's3://b/data/a.csv item 4',
      reason: 'One or more parameter values were invalid: Missing the key pk in the item',
      records: 1,
    })
    expect(itemError('not json').reason).toBe('unreadable log event')
  })

  it('links to the import in the console', () => {
    expect(consoleLink('eu-west-1', 'arn:aws:dynamodb:eu-west-1:1:table/t/import/9')).toBe(
      'https://eu-west-1.console.aws.amazon.com/dynamodbv2/home?region=eu-west-1#import-details?importArn=arn%3Aaws%3Adynamodb%3Aeu-west-1%3A1%3Atable%2Ft%2Fimport%2F9',
    )
  })
})
