/** The step's outputs and its annotations, from the result. */
import * as core from '@actions/core'
import { REJECTION_KINDS } from '../formats/record.js'
import { Output, type OutputName } from '../names.js'
import type { ImportResult, Limits } from './result.js'

/** Sets every output of action.yml; the ones that do not apply are empty. */
export function setOutputs(result: ImportResult): void {
  const outputs: Record<OutputName, string | number | undefined> = {
    [Output.Mode]: result.mode,
    [Output.ModeReason]: result.modeReason,
    [Output.Status]: result.status,
    [Output.FailureCode]: result.failureCode,
    [Output.ImportArn]: result.importArn,
    [Output.TableArn]: result.tableArn,
    [Output.ProcessedItemCount]: result.processedItemCount,
    [Output.ImportedItemCount]: result.importedItemCount,
    [Output.ErrorCount]: result.errorCount,
    [Output.ProcessedSizeBytes]: result.processedSizeBytes,
    [Output.DurationSeconds]: result.durationSeconds,
    [Output.ConsumedWriteCapacity]: result.consumedWriteCapacity,
    [Output.CloudwatchLogGroupArn]: result.cloudwatchLogGroupArn,
    [Output.RejectedFile]: result.rejectedFile,
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value ?? '')
}

/**
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (the toolkit's
 * docs of core.error and core.warning); more are dropped, so the summary counts the rest.
 */
export const MAX_ANNOTATIONS_PER_KIND = 10

/**
 * One annotation per sampled rejection, pointing at `s3://bucket/key:line`. They are errors when
 * the rejections fail the step and warnings when max-errors accepts them.
 */
export function annotate(result: ImportResult, limits: Limits): void {
  const fails = result.errorCount > limits.maxErrors || result.unwrittenItemCount > 0
  for (const r of result.rejections.samples.slice(0, MAX_ANNOTATIONS_PER_KIND)) {
    const properties = { title: `Rejected record: ${REJECTION_KINDS[r.kind]}` }
    const message = `${r.location}: ${r.reason}`
    if (fails) core.error(message, properties)
    else core.warning(message, properties)
  }
}
