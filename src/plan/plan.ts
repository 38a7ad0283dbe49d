import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { mapAtMost } from '../at-most.js'
import type { Clients } from '../clients.js'
import { realClock, type TimerClock } from '../clock.js'
import type { Inputs } from '../inputs.js'
import { Input } from '../names.js'
import type { PlannedResult } from '../result.js'
import { readExport, type ExportManifest } from '../sources/export.js'
import { localSource, workspaceRoot } from '../sources/local.js'
import { thisShard } from '../sources/shard.js'
import { listInOrder, type Source } from '../sources/source.js'
import { fromKeySchema } from '../table/definition.js'
import { forNativeImport, type DefinedTable } from '../table/definitions.js'
import { ActionError } from '../errors.js'
import { counted } from '../words.js'
import type { VerifyJob } from '../verify/engine.js'
import { chooseEngine } from './choose-engine.js'
import { where, type ModeChoice } from './engine-choice.js'
import { waitForEndpoint } from './endpoint.js'
import { expectedItems, fromExport } from './export.js'
import { importTableReading, probeFirstObject } from './first-object.js'
import { nativeJob, streamJob, verifyJob, type Job } from './job.js'
import { refuseNearNames, setUpTable } from './set-up-table.js'
import { tableTargets, type TableInputs, type TableTarget } from './targets.js'
import { describeTable } from './table.js'

/** What the start step settles for one table: the engine's job, and what the result says of it. */
export interface TablePlan {
  /**
   * The engine's job: a dry run is always the stream engine's, which validates locally; none
   * for mode verify, which writes nothing.
   */
  job?: Job
  /** The check of the table against the source, once the engine is done (verify). */
  verify?: VerifyJob
  /** mode verify in a dry run: the check is planned, not run. */
  dryRun?: boolean
  /** The result's part that the start step knows: the engine and why, the table, the source. */
  planned: PlannedResult
  /** One line for the summary's start step. */
  summary: string
}

/** The tables of the step, each with its plan, in the order they are loaded. */
export interface Plan {
  tables: TablePlan[]
}

/**
 * Tables set up at once: creation waits for ACTIVE, seconds each on AWS, so a test environment's
 * tables are created side by side; far below the quota of table operations in progress at once
 * per account and region (docs/import-rules.md).
 */
export const TABLES_SET_UP_AT_ONCE = 8

/**
 * Lists the source once, settles which tables it loads (the `table` input, or those the files
 * name) and prepares each of them, several at once.
 */
export async function prepare(
  given: Inputs,
  clients: Clients,
  clock: TimerClock = realClock,
): Promise<Plan> {
  if (given.dynamodbEndpoint) {
    await waitForEndpoint(clients.writeClient, given.dynamodbEndpoint, clock)
  }
  const source = await sourceFor(given, clients, clock)
  const listing = await listInOrder(source)
  if (listing.length === 0) {
    // As with ImportTable an empty source is an empty success, but rarely what was meant.
    core.warning(
      `${source.description} holds no objects: nothing will be imported. Set min-items to make an empty source fail the step.`,
    )
  }
  const exported = await readExport(source, listing)
  const inputs = exported ? fromExport(given, exported) : given
  const objects = thisShard(exported?.dataFiles ?? listing, given.shard)
  const targets = await tableTargets(inputs, source, objects)
  const ours = targets.map((t) => t.table.name)
  if (targets.length > 1) core.info(`${counted(targets.length, 'table')}: ${ours.join(', ')}`)
  const step = { source, exported, ours, said: new Set<string>() }
  const tables = await mapAtMost(targets, TABLES_SET_UP_AT_ONCE, (target) =>
    prepareTable(inputsFor(inputs, target, targets.length), step, target, clients),
  )
  return { tables }
}

/** One table's start step: describe, choose the engine, check near names, set it up. */
async function prepareTable(
  tableInputs: TableInputs,
  step: {
    source: Source
    exported: ExportManifest | undefined
    ours: string[]
    /** The lines already said once for the step (the engine chosen, the inputs ignored). */
    said: Set<string>
  },
  target: TableTarget,
  clients: Clients,
): Promise<TablePlan> {
  let inputs = tableInputs
  const { source, exported } = step
  const { objects } = target
  const existing = await describeTable(clients.dynamodb, inputs.table)
  if (inputs.mode === 'verify') return verifyOnly(inputs, existing, step, target)
  const firstObject = await probeFirstObject(inputs, source, objects, existing !== undefined)
  const choice = await chooseEngine(inputs, clients, existing, objects, firstObject, step.said)
  if (choice.checkNearNames) await refuseNearNames(inputs, clients, step.ours)
  const reading =
    choice.mode === 'native' && inputs.format === 'auto'
      ? importTableReading(firstObject, source, objects)
      : undefined
  if (reading) inputs = { ...inputs, format: reading.format }
  if (choice.mode === 'native' && inputs.definition)
    inputs = forImportTable(inputs, inputs.definition)
  const { table, steps, createdFrom } = await setUpTable(inputs, clients, existing, choice)
  const found = {
    table,
    existed: existing !== undefined,
    source,
    objects,
    ...(exported && { export: exported }),
  }
  const expectedItemCount = exported ? expectedItems(exported, objects) : undefined
  return {
    job:
      choice.mode === 'native' && !inputs.dryRun
        ? nativeJob(inputs, found)
        : streamJob(inputs, found, target),
    ...(inputs.verify !== 'none' && { verify: verifyJob(inputs, found, target) }),
    planned: {
      mode: choice.mode,
      modeReason: choice.reason,
      table: inputs.table.name,
      source: sourceName(inputs),
      ...(expectedItemCount !== undefined && { expectedItemCount }),
      ...(createdFrom !== undefined && { tableCreatedFrom: createdFrom }),
      ...(reading && !inputs.dryRun && { readAs: reading.readAs }),
    },
    summary: summaryLine(inputs, existing, choice, steps, exported),
  }
}

