import * as core from '@actions/core'
import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Clock } from '../clock.js'
import { ActionError, errorMessage } from '../errors.js'

/**
 * How long a custom dynamodb-endpoint may take to answer: a DynamoDB Local service container
 * starts beside the job's first steps, and its JVM takes a few seconds.
 */
export const ENDPOINT_WAIT_MS = 60_000
/** The README's section that the endpoint-wait error points to (test/manifest.test.ts checks it). */
export const HEALTH_CHECK_HEADING = 'A health check for DynamoDB Local'
/** Between two tries. */
const ENDPOINT_POLL_MS = 1_000

/** Errors that mean nothing answered yet, rather than an answer the import should see. */
const NOT_LISTENING = /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up/

/**
 * Waits until the custom endpoint answers a request (any answer: even an error from the service
 * means it is up), trying once a second for up to ENDPOINT_WAIT_MS, and says so in the log.
 * `client` must not retry on its own, so that every try is counted here.
 */
export async function waitForEndpoint(
  client: DynamoDBClient,
  endpoint: string,
  clock: Clock,
): Promise<void> {
  const began = clock.now()
  let told = false
  for (;;) {
    let reason: string
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }))
      return
    } catch (err) {
      reason = describe(err)
      if (reason === '') return
    }
    const waited = clock.now() - began
    if (waited >= ENDPOINT_WAIT_MS) {
      throw new ActionError(
        `DynamoDB at ${endpoint} did not answer within ${Math.round(waited / 1000)} s ` +
          `(tried every ${ENDPOINT_POLL_MS / 1000} s; last: ${reason}). Start it before this step ` +
          `(a service container with a health check: see "${HEALTH_CHECK_HEADING}" in the README), ` +
          'or check dynamodb-endpoint.',
      )
    }
    if (!told) {
      core.info(
        `Waiting for DynamoDB at ${endpoint} to answer (${reason}), for up to ${ENDPOINT_WAIT_MS / 1000} s…`,
      )
      told = true
    }
    await clock.sleep(ENDPOINT_POLL_MS)
  }
}

/** Why nothing answered, or '' when something did. */
function describe(err: unknown): string {
  const parts = [err, (err as { cause?: unknown } | null)?.cause]
  for (const part of parts) {
    const text = `${(part as { code?: string } | null)?.code ?? ''} ${errorMessage(part)}`
    if (NOT_LISTENING.test(text)) return errorMessage(part)
  }
  return (err as { $metadata?: unknown } | null)?.$metadata === undefined ? errorMessage(err) : ''
}
