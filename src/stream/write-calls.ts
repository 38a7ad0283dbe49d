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
import type { NodeHttpHandlerOptions } from '@smithy/types'
import { batchWriteCommand, useRawBodies } from './batch-body.js'

/** What the writer uses of a BatchWriteItem answer. */
export type WriteAnswer = Pick<BatchWriteItemCommandOutput, 'UnprocessedItems' | 'ConsumedCapacity'>

export interface WriteCalls {
  /**
   * One BatchWriteItem call with this body; rejects with the SDK's error (or a copy of it).
   * `abandon`: aborted when the writer gives up waiting for the answer: the call is aborted and
   * its connection closed (the writer ignores its answer either way).
   */
  send(table: string, body: Uint8Array<ArrayBuffer>, abandon?: AbortSignal): Promise<WriteAnswer>
  /** Ends what close needs to end (threads); the calls sent have all been answered by then. */
  close(): Promise<void>
}

/** How long the write calls wait before they fail as a TimeoutError, which the writer retries. */
export interface WriteTimeouts {
  /** For a connection to open. */
  connectMs: number
  /** For a call's whole answer, from when it is sent. */
  requestMs: number
}

/**
 * A TCP (and TLS) handshake with a DynamoDB endpoint takes well under a second; 5 s outlasts two
 * lost SYNs (Linux sends the SYN again after 1 s, then 3 s), and beyond that the endpoint is
 * unreachable: the call fails and goes back to the writer's queue instead of waiting for the
 * kernel's own timeout, about two minutes.
 */
export const CONNECT_TIMEOUT_MS = 5_000
/**
 * DynamoDB answers a BatchWriteItem call in milliseconds; the largest (16 MB) goes out in about
 * 13 s at 10 Mbit/s. A call not answered within a minute has a dead connection behind it (the
 * SDK's default is to wait for ever): it fails, and its items are sent again.
 */
export const REQUEST_TIMEOUT_MS = 60_000

export const WRITE_TIMEOUTS: WriteTimeouts = {
  connectMs: CONNECT_TIMEOUT_MS,
  requestMs: REQUEST_TIMEOUT_MS,
}

/**
 * The write client's configuration as plain data (a write thread is given it and makes its own
 * client): the SDK's retries off, since the writer retries on one budget that it counts and
 * reports; the middleware stack resolved once, not per call; and the SDK's own HTTP handler
 * (NodeHttpHandler) given its options: keep-alive connections, as many as the calls in flight
 * (`concurrency`, write-concurrency), and the timeouts. The SDK's default handler keeps up to 50
 * connections and has no timeout; `throwOnRequestTimeout` makes its request timeout fail the
 * call instead of only logging a warning.
 */
export function writeClientConfig(
  config: DynamoDBClientConfig,
  concurrency: number,
  timeouts: WriteTimeouts = WRITE_TIMEOUTS,
): DynamoDBClientConfig {
  const agent = { keepAlive: true, maxSockets: concurrency }
  const requestHandler: NodeHttpHandlerOptions = {
    httpAgent: agent,
    httpsAgent: agent,
    connectionTimeout: timeouts.connectMs,
    requestTimeout: timeouts.requestMs,
    throwOnRequestTimeout: true,
  }
  return { ...config, maxAttempts: 1, cacheMiddleware: true, requestHandler }
}

/**
 * A client for the write calls, in this thread or a write thread, from writeClientConfig's plain
 * data: the SDK's DynamoDB client; its HTTP handler, signing and answer parsing are the SDK's.
 */
export function createWriteClient(config: DynamoDBClientConfig): DynamoDBClient {
  return new DynamoDBClient(config)
}

/** The calls on one client, in this thread. */
export function callsOn(client: DynamoDBClient): WriteCalls {
  useRawBodies(client)
  return {
    async send(table, body, abandon) {
      const { UnprocessedItems, ConsumedCapacity } = await client.send(
        batchWriteCommand(table, body),
        abandon && { abortSignal: abandon },
      )
      return { UnprocessedItems, ConsumedCapacity }
    },
    async close() {},
  }
}
