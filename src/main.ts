import * as core from '@actions/core'
import { Cancellation, CANCEL_DEADLINE_MS, cancelledBy, type Cancelled } from './cancel.js'
import { realClock } from './clock.js'
import { createClients, type Clients } from './clients.js'
import { recordCreatedTable } from './created-tables.js'
import type { CountsSoFar, Engine, EngineContext, RunOptions } from './engine.js'
import { errorMessage } from './errors.js'
import { readInputs, type Inputs } from './inputs.js'
import type { Job } from './plan/job.js'
import { prepare, type Plan, type TablePlan } from './plan/plan.js'
import { verifyTable } from './verify/check.js'
import { annotate, setCancelledOutputs, setOutputs } from './report/outputs.js'
import { renderSummary, writeStoppedSummary, writeSummary } from './report/summary.js'
import { checkResult } from './report/verdict.js'
import {
  IMPORT_CANCELLED,
  nothingDone,
  type EngineResult,
  type ImportResult,
  type PlannedResult,
} from './result.js'
import { workspaceRoot } from './sources/local.js'
import { combineResults } from './result-totals.js'
import { Steps } from './steps.js'
import { runStream } from './stream/engine.js'
import { counted } from './words.js'

export type { RunOptions }

/** Each engine by the name its job carries: a new engine is one folder and one line here. */
const ENGINES: { [E in Job['engine']]: Engine<Extract<Job, { engine: E }>> } = {
  stream: runStream,
  // Loaded only when it runs: with the CloudWatch Logs SDK it needs, 4 MB that the stream
  // engine and a dry run do not use.
  native: async (job, context) =>
    (await import(/* webpackMode: "eager" */ './native/engine.js')).runNative(job, context),
}

/**
 * The action: start → read, validate, write (by either engine) → check errors → complete, then
 * the summary. The only caller of setFailed. A cancel (SIGINT, SIGTERM) stops the engine, which
 * returns what it did; the run then ends as any other, and exits before the runner's next signal.
 */
export async function run(options: RunOptions = {}): Promise<void> {
  const steps = new Steps(options.now)
  let clients: Clients | undefined
  let result: ImportResult | undefined
  let inputs: Inputs | undefined
  let failures: string[]
  const cancellation = watchCancel(steps, options)
  try {
    inputs = readInputs()
    clients = createClients(inputs)
    const plan = await start(inputs, clients, steps, options)
    const planned = plannedStep(plan)
    if (planned) cancellation.planned = planned
    result = await importData(plan, clients, steps, {
      ...options,
      signal: cancellation.signal,
      showCounts: (counts) => (cancellation.counts = counts),
    })
    failures = await checkErrors(result, inputs, steps)
  } catch (err) {
    failures = [errorMessage(err)]
    if (err instanceof Error && err.stack) core.debug(err.stack)
    steps.endUnfinished(`stopped: ${errorMessage(err)}`)
  } finally {
    clients?.destroy()
  }
  await complete(result, failures, inputs, steps)
  renderSummary(result, steps.list(), failures, inputs)
  await writeSummary()
  cancellation.stop()
  // A cancelled run ends here: what it gave up on (a call past the grace, a silent read) must
  // not keep the process alive until the runner's SIGKILL. Its code is the verdict's: a run
  // the signal found finished keeps its own.
  if (cancellation.cancelled) (options.exit ?? process.exit)(failures.length > 0 ? 1 : 0)
}

/** The signals of a run, and what the run knows when one comes. */
interface RunCancellation extends Cancellation {
  planned?: PlannedResult
  counts?: () => CountsSoFar
}

/**
 * Watches for the runner's signals while the run lasts. The first is logged and the outputs
 * written at once with the counts so far (status CANCELLED); a second one, or the deadline,
 * writes them again with the counts by then and ends the process.
 */
