import * as core from '@actions/core'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import type { WriteSettings } from './stream/settings.js'
import { createWriteClient, writeClientConfig } from './stream/write-calls.js'
import pkg from '../package.json' with { type: 'json' }

/** Sent with every request, so that AWS-side logs tell the action and its version. */
const USER_AGENT: [string, string] = [pkg.name, pkg.version]
/** Emulators ignore the region, but the SDK needs one to sign requests. */
const EMULATOR_REGION = 'us-east-1'
/**
 * The control plane's HTTP timeouts (CreateTable, DescribeTable, ImportTable, DescribeImport,
 * ListImports, the truncate's Scan), given to the SDK's own handler. Each of these answers in well
 * under a second, and a waiter polls again anyway: a call that has not connected in 5 s or
 * answered in 10 s is lost, and is better ended and tried again by the SDK's retries than left to
 * the handler's defaults (no connection or request timeout at all, a socket idle for five
 * minutes). `throwOnRequestTimeout`: without it, the SDK only logs a warning when the request
 * timeout passes. The socket timeout ends an answer whose body stops coming.
 */
export const CONTROL_PLANE_HTTP = {
  connectionTimeout: 5_000,
  requestTimeout: 10_000,
  socketTimeout: 10_000,
  throwOnRequestTimeout: true,
} as const
/**
 * CloudWatch Logs' (ImportTable's item errors): a GetLogEvents page holds up to 1 MB of events and
 * may take seconds where the control plane takes milliseconds, so it has longer.
 */
export const LOGS_HTTP = {
  connectionTimeout: 5_000,
  requestTimeout: 30_000,
  socketTimeout: 30_000,
  throwOnRequestTimeout: true,
} as const
/** Emulators accept any key; the SDK still needs one to sign with. */
const PLACEHOLDER_CREDENTIALS = {
  accessKeyId: 'local',
  secretAccessKey: 'local',
}

/** Where and how the action connects: region, endpoints, the bucket's owner. */
export interface ConnectionSettings {
  region?: string
  /** An emulator such as DynamoDB Local: no ImportTable there, and nothing billed. */
  dynamodbEndpoint?: string
  s3Endpoint?: string
  s3ForcePathStyle: boolean
  /** The account that must own the bucket (S3's ExpectedBucketOwner, ImportTable's S3BucketOwner). */
  bucketOwner?: string
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
  /**
   * The S3 client, made on first use, its SDK module loaded then too: a workspace source never
   * needs it, and loading the module alone costs 10 MB of memory.
   */
  s3(): Promise<S3Client>
  /**
   * native: ImportTable's item errors are in CloudWatch Logs. The client is made on first use,
   * its SDK module loaded then too (4 MB): the stream engine never needs it.
   */
  logs(): Promise<CloudWatchLogsClient>
  /** Destroys every client made, including one still being made. */
  destroy(): void
}

/**
 * A client made on first use, from a module loaded then. The imports are dynamic with
 * webpackMode "eager": ncc still bundles the module into the one dist/index.js (and its licenses
 * into licenses.txt), but evaluates it only when it is asked for.
 */
export function onFirstUse<T extends { destroy(): void }>(make: () => Promise<T>) {
  let made: Promise<T> | undefined
  return {
    get: () => (made ??= make()),
    // One that could not be made has nothing to destroy (and its caller was told why).
    destroy: () =>
      void made?.then(
        (client) => client.destroy(),
        () => {},
      ),
  }
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

/** S3: a connection not made in this time fails the call (a TimeoutError, retried by the SDK). */
export const S3_CONNECTION_TIMEOUT_MS = 10_000
/**
 * S3: a response whose headers do not come in this time fails the call (a TimeoutError, retried
 * by the SDK; a GetObject's then resumed like a broken read). The SDK's handler clears this
 * timer when the headers arrive, so it never cuts a long body: S3_BODY_IDLE_MS (sources/s3.ts)
 * watches bodies, and only while the action waits for their bytes.
 */
export const S3_RESPONSE_TIMEOUT_MS = 30_000

/**
 * The clients every engine uses. With a custom endpoint and no credentials in the environment,
 * placeholder credentials are used, so a DynamoDB Local service container works without any AWS
 * setup (and the SDK does not stall probing instance metadata on a runner).
 */
export function createClients(
  connection: ConnectionSettings & Pick<WriteSettings, 'writeConcurrency'>,
  env: NodeJS.ProcessEnv = process.env,
): Clients {
  const region = connection.region ?? EMULATOR_REGION
  const placeholder = !credentialsConfigured(env)
  if (placeholder && (connection.dynamodbEndpoint || connection.s3Endpoint)) {
    core.info(
      'No AWS credentials in the environment: custom endpoints get placeholder credentials.',
    )
  }
  const credentialsFor = (endpoint: string | undefined) =>
    endpoint && placeholder ? { credentials: PLACEHOLDER_CREDENTIALS } : {}

  const dynamodbConfig = {
    region,
    customUserAgent: [USER_AGENT],
    ...(connection.dynamodbEndpoint && { endpoint: connection.dynamodbEndpoint }),
    ...credentialsFor(connection.dynamodbEndpoint),
  }
  const dynamodb = new DynamoDBClient({ ...dynamodbConfig, requestHandler: CONTROL_PLANE_HTTP })
  const writeConfig = writeClientConfig(dynamodbConfig, connection.writeConcurrency)
  const writeClient = createWriteClient(writeConfig)
  const s3Config: S3ClientConfig = {
    region,
    customUserAgent: [USER_AGENT],
    forcePathStyle: connection.s3ForcePathStyle,
    // The bucket may be in another region than the table: follow S3's redirect to it.
    followRegionRedirects: true,
    // No socket (idle) timeout: it would also fire while the reader holds a body back (the
    // writer throttled), which is not the body's silence.
    requestHandler: {
      connectionTimeout: S3_CONNECTION_TIMEOUT_MS,
      requestTimeout: S3_RESPONSE_TIMEOUT_MS,
      // Without it the SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true,
    },
    // S3-compatible servers often lack the SDK's newer flexible checksums; the action only reads,
    // so checksums are used only where an operation requires them.
    ...(connection.s3Endpoint && {
      endpoint: connection.s3Endpoint,
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    }),
    ...credentialsFor(connection.s3Endpoint),
  }
  const s3 = onFirstUse(async () => {
    const { S3Client } = await import(/* webpackMode: "eager" */ '@aws-sdk/client-s3')
    return new S3Client(s3Config)
  })
  // No input for its endpoint: the SDK's AWS_ENDPOINT_URL_CLOUDWATCH_LOGS serves where one is needed.
  const logs = onFirstUse(async () => {
    const { CloudWatchLogsClient } = await import(
      /* webpackMode: "eager" */ '@aws-sdk/client-cloudwatch-logs'
    )
    return new CloudWatchLogsClient({
      region,
      customUserAgent: [USER_AGENT],
      requestHandler: LOGS_HTTP,
    })
  })
  return {
    dynamodb,
    writeClient,
    writeConfig,
    s3: s3.get,
    logs: logs.get,
    destroy() {
      dynamodb.destroy()
      writeClient.destroy()
      s3.destroy()
      logs.destroy()
    },
  }
}
