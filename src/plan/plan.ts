import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from '../clients.js'
import { ignoredInputs, type Inputs } from '../inputs.js'
import { counted, formatBytes } from '../words.js'
import { chooseMode, where, type FirstObject, type ModeChoice } from './engine-choice.js'
import { probeFirstObject } from './first-object.js'
import { nearNameMessage, nearNames } from './near-names.js'
import { findRunningImport } from '../native/running-import.js'
import { ActionError } from '../errors.js'
import { readExport, type ExportManifest } from '../sources/export.js'
import { localSource, workspaceRoot } from '../sources/local.js'
import { listInOrder, type Source, type SourceObject } from '../sources/source.js'
import { realClock, type Clock } from '../clock.js'
import { waitForEndpoint } from './endpoint.js'
import { checkRequestTables } from './request-tables.js'
import { createTable, describeTable, listTableNames } from './table.js'
import { keyAttributes } from '../table/definition.js'
import { shardObjects, type Shard } from './shard.js'
import { truncateTable } from '../stream/truncate.js'

/** What the start step settles: the engine, the table, the source (and its listing, if made). */
export interface Plan {
  choice: ModeChoice
  /** The table to validate against: as described, as created, or as it would be created. */
  table: TableDescription
  source: Source
  /** The inputs the engines use: a DynamoDB export's manifest decides format, compression, prefix. */
  inputs: Inputs
  /** The objects to import, listed once here: the engines do not list again. */
  objects: SourceObject[]
  /** When the source is a DynamoDB export: its manifest. */
  export?: ExportManifest
  /** A DynamoDB export's item count for the objects imported here (all, or this shard's). */
  expectedItemCount?: number
  /** One line for the summary's start step. */
  summary: string
  /** The stream engine created the table (not in a dry run): from what, such as `key-schema`. */
  tableCreatedFrom?: string
  /** native under input-format auto: how ImportTable reads the objects, for the summary. */
  readAs?: Array<{ how: string; objects: number }>
}

/**
 * Describes the table, lists the source when auto needs its size, chooses the engine, looks for
 * tables with a close name before one is created (a dry run too), and creates the table when the
 * stream engine needs it (not in a dry run).
 */
export async function prepare(
  given: Inputs,
  clients: Clients,
  clock: Clock = realClock,
): Promise<Plan> {
  if (given.dynamodbEndpoint) {
    await waitForEndpoint(clients.writeClient, given.dynamodbEndpoint, clock)
  }
  const source = await sourceFor(given, clients)
  const existing = await describeTable(clients.dynamodb, given.table)
  const listing = await listInOrder(source)
  const exported = await readExport(source, listing)
  let inputs = exported ? fromExport(given, exported) : given
  const objects = mine(exported?.dataFiles ?? listing, given.shard)
  if (listing.length === 0) {
    // As with ImportTable an empty source is an empty success, but rarely what was meant.
    core.warning(
      `${source.description} holds no objects: nothing will be imported. Set min-items to make an empty source fail the step.`,
    )
  }
  if (inputs.format === 'REQUEST_ITEMS') {
    await checkRequestTables(source, objects, inputs.table.name, inputs.compression)
  }
  const firstObject = await probeFirstObject(inputs, source, objects, existing !== undefined)
  const choice = await chooseEngine(inputs, clients, existing, objects, firstObject)
  if (choice.checkNearNames) await refuseNearNames(inputs, clients)
  let readAs: Plan['readAs']
  if (choice.mode === 'native' && inputs.format === 'auto') {
    // ImportTable reads every object of the prefix as the first one reads.
    const format = firstObject?.format ?? 'DYNAMODB_JSON'
    const how = firstObject
      ? `${firstObject.readAs}, ImportTable's ${format}`
      : `${format} (input-format auto: the source holds no object)`
    core.info(`${firstObject?.url ?? source.description}: read as ${how}`)
    readAs = [{ how, objects: objects.length }]
    inputs = { ...inputs, format }
  }
  const { table, steps, createdFrom } = await setUpTable(inputs, clients, existing, choice)
  const expectedItemCount = exported ? expectedItems(exported, objects) : undefined
  return {
    choice,
    table,
    source,
    inputs,
    objects,
    ...(exported && { export: exported }),
    ...(expectedItemCount !== undefined && { expectedItemCount }),
    ...(readAs && { readAs }),
    summary: summaryLine(inputs, existing, choice, steps, exported),
    ...(createdFrom !== undefined && { tableCreatedFrom: createdFrom }),
  }
}

