// The fault proxy, driven through the real SDK clients against the real emulators.
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
  waitUntilTableExists,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { localClientConfig, s3ClientConfig, startEmulators } from '../../scripts/emulators.mjs'
import { bucketWith, scanAll, tableWith, uniqueName } from './helpers.js'
import {
  s3Operation,
  startFaultProxy,
  type DynamoDBErrorName,
  type FaultProxy,
  type FaultProxyOptions,
  type FaultRule,
  type RequestRecord,
} from './fault-proxy.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (let next = cleanups.pop(); next; next = cleanups.pop()) await next()
})

async function proxyTo(
  target: string,
  seed?: number,
  options: Omit<FaultProxyOptions, 'target' | 'seed'> = {},
): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ target, ...(seed !== undefined && { seed }), ...options })
  cleanups.push(() => proxy.close())
  return proxy
}

/** A DynamoDB client through the proxy that does not retry, so that every fault shows. */
function dynamodbVia(proxy: FaultProxy): DynamoDBClient {
  const client = new DynamoDBClient({ ...localClientConfig(proxy.endpoint), maxAttempts: 1 })
  cleanups.push(() => client.destroy())
  return client
}

function s3Via(proxy: FaultProxy): S3Client {
  const client = new S3Client({ ...s3ClientConfig(proxy.endpoint), maxAttempts: 1 })
  cleanups.push(() => client.destroy())
  return client
}

const puts = (n: number, prefix = 'k'): WriteRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    PutRequest: { Item: { pk: { S: `${prefix}${i}` }, n: { N: String(i) } } },
  }))

const keyOf = (write: WriteRequest) => write.PutRequest?.Item?.['pk']?.S

async function scanKeys(client: DynamoDBClient, table: string): Promise<string[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: table }))
  return Items.map((item) => item['pk']?.S ?? '').sort()
}

async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (err) {
    return err as Error & Record<string, unknown>
  }
  throw new Error('expected a failure')
}

/** Reads a body until it ends or breaks: the bytes got, and the error if it broke. */
async function drain(body: unknown): Promise<{ bytes: Buffer; error?: Error }> {
  const chunks: Buffer[] = []
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk))
  } catch (err) {
    return { bytes: Buffer.concat(chunks), error: err as Error }
  }
  return { bytes: Buffer.concat(chunks) }
}

const CONNECTION_ERROR = /ECONNRESET|socket hang up|aborted|EPIPE|premature/i
const describeError = (err: Error & { code?: unknown }) => `${String(err.code)} ${err.message}`

