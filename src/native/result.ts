/** ImportTable's description as the one result. */
import { IMPORT_CANCELLED, type EngineResult, type ImportStatus } from '../result.js'
import { explainFailure } from './explain.js'
import type { NativeOutcome } from './import-table.js'

/** ImportTable's final description, and how many objects the action saw (when it listed them). */
export interface NativeRun {
  outcome: NativeOutcome
  objects: number | undefined
  /** The run was cancelled by this signal while the import ran: it goes on in AWS. */
  cancelledBy?: string
}

export function fromNative(
  { outcome, objects, cancelledBy }: NativeRun,
  timeoutMinutes: number,
): EngineResult {
  const d = outcome.description
  const errors = d.ErrorCount ?? 0
  return {
    // The status stays ImportTable's (IN_PROGRESS: it goes on); the failure code says the step
    // was cancelled.
    ...(cancelledBy && {
      failureCode: IMPORT_CANCELLED,
      failureMessage: `The step was cancelled (${cancelledBy}) while ImportTable was ${d.ImportStatus ?? 'IN_PROGRESS'}: the import goes on in AWS as ${d.ImportArn ?? '?'}.`,
      cancelled: { signal: cancelledBy },
    }),
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
    ...(outcome.timedOut && { timedOutAfterMinutes: timeoutMinutes }),
    dryRun: false,
    ...(objects !== undefined && { objects }),
    rejections: { samples: outcome.itemErrors, byKind: errors > 0 ? { invalid: errors } : {} },
  }
}
