import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from './clients.js'
import { ignoredInputs, type Inputs } from './inputs.js'
import { chooseMode, formatBytes, type ModeChoice } from './mode.js'
import { findRunningImport } from './native/import-table.js'
import { listInOrder, sourceFor, type Source, type SourceObject } from './sources/source.js'
import { createTable, describeTable } from './table.js'
import { truncateTable } from './truncate.js'

/** What the start step settles: the engine, the table, the source (and its listing, if made). */
export interface Plan {
  choice: ModeChoice
  /** The table to validate against: as described, as created, or as it would be created. */
  table: TableDescription
  source: Source
  /** Listed already when auto needed the source's size: the engine does not list again. */
  objects?: SourceObject[]
  /** One line for the summary's start step. */
  summary: string
}

/**
 * Describes the table, lists the source when auto needs its size, chooses the engine, and creates
 * the table when the stream engine needs it (not in a dry run).
 */
export async function prepare(inputs: Inputs, clients: Clients): Promise<Plan> {
  const source = sourceFor(inputs, clients.s3)
  const existing = await describeTable(clients.dynamodb, inputs.table)
  const needsSize =
    inputs.mode === 'auto' && !existing && !inputs.dynamodbEndpoint && inputs.source.kind === 's3'
  const objects = needsSize ? await listInOrder(source) : undefined
  const sourceBytes = objects?.reduce((sum, o) => sum + o.size, 0)
  // A table that an import still fills is not in the way: native attaches to that import.
  const importing =
    existing !== undefined &&
    inputs.mode === 'native' &&
    (await findRunningImport(clients.dynamodb, inputs.table.name)) !== undefined
  const tableExists = existing !== undefined && existing.TableStatus !== 'CREATING' && !importing
  const choice = chooseMode(inputs, {
    tableExists,
    ...(sourceBytes !== undefined && { sourceBytes }),
  })
  core.info(`Engine: ${choice.mode}. ${choice.reason}`)
  if (sourceBytes !== undefined)
    core.info(`The source holds ${formatBytes(sourceBytes)} in ${objects?.length} objects.`)
  for (const input of ignoredInputs(inputs, choice.mode)) {
    core.warning(`${input} has no effect here and is ignored.`)
  }

  let table = existing ?? plannedTable(inputs)
  let summary = `${choice.mode}: table ${inputs.table.name} ${existing ? 'exists' : 'does not exist'}`
  if (inputs.truncate && existing && !inputs.dryRun) {
    const deleted = await truncateTable({
      reads: clients.dynamodb,
      writes: clients.writes,
      table: existing,
      concurrency: inputs.writeConcurrency,
    })
    summary += `; truncated: ${deleted} items deleted`
  }
  if (choice.createTable && inputs.tableCreation) {
    if (inputs.dryRun) {
      summary += `; it would be created from ${inputs.tableCreationSource}`
    } else {
      core.info(`Creating table ${inputs.table.name} from ${inputs.tableCreationSource}.`)
      table = await createTable(clients.dynamodb, inputs.tableCreation)
      summary += `; created from ${inputs.tableCreationSource}`
    }
  }
  return { choice, table, source, ...(objects && { objects }), summary }
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