/**
 * Chooses the engine and logs why, with the source's size when it counted and the inputs the
 * chosen engine does not use, so that a run's log explains its engine.
 */
async function chooseEngine(
  inputs: Inputs,
  clients: Clients,
  existing: TableDescription | undefined,
  objects: SourceObject[],
  firstObject: FirstObject | undefined,
): Promise<ModeChoice> {
  // Summing the sizes only when auto compares them keeps the log free of a size that decided nothing.
  const needsSize =
    inputs.mode === 'auto' && !existing && !inputs.dynamodbEndpoint && inputs.source.kind === 's3'
  const sourceBytes = needsSize ? objects.reduce((sum, o) => sum + o.size, 0) : undefined
  const choice = chooseMode(inputs, {
    tableExists: await isInTheWay(inputs, clients, existing),
    tableFound: existing !== undefined,
    ...(sourceBytes !== undefined && { sourceBytes }),
    ...(firstObject && { firstObject }),
  })
  core.info(`Engine: ${choice.mode}. ${choice.reason}`)
  if (sourceBytes !== undefined)
    core.info(`The source holds ${formatBytes(sourceBytes)} in ${objects.length} objects.`)
  for (const input of ignoredInputs(inputs, choice.mode)) {
    core.warning(`${input} has no effect here and is ignored.`)
  }
  return choice
}

/**
 * Whether the table counts as existing for the choice. One still CREATING is not in the way, and
 * neither is one that an import still fills: native attaches to that import.
 */
async function isInTheWay(
  inputs: Inputs,
  clients: Clients,
  existing: TableDescription | undefined,
): Promise<boolean> {
  const importing =
    existing !== undefined &&
    inputs.mode === 'native' &&
    (await findRunningImport(clients.dynamodb, inputs.table.name, existing.TableArn)) !== undefined
  return existing !== undefined && existing.TableStatus !== 'CREATING' && !importing
}

/**
 * Before a table is created under create-table auto: fails when an existing table has a close
 * name (`orders-dev` for `order-dev`), the sign of a typo that would otherwise create and seed a
 * new table while the real one stays empty. Credentials that may not list tables get a warning:
 * the check is a safeguard, not a requirement.
 */
async function refuseNearNames(inputs: Inputs, clients: Clients): Promise<void> {
  const name = inputs.table.name
  const listed = await listTableNames(clients.dynamodb)
  if ('denied' in listed) {
    core.warning(
      `Could not look for tables with a name close to ${name} before creating it: ListTables was denied (${listed.denied}). ` +
        'Allow dynamodb:ListTables (on resource *) to have a misspelt table caught before a new table is created, or set create-table: true to skip this check.',
    )
    return
  }
  const near = nearNames(name, listed.names)
  if (near.length > 0) throw new ActionError(nearNameMessage(name, where(inputs), near))
  core.info(
    `No table with a name close to ${name} among the ${counted(listed.names.length, 'table')}${where(inputs)}.`,
  )
}

/**
 * Truncates the table when asked and creates it when the stream engine needs it; a dry run
 * changes nothing and only says what it would create. Returns the table to validate against, the
 * steps done, for the summary, and what the table was created from, when it was.
 */
