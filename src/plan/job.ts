/**
 * The job the start step hands to the engine it chose: only what that engine needs, taken from
 * the inputs here, so that no engine reads the inputs (only main.ts and plan/ do).
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { TableInputs, TableTarget } from './targets.js'
import type { NativeJob } from '../native/engine.js'
import type { ExportManifest } from '../sources/export.js'
import type { Source, SourceObject } from '../sources/source.js'
import type { StreamJob } from '../stream/engine.js'
import type { VerifyJob } from '../verify/engine.js'

/** What the start step learnt of the tables the files name (plan/targets.ts). */
export type FilesTables = Pick<TableTarget, 'fileTable' | 'tablesRead'>

/** One engine's job: the union grows by one line per engine. */
export type Job = StreamJob | NativeJob

/** What the start step found, for either job. */
export interface Found {
  table: TableDescription
  /** The table existed before this step (an import may still be filling it). */
  existed: boolean
  source: Source
  objects: SourceObject[]
  export?: ExportManifest
}

/**
 * The stream engine's job: the table, the objects, the format and how to write. `fileTable`: the
 * table's name in files that name several, whose records are this table's.
 */
export function streamJob(inputs: TableInputs, found: Found, files: FilesTables = {}): StreamJob {
  const { fileTable } = files
  return {
    engine: 'stream',
    table: found.table,
    tableId: inputs.table.id,
    source: found.source,
    objects: found.objects,
    format: {
      format: inputs.format,
      ...(inputs.formatFrom !== undefined && { formatFrom: inputs.formatFrom }),
      compression: inputs.compression,
      csvDelimiter: inputs.csvDelimiter,
      ...(inputs.csvHeader && { csvHeader: inputs.csvHeader }),
      ...(inputs.incremental && { incremental: true }),
      ...(fileTable !== undefined && { fileTable }),
    },
    ...(files.tablesRead && { tablesRead: true }),
    write: {
      writeConcurrency: inputs.writeConcurrency,
      writeThreads: inputs.writeThreads,
      maxWriteCapacity: inputs.maxWriteCapacity,
      stallTimeoutSeconds: inputs.stallTimeoutSeconds,
    },
    customEndpoint: inputs.dynamodbEndpoint !== undefined,
    dryRun: inputs.dryRun,
    rejectedFile: inputs.rejectedFile,
    // ImportTable reads only S3: for a workspace source it is no choice.
    importTableCouldRead: inputs.source.kind === 's3',
  }
}

/**
 * The check of the table against the source: the stream engine's reading of it, validating only
 * (the same readers and rules as the import), and how to compare.
 */
export function verifyJob(inputs: TableInputs, found: Found, files: FilesTables = {}): VerifyJob {
  if (inputs.verify === 'none') throw new Error('verify: none has no job')
  return {
    stream: streamJob({ ...inputs, dryRun: true }, found, files),
    level: inputs.verify,
    sampleSize: inputs.verifySampleSize,
    maxReadCapacity: inputs.maxReadCapacity,
  }
}

/** The native engine's job: what the ImportTable request is made of, and how long to wait. */
export function nativeJob(inputs: TableInputs, found: Found): NativeJob {
  if (!inputs.tableCreation) throw new Error('native: no table creation parameters')
  return {
    engine: 'native',
    source: found.source,
    objects: found.objects,
    ...(found.export && {
      export: { dataPrefix: found.export.dataPrefix, ignored: found.export.ignored },
    }),
    ...(found.existed && { table: { TableArn: found.table.TableArn } }),
    request: {
      source: inputs.source,
      format: inputs.format,
      csvDelimiter: inputs.csvDelimiter,
      ...(inputs.csvHeader && { csvHeader: inputs.csvHeader }),
      ...(inputs.bucketOwner !== undefined && { bucketOwner: inputs.bucketOwner }),
      ...(inputs.clientToken !== undefined && { clientToken: inputs.clientToken }),
    },
    creation: inputs.tableCreation,
    compression: inputs.compression,
    settings: { wait: inputs.wait, timeoutMinutes: inputs.timeoutMinutes },
    region: inputs.region ?? 'us-east-1',
  }
}
