/**
 * BatchWriteItem bodies built from the items' own JSON text. The SDK would turn every item object
 * back into JSON through its schema serializer, which is most of what a call costs in CPU; the
 * text of a DynamoDB JSON item is already the wire format (docs/import-rules.md §9: the
 * AttributeValue JSON, B as base64, N as its exact string). The body is put in place in the SDK's
 * own middleware stack before the content length and the signature are computed, so that the
 * endpoint, credentials, signing, the transport and the response's parsing all stay the SDK's.
 */
import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { itemJson } from '../formats/dynamodb-json.js'
import type { Item } from '../table/attribute-value.js'

/** One write as it goes on the wire. */
export interface WireWrite {
  item: Item
  delete?: boolean
  /** The item's DynamoDB JSON text, when the record carried it (else it is made from `item`). */
  json?: string
}

/** The bodies of the commands sent, by their input object, until the middleware takes them. */
const bodies = new WeakMap<object, Uint8Array>()
const installed = new WeakSet<DynamoDBClient>()

/** Lets `client` send the bodies batchWriteCommand prepares; once per client. */
export function useRawBodies(client: DynamoDBClient): void {
  if (installed.has(client)) return
  installed.add(client)
  client.middlewareStack.add(
    (next, _context) => async (args) => {
      const body = bodies.get(args.input as object)
      const request = args.request as { body?: unknown; headers?: Record<string, string> }
      if (body !== undefined && request && typeof request === 'object' && 'headers' in request) {
        request.body = body
        const headers = request.headers ?? {}
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase() === 'content-length') delete headers[name]
        }
        headers['content-length'] = String(body.byteLength)
      }
      return next(args)
    },
    { step: 'build', priority: 'high', name: 'dynamodbS3ImportRawBody' },
  )
}

const utf8 = new TextEncoder()

/**
 * A body's bytes, made once: the signature's hash and the socket both take them as they are (a
 * string would be encoded by each), and they can move to a write thread without a copy.
 */
export function encodeBody(body: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(body)
}

/**
 * A BatchWriteItem command whose body is `body` (batchWriteBody's text, encoded). Its input holds no items
 * (so the SDK's serializer has nothing to do) but names the table, from which the SDK resolves
 * the endpoint; the middleware of useRawBodies swaps the body in.
 */
export function batchWriteCommand(table: string, body: Uint8Array): BatchWriteItemCommand {
  const input: BatchWriteItemCommandInput = { RequestItems: { [table]: [] } }
  bodies.set(input, body)
  return new BatchWriteItemCommand(input)
}

/** The JSON body of a BatchWriteItem call for these writes. */
export function batchWriteBody(
  table: string,
  writes: readonly WireWrite[],
  returnConsumedCapacity: boolean,
): string {
  let body = `{"RequestItems":{${JSON.stringify(table)}:[`
  for (let i = 0; i < writes.length; i++) {
    const write = writes[i] as WireWrite
    const json = write.json ?? itemJson(write.item)
    if (i > 0) body += ','
    body += write.delete ? `{"DeleteRequest":{"Key":${json}}}` : `{"PutRequest":{"Item":${json}}}`
  }
  body += ']}'
  if (returnConsumedCapacity) body += ',"ReturnConsumedCapacity":"TOTAL"'
  return body + '}'
}