async function setUpTable(
  inputs: Inputs,
  clients: Clients,
  existing: TableDescription | undefined,
  choice: ModeChoice,
): Promise<{ table: TableDescription; steps: string[]; createdFrom?: string }> {
  let table = existing ?? plannedTable(inputs)
  let createdFrom: string | undefined
  const steps: string[] = []
  if (inputs.truncate && existing && !inputs.dryRun) {
    const deleted = await truncateTable({
      reads: clients.dynamodb,
      writes: clients.writeClient,
      table: existing,
      concurrency: inputs.writeConcurrency,
    })
    steps.push(`truncated: ${deleted} items deleted`)
  }
  const creation = inputs.tableCreation
  const source = inputs.tableCreationSource ?? ''
  if (choice.createTable && creation) {
    const keys = keyAttributes(creation)
      .map((k) => `${k.name}:${k.type}`)
      .join(',')
    const name = inputs.table.name
    if (inputs.dryRun) {
      core.info(`Dry run: table ${name} would be created from ${source} (${keys}).`)
      steps.push(`it would be created from ${source}`)
    } else {
      core.info(`Creating table ${name} from ${source} (${keys}).`)
      const outcome = await createTable(clients.dynamodb, creation)
      table = outcome.table
      if (outcome.created) {
        core.notice(`Created table ${name} from ${source} (${keys}).`, {
          title: `Table ${name} created`,
        })
        createdFrom = source
        steps.push(`created from ${source}`)
      } else {
        steps.push('created by another job at the same time')
      }
    }
  }
  return { table, steps, ...(createdFrom !== undefined && { createdFrom }) }
}

/** A DynamoDB export's item count for these objects: all its data files, or this shard's. */
function expectedItems(exported: ExportManifest, objects: SourceObject[]): number {
  return objects.reduce((sum, o) => sum + (exported.itemCounts.get(o.key) ?? 0), 0)
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

/** This job's part of the objects when shard is set (every job computes the same split). */
function mine(objects: SourceObject[], shard: Shard | undefined): SourceObject[] {
  if (!shard || shard.count === 1) return objects
  const part = shardObjects(objects, shard)
  const bytes = (list: SourceObject[]) => list.reduce((sum, o) => sum + o.size, 0)
  core.info(
    `shard ${shard.index}/${shard.count}: ${part.length} of ${objects.length} objects, ` +
      `${formatBytes(bytes(part))} of ${formatBytes(bytes(objects))}`,
  )
  return part
}

/**
 * A DynamoDB export: exactly the data files its manifest lists, in its format (gzip), and for
 * ImportTable the prefix that holds them.
 */
function fromExport(inputs: Inputs, exported: ExportManifest): Inputs {
  core.info(
    `DynamoDB export ${exported.exportId}: ${exported.type}, ${exported.format}, ` +
      `${exported.itemCount} items in ${exported.dataFiles.length} data files`,
  )
  if (exported.ignored.length > 0) {
    const shown = exported.ignored.slice(0, 5).join(', ')
    core.info(
      `Not part of the export's data, not read: ${shown}${exported.ignored.length > 5 ? ', …' : ''}`,
    )
  }
  const incremental = exported.type === 'INCREMENTAL_EXPORT'
  if (incremental && inputs.mode === 'native') {
    throw new ActionError(
      'mode: native cannot apply an incremental export (ImportTable has no deletes and needs a new table); use mode stream',
    )
  }
  if (inputs.format !== 'auto' && inputs.format !== exported.format) {
    core.warning(
      `input-format ${inputs.format} is ignored: the export's manifest says ${exported.format}.`,
    )
  }
  const source =
    inputs.source.kind === 's3' ? { ...inputs.source, prefix: exported.dataPrefix } : inputs.source
  const formatFrom = "the export's manifest"
  return {
    ...inputs,
    format: exported.format,
    formatFrom,
    compression: 'GZIP',
    incremental,
    source,
  }
}

/** The table as it would be created: what records are validated against when it does not exist. */
function plannedTable(inputs: Inputs): TableDescription {
  const creation = inputs.tableCreation
  return {
    TableName: inputs.table.name,
    AttributeDefinitions: creation?.AttributeDefinitions ?? [],
    KeySchema: creation?.KeySchema ?? [],
    ...(creation?.GlobalSecondaryIndexes && {
      GlobalSecondaryIndexes: creation.GlobalSecondaryIndexes.map((index) => ({
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
      })),
    }),
  }
}

/**
 * The source the `source` input names. The S3 source's module and client are loaded only for an
 * S3 source (the S3 SDK costs 10 MB of memory that a workspace source does not need).
 */
async function sourceFor(inputs: Inputs, clients: Clients): Promise<Source> {
  if (inputs.source.kind !== 's3') return localSource(workspaceRoot(), inputs.source)
  const { s3Source } = await import(/* webpackMode: "eager" */ '../sources/s3.js')
  return s3Source(await clients.s3(), inputs.source, inputs.bucketOwner)
}