/**
 * mode verify: the table must exist (nothing is created or written); the plan is the check.
 */
function verifyOnly(
  inputs: TableInputs,
  existing: TableDescription | undefined,
  step: { source: Source; exported: ExportManifest | undefined; said: Set<string> },
  target: TableTarget,
): TablePlan {
  const name = inputs.table.name
  if (!existing) {
    throw new ActionError(
      `mode: verify: table ${name} does not exist${where(inputs)}: verify compares a table that exists with the source and creates nothing. Check table, region and dynamodb-endpoint.`,
    )
  }
  const found = { table: existing, existed: true, source: step.source, objects: target.objects }
  const level = inputs.verify === 'none' ? 'full' : inputs.verify
  const ignored = [
    ...(inputs.truncate ? [`${Input.Truncate} (mode verify writes nothing)`] : []),
    ...(inputs.tableCreationSource
      ? [`${inputs.tableCreationSource} (mode verify creates no table)`]
      : []),
  ]
  for (const input of ignored) {
    if (step.said.has(input)) continue
    step.said.add(input)
    core.warning(`${input} has no effect here and is ignored.`)
  }
  return {
    verify: verifyJob({ ...inputs, verify: level }, found, target),
    planned: {
      mode: 'verify',
      modeReason: `mode: verify was requested: table ${name} is compared with the source (${level}); nothing is written.`,
      table: name,
      source: sourceName(inputs),
    },
    summary: `verify: table ${name} exists`,
    ...(inputs.dryRun && { dryRun: true }),
  }
}

/** The source as the summary names it. */
function sourceName(inputs: Inputs): string {
  return inputs.source.kind === 's3'
    ? `s3://${inputs.source.bucket}/${inputs.source.prefix}`
    : inputs.source.path
}

/**
 * One table's inputs: its name and how to create it. key-schema applies to the step's one table
 * also when the file names it; a table among several has its own definition or must exist.
 */
function inputsFor(inputs: Inputs, target: TableTarget, tableCount: number): TableInputs {
  const { definition } = target
  const { tableCreation: _, tableCreationSource: __, ...rest } = inputs
  if (definition) {
    return {
      ...rest,
      table: target.table,
      definition,
      tableCreation: { ...definition.creation, TableName: target.table.name },
      tableCreationSource: definition.source,
    }
  }
  if (inputs.keySchema && tableCount === 1) {
    return {
      ...rest,
      table: target.table,
      tableCreation: fromKeySchema(target.table.name, inputs.keySchema, inputs.billingMode),
      tableCreationSource: 'key-schema',
    }
  }
  return { ...rest, table: target.table }
}

/**
 * ImportTable creates the table from TableCreationParameters alone: what else the definition
 * holds is named in a warning (it can be added after the import), but local secondary indexes
 * refuse the engine, since no table gets one after it is created.
 */
function forImportTable(inputs: TableInputs, definition: DefinedTable): TableInputs {
  const native = forNativeImport({ ...definition, name: inputs.table.name })
  if (!native.ok) {
    throw new ActionError(`${native.problem}. Set mode: stream to have the action create it.`)
  }
  for (const warning of native.warnings) core.warning(warning)
  return { ...inputs, tableCreation: native.parameters }
}

/** The start step's line in the summary: the engine, the table as found, what was done, the export. */
function summaryLine(
  inputs: TableInputs,
  existing: TableDescription | undefined,
  choice: ModeChoice,
  steps: string[],
  exported: ExportManifest | undefined,
): string {
  const parts = [
    `${choice.mode}: table ${inputs.table.name} ${existing ? 'exists' : 'does not exist'}`,
    ...steps,
  ]
  if (exported) parts.push(`DynamoDB export ${exported.exportId} (${exported.type})`)
  return parts.join('; ')
}

/**
 * The source the `source` input names. The S3 source's module and client are loaded only for an
 * S3 source (the S3 SDK costs 10 MB of memory that a workspace source does not need). Its bodies'
 * silence is timed on the run's clock.
 */
async function sourceFor(inputs: Inputs, clients: Clients, clock: TimerClock): Promise<Source> {
  if (inputs.source.kind !== 's3') return localSource(workspaceRoot(), inputs.source)
  const { s3Source } = await import(/* webpackMode: "eager" */ '../sources/s3.js')
  return s3Source(await clients.s3(), inputs.source, inputs.bucketOwner, clock)
}
