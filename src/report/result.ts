/**
 * The result of an import, whichever engine ran, in the terms of ImportTable's DescribeImport, and
 * the step's verdict on it.
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Rejection, RejectionKind } from '../formats/record.js'
import type { Inputs } from '../inputs.js'
import { explainFailure, ITEM_VALIDATION_ERROR } from '../native/explain.js'
import type { NativeRun } from '../native/engine.js'
import type { StreamOutcome } from '../stream/engine.js'
import { describeUnread, type ObjectCounts, type UnreadObject } from '../stream/outcome.js'
import type { PacingReport } from '../stream/pacer.js'
import {
  estimate,
  NEW_ON_DEMAND_WRITE_UNITS_PER_SECOND,
  type EngineEstimate,
} from '../stream/estimate.js'

/** The stream engine's FailureCode when valid items could not be written (DynamoDB kept refusing). */
export const ITEMS_NOT_WRITTEN = 'ItemsNotWritten'

/**
 * The stream engine's FailureCode when an object could not be read to its end (its content broke
 * the format, or a read failed mid-object): what follows is neither imported nor counted as
 * records, so max-errors cannot accept it.
 */
export const SOURCE_NOT_READ = 'SourceNotRead'

/** Objects not read to their end named one by one in the failure; the rest are counted. */
const MAX_UNREAD_NAMED = 5

export type ImportStatus = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'IN_PROGRESS'

/** What either engine did, in the terms of ImportTable's DescribeImport. */
export interface ImportResult {
  mode: 'native' | 'stream'
  modeReason: string
  status: ImportStatus
  failureCode?: string
  failureMessage?: string
  importArn?: string
  tableArn?: string
  processedItemCount: number
  importedItemCount: number
  errorCount: number
  /** Valid items the writer gave up on (a stall, an error retrying cannot fix): also in errorCount. */
  unwrittenItemCount: number
  processedSizeBytes: number
  durationSeconds: number
  consumedWriteCapacity?: number
  /** reported: DynamoDB's ConsumedCapacity; computed: one per started KB (emulator endpoints). */
  capacitySource?: 'reported' | 'computed'
  cloudwatchLogGroupArn?: string
  /** A DynamoDB export's manifest: the items the import must end with. */
  expectedItemCount?: number
  /** native: the wait ended after timeout-minutes with the import still running. */
  timedOutAfterMinutes?: number
  rejectedFile?: string
  dryRun: boolean
  /** Dry runs: what each engine would cost and take. */
  estimates?: EngineEstimate[]
  /** Objects read; native: known only when the action listed them. */
  objects?: number
  /** The table and the source, for the summary's headline. */
  table?: string
  source?: string
  /**
   * stream: the action created the table (not in a dry run), from what: `key-schema`, or
   * `table-definition <file>`; for the summary's headline.
   */
  tableCreatedFrom?: string
  /**
   * stream: dynamodb-endpoint was set (an emulator such as DynamoDB Local), which bills nothing and
   * has no ImportTable: the summary leaves out write capacity and cost.
   */
  customEndpoint?: boolean
  /** stream: each object's counts, in the order read. */
  perObject?: ObjectCounts[]
  /** How the objects were read, each with how many objects were read that way. */
  readAs?: Array<{ how: string; objects: number }>
  /** stream: items written so far at each progress line (seconds since the start). */
  progress?: Array<{ seconds: number; items: number }>
  /** stream: how the writer's pace followed DynamoDB's throttling. */
  pacing?: PacingReport
  /** stream: the writer gave up; why, and what was not read. */
  stopped?: { reason: string; notRead: string }
  /** stream: objects that could not be read to their end; any fails the step. */
  unread?: UnreadObject[]
  rejections: { samples: Rejection[]; byKind: Partial<Record<RejectionKind, number>> }
}

export interface Limits {
  maxErrors: number
  minItems: number
}

/** `1 record was`, `2 records were`: failure messages are read by people. */
function counted(n: number, noun: string): string {
  return n === 1 ? `1 ${noun} was` : `${n} ${noun}s were`
}

/** Every record read was rejected: more often a file read as the wrong format than bad data. */
function everyRecordRejected(result: ImportResult): boolean {
  return result.processedItemCount > 0 && result.errorCount >= result.processedItemCount
}

const WRONG_FORMAT_HINT =
  ' Not one record became an item: if the objects are not what the log says they were read as, set input-format to their format.'