function watchCancel(steps: Steps, options: RunOptions): RunCancellation {
  const soFar = (cancelled: Cancelled) =>
    cancelledSoFar(cancellation.planned, cancellation.counts?.(), cancelled, steps)
  const cancellation: RunCancellation = new Cancellation(
    {
      onCancel: (cancelled) => {
        const stopping =
          cancellation.planned?.mode === 'native'
            ? 'no more waiting for ImportTable'
            : `no more reading; the calls in flight get ${cancelled.graceMs / 1000} s`
        core.info(`Cancelled (${cancelled.signal}): stopping: ${stopping}`)
        publishSoFar(soFar(cancelled))
      },
      onStopNow: ({ signal, again }) => {
        const cancelled = cancellation.cancelled as Cancelled
        core.info(
          again
            ? `Cancelled again (${signal}): stopping at once; the outputs hold the counts so far.`
            : `Cancelled (${cancelled.signal}): not stopped within ${CANCEL_DEADLINE_MS[cancelled.signal] / 1000} s; stopping at once; the outputs hold the counts so far.`,
        )
        const result = soFar(cancelled)
        publishSoFar(result)
        const failure =
          `The import was cancelled (${cancelled.signal}) and stopped at once: ` +
          (result
            ? `${result.importedItemCount} items written, ${result.processedItemCount} records read by then`
            : 'before it started') +
          '; the records not written are not in rejected-file. Re-run the import (writes of the same items are idempotent).'
        core.setFailed(failure)
        writeStoppedSummary(result, cancelled.signal, failure)
      },
    },
    options.exit,
  )
  return cancellation.watch()
}

/** The result as far as it goes, for the outputs of a cancel; undefined before the plan. */
function cancelledSoFar(
  planned: PlannedResult | undefined,
  counts: CountsSoFar | undefined,
  cancelled: Cancelled,
  steps: Steps,
): ImportResult | undefined {
  if (!planned) return undefined
  return {
    ...planned,
    ...cancelledResult(cancelled.signal, `The import was cancelled (${cancelled.signal}).`),
    ...counts,
    durationSeconds: Math.round(steps.elapsed() * 1000) / 1000,
  }
}

/** A cancelled import's result before its counts: nothing read, nothing written. */
function cancelledResult(signal: string, failureMessage: string): EngineResult {
  return {
    ...nothingDone('CANCELLED'),
    failureCode: IMPORT_CANCELLED,
    failureMessage,
    cancelled: { signal },
  }
}

/** The outputs of a cancel, written at once (synchronously): a SIGKILL may follow. */
function publishSoFar(result: ImportResult | undefined): void {
  if (result) setOutputs(result)
  else setCancelledOutputs()
}

/** The start step: the tables, and for each the engine and the objects to import. */
async function start(
  inputs: Inputs,
  clients: Clients,
  steps: Steps,
  options: RunOptions,
): Promise<Plan> {
  steps.start('start')
  const clock = {
    now: options.now ?? realClock.now,
    sleep: options.sleep ?? realClock.sleep,
    every: options.every ?? realClock.every,
  }
  const plan = await steps.group('Start: choose the engine, check the table', () =>
    prepare(inputs, clients, clock),
  )
  const several = plan.tables.length > 1
  steps.end(
    'start',
    plan.tables.map((t) => (several ? `${t.planned.table}: ${t.summary}` : t.summary)).join('; '),
  )
  return plan
}

/** What the start step knows of the whole step, for the outputs of a cancel. */
function plannedStep(plan: Plan): PlannedResult | undefined {
  const [first] = plan.tables
  if (!first) return undefined
  return { ...first.planned, table: plan.tables.map((t) => t.planned.table).join(', ') }
}

/**
 * Read, validate and write each table in turn, by the engine the plan chose for it (a dry run
 * always validates locally); the step's result is their totals, with each table's.
 */
async function importData(
  plan: Plan,
  clients: Clients,
  steps: Steps,
  options: Omit<EngineContext, 'clients' | 'steps'>,
): Promise<ImportResult> {
  const results: ImportResult[] = []
  const several = plan.tables.length > 1
  for (const table of plan.tables) {
    const done = totals(results)
    const context = {
      ...options,
      clients,
      steps: several ? steps.forTable(table.planned.table ?? '') : steps,
      // A cancel's outputs count what the tables before this one did, too.
      ...(options.showCounts && {
        showCounts: (counts: () => CountsSoFar) =>
          options.showCounts?.(() => added(done, counts())),
      }),
    }
    const appendRejected = results.some((r) => r.rejectedFile !== undefined)
    const loaded = { ...(await loadTable(table, context, appendRejected)), durationSeconds: 0 }
    const result = table.verify ? await verifyTable(table.verify, loaded, context) : loaded
    results.push({ ...result, durationSeconds: Math.round(steps.elapsed() * 1000) / 1000 })
  }
  return combineResults(results)
}

/** One table by its engine; mode verify has none and writes nothing. */
async function loadTable(
  { job, planned, dryRun }: TablePlan,
  context: EngineContext,
  appendRejected: boolean,
): Promise<Omit<ImportResult, 'durationSeconds'>> {
  const { signal } = context
  if (signal?.aborted) return { ...planned, ...notStarted(signal) }
  if (!job) return { ...planned, ...nothingDone('COMPLETED'), dryRun: dryRun === true }
  const result = await runEngine(
    appendRejected && job.engine === 'stream' ? { ...job, appendRejected } : job,
    context,
  )
  return { ...planned, ...result, ...keepCreatedByImportTable(job, result) }
}

