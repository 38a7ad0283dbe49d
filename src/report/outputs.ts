/** The step's outputs and its annotations, from the result. */
import * as path from 'node:path'
import * as core from '@actions/core'
import { Output, type OutputName } from '../names.js'
import {
  describeUnread,
  IMPORT_CANCELLED,
  mismatched,
  REJECTION_KINDS,
  type ImportResult,
  type Limits,
  type UnreadObject,
} from '../result.js'
import { emptyImportWarning } from './verdict.js'

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
    [Output.Tables]: JSON.stringify(result.tables ?? []),
    [Output.VerifiedItemCount]: result.verification?.checked,
    [Output.MismatchedItemCount]: result.verification && mismatched(result.verification),
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value ?? '')
}

/**
 * The outputs of a run cancelled before its start step ended: only the status and the failure
 * code are known (the signal is in the log).
 */
export function setCancelledOutputs(): void {
  core.setOutput(Output.Status, 'CANCELLED')
  core.setOutput(Output.FailureCode, IMPORT_CANCELLED)
}

/**
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (the toolkit's
 * docs of core.error and core.warning); more are dropped, so the summary counts the rest.
 */
export const MAX_ANNOTATIONS_PER_KIND = 10

/** Where a rejected record is, for an annotation: a workspace file and line attach to it. */
export interface RecordPlace {
  /** Workspace-relative path, for a record read from the workspace. */
  file?: string
  line?: number
}

/**
 * A location `<where>:<line>` as an annotation's place: for a file inside the workspace, its
 * workspace-relative path and line (so that the annotation shows on the file in a pull request);
 * nothing for an S3 object, whose location stays in the message.
 */
export function recordPlace(location: string, workspace: string): RecordPlace {
  const match = /^(.*):(\d+)$/.exec(location)
  if (!match || (match[1] ?? '').startsWith('s3://')) return {}
  const file = path.relative(workspace, match[1] ?? '')
  if (file === '' || file.startsWith('..') || path.isAbsolute(file)) return {}
  return { file: file.split(path.sep).join('/'), line: Number(match[2]) }
}

/**
 * One error annotation per object not read to its end, on the file and line where reading
 * stopped for a workspace file (on the object otherwise), leaving room for the verdict. Returns
 * how many were made.
 */
function annotateUnread(unread: UnreadObject[], workspace: string): number {
  const shown = unread.slice(0, MAX_ANNOTATIONS_PER_KIND - 1)
  for (const u of shown) {
    const place = recordPlace(u.location, workspace)
    const where = place.file !== undefined ? `${place.file}:${place.line}` : u.location
    core.error(describeUnread(u, where), {
      title: 'Source not read to its end',
      ...(place.file !== undefined && { file: place.file }),
      ...(place.line !== undefined && { startLine: place.line }),
    })
  }
  return shown.length
}

/**
 * The verdict first, as an error annotation: GitHub keeps only the first 10 of a kind per step,
 * so the one line that says what to do must not be the one dropped. Then one annotation per
 * sampled rejection, errors when the rejections fail the step (as many as leave room for the
 * verdict) and warnings when max-errors accepts them; a warning when nothing at all was read,
 * since a passing step then most likely read the wrong source. The one caller of setFailed.
 */
export function annotate(
  result: ImportResult | undefined,
  failures: string[],
  limits: Limits,
  workspace: string,
): void {
  if (failures.length > 0) core.setFailed(failures.join('\n'))
  if (!result) return
  const empty = failures.length === 0 ? emptyImportWarning(result, limits) : undefined
  if (empty) core.warning(empty, { title: 'Nothing imported' })
  const unread = annotateUnread(result.unread ?? [], workspace)
  const asErrors =
    failures.length > 0 && (result.errorCount > limits.maxErrors || result.unwrittenItemCount > 0)
  // The verdict is an error annotation too: record errors leave room for it and the objects
  // not read to their end.
  const room =
    failures.length > 0 && asErrors
      ? MAX_ANNOTATIONS_PER_KIND - 1 - unread
      : MAX_ANNOTATIONS_PER_KIND
  const mismatches = annotateMismatches(result, workspace)
  for (const r of result.rejections.samples.slice(0, Math.max(0, room - mismatches))) {
    const place = recordPlace(r.location, workspace)
    const properties = {
      title: `Rejected record: ${REJECTION_KINDS[r.kind]}`,
      ...(place.file !== undefined && { file: place.file }),
      ...(place.line !== undefined && { startLine: place.line }),
    }
    const message = `${place.file !== undefined ? `${place.file}:${place.line}` : r.location}: ${r.reason}`
    if (asErrors) core.error(message, properties)
    else core.warning(message, properties)
  }
}

/**
 * One error annotation per sampled mismatch of the read-back, at the record's place in the
 * source, naming what differs (never a value); items in the table but not in the source have no
 * place: one annotation counts them. Returns how many were made.
 */
function annotateMismatches(result: ImportResult, workspace: string): number {
  const report = result.verification
  if (!report || mismatched(report) === 0) return 0
  const shown = report.samples
    .filter((m) => m.location !== undefined)
    .slice(0, MAX_ANNOTATIONS_PER_KIND - 2)
  for (const m of shown) {
    const place = recordPlace(m.location ?? '', workspace)
    const where = place.file !== undefined ? `${place.file}:${place.line}` : (m.location ?? '')
    const what =
      m.kind === 'missing'
        ? 'the table does not hold this item (its key is missing)'
        : m.kind === 'different'
          ? `the table holds this item with other values in ${m.attributes?.length ? m.attributes.join(', ') : 'its attributes'}`
          : 'the table holds an item of this key that the source deletes'
    core.error(`${where}: ${what}`, {
      title: `Verify (${report.level}): ${m.kind}`,
      ...(place.file !== undefined && { file: place.file }),
      ...(place.line !== undefined && { startLine: place.line }),
    })
  }
  if (report.extra) {
    core.error(
      `${report.extra} ${report.extra === 1 ? 'item' : 'items'} of table ${result.table ?? ''} ${report.extra === 1 ? 'has a key' : 'have keys'} the source does not hold (verify exact).`,
      { title: 'Verify (exact): extra' },
    )
  }
  return shown.length + (report.extra ? 1 : 0)
}
