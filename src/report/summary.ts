/** The job summary: the one user of core.summary. */
import * as core from '@actions/core'
import { REJECTION_KINDS, type RejectionKind } from '../formats/record.js'
import type { EngineEstimate } from '../stream/estimate.js'
import type { StepRecord } from '../steps.js'
import type { ImportResult, ImportStatus } from './result.js'

/** Reasons are the engine's words, but a summary row should stay a row. */
const MAX_REASON_CHARS = 300

const STATUS_ICON: Record<ImportStatus, string> = {
  COMPLETED: '✅',
  FAILED: '❌',
  CANCELLED: '⛔',
  IN_PROGRESS: '⏳',
}

/** Renders the job summary into core.summary's buffer (written by the caller). */
export function renderSummary(
  result: ImportResult | undefined,
  steps: StepRecord[],
  failures: string[],
): void {
  const s = core.summary
  const verdict = failures.length === 0 ? 'passed' : 'failed'
  const status = result ? `${result.status} ${STATUS_ICON[result.status]}` : 'did not start ❌'
  s.addHeading(`DynamoDB S3 import: ${status}`, 2)
  if (result) {
    const dry = result.dryRun ? ' (dry run: nothing was written)' : ''
    s.addRaw(`Engine: <b>${result.mode}</b>${dry}. ${escape(result.modeReason)}`, true)
  }
  s.addRaw(`The step ${verdict}.`, true)
  if (failures.length > 0) s.addList(failures.map(escape))

  s.addHeading('Steps', 3)
  s.addTable([
    [header('Step'), header('Result'), header('Time')],
    ...steps.map((step) => [
      `${step.ok ? '✅' : '❌'} ${step.name}`,
      escape(step.result),
      `${step.startedAt.toFixed(1)}–${step.endedAt.toFixed(1)} s`,
    ]),
  ])
  if (!result) return

  s.addHeading('Counts', 3)
  const rate =
    result.durationSeconds > 0 ? Math.round(result.importedItemCount / result.durationSeconds) : 0
  const rows: Parameters<typeof core.summary.addTable>[0] = [
    [header('Measure'), header('Value')],
    ['Objects', result.objects === undefined ? 'listed by ImportTable' : String(result.objects)],
    ['Processed records', String(result.processedItemCount)],
    [
      result.dryRun ? 'Items that would be imported' : 'Imported items',
      String(result.importedItemCount),
    ],
    ['Rejected records', String(result.errorCount)],
    ['Uncompressed bytes', String(result.processedSizeBytes)],
    ['Duration', `${result.durationSeconds} s`],
    ['Items/s', String(rate)],
  ]
  if (result.consumedWriteCapacity !== undefined) {
    const how =
      result.capacitySource === 'computed'
        ? ' (computed: one per started KB of each item; the endpoint is an emulator)'
        : ''
    rows.push(['Write capacity consumed', `${result.consumedWriteCapacity} WCU${how}`])
  }
  if (result.pacing) {
    const p = result.pacing
    rows.push(['Throttled calls', String(p.throttled)])
    rows.push(['Pace settled at', `${p.itemsPerSecond} items/s, ${p.unitsPerSecond} WCU/s`])
    rows.push(['Longest stall', `${(p.longestStallMs / 1000).toFixed(1)} s`])
  }
  s.addTable(rows)

  if (result.estimates) renderEstimates(result.estimates)
  if (result.errorCount > 0) renderRejections(result)
}

function renderEstimates(estimates: EngineEstimate[]): void {
  const s = core.summary
  s.addHeading('Estimates: what the import would cost and take', 3)
  s.addTable([
    [header('Engine'), header('Cost'), header('Time'), header('Basis')],
    ...estimates.map((e) => [e.engine, escape(e.cost), e.time, escape(e.notes)]),
  ])
  s.addRaw('Prices are us-east-1 list prices; other regions differ.', true)
}

function renderRejections(result: ImportResult): void {
  const s = core.summary
  s.addHeading('Rejected records', 3)
  const kinds = Object.entries(result.rejections.byKind) as Array<[RejectionKind, number]>
  s.addList(kinds.map(([kind, n]) => `${REJECTION_KINDS[kind]}: ${n}`))
  s.addTable([
    [header('Where'), header('Why')],
    ...result.rejections.samples.map((r) => [escape(r.location), escape(truncate(r.reason))]),
  ])
  const more = result.errorCount - result.rejections.samples.reduce((n, r) => n + r.records, 0)
  const where = result.rejectedFile
    ? ` All of them are in <code>${escape(result.rejectedFile)}</code>.`
    : ''
  if (more > 0) s.addRaw(`…and ${more} more.${where}`, true)
  else if (where) s.addRaw(where.trim(), true)
}

function header(data: string) {
  return { data, header: true }
}

function truncate(text: string): string {
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}…` : text
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Writes the summary; a failure to write it is a warning, never the step's failure. */
export async function writeSummary(): Promise<void> {
  try {
    await core.summary.write()
  } catch (err) {
    core.warning(
      `Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
}
