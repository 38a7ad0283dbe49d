// The fake ImportTable endpoint, driven through the real AWS SDK as the native engine drives it.
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException as LogsResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeImportCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ImportConflictException,
  ImportNotFoundException,
  ImportTableCommand,
  LimitExceededException,
  ListImportsCommand,
  paginateListImports,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  type ImportTableCommandInput,
  type ImportTableDescription,
} from '@aws-sdk/client-dynamodb'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { localClientConfig } from '../../scripts/emulators.mjs'
import { bucketWith, jsonLines, tableWith, uniqueName } from './helpers.js'
import { startFakeImportServer, type FakeImportServer } from './fake-import-server.js'
import { ITEM_VALIDATION_MESSAGE, LOG_GROUP, LOG_GROUP_ARN } from './import-semantics.js'

let fake: FakeImportServer
let client: DynamoDBClient
let logs: CloudWatchLogsClient

beforeEach(async () => {
  fake = await startFakeImportServer({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    s3Endpoint: inject('s3Endpoint'),
  })
  client = new DynamoDBClient(localClientConfig(fake.endpoint))
  logs = new CloudWatchLogsClient(localClientConfig(fake.endpoint))
})

afterEach(async () => {
  client.destroy()
  logs.destroy()
  await fake.close()
})

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
const items = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ pk: { S: `k${from + i}` }, n: { N: String(from + i) } }))

function importRequest(
  bucket: string,
  table = uniqueName('imported'),
  extra: Partial<ImportTableCommandInput> = {},
): ImportTableCommandInput {
  return {
    S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'data/' },
    InputFormat: 'DYNAMODB_JSON',
    TableCreationParameters: {
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
    ...extra,
  }
}

async function startImport(input: ImportTableCommandInput): Promise<ImportTableDescription> {
  const { ImportTableDescription: d } = await client.send(new ImportTableCommand(input))
  if (!d) throw new Error('no ImportTableDescription')
  return d
}

async function describeImport(arn: string | undefined): Promise<ImportTableDescription> {
  const out = await client.send(new DescribeImportCommand({ ImportArn: arn }))
  return out.ImportTableDescription ?? {}
}

/** Polls DescribeImport as the native engine does, without waiting a fixed time. */
async function untilEnded(arn: string | undefined): Promise<ImportTableDescription> {
  for (let i = 0; i < 20_000; i++) {
    const d = await describeImport(arn)
    if (d.ImportStatus !== 'IN_PROGRESS') return d
    await tick()
  }
  throw new Error(`import ${arn} did not end`)
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (err) {
    return err as Error & Record<string, unknown>
  }
  throw new Error('expected a rejection')
}

