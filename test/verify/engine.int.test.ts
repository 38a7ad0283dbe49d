// The read-back against DynamoDB Local, the source in S3: a table loaded with the SDK, then
// changed with the SDK behind the check's back, and the check finding exactly those changes.
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { afterAll, describe, expect, it } from 'vitest'
import { s3Source } from '../../src/sources/s3.js'
import { Steps } from '../../src/steps.js'
import type { StreamJob } from '../../src/stream/engine.js'
import { keyOf, tableSchemaFrom } from '../../src/table/key-schema.js'
import { runVerify, type VerifyJob } from '../../src/verify/engine.js'
import {
  bucketWith,
  dynamodb,
  jsonLines,
  s3,
  scanAll,
  sortedCanonical,
  tableWith,
  virtualClock,
  type Item,
} from '../support/helpers.js'

const clients = { dynamodb: dynamodb(), s3: s3() }
afterAll(() => {
  clients.dynamodb.destroy()
  clients.s3.destroy()
})

const item = (i: number): Item => ({
  pk: { S: `user-${i}` },
  sk: { N: String(i) },
  name: { S: `name ${i}` },
  score: { N: `${i}.50` },
  tags: { SS: ['a', `t${i}`] },
  address: { M: { city: { S: `city ${i}` }, zip: { N: String(10000 + i) } } },
})
const wrapped = (items: Item[]) => jsonLines(items)
const keyOfItem = (i: number): Item => ({ pk: { S: `user-${i}` }, sk: { N: String(i) } })

/** A DynamoDB JSON object of items 0..9 (item 3 twice: first an older version) and a request-items file. */
async function fixture() {
  const table = await tableWith('S', 'N')
  const older = { ...item(3), name: { S: 'older' } }
  const requests = {
    [table]: [
      { PutRequest: { Item: { ...item(20), note: { S: 'from the requests' } } } },
      { DeleteRequest: { Key: keyOfItem(5) } },
      { PutRequest: { Item: { ...item(21), note: { S: 'first' } } } },
      { PutRequest: { Item: { ...item(21), note: { S: 'second' } } } },
    ],
  }
  const toJson = (value: unknown) =>
    JSON.stringify(value, (_, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
    )
  const bucket = await bucketWith({
    'a/items.json': wrapped([older, ...Array.from({ length: 10 }, (_, i) => item(i))]),
    'b/requests.json': toJson(requests),
  })
  // What the import leaves: items 0..9 but 5 (deleted by the requests), 20, and 21's second: 12
  // keys checked, 5 among them as one that must be absent.
  const loaded = [
    ...Array.from({ length: 10 }, (_, i) => item(i)).filter((_, i) => i !== 5),
    { ...item(20), note: { S: 'from the requests' } },
    { ...item(21), note: { S: 'second' } },
  ]
  await clients.dynamodb.send(
    new BatchWriteItemCommand({
      RequestItems: { [table]: loaded.map((Item) => ({ PutRequest: { Item } })) },
    }),
  )
  const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: table }))
  if (!Table) throw new Error('no table')
  return { table, bucket, description: Table }
}

function verifyJob(
  f: Awaited<ReturnType<typeof fixture>>,
  level: VerifyJob['level'],
  sampleSize = 1000,
): VerifyJob {
  const stream: StreamJob = {
    engine: 'stream',
    table: f.description,
    tableId: f.table,
    source: s3Source(clients.s3, { bucket: f.bucket, prefix: '' }),
    format: { format: 'auto', compression: 'auto', csvDelimiter: ',' },
    write: { writeConcurrency: 4, writeThreads: 0, maxWriteCapacity: 0, stallTimeoutSeconds: 120 },
    customEndpoint: true,
    dryRun: false,
    rejectedFile: '/nonexistent/rejected.jsonl',
    importTableCouldRead: true,
  }
  return { stream, level, sampleSize, maxReadCapacity: 0 }
}

