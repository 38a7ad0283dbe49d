/**
 * How the writer's BatchWriteItem calls go out: on the client of this thread, or spread over
 * write threads (write-threads.ts). Either way a call is one body in and DynamoDB's answer out,
 * so the writer's accounting, ordering and pacing are the same for both.
 */
import {
  DynamoDBClient,
  type BatchWriteItemCommandOutput,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb'
import { batchWriteCommand, useRawBodies } from './batch-body.js'
import { UndiciHttpHandler } from './http-handler.js'

/** What the writer uses of a BatchWriteItem answer. */
export type WriteAnswer = Pick<BatchWriteItemCommandOutput, 'UnprocessedItems' | 'ConsumedCapacity'>

export interface WriteCalls {
  /** One BatchWriteItem call with this body; rejects with the SDK's error (or a copy of it). */
  send(table: string, body: Uint8Array<ArrayBuffer>): Promise<WriteAnswer>
  /** Ends what close needs to end (threads); the calls sent have all been answered by then. */
  close(): Promise<void>
}

/**
 * A client for the write calls, in this thread or a write thread, from the configuration as plain
 * data: the SDK's DynamoDB client with its HTTP handler given through its own option
 * (http-handler.ts); signing and its SHA-256 stay the SDK's.
 */
export function createWriteClient(config: DynamoDBClientConfig): DynamoDBClient {
  return new DynamoDBClient({ ...config, requestHandler: new UndiciHttpHandler() })
}

/** The calls on one client, in this thread. */
export function callsOn(client: DynamoDBClient): WriteCalls {
  useRawBodies(client)
  return {
    async send(table, body) {
      const { UnprocessedItems, ConsumedCapacity } = await client.send(
        batchWriteCommand(table, body),
      )
      return { UnprocessedItems, ConsumedCapacity }
    },
    async close() {},
  }
}