describe('DynamoDB through the fault proxy', () => {
  it('forwards CreateTable, BatchWriteItem and Scan unchanged and logs them', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'))
    const client = dynamodbVia(proxy)
    const table = uniqueName('proxied')
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: table })
    const written = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: puts(3) } }),
    )
    expect(written.UnprocessedItems).toEqual({})
    expect(await scanKeys(client, table)).toEqual(['k0', 'k1', 'k2'])

    const log = proxy.log()
    expect(log.map((r) => r.operation)).toEqual([
      'CreateTable',
      ...log.slice(1, -2).map(() => 'DescribeTable'),
      'BatchWriteItem',
      'Scan',
    ])
    for (const record of log) {
      expect(record).toMatchObject({ service: 'dynamodb', method: 'POST', status: 200 })
      expect(record.fault).toBeUndefined()
      expect(record.headers['x-amz-target']).toBe(`DynamoDB_20120810.${record.operation}`)
      expect(record.target).toBe(inject('dynamodbEndpoint'))
    }
    expect(log.map((r) => r.seq)).toEqual(log.map((_, i) => i))
  })

  it('answers part of a BatchWriteItem as UnprocessedItems and writes exactly the rest', async () => {
    const table = await tableWith('S')
    const proxy = await proxyTo(inject('dynamodbEndpoint'), 1234)
    const client = dynamodbVia(proxy)
    proxy.inject({ operation: 'BatchWriteItem', fault: { kind: 'unprocessed', fraction: 0.4 } })

    const batch = puts(25)
    const out = await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: batch },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    )
    const unprocessed = out.UnprocessedItems?.[table] ?? []
    expect(unprocessed).toHaveLength(10)
    expect(Object.keys(out.UnprocessedItems ?? {})).toEqual([table])
    // Returned exactly as sent (same shape as RequestItems).
    for (const write of unprocessed) expect(batch).toContainEqual(write)
    expect(out.ConsumedCapacity).toEqual([expect.objectContaining({ TableName: table })])

    const stored = await scanKeys(client, table)
    expect(stored).toHaveLength(15)
    const returned = unprocessed.map(keyOf)
    expect([...stored, ...returned].sort()).toEqual(batch.map(keyOf).sort())

    // Only the first batch: the rule had one use.
    const retry = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: unprocessed } }),
    )
    expect(retry.UnprocessedItems).toEqual({})
    expect(await scanKeys(client, table)).toHaveLength(25)
    expect(proxy.log().filter((r) => r.operation === 'BatchWriteItem')).toMatchObject([
      { fault: { kind: 'unprocessed', fraction: 0.4 }, unprocessed: 10, status: 200 },
      { status: 200 },
    ])
  })

  it('spreads UnprocessedItems over several tables and answers alone when all are withheld', async () => {
    const [a, b] = await Promise.all([tableWith('S'), tableWith('S')])
    const proxy = await proxyTo(inject('dynamodbEndpoint'), 5)
    const client = dynamodbVia(proxy)
    proxy.inject({ operation: 'BatchWriteItem', fault: { kind: 'unprocessed', fraction: 0.5 } })
    proxy.inject({ operation: 'BatchWriteItem', fault: { kind: 'unprocessed', fraction: 1 } })

    const half = await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [a]: puts(10, 'a'), [b]: puts(10, 'b') },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    )
    const back = Object.values(half.UnprocessedItems ?? {}).flat()
    expect(back).toHaveLength(10)
    const [storedA, storedB] = await Promise.all([scanKeys(client, a), scanKeys(client, b)])
    expect(storedA.length + storedB.length).toBe(10)
    expect(
      [...storedA, ...storedB, ...back.map(keyOf)].sort((x = '', y = '') => (x < y ? -1 : 1)),
    ).toEqual([...puts(10, 'a'), ...puts(10, 'b')].map(keyOf).sort())
    expect(half.ConsumedCapacity?.map((c) => c.TableName).sort()).toEqual([a, b].sort())

    const all = await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [a]: puts(3, 'x') },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    )
    expect(all.UnprocessedItems).toEqual({ [a]: puts(3, 'x') })
    expect(all.ConsumedCapacity).toEqual([{ TableName: a, CapacityUnits: 0 }])
    expect(await scanKeys(client, a)).toEqual(storedA)
  })

  it.each<[DynamoDBErrorName, number]>([
    ['ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 400],
    ['RequestLimitExceeded', 400],
    ['InternalServerError', 500],
    ['ServiceUnavailable', 503],
  ])('answers %s (HTTP %i) without forwarding', async (name, status) => {
    const table = await tableWith('S')
    const proxy = await proxyTo(inject('dynamodbEndpoint'))
    const client = dynamodbVia(proxy)
    proxy.inject({ operation: 'BatchWriteItem', fault: { kind: 'error', name } })

    const err = await caught(
      client.send(new BatchWriteItemCommand({ RequestItems: { [table]: puts(2) } })),
    )
    expect(err.name).toBe(name)
    expect(err.message).toMatch(/injected by the fault proxy/)
    expect((err.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(status)
    expect(await scanKeys(client, table)).toEqual([])
    expect(proxy.log()[0]).toMatchObject({ operation: 'BatchWriteItem', status, fault: { name } })
  })

  it('uses the status given with an error', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'))
    const client = dynamodbVia(proxy)
    proxy.inject({
      operation: 'ListTables',
      fault: { kind: 'error', name: 'ThrottlingException', status: 429 },
    })
    const err = await caught(client.send(new ListTablesCommand({})))
    expect(err.name).toBe('ThrottlingException')
    expect((err.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(429)
  })

  it('drops the connection: the SDK sees a connection error, and the next call goes through', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'))
    const client = dynamodbVia(proxy)
    proxy.inject({ operation: 'ListTables', fault: { kind: 'drop' } })

    const err = await caught(client.send(new ListTablesCommand({})))
    expect(describeError(err)).toMatch(CONNECTION_ERROR)
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined()
    const [dropped, passed] = proxy.log()
    expect(dropped).toMatchObject({ operation: 'ListTables', fault: { kind: 'drop' } })
    expect(dropped?.status).toBeUndefined()
    expect(passed).toMatchObject({ operation: 'ListTables', status: 200 })
    expect(passed?.fault).toBeUndefined()
  })

  it('holds a delayed request until its wait ends, and only then forwards it', async () => {
    const table = await tableWith('S')
    let held!: (wait: { ms: number; record: Readonly<RequestRecord>; release: () => void }) => void
    const holding = new Promise<Parameters<typeof held>[0]>((resolve) => (held = resolve))
    const proxy = await proxyTo(inject('dynamodbEndpoint'), undefined, {
      wait: (ms, record) => new Promise<void>((release) => held({ ms, record, release })),
    })
    const client = dynamodbVia(proxy)
    proxy.inject({ operation: 'BatchWriteItem', fault: { kind: 'delay', ms: 50 } })

    let answered = false
    const sent = client
      .send(new BatchWriteItemCommand({ RequestItems: { [table]: puts(3) } }))
      .finally(() => (answered = true))
    const { ms, record, release } = await holding
    expect(ms).toBe(50)
    expect(record).toMatchObject({ operation: 'BatchWriteItem', fault: { kind: 'delay', ms: 50 } })
    // While it is held, other requests go through; it is neither answered nor forwarded.
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined()
    expect(answered).toBe(false)
    expect(proxy.log()[0]?.status).toBeUndefined()
    expect(await scanAll(table)).toEqual([])

    release()
    expect((await sent).UnprocessedItems).toEqual({})
    expect(proxy.log().map((r) => [r.operation, r.status, r.fault?.kind])).toEqual([
      ['BatchWriteItem', 200, 'delay'],
      ['ListTables', 200, undefined],
    ])
    expect(await scanKeys(client, table)).toEqual(['k0', 'k1', 'k2'])
  })

  it('drops a delayed request whose wait fails', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'), undefined, {
      wait: () => Promise.reject(new Error('no longer wanted')),
    })
    const client = dynamodbVia(proxy)
    proxy.inject({ operation: 'ListTables', fault: { kind: 'delay', ms: 50 } })
    const err = await caught(client.send(new ListTablesCommand({})))
    expect(describeError(err)).toMatch(CONNECTION_ERROR)
    expect(proxy.log()[0]).toMatchObject({ error: 'no longer wanted', fault: { kind: 'delay' } })
    expect(proxy.log()[0]?.status).toBeUndefined()
  })

  it('waits with a real timer when given no wait of its own (0 ms here)', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'))
    const client = dynamodbVia(proxy)
    proxy.inject({ operation: 'ListTables', fault: { kind: 'delay', ms: 0 } })
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined()
    expect(proxy.log()[0]).toMatchObject({ status: 200, fault: { kind: 'delay', ms: 0 } })
  })

  it('applies a rule `times` times, checking rules in order', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'))
    const client = dynamodbVia(proxy)
    proxy.inject({
      operation: 'ListTables',
      fault: { kind: 'error', name: 'ThrottlingException' },
      times: 2,
    })
    proxy.inject({ operation: 'ListTables', fault: { kind: 'error', name: 'InternalServerError' } })
    proxy.inject({ operation: 'DescribeTable', fault: { kind: 'drop' }, times: Infinity })

    const outcomes: string[] = []
    for (let i = 0; i < 4; i++) {
      try {
        await client.send(new ListTablesCommand({}))
        outcomes.push('ok')
      } catch (err) {
        outcomes.push((err as Error).name)
      }
    }
    expect(outcomes).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      'InternalServerError',
      'ok',
    ])

    proxy.clear()
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined()
    expect(proxy.log().map((r) => r.status)).toEqual([400, 400, 500, 200, 200])
  })

  it('is deterministic for a seed: same seed, same faults and same UnprocessedItems', async () => {
    const table = await tableWith('S')
    const run = async (seed: number) => {
      const proxy = await proxyTo(inject('dynamodbEndpoint'), seed)
      expect(proxy.seed).toBe(seed)
      const client = dynamodbVia(proxy)
      proxy.inject({
        operation: 'ListTables',
        fault: { kind: 'error', name: 'ThrottlingException' },
        times: Infinity,
        probability: 0.5,
      })
      proxy.inject({
        operation: 'BatchWriteItem',
        fault: { kind: 'unprocessed', fraction: 0.2 },
        times: Infinity,
      })
      let pattern = ''
      for (let i = 0; i < 24; i++) {
        pattern += await client.send(new ListTablesCommand({})).then(
          () => '.',
          () => 'x',
        )
      }
      const out = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [table]: puts(25) } }),
      )
      return { pattern, unprocessed: out.UnprocessedItems?.[table]?.map(keyOf) }
    }

    const first = await run(42)
    expect(first.pattern).toMatch(/x/)
    expect(first.pattern).toMatch(/\./)
    expect(first.unprocessed).toHaveLength(5)
    expect(await run(42)).toEqual(first)
    const other = await run(43)
    expect(other.pattern).not.toBe(first.pattern)
    expect(other.unprocessed).not.toEqual(first.unprocessed)
  })

  it('applies a probable rule exactly `times` times', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'), 7)
    const client = dynamodbVia(proxy)
    proxy.inject({
      operation: 'ListTables',
      fault: { kind: 'error', name: 'RequestLimitExceeded' },
      times: 3,
      probability: 0.3,
    })
    for (let i = 0; i < 30; i++) await client.send(new ListTablesCommand({})).catch(() => {})
    const faults = proxy.log().filter((r) => r.fault)
    expect(faults).toHaveLength(3)
    expect(faults.map((r) => r.status)).toEqual([400, 400, 400])
  })

  it('refuses rules that cannot apply', async () => {
    const proxy = await proxyTo(inject('dynamodbEndpoint'))
    const bad: FaultRule[] = [
      { operation: 'PutItem', fault: { kind: 'unprocessed', fraction: 0.5 } },
      { operation: 'BatchWriteItem', fault: { kind: 'unprocessed', fraction: 1.5 } },
      { operation: 'Scan', fault: { kind: 'drop' }, probability: 2 },
      { operation: 'GetObject', fault: { kind: 'cut', afterBytes: -1 } },
      { operation: 'GetObject', fault: { kind: 'stall', afterBytes: 1.5 } },
    ]
    for (const rule of bad) expect(() => proxy.inject(rule)).toThrow(/fault proxy/)
  })

  it('retargets to DynamoDB Local restarted on another port', { timeout: 180_000 }, async () => {
    const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-proxy-db-'))
    cleanups.push(() => fs.rmSync(dbPath, { recursive: true, force: true }))
    let emulators = await startEmulators({ dbPath })
    cleanups.push(() => emulators.stop())
    const proxy = await proxyTo(emulators.dynamodbEndpoint)
    const client = dynamodbVia(proxy)
    const table = uniqueName('persisted')
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: table })
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: puts(4) } }))
    const firstEndpoint = emulators.dynamodbEndpoint

    await emulators.stop()
    // The target is gone: a connection error, as from a real outage.
    const err = await caught(client.send(new ListTablesCommand({})))
    expect(describeError(err)).toMatch(/ECONNRESET|socket hang up|ECONNREFUSED/)
    expect(proxy.log().at(-1)?.error).toMatch(/ECONNREFUSED/)

    emulators = await startEmulators({ dbPath })
    expect(emulators.dynamodbEndpoint).not.toBe(firstEndpoint)
    proxy.retarget(emulators.dynamodbEndpoint)
    const described = await client.send(new DescribeTableCommand({ TableName: table }))
    expect(described.Table?.TableName).toBe(table)
    expect(await scanKeys(client, table)).toEqual(['k0', 'k1', 'k2', 'k3'])
    expect(proxy.log().at(-1)?.target).toBe(emulators.dynamodbEndpoint)
    expect(proxy.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })
})