/** The reasons the step fails, if any: the one place that decides. */
export function checkResult(result: ImportResult, limits: Limits): string[] {
  const failures: string[] = unreadFailures(result.unread ?? [])
  const rejectedIn = result.rejectedFile ? `; each is in ${result.rejectedFile}` : ''
  if (result.stopped) {
    failures.push(
      `The import stopped: ${result.stopped.reason}. ` +
        `${counted(result.unwrittenItemCount, 'valid item')} NOT written${rejectedIn}. ` +
        `Not read: ${result.stopped.notRead}. ` +
        'Re-run the import once the cause is fixed (writes of the same items are idempotent).',
    )
  } else if (result.unwrittenItemCount > 0) {
    failures.push(
      `${counted(result.unwrittenItemCount, 'valid item')} NOT written${rejectedIn}. Re-run the import.`,
    )
  }
  if (result.errorCount > limits.maxErrors) {
    failures.push(
      `${counted(result.errorCount, 'record')} rejected, more than max-errors (${limits.maxErrors})${rejectedIn}. Fix the records, or raise max-errors to accept them.` +
        (everyRecordRejected(result) ? WRONG_FORMAT_HINT : ''),
    )
  }
  if (result.importedItemCount < limits.minItems) {
    const items = counted(result.importedItemCount, 'item').replace(/ (was|were)$/, '')
    const verb = result.dryRun ? 'would be imported' : 'imported'
    failures.push(
      `${items} ${verb}, fewer than min-items (${limits.minItems}). Check that source names the right objects.`,
    )
  }
  if (
    result.status === 'FAILED' &&
    result.failureCode !== ITEM_VALIDATION_ERROR &&
    result.failureCode !== ITEMS_NOT_WRITTEN &&
    result.failureCode !== SOURCE_NOT_READ
  ) {
    failures.push(`The import failed: ${result.failureMessage ?? result.failureCode ?? 'unknown'}`)
  }
  if (result.status === 'CANCELLED') failures.push('The import was cancelled.')
  const expected = result.expectedItemCount
  if (
    expected !== undefined &&
    result.status !== 'IN_PROGRESS' &&
    result.importedItemCount !== expected
  ) {
    failures.push(
      `The export's manifest lists ${expected} items for the objects imported here, but ${result.importedItemCount} were imported.`,
    )
  }
  if (result.timedOutAfterMinutes !== undefined) {
    failures.push(
      `The import is still IN_PROGRESS after ${result.timedOutAfterMinutes} minutes (timeout-minutes); it goes on in AWS as ${result.importArn ?? 'an import'}. Re-running this step attaches to it.`,
    )
  }
  return failures
}

/**
 * The warning of an import that read no record at all (not one whose records were all rejected:
 * those have their own annotations), unless min-items already makes that fail the step. An empty
 * listing is warned of by the start step already; undefined then, so that it is said once.
 */
export function emptyImportWarning(result: ImportResult, limits: Limits): string | undefined {
  const empty =
    result.processedItemCount === 0 &&
    result.errorCount === 0 &&
    result.status === 'COMPLETED' &&
    limits.minItems === 0 &&
    result.objects !== 0
  if (!empty) return undefined
  const verb = result.dryRun ? 'would be imported' : 'imported'
  return (
    `0 items ${verb} from ${result.source ?? 'the source'}: the source holds no records. ` +
    'Check source, or set min-items: 1 to make an empty import fail the step.'
  )
}

/** Each object not read to its end fails the step on its own, whatever max-errors is. */
function unreadFailures(unread: UnreadObject[]): string[] {
  const named = unread.slice(0, MAX_UNREAD_NAMED).map((u) => describeUnread(u))
  const rest = unread.length - named.length
  if (rest > 0) named.push(`…and ${rest} more objects not read to their end (see the log).`)
  return named
}

/** What either engine reports; the start step adds the engine, its reason and the duration. */
export type EngineResult = Omit<ImportResult, 'mode' | 'modeReason' | 'durationSeconds'>

