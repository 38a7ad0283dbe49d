// DynamoDB exports as a source, full and incremental, made by scripts/make-export.mjs from data
// in DynamoDB Local, imported with either engine.
import { gzipSync } from 'node:zlib'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, inject, it, vi } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { tableToExport, writeExport } from '../../scripts/make-export.mjs'
import { run } from '../../src/main.js'
import {
  bucketWith,
  dynamodb,
  fromDynamoDBJson,
  localInputs,
  s3,
  scanAll,
  sortedCanonical,
  tableWith,
  uniqueName,
  useRunner,
  type Item,
  SAMPLE_KEY_SCHEMA,
} from '../support/helpers.js'
import { useFakeImportServer } from '../support/fake-import-server.js'

const fake = useFakeImportServer()
const noSleep = async () => {}
const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => sampleItem(from + i))

/** A table in DynamoDB Local holding the items, exported into a new bucket under `exports/`. */
async function exportedTable(count: number, files = 3) {
  const source = await tableWith('S', 'N')
  const client = dynamodb()
  const all = items(0, count).map((i) => fromDynamoDBJson(i) as Item)
  for (let i = 0; i < all.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [source]: all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    )
  }
  const bucket = await bucketWith({})
  const storage = s3()
  const written = await tableToExport(client, source, {
    files,
    root: 'exports/',
    bucket,
    put: async (key: string, body: Buffer | string) =>
      void (await storage.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))),
  })
  client.destroy()
  storage.destroy()
  return { source, bucket, written, all }
}

describe('a DynamoDB export as the source', () => {
  it("stream: imports exactly the manifest's data files and checks the count", async () => {
    const { bucket, written, all } = await exportedTable(90)
    // Something else under the export's folder, which must not be read.
    const storage = s3()
    await storage.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${written.exportRoot}notes/extra.json`,
        Body: 'not an item\n',
      }),
    )
    storage.destroy()
    const table = uniqueName('from-export')
    const runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/${written.exportRoot}`,
      'key-schema': SAMPLE_KEY_SCHEMA,
    })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.outputs()).toMatchObject({
      mode: 'stream',
      status: 'COMPLETED',
      'processed-item-count': '90',
      'imported-item-count': '90',
    })
    expect(runner.stdout()).toMatch(
      /DynamoDB export \S+: FULL_EXPORT, DYNAMODB_JSON, 90 items in 3 data files/,
    )
    expect(runner.stdout()).toContain('notes/extra.json')
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(all, 'pk', 'sk'),
    )
  })

  it('3 shards of an export each meet their part of the manifest, and add up to it', async () => {
    const { bucket, written, all } = await exportedTable(100, 5)
    const table = await tableWith('S', 'N')
    let imported = 0
    for (let i = 1; i <= 3; i++) {
      vi.restoreAllMocks()
      const runner = useRunner({
        ...localInputs(),
        table,
        source: `s3://${bucket}/${written.exportRoot}`,
        shard: `${i}/3`,
      })
      await run({ sleep: noSleep })
      expect(process.exitCode, runner.stdout()).toBeUndefined()
      imported += Number(runner.outputs()['imported-item-count'])
    }
    expect(imported).toBe(100)
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(all, 'pk', 'sk'),
    )
  })

  it("fails with both numbers when the import does not end with the manifest's item count", async () => {
    const { bucket, written } = await exportedTable(30, 2)
    // A data file that lost its last item since the export.
    const storage = s3()
    const { GetObjectCommand } = await import('@aws-sdk/client-s3')
    const key = written.dataKeys[0] as string
    const body = Buffer.from(
      await (
        await storage.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      ).Body!.transformToByteArray(),
    )
    const { gunzipSync } = await import('node:zlib')
    const lines = gunzipSync(body).toString().trim().split('\n')
    await storage.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: gzipSync(lines.slice(0, -1).join('\n') + '\n'),
      }),
    )
    storage.destroy()
    const runner = useRunner({
      ...localInputs(),
      table: uniqueName('short'),
      source: `s3://${bucket}/${written.exportRoot}`,
      'key-schema': SAMPLE_KEY_SCHEMA,
    })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain(
      "The export's manifest lists 30 items for the objects imported here, but 29 were imported.",
    )
  })

  it('native: ImportTable imports the data prefix of the export', async () => {
    const { bucket, written, all } = await exportedTable(40, 2)
    const table = uniqueName('native-export')
    const runner = useRunner({
      table,
      source: `s3://${bucket}/${written.exportRoot}`,
      mode: 'native',
      region: 'us-east-1',
      'dynamodb-endpoint': fake.endpoint,
      's3-endpoint': inject('s3Endpoint'),
      'key-schema': SAMPLE_KEY_SCHEMA,
    })
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', fake.endpoint)
    await run({ sleep: async () => void (await fake.control.settled()) })
    expect(process.exitCode).toBeUndefined()
    expect(fake.imports().find((i) => i.tableName === table)?.request).toMatchObject({
      S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: `${written.exportRoot}data/` },
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: 'GZIP',
    })
    expect(runner.outputs()).toMatchObject({
      mode: 'native',
      status: 'COMPLETED',
      'imported-item-count': '40',
    })
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(all, 'pk', 'sk'),
    )
  })

  it("stream: applies an incremental export's puts and deletes in export-time order, whatever the file order", async () => {
    const table = await tableWith('S', 'N')
    const base = items(0, 10)
    // The table as the full export left it.
    const client = dynamodb()
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table]: base.map((i) => ({ PutRequest: { Item: fromDynamoDBJson(i) as Item } })),
        },
      }),
    )
    client.destroy()
    const key = (i: number) => ({ pk: base[i]!['pk'], sk: base[i]!['sk'] })
    const changed = (i: number, v: string) => ({ ...base[i], note: { S: v } })
    // Written newest first and spread over 3 files, so that file order is not time order.
    const changes = [
      { keys: key(1), newImage: changed(1, 'third'), timestampMicros: 3000n },
      { keys: key(2), timestampMicros: 2500n }, // deleted, and stays deleted
      { keys: key(1), newImage: changed(1, 'second'), timestampMicros: 2000n },
      { keys: key(3), newImage: changed(3, 'back'), timestampMicros: 1900n }, // re-created after its delete
      { keys: key(3), timestampMicros: 1500n },
      { keys: key(1), newImage: changed(1, 'first'), timestampMicros: 1000n },
      { keys: key(2), newImage: changed(2, 'before delete'), timestampMicros: 900n },
    ]
    const bucket = await bucketWith({})
    const storage = s3()
    const written = await writeExport({
      items: undefined,
      changes,
      type: 'INCREMENTAL_EXPORT',
      files: 3,
      root: 'inc/',
      bucket,
      put: async (k: string, body: Buffer | string) =>
        void (await storage.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: body }))),
    })
    storage.destroy()
    const runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/inc/AWSDynamoDB/` })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.outputs()).toMatchObject({
      'processed-item-count': '7',
      'imported-item-count': String(written.itemCount),
    })
    const expected = base
      .map((item, i) => (i === 1 ? changed(1, 'third') : i === 3 ? changed(3, 'back') : item))
      .filter((_, i) => i !== 2)
      .map((i) => fromDynamoDBJson(i) as Item)
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expected, 'pk', 'sk'),
    )
  })
})
