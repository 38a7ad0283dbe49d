/** The step's verdict on an import's result: the one place that decides whether the step fails. */
import {
  describeUnread,
  ITEM_VALIDATION_ERROR,
  ITEMS_NOT_WRITTEN,
  SOURCE_NOT_READ,
  mismatched,
  VERIFICATION_FAILED,
  type ImportResult,
  type VerifyReport,
  type Limits,
  type UnreadObject,
} from '../result.js'

/** Objects not read to their end named one by one in the failure; the rest are counted. */
const MAX_UNREAD_NAMED = 5

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
  if (result.cancelled) return [...failures, ...cancelledFailures(result, limits, rejectedIn)]
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
  // mode verify imports nothing: min-items holds the items it checked.
  const verifying = result.mode === 'verify'
  const count = verifying ? (result.verification?.checked ?? 0) : result.importedItemCount
  if (count < limits.minItems && !(verifying && result.dryRun)) {
    const items = counted(count, 'item').replace(/ (was|were)$/, '')
    const verb = verifying ? 'checked' : result.dryRun ? 'would be imported' : 'imported'
    failures.push(
      `${items} ${verb}, fewer than min-items (${limits.minItems}). Check that source names the right objects.`,
    )
  }
  if (
    result.status === 'FAILED' &&
    result.failureCode !== ITEM_VALIDATION_ERROR &&
    result.failureCode !== ITEMS_NOT_WRITTEN &&
    result.failureCode !== SOURCE_NOT_READ &&
    result.failureCode !== VERIFICATION_FAILED
  ) {
    failures.push(`The import failed: ${result.failureMessage ?? result.failureCode ?? 'unknown'}`)
  }
  if (result.status === 'CANCELLED') failures.push('The import was cancelled.')
  const verified = result.verification
  if (verified && mismatched(verified) > 0) failures.push(verificationFailure(verified))
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

/** A table that does not hold the source: what the check found, and where to look. */
function verificationFailure(report: VerifyReport): string {
  const extra = report.extra ? `, ${report.extra} in the table but not in the source` : ''
  return (
    `The table does not hold what the source says (verify ${report.level}): of ${report.checked} items checked, ` +
    `${report.missing} missing, ${report.different} different${extra}; each mismatched record is annotated at its place in the source. ` +
    'Re-run the import, or find what changed the table since (another job, a stream consumer, TTL).'
  )
}

/**
 * The warning of an import that read no record at all (not one whose records were all rejected:
 * those have their own annotations), unless min-items already makes that fail the step. An empty
 * listing is warned of by the start step already; undefined then, so that it is said once.
 */
export function emptyImportWarning(result: ImportResult, limits: Limits): string | undefined {
  const empty =
    result.mode !== 'verify' &&
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

/**
 * A cancelled run fails the step, saying what was done: written, read and not written, where
 * reading stopped (stream), or that the import goes on in AWS (native). Only the records
 * rejected on their own merits are measured against max-errors: the items the cancel left
 * unwritten are not the records' fault, and min-items and an export's count cannot be met by
 * a run that was stopped.
 */
function cancelledFailures(result: ImportResult, limits: Limits, rejectedIn: string): string[] {
  const signal = result.cancelled?.signal ?? 'a signal'
  if (result.mode === 'native') {
    return [
      `The step was cancelled (${signal}) while ImportTable was IN_PROGRESS: the import goes on in AWS as ${result.importArn ?? 'an import'}; re-running this step attaches to it and waits for its end.`,
    ]
  }
  const notRead = result.cancelled?.notRead
  const stoppedAt = notRead ? `reading stopped at ${notRead}. ` : 'every object was read. '
  // A dry run writes nothing: what it had validated is what it says.
  const failures = result.dryRun
    ? [
        `The dry run was cancelled (${signal}): ${counted(result.importedItemCount, 'item')} validated; ${stoppedAt}` +
          'Re-run it to validate the rest.',
      ]
    : [
        `The import was cancelled (${signal}): ${counted(result.importedItemCount, 'item')} written; ` +
          `${counted(result.unwrittenItemCount, 'record')} read and NOT written${rejectedIn}; ` +
          stoppedAt +
          'Re-run the import to write the rest (writes of the same items are idempotent).',
      ]
  const rejected = result.errorCount - result.unwrittenItemCount
  if (rejected > limits.maxErrors) {
    failures.push(
      `${counted(rejected, 'record')} rejected, more than max-errors (${limits.maxErrors})${rejectedIn}. Fix the records, or raise max-errors to accept them.`,
    )
  }
  return failures
}

/** Each object not read to its end fails the step on its own, whatever max-errors is. */
function unreadFailures(unread: UnreadObject[]): string[] {
  const named = unread.slice(0, MAX_UNREAD_NAMED).map((u) => describeUnread(u))
  const rest = unread.length - named.length
  if (rest > 0) named.push(`…and ${rest} more objects not read to their end (see the log).`)
  return named
}