/** The stream engine's outcome in the terms of ImportTable's DescribeImport. */
export function fromStream(
  outcome: StreamOutcome,
  inputs: Inputs,
  table: TableDescription,
): EngineResult {
  const unread = outcome.unread.length
  const failed = outcome.errors > 0 || unread > 0
  // Valid items that DynamoDB never took are not item validation errors: they name their own code.
  const invalid = outcome.errors - outcome.unwritten
  return {
    status: failed ? 'FAILED' : 'COMPLETED',
    ...(failed && {
      // An object not read to its end is the gravest: records after it were never counted.
      failureCode:
        unread > 0 ? SOURCE_NOT_READ : invalid > 0 ? ITEM_VALIDATION_ERROR : ITEMS_NOT_WRITTEN,
      failureMessage:
        unread > 0
          ? `${unread === 1 ? '1 object' : `${unread} objects`} could not be read to the end${outcome.errors > 0 ? ` and ${outcome.errors} records were rejected` : ''}; see the annotations.`
          : `${outcome.errors} records were rejected; see the annotations and rejected-file.`,
    }),
    ...(table.TableArn && { tableArn: table.TableArn }),
    processedItemCount: outcome.processed,
    importedItemCount: outcome.imported,
    errorCount: outcome.errors,
    unwrittenItemCount: outcome.unwritten,
    processedSizeBytes: outcome.processedSizeBytes,
    ...(outcome.write && {
      consumedWriteCapacity: outcome.write.consumedWriteCapacity,
      capacitySource: inputs.dynamodbEndpoint ? 'computed' : 'reported',
    }),
    ...(outcome.rejectedFile && { rejectedFile: outcome.rejectedFile }),
    dryRun: inputs.dryRun,
    ...(inputs.dynamodbEndpoint !== undefined && { customEndpoint: true }),
    // An emulator bills nothing, so a cost estimate means nothing there.
    ...(inputs.dryRun &&
      inputs.dynamodbEndpoint === undefined && {
        estimates: estimate({
          uncompressedBytes: outcome.processedSizeBytes,
          writeUnits: outcome.writeUnits,
          ...writeRate(inputs, table),
          // ImportTable reads only S3: for a workspace source it is no choice.
        }).filter((e) => e.engine === 'stream' || inputs.source.kind === 's3'),
      }),
    objects: outcome.objects,
    perObject: outcome.perObject,
    readAs: [...outcome.readAs].map(([how, objects]) => ({ how, objects })),
    progress: outcome.progress,
    ...(outcome.write && { pacing: outcome.write.pacing }),
    ...(outcome.stopped && { stopped: outcome.stopped }),
    ...(unread > 0 && { unread: outcome.unread }),
    rejections: { samples: outcome.rejected.samples, byKind: outcome.rejected.byKind },
  }
}

/** The write rate a stream import would get: the cap, the table's provisioned rate, or on demand's. */
function writeRate(inputs: Inputs, table: TableDescription) {
  if (inputs.maxWriteCapacity > 0) {
    return { writeUnitsPerSecond: inputs.maxWriteCapacity, rateBasis: 'at max-write-capacity' }
  }
  const provisioned = table.ProvisionedThroughput?.WriteCapacityUnits
  if (table.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST' && provisioned) {
    return {
      writeUnitsPerSecond: provisioned,
      rateBasis: `at the table's ${provisioned} provisioned WCU/s`,
    }
  }
  return {
    writeUnitsPerSecond: NEW_ON_DEMAND_WRITE_UNITS_PER_SECOND,
    rateBasis: `at ${NEW_ON_DEMAND_WRITE_UNITS_PER_SECOND} WCU/s, what a new on-demand table serves at first`,
  }
}

/** ImportTable's description as the action's result. */
export function fromNative(
  { outcome, objects }: NativeRun,
  inputs: Pick<Inputs, 'timeoutMinutes'>,
): EngineResult {
  const d = outcome.description
  const errors = d.ErrorCount ?? 0
  return {
    status: (d.ImportStatus === 'CANCELLING'
      ? 'IN_PROGRESS'
      : (d.ImportStatus ?? 'IN_PROGRESS')) as ImportStatus,
    ...(d.FailureCode && {
      failureCode: d.FailureCode,
      failureMessage: explainFailure(d.FailureCode, d.FailureMessage ?? ''),
    }),
    ...(d.ImportArn && { importArn: d.ImportArn }),
    ...(d.TableArn && { tableArn: d.TableArn }),
    processedItemCount: d.ProcessedItemCount ?? 0,
    importedItemCount: d.ImportedItemCount ?? 0,
    errorCount: errors,
    unwrittenItemCount: 0,
    processedSizeBytes: d.ProcessedSizeBytes ?? 0,
    ...(d.CloudWatchLogGroupArn && { cloudwatchLogGroupArn: d.CloudWatchLogGroupArn }),
    ...(outcome.timedOut && { timedOutAfterMinutes: inputs.timeoutMinutes }),
    dryRun: false,
    ...(objects !== undefined && { objects }),
    rejections: { samples: outcome.itemErrors, byKind: errors > 0 ? { invalid: errors } : {} },
  }
}
