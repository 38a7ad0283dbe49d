/** The stream engine's outcome as the one result: in the terms of ImportTable's DescribeImport. */
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import {
  IMPORT_CANCELLED,
  ITEM_VALIDATION_ERROR,
  ITEMS_NOT_WRITTEN,
  SOURCE_NOT_READ,
  type EngineResult,
} from '../result.js'
import { estimate, NEW_ON_DEMAND_WRITE_UNITS_PER_SECOND } from './estimate.js'
import type { StreamOutcome } from './outcome.js'

/** What of the job the result needs besides the outcome. */
export interface ResultContext {
  table: TableDescription
  dryRun: boolean
  customEndpoint: boolean
  maxWriteCapacity: number
  /** ImportTable could read the source (S3): a dry run estimates both engines, else only this one. */
  importTableCouldRead: boolean
}

export function fromStream(outcome: StreamOutcome, job: ResultContext): EngineResult {
  const unread = outcome.unread.length
  const failed = outcome.errors > 0 || unread > 0
  // Valid items that DynamoDB never took are not item validation errors: they name their own code.
  const invalid = outcome.errors - outcome.unwritten
  const { cancelled } = outcome
  return {
    status: cancelled ? 'CANCELLED' : failed ? 'FAILED' : 'COMPLETED',
    ...(cancelled && {
      failureCode: IMPORT_CANCELLED,
      failureMessage:
        `The import was cancelled (${cancelled.signal}): ${outcome.imported} items written, ` +
        `${outcome.unwritten} read and NOT written` +
        (cancelled.notRead
          ? `; reading stopped at ${cancelled.notRead}.`
          : '; every object was read.'),
      cancelled,
    }),
    ...(failed &&
      !cancelled && {
        // An object not read to its end is the gravest: records after it were never counted.
        failureCode:
          unread > 0 ? SOURCE_NOT_READ : invalid > 0 ? ITEM_VALIDATION_ERROR : ITEMS_NOT_WRITTEN,
        failureMessage:
          unread > 0
            ? `${unread === 1 ? '1 object' : `${unread} objects`} could not be read to the end${outcome.errors > 0 ? ` and ${outcome.errors} records were rejected` : ''}; see the annotations.`
            : `${outcome.errors} records were rejected; see the annotations and rejected-file.`,
      }),
    ...(job.table.TableArn && { tableArn: job.table.TableArn }),
    processedItemCount: outcome.processed,
    importedItemCount: outcome.imported,
    errorCount: outcome.errors,
    unwrittenItemCount: outcome.unwritten,
    processedSizeBytes: outcome.processedSizeBytes,
    ...(outcome.write && {
      consumedWriteCapacity: outcome.write.consumedWriteCapacity,
      capacitySource: job.customEndpoint ? 'computed' : 'reported',
    }),
    ...(outcome.rejectedFile && { rejectedFile: outcome.rejectedFile }),
    dryRun: job.dryRun,
    ...(job.customEndpoint && { customEndpoint: true }),
    // An emulator bills nothing, so a cost estimate means nothing there.
    ...(job.dryRun &&
      !job.customEndpoint && {
        estimates: estimate({
          uncompressedBytes: outcome.processedSizeBytes,
          writeUnits: outcome.writeUnits,
          ...writeRate(job),
        }).filter((e) => e.engine === 'stream' || job.importTableCouldRead),
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
function writeRate({ maxWriteCapacity, table }: ResultContext) {
  if (maxWriteCapacity > 0) {
    return { writeUnitsPerSecond: maxWriteCapacity, rateBasis: 'at max-write-capacity' }
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
