// Smoke test of the shared emulators (test/global-setup.ts): proves that DynamoDB Local and
// s3rver answer, and that the client settings in scripts/emulators.mjs avoid s3rver's pitfalls.
import { randomBytes, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { localClientConfig, s3ClientConfig } from '../../scripts/emulators.mjs'

// s3rver pages ListObjectsV2 by 1000 keys: more than that needs a continuation token.
const OBJECT_COUNT = 1200
const UPLOAD_CONCURRENCY = 16

describe('emulators', () => {
  const dynamodb = new DynamoDBClient(localClientConfig(inject('dynamodbEndpoint')))
  const s3 = new S3Client(s3ClientConfig(inject('s3Endpoint')))
  afterAll(() => {
    dynamodb.destroy()
    s3.destroy()
  })

  it('DynamoDB Local creates a table and reads back a written item', async () => {
    const TableName = `smoke-${randomUUID()}`
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName })

    const Item = { pk: { S: 'user#1' }, sk: { N: '1' }, name: { S: 'Ada' } }
    await dynamodb.send(new PutItemCommand({ TableName, Item }))
    const got = await dynamodb.send(
      new GetItemCommand({ TableName, Key: { pk: Item.pk, sk: Item.sk }, ConsistentRead: true }),
    )
    expect(got.Item).toEqual(Item)
  })

  it('s3rver stores a streamed 3 MB object byte for byte', async () => {
    // A stream body is what the SDK would send aws-chunked by default, and s3rver would store
    // the chunk framing with the data: the WHEN_REQUIRED settings are what keep it intact.
    const Bucket = `smoke-${randomUUID()}`
    await s3.send(new CreateBucketCommand({ Bucket }))
    const body = randomBytes(3 * 1024 * 1024)
    const chunks = Array.from({ length: 48 }, (_, i) => body.subarray(i * 65536, (i + 1) * 65536))
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'big.bin',
        Body: Readable.from(chunks),
        ContentLength: body.length,
      }),
    )

    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }))
    const bytes = Buffer.from(await got.Body!.transformToByteArray())
    expect(bytes.length).toBe(body.length)
    expect(bytes.equals(body)).toBe(true)
  })

  it('s3rver lists more than one page of objects', async () => {
    // The second page needs a continuation token, which s3rver encrypts with DES: this fails
    // with HTTP 500 unless s3rver runs with --openssl-legacy-provider.
    const Bucket = `smoke-${randomUUID()}`
    await s3.send(new CreateBucketCommand({ Bucket }))
    const keys = Array.from(
      { length: OBJECT_COUNT },
      (_, i) => `items/${String(i).padStart(5, '0')}.json`,
    )
    await forEachBounded(keys, UPLOAD_CONCURRENCY, (Key) =>
      s3.send(new PutObjectCommand({ Bucket, Key, Body: `{"n":${Key.length}}` })),
    )

    const listed: string[] = []
    let pages = 0
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket, Prefix: 'items/' })) {
      pages++
      listed.push(...(page.Contents ?? []).map((object) => object.Key ?? ''))
    }
    expect(pages).toBeGreaterThan(1)
    expect(listed.sort()).toEqual(keys)
  })
})

/** Runs `fn` on every element with at most `limit` calls in flight. */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!)
  }
  await Promise.all(Array.from({ length: limit }, worker))
}
