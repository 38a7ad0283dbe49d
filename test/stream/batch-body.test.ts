import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { itemText, parseDynamoDBJsonLine } from '../../src/formats/dynamodb-json.js'
import {
  batchWriteBody,
  batchWriteCommand,
  encodeBody,
  useRawBodies,
  type WireWrite,
} from '../../src/stream/batch-body.js'
import type { Item } from '../../src/table/attribute-value.js'

/** A client whose transport keeps the body it was given and answers that all was processed. */
function capturing() {
  const bodies: string[] = []
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body: string | Uint8Array; headers: Record<string, string> }) => {
        const raw = request.body
        // The SDK's own serializer may give bytes too (whose string methods it warns about).
        const body =
          typeof raw === 'string'
            ? Buffer.from(raw)
            : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
        bodies.push(body.toString())
        expect(request.headers['content-length']).toBe(String(body.length))
        const { Readable } = await import('node:stream')
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from('{"UnprocessedItems":{}}')]),
          },
        }
      },
    } as never,
  })
  return { client, bodies }
}

/** Every attribute type, exact numbers and binary among them. */
const line =
  '{"Item": {"pk": {"S": "é \\"q\\" 🚀"}, "n": {"N": "12345678901234567890123456789012345678"}, ' +
  '"small": {"N": "-1.5E-130"}, "b": {"B": "AAEC/w=="}, "bs": {"BS": ["AQ==", ""]}, "ss": {"SS": ["a", ""]}, ' +
  '"ns": {"NS": ["1", "0.1"]}, "t": {"BOOL": true}, "z": {"NULL": true}, ' +
  '"m": {"M": {"l": {"L": [{"N": "007"}, {"M": {}}, {"L": []}]}}}}}'

describe('batch bodies', () => {
  it('are what the SDK would send for the same items, for every attribute type', async () => {
    const parsed = parseDynamoDBJsonLine(line)
    if (!parsed.ok) throw new Error(parsed.reason)
    const key: Item = { pk: { S: 'gone' } }
    const writes: WireWrite[] = [
      { item: parsed.item, json: itemText(line) ?? '' },
      { item: parsed.item },
      { item: key, delete: true },
    ]

    const sdk = capturing()
    const requests: WriteRequest[] = [
      { PutRequest: { Item: parsed.item } },
      { PutRequest: { Item: parsed.item } },
      { DeleteRequest: { Key: key } },
    ]
    await sdk.client.send(
      new BatchWriteItemCommand({
        RequestItems: { 'my.table': requests },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    )
    const ours = capturing()
    useRawBodies(ours.client)
    await ours.client.send(
      batchWriteCommand('my.table', encodeBody(batchWriteBody('my.table', writes, true))),
    )

    expect(ours.bodies).toHaveLength(1)
    expect(JSON.parse(ours.bodies[0] as string)).toEqual(JSON.parse(sdk.bodies[0] as string))
    // The line's own text went on the wire: numbers and escapes exactly as written.
    expect(ours.bodies[0]).toContain('"N": "12345678901234567890123456789012345678"')
    expect(ours.bodies[0]).toContain(itemText(line))
  })

  it('leave out ReturnConsumedCapacity when not asked, and name any table', () => {
    const body = batchWriteBody('a"b', [{ item: { pk: { S: 'x' } } }], false)
    expect(JSON.parse(body)).toEqual({
      RequestItems: { 'a"b': [{ PutRequest: { Item: { pk: { S: 'x' } } } }] },
    })
  })

  it('take the item text of a line only when the line starts {"Item": …}', () => {
    expect(itemText('  { "Item" :{"pk":{"S":"a"}} }  ')).toBe('{"pk":{"S":"a"}} ')
    expect(itemText('{"\\u0049tem": {"pk": {"S": "a"}}}')).toBeUndefined()
  })
})
