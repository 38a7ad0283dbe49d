/**
 * The names of action.yml's inputs and outputs, said once: input reading, the warnings about
 * ignored inputs, messages and the outputs use these (a test holds them equal to action.yml).
 */

export const Input = {
  Table: 'table',
  Source: 'source',
  Mode: 'mode',
  InputFormat: 'input-format',
  InputCompression: 'input-compression',
  CsvDelimiter: 'csv-delimiter',
  CsvHeader: 'csv-header',
  KeySchema: 'key-schema',
  TableDefinition: 'table-definition',
  TemplateParameters: 'template-parameters',
  BillingMode: 'billing-mode',
  CreateTable: 'create-table',
  DeleteCreatedTables: 'delete-created-tables',
  WriteConcurrency: 'write-concurrency',
  WriteThreads: 'write-threads',
  MaxWriteCapacity: 'max-write-capacity',
  StallTimeoutSeconds: 'stall-timeout-seconds',
  MaxErrors: 'max-errors',
  MinItems: 'min-items',
  DryRun: 'dry-run',
  Wait: 'wait',
  TimeoutMinutes: 'timeout-minutes',
  NativeMinBytes: 'native-min-bytes',
  ClientToken: 'client-token',
  Region: 'region',
  DynamoDBEndpoint: 'dynamodb-endpoint',
  S3Endpoint: 's3-endpoint',
  S3ForcePathStyle: 's3-force-path-style',
  BucketOwner: 'bucket-owner',
  Shard: 'shard',
  Truncate: 'truncate',
  RejectedFile: 'rejected-file',
  Verify: 'verify',
  VerifySampleSize: 'verify-sample-size',
  MaxReadCapacity: 'max-read-capacity',
} as const

export const Output = {
  Mode: 'mode',
  ModeReason: 'mode-reason',
  Status: 'status',
  FailureCode: 'failure-code',
  ImportArn: 'import-arn',
  TableArn: 'table-arn',
  ProcessedItemCount: 'processed-item-count',
  ImportedItemCount: 'imported-item-count',
  ErrorCount: 'error-count',
  ProcessedSizeBytes: 'processed-size-bytes',
  DurationSeconds: 'duration-seconds',
  ConsumedWriteCapacity: 'consumed-write-capacity',
  CloudwatchLogGroupArn: 'cloudwatch-log-group-arn',
  RejectedFile: 'rejected-file',
  Tables: 'tables',
  VerifiedItemCount: 'verified-item-count',
  MismatchedItemCount: 'mismatched-item-count',
} as const

export type InputName = (typeof Input)[keyof typeof Input]
export type OutputName = (typeof Output)[keyof typeof Output]