describe('S3 through the fault proxy', () => {
  it('forwards PutObject, GetObject and ListObjectsV2 unchanged and logs them', async () => {
    const proxy = await proxyTo(inject('s3Endpoint'))
    const client = s3Via(proxy)
    const bucket = uniqueName('proxied')
    const big = randomBytes(3 * 1024 * 1024)
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/small.txt', Body: 'hello' }))
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/big.bin', Body: big }))

    const small = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/small.txt' }))
    expect(await small.Body?.transformToString()).toBe('hello')
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/big.bin' }))
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(big)).toBe(true)
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/' }))
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(['a/big.bin', 'a/small.txt'])

    expect(proxy.log().map((r) => [r.service, r.operation, r.method, r.status])).toEqual([
      ['s3', 'CreateBucket', 'PUT', 200],
      ['s3', 'PutObject', 'PUT', 200],
      ['s3', 'PutObject', 'PUT', 200],
      ['s3', 'GetObject', 'GET', 200],
      ['s3', 'GetObject', 'GET', 200],
      ['s3', 'ListObjectsV2', 'GET', 200],
    ])
  })

  it('answers a GetObject with a bare 503 or 500 and an S3 XML error, without forwarding', async () => {
    const bucket = await bucketWith({ 'data.txt': 'content' })
    const proxy = await proxyTo(inject('s3Endpoint'))
    const client = s3Via(proxy)
    proxy.inject({ operation: 'GetObject', fault: { kind: 'status', status: 503 } })
    proxy.inject({ operation: 'GetObject', fault: { kind: 'status', status: 500 } })

    // ListObjectsV2 is another operation: untouched.
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
    expect(listed.KeyCount).toBe(1)
    const unavailable = await caught(
      client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.txt' })),
    )
    expect((unavailable.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(503)
    expect(unavailable.name).toBe('SlowDown')
    const internal = await caught(
      client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.txt' })),
    )
    expect((internal.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(500)
    expect(internal.name).toBe('InternalError')
    const ok = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.txt' }))
    expect(await ok.Body?.transformToString()).toBe('content')
    expect(proxy.log().map((r) => [r.operation, r.status, r.fault?.kind])).toEqual([
      ['ListObjectsV2', 200, undefined],
      ['GetObject', 503, 'status'],
      ['GetObject', 500, 'status'],
      ['GetObject', 200, undefined],
    ])
  })

  it('faults ListObjectsV2 alone when asked to', async () => {
    const bucket = await bucketWith({ 'data.txt': 'content' })
    const proxy = await proxyTo(inject('s3Endpoint'))
    const client = s3Via(proxy)
    proxy.inject({ operation: 'ListObjectsV2', fault: { kind: 'status', status: 503 } })
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.txt' }))
    expect(await got.Body?.transformToString()).toBe('content')
    const err = await caught(client.send(new ListObjectsV2Command({ Bucket: bucket })))
    expect((err.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(503)
  })

  it('drops a GetObject connection', async () => {
    const bucket = await bucketWith({ 'data.txt': 'content' })
    const proxy = await proxyTo(inject('s3Endpoint'))
    const client = s3Via(proxy)
    proxy.inject({ operation: 'GetObject', fault: { kind: 'drop' } })
    const err = await caught(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.txt' })))
    expect(describeError(err)).toMatch(CONNECTION_ERROR)
    const ok = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.txt' }))
    expect(await ok.Body?.transformToString()).toBe('content')
  })

  it.each([0, 1, 65_537, 99_999])(
    'cuts a GetObject body after exactly %i bytes; a ranged GET from there gets the rest',
    async (afterBytes) => {
      const content = randomBytes(100_000)
      const bucket = await bucketWith({ 'data.bin': content })
      const proxy = await proxyTo(inject('s3Endpoint'))
      const client = s3Via(proxy)
      proxy.inject({ operation: 'GetObject', fault: { kind: 'cut', afterBytes } })

      const broken = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.bin' }))
      expect(broken.ContentLength).toBe(content.length)
      const { bytes, error } = await drain(broken.Body)
      expect(bytes.length).toBe(afterBytes)
      expect(bytes.equals(content.subarray(0, afterBytes))).toBe(true)
      expect(error && describeError(error)).toMatch(/ECONNRESET|aborted/)

      const rest = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: 'data.bin',
          Range: `bytes=${afterBytes}-`,
          ...(broken.ETag && { IfMatch: broken.ETag }),
        }),
      )
      const tail = await drain(rest.Body)
      expect(tail.error).toBeUndefined()
      expect(Buffer.concat([bytes, tail.bytes]).equals(content)).toBe(true)

      const [cut, ranged] = proxy.log()
      expect(cut).toMatchObject({ operation: 'GetObject', status: 200, bytesSent: afterBytes })
      expect(ranged).toMatchObject({ operation: 'GetObject', status: 206 })
      expect(ranged?.headers['range']).toBe(`bytes=${afterBytes}-`)
    },
  )

  it.each([0, 21_773])(
    'stalls a GetObject body after exactly %i bytes with the socket left open; a ranged GET gets the rest',
    async (afterBytes) => {
      const content = randomBytes(28_439)
      const bucket = await bucketWith({ 'data.bin': content })
      const proxy = await proxyTo(inject('s3Endpoint'))
      const client = s3Via(proxy)
      proxy.inject({ operation: 'GetObject', fault: { kind: 'stall', afterBytes } })

      const silent = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data.bin' }))
      expect(silent.ContentLength).toBe(content.length)
      const body = silent.Body as AsyncIterable<Uint8Array> & { destroy(): void }
      const iterator = body[Symbol.asyncIterator]()
      const got: Buffer[] = []
      let received = 0
      while (received < afterBytes) {
        const next = await iterator.next()
        if (next.done) throw new Error('the body ended')
        got.push(Buffer.from(next.value))
        received += next.value.length
      }
      expect(Buffer.concat(got).equals(content.subarray(0, afterBytes))).toBe(true)
      // Silence: the next read is still pending after the proxy said the stall began, and after
      // a request through another connection went all the way (the event loop turned many times).
      let settled = false
      const pending = iterator.next().then(
        () => (settled = true),
        () => (settled = true),
      )
      const [stalled] = proxy.log()
      expect(stalled).toMatchObject({ operation: 'GetObject', status: 200, bytesSent: afterBytes })
      await client.send(new ListObjectsV2Command({ Bucket: bucket }))
      expect(proxy.log()[0]?.stalled).toBe(true)
      expect(settled).toBe(false)

      const rest = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: 'data.bin',
          Range: `bytes=${afterBytes}-`,
          ...(silent.ETag && { IfMatch: silent.ETag }),
        }),
      )
      const tail = await drain(rest.Body)
      expect(tail.error).toBeUndefined()
      expect(Buffer.concat([...got, tail.bytes]).equals(content)).toBe(true)
      expect(settled).toBe(false)
      // The client gives up: its read ends, and the proxy lets the connection go.
      body.destroy()
      await pending
      expect(settled).toBe(true)
      const [, list, ranged] = proxy.log()
      expect(list).toMatchObject({ operation: 'ListObjectsV2', status: 200 })
      expect(ranged).toMatchObject({ operation: 'GetObject', status: 206 })
      expect(ranged?.headers['range']).toBe(`bytes=${afterBytes}-`)
      expect(ranged?.headers['if-match']).toBe(silent.ETag)
    },
  )

  it('keeps every request header in the log', async () => {
    const bucket = await bucketWith({ 'data.txt': 'content' })
    const proxy = await proxyTo(inject('s3Endpoint'))
    const client = s3Via(proxy)
    await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'data.txt',
        ExpectedBucketOwner: '123456789012',
      }),
    )
    await client.send(new ListObjectsV2Command({ Bucket: bucket }))
    const [get, list] = proxy.log()
    expect(get?.headers['x-amz-expected-bucket-owner']).toBe('123456789012')
    expect(get?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 /)
    expect(get?.headers['host']).toBe(new URL(proxy.endpoint).host)
    expect(get?.url).toMatch(new RegExp(`^/${bucket}/data\\.txt`))
    expect(list?.headers['x-amz-expected-bucket-owner']).toBeUndefined()
    expect(list?.url).toMatch(/list-type=2/)
  })
})

