import { createHash } from 'node:crypto'
import type { ImportTableCommandInput, TableCreationParameters } from '@aws-sdk/client-dynamodb'
import type { ConnectionSettings } from '../clients.js'
import { isImportTableFormat, type FormatSettings } from '../formats/input-format.js'
import type { ResolvedCompression } from '../sources/decompress.js'
import type { SourceInput } from '../sources/source.js'
import type { NativeSettings } from './settings.js'

/** The parts of the inputs an ImportTable request is made of. */
export type RequestInputs = { source: SourceInput } & Pick<
  FormatSettings,
  'format' | 'csvDelimiter' | 'csvHeader'
> &
  Pick<ConnectionSettings, 'bucketOwner'> &
  Pick<NativeSettings, 'clientToken'>

/**
 * The ImportTable request: S3 source, format (CSV options only for CSV: the service refuses them
 * otherwise), compression and the table to create. Pure, so it is tested without a service.
 */
export function importRequest(
  inputs: RequestInputs,
  table: TableCreationParameters,
  compression: ResolvedCompression,
  env: NodeJS.ProcessEnv = process.env,
): ImportTableCommandInput {
  if (inputs.source.kind !== 's3') throw new Error('ImportTable reads only S3 sources')
  if (!isImportTableFormat(inputs.format)) {
    throw new Error(`ImportTable does not take input-format ${inputs.format}`)
  }
  const request: ImportTableCommandInput = {
    S3BucketSource: {
      S3Bucket: inputs.source.bucket,
      S3KeyPrefix: inputs.source.prefix,
      ...(inputs.bucketOwner && { S3BucketOwner: inputs.bucketOwner }),
    },
    InputFormat: inputs.format,
    ...(inputs.format === 'CSV' && {
      InputFormatOptions: {
        Csv: {
          Delimiter: inputs.csvDelimiter,
          ...(inputs.csvHeader && { HeaderList: inputs.csvHeader }),
        },
      },
    }),
    InputCompressionType: compression,
    TableCreationParameters: table,
  }
  return { ...request, ClientToken: inputs.clientToken ?? defaultClientToken(request, env) }
}

/**
 * A token that is the same when the same step of the same workflow run asks for the same import,
 * so that re-running a job attaches to the import it started instead of starting another; any
 * change to the request makes a new one. ImportTable keeps a token for 8 hours.
 */
export function defaultClientToken(
  request: ImportTableCommandInput,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const run = [env['GITHUB_REPOSITORY'], env['GITHUB_RUN_ID'], env['GITHUB_JOB']]
  const hash = createHash('sha256')
  hash.update(JSON.stringify([run, request]))
  return `dynamodb-s3-import-${hash.digest('hex').slice(0, 40)}`
}

/** What an object's name says of its compression, when it says anything. */
export function compressionFromName(key: string): ResolvedCompression | undefined {
  if (/\.(gz|gzip)$/i.test(key)) return 'GZIP'
  if (/\.(zst|zstd)$/i.test(key)) return 'ZSTD'
  return undefined
}

/**
 * One compression for all objects, as ImportTable requires, from what each object's name or first
 * bytes said; a clear error when they disagree.
 */
export function agreeOnCompression(
  found: Array<{ key: string; compression: ResolvedCompression }>,
): ResolvedCompression {
  const kinds = new Map<ResolvedCompression, string>()
  for (const { key, compression } of found) if (!kinds.has(compression)) kinds.set(compression, key)
  if (kinds.size <= 1) return kinds.keys().next().value ?? 'NONE'
  const examples = [...kinds].map(([compression, key]) => `${compression} (${key})`).join(', ')
  throw new Error(
    `input-compression: auto found objects compressed in different ways: ${examples}. ImportTable ` +
      'needs one compression for all objects: set input-compression, or import each kind from its own prefix.',
  )
}

/** The AWS console page of an import, for the log. */
export function consoleLink(region: string, importArn: string): string {
  return `https://${region}.console.aws.amazon.com/dynamodbv2/home?region=${region}#import-details?importArn=${encodeURIComponent(importArn)}`
}