/** runVerify with the keys of every BatchGetItem call recorded. */
async function check(job: VerifyJob) {
  const clock = virtualClock()
  const keys: string[] = []
  const schema = tableSchemaFrom(job.stream.table)
  const reads = {
    send: async (command: { input: { RequestItems?: Record<string, { Keys?: Item[] }> } }) => {
      for (const request of Object.values(command.input.RequestItems ?? {}))
        for (const key of request.Keys ?? []) keys.push(keyOf(key, schema))
      return clients.dynamodb.send(command as never)
    },
  } as unknown as DynamoDBClient
  const report = await runVerify(job, {
    reads,
    clients: { writeClient: clients.dynamodb },
    steps: new Steps(clock.now),
    now: clock.now,
    sleep: clock.sleep,
    every: clock.every,
  })
  return { report, keys: keys.sort() }
}

describe('runVerify against DynamoDB Local', () => {
  it('passes a table that holds the source: duplicates and deletes of a request-items file honoured', async () => {
    const f = await fixture()
    const { report } = await check(verifyJob(f, 'exact'))
    expect(report).toMatchObject({
      level: 'exact',
      checked: 12,
      equal: 12,
      missing: 0,
      different: 0,
      extra: 0,
      samples: [],
    })
    // Computed for the emulator: 12 keys, one unit each (small items), and the scan's pages.
    expect(report.readUnits).toBeGreaterThanOrEqual(12)
  })

  it('finds exactly what was deleted, changed (top level and nested) and added, and leaves the table as it was', async () => {
    const f = await fixture()
    const db = clients.dynamodb
    await db.send(new DeleteItemCommand({ TableName: f.table, Key: keyOfItem(2) }))
    await db.send(
      new UpdateItemCommand({
        TableName: f.table,
        Key: keyOfItem(4),
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':v': { S: 'changed' } },
      }),
    )
    await db.send(
      new UpdateItemCommand({
        TableName: f.table,
        Key: keyOfItem(7),
        UpdateExpression: 'SET address.city = :v',
        ExpressionAttributeValues: { ':v': { S: 'elsewhere' } },
      }),
    )
    // Put back the item the requests delete, and add one the source never had.
    await db.send(new PutItemCommand({ TableName: f.table, Item: item(5) }))
    await db.send(new PutItemCommand({ TableName: f.table, Item: item(99) }))
    const before = sortedCanonical(await scanAll(f.table), 'pk', 'sk')

    const full = (await check(verifyJob(f, 'full'))).report
    const exact = (await check(verifyJob(f, 'exact'))).report

    const items = `s3://${f.bucket}/a/items.json`
    const requests = `s3://${f.bucket}/b/requests.json`
    const expected = [
      { kind: 'missing', location: `${items}:4` },
      { kind: 'different', location: `${items}:6`, attributes: ['name'] },
      { kind: 'different', location: `${items}:9`, attributes: ['address'] },
    ]
    expect(full).toMatchObject({ level: 'full', checked: 12, equal: 8, missing: 1, different: 3 })
    expect(full.extra).toBeUndefined()
    // The deleted key the table holds again: at the DeleteRequest's line, every attribute named.
    const deleted = full.samples.find((m) => m.location?.startsWith(requests))
    expect(deleted).toMatchObject({
      kind: 'different',
      attributes: ['address', 'name', 'pk', 'score', 'sk', 'tags'],
    })
    expect(full.samples.filter((m) => m !== deleted)).toEqual(expected)
    expect(exact).toMatchObject({ checked: 12, equal: 8, missing: 1, different: 3, extra: 1 })
    expect(exact.samples.at(-1)).toEqual({ kind: 'extra' })
    expect(exact.samples).toHaveLength(5)

    expect(sortedCanonical(await scanAll(f.table), 'pk', 'sk')).toEqual(before)
  })

  it('sample: checks the same keys on two runs, fewer than the source', async () => {
    const f = await fixture()
    const first = await check(verifyJob(f, 'sample', 5))
    const second = await check(verifyJob(f, 'sample', 5))
    expect(first.report).toMatchObject({ level: 'sample', checked: 5, equal: 5, missing: 0 })
    expect(first.keys).toHaveLength(5)
    expect(second.keys).toEqual(first.keys)
  })
})