describe('s3Operation', () => {
  it.each([
    ['GET', '/', {}, 'ListBuckets'],
    ['PUT', '/b', {}, 'CreateBucket'],
    ['HEAD', '/b', {}, 'HeadBucket'],
    ['GET', '/b?list-type=2&prefix=data%2F', {}, 'ListObjectsV2'],
    ['GET', '/b?prefix=&delimiter=%2F', {}, 'ListObjects'],
    ['GET', '/b?location', {}, 'GetBucketLocation'],
    ['PUT', '/b?object-lock', {}, 'PutBucketObjectLock'],
    ['POST', '/b?delete', {}, 'DeleteObjects'],
    ['GET', '/b/dir/key.json', {}, 'GetObject'],
    ['GET', '/b/key?tagging', {}, 'GetObjectTagging'],
    ['HEAD', '/b/key', {}, 'HeadObject'],
    ['PUT', '/b/key', {}, 'PutObject'],
    ['PUT', '/b/key', { 'x-amz-copy-source': '/b/other' }, 'CopyObject'],
    ['PUT', '/b/key?partNumber=1&uploadId=u', {}, 'UploadPart'],
    ['POST', '/b/key?uploads', {}, 'CreateMultipartUpload'],
    ['DELETE', '/b/key', {}, 'DeleteObject'],
    ['GET', '/b/key?x-id=GetObject', {}, 'GetObject'],
    ['PUT', '/b/key?tagging&x-id=PutObjectTagging', {}, 'PutObjectTagging'],
  ])('%s %s → %s', (method, url, headers, operation) => {
    expect(s3Operation(method, url, headers)).toBe(operation)
  })
})
