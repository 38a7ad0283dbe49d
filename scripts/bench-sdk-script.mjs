// The plain SDK script that npm run bench times the most common job against: what a user would
// write to seed a table from a fixture file instead of the action. Reads the file (DynamoDB JSON,
// one {"Item": ...} per line), sends BatchWriteItem calls of 25, and sends unprocessed items again.
//
//   node scripts/bench-sdk-script.mjs FILE TABLE ENDPOINT
import * as fs from 'node:fs'
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'

const [file, table, endpoint] = process.argv.slice(2)
const client = new DynamoDBClient({ endpoint, region: 'us-east-1' })
const items = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line).Item)
for (let i = 0; i < items.length; i += 25) {
  let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }))
  while (requests.length > 0) {
    const out = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: requests } }),
    )
    requests = out.UnprocessedItems?.[table] ?? []
  }
}
client.destroy()
console.log(JSON.stringify({ written: items.length }))
