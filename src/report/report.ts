import * as core from '@actions/core'
import { REJECTION_KINDS, type Rejection, type RejectionKind } from '../stream/rejected-records.js'
import type { EngineEstimate } from '../stream/estimate.js'
import type { StepRecord } from '../steps.js'

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
  /** Items still unwritten when the retries ran out: also counted in errorCount. */
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
  retries: number
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

/** The reasons the step fails, if any: the one place that decides. */
export function checkResult(result: ImportResult, limits: Limits): string[] {
  const failures: string[] = []
  const rejectedIn = result.rejectedFile ? `; each is in ${result.rejectedFile}` : ''
  if (result.unwrittenItemCount > 0) {
    failures.push(
      `${counted(result.unwrittenItemCount, 'valid item')} NOT written: DynamoDB kept refusing or throttling them until the retries ran out${rejectedIn}. Re-run the import, or lower write-concurrency.`,
    )
  }
  if (result.errorCount > limits.maxErrors) {
    failures.push(
      `${counted(result.errorCount, 'record')} rejected, more than max-errors (${limits.maxErrors})${rejectedIn}. Fix the records, or raise max-errors to accept them.`,
    )
  }
  if (result.importedItemCount < limits.minItems) {
    const items = counted(result.importedItemCount, 'item').replace(/ (was|were)$/, '')
    const verb = result.dryRun ? 'would be imported' : 'imported'
    failures.push(
      `${items} ${verb}, fewer than min-items (${limits.minItems}). Check that source names the right objects.`,
    )
  }
  if (result.status === 'FAILED' && result.failureCode !== 'ItemValidationError') {
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

/** Sets every output of action.yml; the ones that do not apply are empty. */
export function setOutputs(result: ImportResult): void {
  const outputs: Record<string, string | number | undefined> = {
    mode: result.mode,
    'mode-reason': result.modeReason,
    status: result.status,
    'failure-code': result.failureCode,
    'import-arn': result.importArn,
    'table-arn': result.tableArn,
    'processed-item-count': result.processedItemCount,
    'imported-item-count': result.importedItemCount,
    'error-count': result.errorCount,
    'processed-size-bytes': result.processedSizeBytes,
    'duration-seconds': result.durationSeconds,
    'consumed-write-capacity': result.consumedWriteCapacity,
    'cloudwatch-log-group-arn': result.cloudwatchLogGroupArn,
    'rejected-file': result.rejectedFile,
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value ?? '')
}

/**
 * One annotation per sampled rejection, pointing at `s3://bucket/key:line`. They are errors when
 * the rejections fail the step and warnings when max-errors accepts them. GitHub shows at most
 * 10 annotations of a kind per step; the summary counts the rest.
 */
export function annotate(result: ImportResult, limits: Limits): void {
  const fails = result.errorCount > limits.maxErrors || result.unwrittenItemCount > 0
  for (const r of result.rejections.samples) {
    const properties = { title: `Rejected record: ${REJECTION_KINDS[r.kind]}` }
    const message = `${r.location}: ${r.reason}`
    if (fails) core.error(message, properties)
    else core.warning(message, properties)
  }
}

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
  if (result.mode === 'stream' && !result.dryRun)
    rows.push(['Write retries', String(result.retries)])
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
