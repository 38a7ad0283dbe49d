import * as core from '@actions/core'
import { createClients, type Clients } from './clients.js'
import { errorMessage } from './errors.js'
import { readInputs, type Inputs } from './inputs.js'
import {
  annotate,
  checkResult,
  renderSummary,
  setOutputs,
  writeSummary,
  type ImportResult,
} from './report/report.js'
import { Steps } from './steps.js'
import { runNative } from './native/engine.js'
import { prepare } from './plan/plan.js'
import { streamImport, streamResult, type StreamOptions } from './stream/engine.js'

/** What tests inject: a clock and a sleep that never waits. */
export type RunOptions = Partial<Pick<StreamOptions, 'now' | 'sleep' | 'retry'>>

/** The action: read inputs, import, check the result, report. The only caller of setFailed. */
export async function run(options: RunOptions = {}): Promise<void> {
  const steps = new Steps(options.now)
  let clients: Clients | undefined
  let result: ImportResult | undefined
  let failures: string[]
  try {
    const inputs = readInputs()
    clients = createClients(inputs)
    result = await importData(inputs, clients, steps, options)
    failures = await checkErrors(result, inputs, steps)
    await complete(result, inputs, steps)
  } catch (err) {
    failures = [errorMessage(err)]
    if (err instanceof Error && err.stack) core.debug(err.stack)
    steps.endUnfinished(`stopped: ${errorMessage(err)}`)
  } finally {
    clients?.destroy()
  }
  renderSummary(result, steps.list(), failures)
  await writeSummary()
  if (failures.length > 0) core.setFailed(failures.join('\n'))
}

/** Compares errors with max-errors and items with min-items: the step's verdict. */
async function checkErrors(result: ImportResult, inputs: Inputs, steps: Steps): Promise<string[]> {
  steps.start('check errors')
  return steps.group('Check errors', async () => {
    const failures = checkResult(result, inputs)
    const counts =
      `${result.errorCount} rejected (max-errors ${inputs.maxErrors}), ` +
      `${result.importedItemCount} imported (min-items ${inputs.minItems})`
    core.info(counts)
    steps.end(
      'check errors',
      failures.length ? `${counts}: the step fails` : counts,
      failures.length === 0,
    )
    return failures
  })
}

/** Publishes the outcome: outputs, annotations of rejected records, the final status. */
async function complete(result: ImportResult, inputs: Inputs, steps: Steps): Promise<void> {
  steps.start('complete')
  await steps.group('Complete', async () => {
    setOutputs(result)
    annotate(result, inputs)
    const code = result.failureCode ? ` (${result.failureCode})` : ''
    core.info(`Status ${result.status}${code} after ${result.durationSeconds} s`)
    steps.end('complete', `status ${result.status}${code}`, result.status === 'COMPLETED')
  })
}

/** start (engine and table) → read, validate, write (by either engine) → an ImportResult. */
async function importData(
  given: Inputs,
  clients: Clients,
  steps: Steps,
  options: RunOptions,
): Promise<ImportResult> {
  steps.start('start')
  const plan = await steps.group('Start: choose the engine, check the table', () =>
    prepare(given, clients),
  )
  steps.end('start', plan.summary)
  const { inputs } = plan
  const chosen = {
    mode: plan.choice.mode,
    modeReason: plan.choice.reason,
    ...(plan.expectedItemCount !== undefined && { expectedItemCount: plan.expectedItemCount }),
  }
  // A dry run validates every record locally, whichever engine would import them.
  const result =
    plan.choice.mode === 'native' && !inputs.dryRun
      ? await runNative(inputs, plan, clients, steps, options)
      : streamResult(
          await streamImport({
            inputs,
            source: plan.source,
            dynamodb: clients.writes,
            table: plan.table,
            steps,
            objects: plan.objects,
            ...options,
          }),
          inputs,
          plan.table,
        )
  return { ...chosen, ...result, durationSeconds: Math.round(steps.elapsed() * 1000) / 1000 }
}
