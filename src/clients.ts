import * as core from '@actions/core'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import type { Inputs } from './inputs.js'
import { createWriteClient } from './stream/write-calls.js'
import pkg from '../package.json' with { type: 'json' }

/** Sent with every request, so that AWS-side logs tell the action and its version. */
const USER_AGENT: [string, string] = [pkg.name, pkg.version]
/** Emulators ignore the region, but the SDK needs one to sign requests. */
const EMULATOR_REGION = 'us-east-1'
/** Emulators accept any key; the SDK still needs one to sign with. */
const PLACEHOLDER_CREDENTIALS = {
  accessKeyId: 'local',
  secretAccessKey: 'local',
}

export interface Clients {
  dynamodb: DynamoDBClient
  /**
   * BatchWriteItem's own client, with the SDK's retries off: the writer retries (UnprocessedItems,
   * throttling, 5xx, broken connections) on one budget that it can count and report, instead of
   * the SDK's attempts multiplying its own.
   */
  writeClient: DynamoDBClient
  /** writeClient's configuration as plain data, from which each write thread makes its own. */
  writeConfig: DynamoDBClientConfig
  s3: S3Client
  /**
   * native: ImportTable's item errors are in CloudWatch Logs. The client is made on first use:
   * the stream engine never needs it. (Loading its module on first use too, with a dynamic
   * import, saved 4 MB more, but ncc then writes only that chunk's licenses to licenses.txt.)
   */
  logs(): CloudWatchLogsClient
  destroy(): void
}

/** True when the environment names credentials the default chain would find. */
function credentialsConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env['AWS_ACCESS_KEY_ID'] ||
    env['AWS_PROFILE'] ||
    env['AWS_WEB_IDENTITY_TOKEN_FILE'] ||
    env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ||
    env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'],
  )
}

/**
 * The clients every engine uses. With a custom endpoint and no credentials in the environment,
 * placeholder credentials are used, so a DynamoDB Local service container works without any AWS
 * setup (and the SDK does not stall probing instance metadata on a runner).
 */
export function createClients(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): Clients {
  const region = inputs.region ?? EMULATOR_REGION
  const placeholder = !credentialsConfigured(env)
  if (placeholder && (inputs.dynamodbEndpoint || inputs.s3Endpoint)) {
    core.info(
      'No AWS credentials in the environment: custom endpoints get placeholder credentials.',
    )
  }
  const credentialsFor = (endpoint: string | undefined) =>
    endpoint && placeholder ? { credentials: PLACEHOLDER_CREDENTIALS } : {}

  const dynamodbConfig = {
    region,
    customUserAgent: [USER_AGENT],
    ...(inputs.dynamodbEndpoint && { endpoint: inputs.dynamodbEndpoint }),
    ...credentialsFor(inputs.dynamodbEndpoint),
  }
  const dynamodb = new DynamoDBClient(dynamodbConfig)
  // The middleware stack is resolved once for all calls, not per call: BatchWriteItem is sent
  // thousands of times a second, always the same way.
  const writeConfig = { ...dynamodbConfig, maxAttempts: 1, cacheMiddleware: true }
  const writeClient = createWriteClient(writeConfig)
  const s3 = new S3Client({
    region,
    customUserAgent: [USER_AGENT],
    forcePathStyle: inputs.s3ForcePathStyle,
    // The bucket may be in another region than the table: follow S3's redirect to it.
    followRegionRedirects: true,
    // S3-compatible servers often lack the SDK's newer flexible checksums; the action only reads,
    // so checksums are used only where an operation requires them.
    ...(inputs.s3Endpoint && {
      endpoint: inputs.s3Endpoint,
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    }),
    ...credentialsFor(inputs.s3Endpoint),
  })
  // No input for its endpoint: the SDK's AWS_ENDPOINT_URL_CLOUDWATCH_LOGS serves where one is needed.
  let logs: CloudWatchLogsClient | undefined
  return {
    dynamodb,
    writeClient,
    writeConfig,
    s3,
    logs() {
      logs ??= new CloudWatchLogsClient({ region, customUserAgent: [USER_AGENT] })
      return logs
    },
    destroy() {
      dynamodb.destroy()
      writeClient.destroy()
      s3.destroy()
      logs?.destroy()
    },
  }
}