const tableCount = async (table: string) =>
  (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count

describe('fake ImportTable endpoint', () => {
  it('imports every object under the prefix, holding the end back for holdPolls calls', async () => {
    const a = jsonLines(items(3))
    const b = jsonLines(items(2, 3))
    const bucket = await bucketWith({ 'data/a.json': a, 'data/deep/b.json': b, 'other.json': a })
    fake.control.holdPolls(2)
    const started = await startImport(importRequest(bucket))
    const table = started.TableCreationParameters?.TableName ?? ''
    expect(started).toMatchObject({
      ImportStatus: 'IN_PROGRESS',
      TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
      CloudWatchLogGroupArn: LOG_GROUP_ARN,
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: 'NONE',
      ProcessedItemCount: 0,
      ImportedItemCount: 0,
      ErrorCount: 0,
    })
    expect(started.ImportArn).toMatch(
      new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${table}/import/[0-9a-f]{16,}$`),
    )
    expect(started.StartTime).toBeInstanceOf(Date)
    expect(started.ClientToken).toMatch(/^[^$]+$/)
    expect(started.EndTime).toBeUndefined()

    await fake.control.settled()
    expect(fake.imports()[0]?.workDone).toBe(true)
    for (let i = 0; i < 2; i++) {
      const held = await describeImport(started.ImportArn)
      expect(held).toMatchObject({ ImportStatus: 'IN_PROGRESS', ProcessedItemCount: 0 })
      expect(held.ImportedItemCount).toBe(0)
      expect(held.EndTime).toBeUndefined()
      expect(held.FailureCode).toBeUndefined()
      expect(held.ProcessedSizeBytes).toBeUndefined()
    }
    const done = await describeImport(started.ImportArn)
    expect(done).toMatchObject({
      ImportStatus: 'COMPLETED',
      ProcessedItemCount: 5,
      ImportedItemCount: 5,
      ErrorCount: 0,
      ProcessedSizeBytes: a.length + b.length,
      StartTime: started.StartTime,
    })
    expect(done.EndTime).toBeInstanceOf(Date)
    expect(done.FailureCode).toBeUndefined()
    expect(fake.imports()).toMatchObject([{ importArn: started.ImportArn, describeCalls: 3 }])

    // Every other call goes through to DynamoDB Local.
    const scan = await client.send(new ScanCommand({ TableName: table }))
    expect(scan.Items?.map((i) => i['pk']?.S).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4'])
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }))
    expect(Table).toMatchObject({ TableStatus: 'ACTIVE', ItemCount: 5 })
  })

  it('ends FAILED with ItemValidationError, keeps the table and logs each bad item', async () => {
    const lines = jsonLines(items(2)) + jsonLines([{ n: { N: '1' } }]) + '{not json\n'
    const bucket = await bucketWith({ 'data/a.json': lines })
    const started = await startImport(importRequest(bucket))
    const table = started.TableCreationParameters?.TableName ?? ''
    const done = await untilEnded(started.ImportArn)
    expect(done).toMatchObject({
      ImportStatus: 'FAILED',
      FailureCode: 'ItemValidationError',
      FailureMessage: ITEM_VALIDATION_MESSAGE,
      ProcessedItemCount: 4,
      ImportedItemCount: 2,
      ErrorCount: 2,
    })
    expect(await tableCount(table)).toBe(2)

    const id = started.ImportArn?.split('/').pop() ?? ''
    const stream = { logGroupName: LOG_GROUP, logStreamName: `${id}/error` }
    const all = await logs.send(new GetLogEventsCommand({ ...stream, startFromHead: true }))
    const messages = (all.events ?? []).map((e) => JSON.parse(e.message ?? '') as unknown)
    expect(messages).toEqual([
      {
        itemS3Pointer: { bucket, key: 'data/a.json', itemIndex: 2 },
        importArn: started.ImportArn,
        errorMessages: [expect.stringContaining('pk')],
      },
      {
        itemS3Pointer: { bucket, key: 'data/a.json', itemIndex: 3 },
        importArn: started.ImportArn,
        errorMessages: [expect.any(String)],
      },
    ])
    expect(all.events?.[0]).toMatchObject({
      timestamp: expect.any(Number),
      ingestionTime: expect.any(Number),
    })

    // Paging: one event at a time, and an unchanged forward token at the end.
    const first = await logs.send(
      new GetLogEventsCommand({ ...stream, startFromHead: true, limit: 1 }),
    )
    expect(first.events).toHaveLength(1)
    const second = await logs.send(
      new GetLogEventsCommand({ ...stream, limit: 1, nextToken: first.nextForwardToken }),
    )
    expect(second.events?.[0]?.message).toBe(all.events?.[1]?.message)
    const end = await logs.send(
      new GetLogEventsCommand({ ...stream, limit: 1, nextToken: second.nextForwardToken }),
    )
    expect(end.events).toEqual([])
    expect(end.nextForwardToken).toBe(second.nextForwardToken)

    const missing = await rejection(
      logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'nope/error' })),
    )
    expect(missing).toBeInstanceOf(LogsResourceNotFoundException)
  })

  it('passes format, compression and CSV options on, and takes its clock from now()', async () => {
    const clocked = await startFakeImportServer({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      s3Endpoint: inject('s3Endpoint'),
      now: () => 1_700_000_000_000,
    })
    const csvClient = new DynamoDBClient(localClientConfig(clocked.endpoint))
    try {
      const bucket = await bucketWith({ 'data/a.csv.gz': gzipSync('7;x\n8;007\n') })
      const table = uniqueName('csv')
      const input = importRequest(bucket, table, {
        InputFormat: 'CSV',
        InputCompressionType: 'GZIP',
        InputFormatOptions: { Csv: { Delimiter: ';', HeaderList: ['pk', 'v'] } },
      })
      input.TableCreationParameters = {
        ...input.TableCreationParameters,
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }
      const { ImportTableDescription: started } = await csvClient.send(
        new ImportTableCommand(input),
      )
      expect(started?.StartTime).toEqual(new Date(1_700_000_000_000))
      await clocked.control.settled()
      const done = await csvClient.send(
        new DescribeImportCommand({ ImportArn: started?.ImportArn }),
      )
      expect(done.ImportTableDescription).toMatchObject({
        ImportStatus: 'COMPLETED',
        ImportedItemCount: 2,
        InputCompressionType: 'GZIP',
        InputFormatOptions: { Csv: { Delimiter: ';', HeaderList: ['pk', 'v'] } },
        ProcessedSizeBytes: 10, // uncompressed bytes
        EndTime: new Date(1_700_000_000_000),
      })
      const scan = await csvClient.send(new ScanCommand({ TableName: table }))
      expect(scan.Items?.sort((a, b) => Number(a['pk']?.N) - Number(b['pk']?.N))).toEqual([
        { pk: { N: '7' }, v: { S: 'x' } },
        { pk: { N: '8' }, v: { S: '007' } },
      ])
    } finally {
      csvClient.destroy()
      await clocked.close()
    }
  })

  it('fails with S3NoSuchBucket before creating the table', async () => {
    const started = await startImport(importRequest(uniqueName('no-such-bucket')))
    const done = await untilEnded(started.ImportArn)
    expect(done).toMatchObject({
      ImportStatus: 'FAILED',
      FailureCode: 'S3NoSuchBucket',
      ProcessedItemCount: 0,
      ImportedItemCount: 0,
      ErrorCount: 0,
    })
    expect(done.FailureMessage).toMatch(/Error Code: NoSuchBucket; Request ID: /)
    const table = started.TableCreationParameters?.TableName
    const err = await rejection(client.send(new DescribeTableCommand({ TableName: table })))
    expect(err).toBeInstanceOf(ResourceNotFoundException)
  })

  it('completes an empty prefix with 0 items and keeps the empty table', async () => {
    const bucket = await bucketWith({ 'elsewhere/a.json': jsonLines(items(3)) })
    const started = await startImport(importRequest(bucket))
    const done = await untilEnded(started.ImportArn)
    expect(done).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 0, ErrorCount: 0 })
    expect(done.ImportedItemCount).toBe(0)
    expect(done.ProcessedSizeBytes).toBeUndefined()
    expect(await tableCount(started.TableCreationParameters?.TableName ?? '')).toBe(0)
  })

  it('refuses a table that exists with ResourceInUseException', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(1)) })
    const table = await tableWith('S')
    const err = await rejection(startImport(importRequest(bucket, table)))
    expect(err).toBeInstanceOf(ResourceInUseException)
    expect(err.name).toBe('ResourceInUseException')
    expect(err.message).toBe(`Table already exists: ${table}`)
    expect(err['$metadata']).toMatchObject({ httpStatusCode: 400 })
    expect(fake.imports()).toEqual([])
  })

  it('validates the request like the API model', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(1)) })
    const csvWithJson = importRequest(bucket, undefined, {
      InputFormatOptions: { Csv: { Delimiter: ';' } },
    })
    const dollar = importRequest(bucket, undefined, { ClientToken: 'a$b' })
    const noBucket = importRequest('', undefined)
    for (const [input, message] of [
      [csvWithJson, /InputFormatOptions.Csv can only be used with InputFormat CSV/],
      [dollar, /^1 validation error detected: Value 'a\$b' at 'clientToken' failed/],
      [noBucket, /at 's3BucketSource.s3Bucket' failed to satisfy constraint/],
    ] as const) {
      const err = await rejection(startImport(input))
      expect(err).toBeInstanceOf(DynamoDBServiceException)
      expect(err.name).toBe('ValidationException')
      expect(err.message).toMatch(message)
    }
    expect(fake.imports()).toEqual([])
  })

  it('replays a ClientToken: the original import while it runs, a conflict, then ResourceInUse', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(2)) })
    const request = importRequest(bucket, undefined, { ClientToken: uniqueName('token') })
    fake.control.holdPolls(1_000)
    const first = await startImport(request)
    // Other changed parameters are ignored [meas]: the original comes back.
    const changed = { ...request, S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'x/' } }
    const replay = await startImport(changed)
    expect(replay.ImportArn).toBe(first.ImportArn)
    expect(replay.S3BucketSource?.S3KeyPrefix).toBe('data/')
    expect(fake.imports()).toHaveLength(1)

    const sameTable = { ...request, ClientToken: uniqueName('token') }
    expect(await rejection(startImport(sameTable))).toBeInstanceOf(ResourceInUseException)

    const other = importRequest(bucket, uniqueName('other'), { ClientToken: request.ClientToken })
    const conflict = await rejection(startImport(other))
    expect(conflict).toBeInstanceOf(ImportConflictException)
    expect(conflict.message).toBe('Duplicate request detected with conflicting parameters')

    fake.control.holdPolls(0)
    expect((await untilEnded(first.ImportArn)).ImportStatus).toBe('COMPLETED')
    const late = await rejection(startImport(request))
    expect(late).toBeInstanceOf(ResourceInUseException)
    expect(fake.imports()).toHaveLength(1)
  })

  it('lists imports, IN_PROGRESS ones too, by table and page by page', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(1)) })
    fake.control.holdPolls(1_000)
    const started = []
    for (let i = 0; i < 3; i++) started.push(await startImport(importRequest(bucket)))
    const arns = started.map((d) => d.ImportArn)

    const one = await client.send(new ListImportsCommand({ TableArn: started[1]?.TableArn }))
    expect(one.ImportSummaryList).toMatchObject([
      {
        ImportArn: arns[1],
        ImportStatus: 'IN_PROGRESS',
        TableArn: started[1]?.TableArn,
        S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'data/' },
        CloudWatchLogGroupArn: LOG_GROUP_ARN,
        InputFormat: 'DYNAMODB_JSON',
      },
    ])
    expect(one.ImportSummaryList?.[0]?.StartTime).toBeInstanceOf(Date)
    expect(one.NextToken).toBeUndefined()

    const page = await client.send(new ListImportsCommand({ PageSize: 2 }))
    expect(page.ImportSummaryList?.map((s) => s.ImportArn)).toEqual(arns.slice(0, 2))
    expect(page.NextToken).toMatch(/^([0-9a-f]{16}){7,}$/)
    const rest = await client.send(
      new ListImportsCommand({ PageSize: 2, NextToken: page.NextToken }),
    )
    expect(rest.ImportSummaryList?.map((s) => s.ImportArn)).toEqual(arns.slice(2))
    expect(rest.NextToken).toBeUndefined()

    fake.control.holdPolls(0)
    await fake.control.settled()
    const listed = []
    for await (const p of paginateListImports({ client, pageSize: 1 }, {}))
      listed.push(...(p.ImportSummaryList ?? []))
    expect(listed.map((s) => [s.ImportArn, s.ImportStatus])).toEqual(
      arns.map((arn) => [arn, 'COMPLETED']),
    )
    expect(listed[0]?.EndTime).toBeInstanceOf(Date)

    const tooBig = await rejection(client.send(new ListImportsCommand({ PageSize: 26 })))
    expect(tooBig.name).toBe('ValidationException')
  })

  it('injects faults with failNext, and answers ImportNotFoundException for unknown imports', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(1)) })
    const once = new DynamoDBClient({ ...localClientConfig(fake.endpoint), maxAttempts: 1 })
    try {
      fake.control.failNext('ImportTable', 'LimitExceededException', 1, 'too many imports')
      const limit = await rejection(once.send(new ImportTableCommand(importRequest(bucket))))
      expect(limit).toBeInstanceOf(LimitExceededException)
      expect(limit.message).toBe('too many imports')
      expect(fake.imports()).toEqual([])
    } finally {
      once.destroy()
    }
    // The SDK retries LimitExceededException as throttling: one injected failure goes unseen.
    fake.control.failNext('ImportTable', 'LimitExceededException')
    const started = await startImport(importRequest(bucket))
    expect(fake.imports()).toHaveLength(1)

    fake.control.failNext('DescribeImport', 'AccessDeniedException', 2)
    for (let i = 0; i < 2; i++) {
      const denied = await rejection(describeImport(started.ImportArn))
      expect(denied).toBeInstanceOf(DynamoDBServiceException)
      expect(denied.name).toBe('AccessDeniedException')
      expect(denied['$metadata']).toMatchObject({ httpStatusCode: 400 })
    }
    expect((await untilEnded(started.ImportArn)).ImportStatus).toBe('COMPLETED')

    fake.control.failNext('GetLogEvents', 'AccessDeniedException')
    const logsDenied = await rejection(
      logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'x/error' })),
    )
    expect(logsDenied.name).toBe('AccessDeniedException')

    const unknown = `${started.TableArn}/import/00000000000000000000`
    expect(await rejection(describeImport(unknown))).toBeInstanceOf(ImportNotFoundException)
  })
})
