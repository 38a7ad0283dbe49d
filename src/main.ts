import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { createClients, type Clients } from './clients.js'
import { errorMessage } from './errors.js'
import { estimate, NEW_ON_DEMAND_WRITE_UNITS_PER_SECOND } from './estimate.js'
import { ignoredInputs, readInputs, type Inputs } from './inputs.js'
import { chooseMode } from './mode.js'
import {
  annotate,
  checkResult,
  renderSummary,
  setOutputs,
  writeSummary,
  type ImportResult,
} from './report.js'
import { sourceFor } from './sources/source.js'
import { Steps } from './steps.js'
import { streamImport, type StreamOptions } from './stream-import.js'
import { createTable, describeTable } from './table.js'

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

/** start (mode and table) → read, validate, write → an ImportResult. */
async function importData(
  inputs: Inputs,
  clients: Clients,
  steps: Steps,
  options: RunOptions,
): Promise<ImportResult> {
  steps.start('start')
  const { choice, table } = await steps.group(
    'Start: choose the engine, check the table',
    async () => {
      const existing = await describeTable(clients.dynamodb, inputs.table)
      const choice = chooseMode(inputs, existing !== undefined)
      core.info(`Engine: ${choice.mode}. ${choice.reason}`)
      for (const input of ignoredInputs(inputs, choice.mode))
        core.warning(`${input} has no effect here and is ignored.`)
      if (choice.createTable && inputs.keySchema) {
        core.info(
          `Creating table ${inputs.table.name} (${inputs.keySchema.map((k) => `${k.name}:${k.type}`).join(', ')}, ${inputs.billingMode})`,
        )
      }
      const table =
        existing ??
        (inputs.dryRun || !inputs.keySchema
          ? undefined
          : await createTable(clients.dynamodb, inputs.table, inputs.keySchema, inputs.billingMode))
      return { choice, table }
    },
  )
  const tableDescription = table ?? plannedTable(inputs)
  steps.end(
    'start',
    `${choice.mode}: table ${inputs.table.name} ${choice.createTable ? (inputs.dryRun ? 'would be created' : 'created') : 'exists'}`,
  )

  const outcome = await streamImport({
    inputs,
    source: sourceFor(inputs, clients.s3),
    dynamodb: clients.dynamodb,
    table: tableDescription,
    steps,
    ...options,
  })
  const failed = outcome.errors > 0
  return {
    mode: choice.mode,
    modeReason: choice.reason,
    status: failed ? 'FAILED' : 'COMPLETED',
    ...(failed && {
      failureCode: 'ItemValidationError',
      failureMessage: `${outcome.errors} records were rejected; see the annotations and rejected-file.`,
    }),
    ...(tableDescription.TableArn && { tableArn: tableDescription.TableArn }),
    processedItemCount: outcome.processed,
    importedItemCount: outcome.imported,
    errorCount: outcome.errors,
    unwrittenItemCount: outcome.unwritten,
    processedSizeBytes: outcome.processedSizeBytes,
    durationSeconds: Math.round(steps.elapsed() * 10) / 10,
    ...(outcome.write && { consumedWriteCapacity: outcome.write.consumedWriteCapacity }),
    ...(outcome.rejectedFile && { rejectedFile: outcome.rejectedFile }),
    dryRun: inputs.dryRun,
    ...(inputs.dryRun && {
      estimates: estimate({
        uncompressedBytes: outcome.processedSizeBytes,
        writeUnits: outcome.writeUnits,
        ...writeRate(inputs, tableDescription),
      }),
    }),
    objects: outcome.objects,
    retries: outcome.write?.retries ?? 0,
    rejections: { samples: outcome.rejected.samples, byKind: outcome.rejected.byKind },
  }
}

/** The write rate a stream import would get: the cap, the table's provisioned rate, or on demand's. */
function writeRate(inputs: Inputs, table: TableDescription) {
  if (inputs.maxWriteCapacity > 0) {
    return { writeUnitsPerSecond: inputs.maxWriteCapacity, rateBasis: 'at max-write-capacity' }
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

/** In a dry run a missing table is not created: validate against the table key-schema describes. */
function plannedTable(inputs: Inputs): TableDescription {
  const keys = inputs.keySchema ?? []
  return {
    TableName: inputs.table.name,
    AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: keys.map((k, i) => ({
      AttributeName: k.name,
      KeyType: i === 0 ? ('HASH' as const) : ('RANGE' as const),
    })),
  }
}