/**
 * A table ImportTable created (the native job had none) is recorded for delete-created-tables
 * as soon as its ARN is known, even while the import still runs, and marked as created.
 */
function keepCreatedByImportTable(
  job: Job,
  result: EngineResult,
): Pick<ImportResult, 'tableCreatedFrom'> {
  if (job.engine !== 'native' || job.table || !result.tableArn) return {}
  recordCreatedTable(result.tableArn.slice(result.tableArn.lastIndexOf('/') + 1), result.tableArn)
  return { tableCreatedFrom: 'ImportTable' }
}

/** A table the cancel came before: nothing read, nothing written. */
function notStarted(signal: AbortSignal): EngineResult {
  const name = cancelledBy(signal)?.signal ?? 'SIGINT'
  return cancelledResult(name, `The import was cancelled (${name}) before this table was loaded.`)
}

/** The counts summed over the step's tables. */
const COUNTS = [
  'processedItemCount',
  'importedItemCount',
  'errorCount',
  'unwrittenItemCount',
  'processedSizeBytes',
] as const

/** The counts of the tables loaded so far. */
function totals(results: readonly ImportResult[]): CountsSoFar {
  return Object.fromEntries(COUNTS.map((c) => [c, results.reduce((t, r) => t + r[c], 0)]))
}

/** The counts so far of the table being loaded, with those of the tables before it. */
function added(before: CountsSoFar, now: CountsSoFar): CountsSoFar {
  return {
    ...now,
    ...Object.fromEntries(COUNTS.map((c) => [c, (before[c] ?? 0) + (now[c] ?? 0)])),
  }
}

/** The job's engine, on the job. */
function runEngine<J extends Job>(job: J, context: EngineContext): Promise<EngineResult> {
  const engine = ENGINES[job.engine] as Engine<J>
  return engine(job, context)
}

/** Compares errors with max-errors and items with min-items: the step's verdict. */
async function checkErrors(result: ImportResult, inputs: Inputs, steps: Steps): Promise<string[]> {
  steps.start('check errors')
  return steps.group('Check errors', async () => {
    const failures = checkResult(result, inputs)
    const counts =
      result.mode === 'verify'
        ? `${result.verification?.checked ?? 0} checked (min-items ${inputs.minItems})`
        : `${result.errorCount} rejected (max-errors ${inputs.maxErrors}), ` +
          `${result.importedItemCount} ${result.dryRun ? 'would be imported' : 'imported'} (min-items ${inputs.minItems})`
    core.info(counts)
    steps.end(
      'check errors',
      failures.length ? `${counts}: the step fails` : counts,
      failures.length === 0,
    )
    return failures
  })
}

/**
 * Publishes the outcome: the verdict (the step fails here, when it does), the outputs, the
 * annotations of rejected records, the final status.
 */
async function complete(
  result: ImportResult | undefined,
  failures: string[],
  inputs: Inputs | undefined,
  steps: Steps,
): Promise<void> {
  if (!result || !inputs) return annotate(undefined, failures, { maxErrors: 0, minItems: 0 }, '')
  steps.start('complete')
  await steps.group('Complete', async () => {
    annotate(result, failures, inputs, workspaceRoot())
    setOutputs(result)
    const why = completion(result)
    core.info(`Status ${result.status}${why} after ${result.durationSeconds} s`)
    steps.end('complete', `status ${result.status}${why}`, result.status === 'COMPLETED')
  })
}

/**
 * What the final status means, in words: ImportTable's failure code for the native engine, the
 * count for the stream engine (whose records are not ImportTable's item errors).
 */
function completion(result: ImportResult): string {
  if (result.status === 'COMPLETED' || !result.failureCode) return ''
  if (result.mode === 'native') return ` (${result.failureCode})`
  const signal = result.cancelled ? ` (${result.cancelled.signal})` : ''
  const unwritten = result.unwrittenItemCount
  const rejected = result.errorCount - unwritten
  const unread = result.unread?.length ?? 0
  const parts = [
    ...(unread > 0 ? [`${counted(unread, 'object')} not read to the end`] : []),
    ...(rejected > 0 ? [`${counted(rejected, 'record')} rejected`] : []),
    ...(unwritten > 0 ? [`${counted(unwritten, 'valid item')} not written`] : []),
  ]
  return `${signal}${parts.length ? `: ${parts.join(', ')}` : ''}`
}
