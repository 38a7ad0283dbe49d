// The bench's plain BatchGetItem loop against DynamoDB Local: it reads what is there, and refuses
// to give a figure for a table that does not hold every item it asks for.
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { batchGetLoop, benchKey } from '../../scripts/bench-verify.mjs'
import { createSampleTable, localClientConfig } from '../../scripts/emulators.mjs'

const ITEMS = 230
const table = `bench-verify-${process.pid}`
const client = new DynamoDBClient(localClientConfig(inject('dynamodbEndpoint')))

beforeAll(async () => {
  await createSampleTable(inject('dynamodbEndpoint'), table)
  for (let i = 0; i < ITEMS; i += 25) {
    const puts = Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => ({
      PutRequest: { Item: { ...benchKey(i + j), payload: { S: 'p'.repeat(40) } } },
    }))
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: puts } }))
  }
})

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: table }))
  client.destroy()
})

describe('batchGetLoop against DynamoDB Local', () => {
  it('reads every item of the table, at a positive rate', async () => {
    const rate = await batchGetLoop(client, table, ITEMS, 4)
    expect(rate).toBeGreaterThan(0)
    expect(Number.isFinite(rate)).toBe(true)
  })

  it('refuses a table that lacks an item', async () => {
    await client.send(new DeleteItemCommand({ TableName: table, Key: benchKey(ITEMS - 1) }))
    await expect(batchGetLoop(client, table, ITEMS)).rejects.toThrow(
      `the BatchGetItem loop found ${ITEMS - 1} of ${ITEMS} items in ${table}`,
    )
  })
})
