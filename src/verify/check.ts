/**
 * The verify step: once a table's import is done, the table is compared with the source (or,
 * in mode verify, instead of an import); its mismatches fail the import.
 */
import * as core from '@actions/core'
import type { EngineContext } from '../engine.js'
import {
  ITEM_VALIDATION_ERROR,
  mismatched,
  VERIFICATION_FAILED,
  type ImportResult,
  type VerifyReport,
} from '../result.js'
import { counted } from '../words.js'
import { runVerify, type VerifyJob } from './engine.js'
import { estimateVerify } from './estimate.js'

/**
 * The check of the table against the source, once its import completed (the bad records it
 * rejected aside): planned only in a dry run, not run when the import stopped short. Any
 * mismatch fails the import with VerificationFailed.
 */
export async function verifyTable(
  job: VerifyJob,
  result: ImportResult,
  context: EngineContext,
): Promise<ImportResult> {
  const notRun = verifyNotRun(job, result)
  if (notRun) {
    core.info(`Verify (${job.level}): not run: ${notRun.why}`)
    return { ...result, verifyNotRun: notRun }
  }
  const { steps } = context
  steps.start('verify')
  const report = await steps.group(`Verify (${job.level}): the table against the source`, () =>
    runVerify(job, { ...context, reads: context.clients.dynamodb }),
  )
  const bad = mismatched(report)
  steps.end('verify', verifyLine(report), bad === 0)
  if (bad === 0) return { ...result, verification: report }
  return {
    ...result,
    verification: report,
    status: 'FAILED',
    failureCode: VERIFICATION_FAILED,
    failureMessage: `${counted(bad, 'item')} of the source ${bad === 1 ? 'does' : 'do'} not match table ${result.table ?? ''}.`,
  }
}

/** Why the check does not run, or undefined when it does. */
function verifyNotRun(job: VerifyJob, result: ImportResult): ImportResult['verifyNotRun'] {
  const { level } = job
  if (result.dryRun) {
    // The item sizes are not kept: the source's text (larger than the items) bounds them.
    const { keys, readUnits } = estimateVerify(
      level,
      { items: result.importedItemCount, writeUnits: Math.ceil(result.processedSizeBytes / 1024) },
      job.sampleSize,
    )
    return { level, why: 'a dry run plans it', items: keys, readUnits }
  }
  const completed =
    result.status === 'COMPLETED' ||
    (result.failureCode === ITEM_VALIDATION_ERROR &&
      result.unwrittenItemCount === 0 &&
      (result.unread?.length ?? 0) === 0)
  if (completed) return undefined
  return {
    level,
    why: `the import did not complete (${result.status}${result.failureCode ? `, ${result.failureCode}` : ''}): there is nothing to compare yet`,
  }
}

/** The check in one line: `10 checked: 8 equal, 1 missing, 1 different, 0 extra; 12 read units`. */
export function verifyLine(report: VerifyReport): string {
  const extra = report.extra !== undefined ? `, ${report.extra} extra` : ''
  return (
    `${report.level}: ${counted(report.checked, 'item')} checked: ${report.equal} equal, ` +
    `${report.missing} missing, ${report.different} different${extra}; ${report.readUnits} read units`
  )
}
