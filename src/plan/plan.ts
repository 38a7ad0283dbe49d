import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from '../clients.js'
import { realClock, type TimerClock } from '../clock.js'
import { checkRequestTables } from '../formats/request-tables.js'
import type { Inputs } from '../inputs.js'
import type { PlannedResult } from '../result.js'
import { readExport, type ExportManifest } from '../sources/export.js'
import { localSource, workspaceRoot } from '../sources/local.js'
import { thisShard } from '../sources/shard.js'
import { listInOrder, type Source } from '../sources/source.js'
import { chooseEngine } from './choose-engine.js'
import type { ModeChoice } from './engine-choice.js'
import { waitForEndpoint } from './endpoint.js'
import { expectedItems, fromExport } from './export.js'
import { importTableReading, probeFirstObject } from './first-object.js'
import { nativeJob, streamJob, type Job } from './job.js'
import { refuseNearNames, setUpTable } from './set-up-table.js'
import { describeTable } from './table.js'

/** What the start step settles: the engine's job, and what the result says of it. */
export interface Plan {
  /** The engine's job: a dry run is always the stream engine's, which validates locally. */
  job: Job
  /** The result's part that the start step knows: the engine and why, the table, the source. */
  planned: PlannedResult
  /** One line for the summary's start step. */
  summary: string
}

/**
 * Describes the table, lists the source when auto needs its size, chooses the engine, looks for
 * tables with a close name before one is created (a dry run too), and creates the table when the
 * stream engine needs it (not in a dry run).
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
  const existing = await describeTable(clients.dynamodb, given.table)
  const listing = await listInOrder(source)
  if (listing.length === 0) {
    // As with ImportTable an empty source is an empty success, but rarely what was meant.
    core.warning(
      `${source.description} holds no objects: nothing will be imported. Set min-items to make an empty source fail the step.`,
    )
  }
  const exported = await readExport(source, listing)
  let inputs = exported ? fromExport(given, exported) : given
  const objects = thisShard(exported?.dataFiles ?? listing, given.shard)
  if (inputs.format === 'REQUEST_ITEMS') {
    await checkRequestTables(source, objects, inputs.table.name, inputs.compression)
  }
  const firstObject = await probeFirstObject(inputs, source, objects, existing !== undefined)
  const choice = await chooseEngine(inputs, clients, existing, objects, firstObject)
  if (choice.checkNearNames) await refuseNearNames(inputs, clients)
  const reading =
    choice.mode === 'native' && inputs.format === 'auto'
      ? importTableReading(firstObject, source, objects)
      : undefined
  if (reading) inputs = { ...inputs, format: reading.format }
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
        : streamJob(inputs, found),
    planned: {
      mode: choice.mode,
      modeReason: choice.reason,
      table: inputs.table.name,
      source:
        inputs.source.kind === 's3'
          ? `s3://${inputs.source.bucket}/${inputs.source.prefix}`
          : inputs.source.path,
      ...(expectedItemCount !== undefined && { expectedItemCount }),
      ...(createdFrom !== undefined && { tableCreatedFrom: createdFrom }),
      ...(reading && !inputs.dryRun && { readAs: reading.readAs }),
    },
    summary: summaryLine(inputs, existing, choice, steps, exported),
  }
}

/** The start step's line in the summary: the engine, the table as found, what was done, the export. */
function summaryLine(
  inputs: Inputs,
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
