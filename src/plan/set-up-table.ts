/**
 * The table before an engine runs: a close name refused before one is created (a typo), the
 * table truncated when asked, created when the stream engine needs it, or as it would be created.
 */
import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from '../clients.js'
import { recordCreatedTable } from '../created-tables.js'
import { ActionError } from '../errors.js'
import type { TableInputs } from './targets.js'
import { truncateTable } from '../stream/truncate.js'
import { keyAttributes } from '../table/definition.js'
import { createTableInput, plannedDescription } from '../table/definitions.js'
import { completeCreatedTable } from './after-create.js'
import { counted } from '../words.js'
import { where, type ModeChoice } from './engine-choice.js'
import { nearNameMessage, nearNames } from './near-names.js'
import { createTable, listTableNames } from './table.js'

/**
 * Before a table is created under create-table auto: fails when an existing table has a close
 * name (`orders-dev` for `order-dev`), the sign of a typo that would otherwise create and seed a
 * new table while the real one stays empty (the step's own other tables aside). Credentials that may not list tables get a warning:
 * the check is a safeguard, not a requirement.
 */
export async function refuseNearNames(
  inputs: TableInputs,
  clients: Clients,
  ours: readonly string[] = [],
): Promise<void> {
  const name = inputs.table.name
  const listed = await listTableNames(clients.dynamodb)
  if ('denied' in listed) {
    core.warning(
      `Could not look for tables with a name close to ${name} before creating it: ListTables was denied (${listed.denied}). ` +
        'Allow dynamodb:ListTables (on resource *) to have a misspelt table caught before a new table is created, or set create-table: true to skip this check.',
    )
    return
  }
  // The step's other tables, created beside this one, are no typo of it.
  const near = nearNames(
    name,
    listed.names.filter((n) => !ours.includes(n)),
  )
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
export async function setUpTable(
  inputs: TableInputs,
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
      for (const warning of inputs.definition?.warnings ?? []) core.warning(warning)
      steps.push(`it would be created from ${source}`)
    } else {
      core.info(`Creating table ${name} from ${source} (${keys}).`)
      const { definition } = inputs
      const outcome = await createTable(
        clients.dynamodb,
        definition ? { ...createTableInput(definition), TableName: name } : creation,
      )
      table = outcome.table
      if (outcome.created) {
        recordCreatedTable(name, outcome.table.TableArn)
        core.notice(`Created table ${name} from ${source} (${keys}).`, {
          title: `Table ${name} created`,
        })
        createdFrom = source
        steps.push(`created from ${source}`)
        if (definition) {
          steps.push(
            ...(await completeCreatedTable(clients.dynamodb, { ...definition, name }, table)),
          )
        }
      } else {
        steps.push('created by another job at the same time')
      }
    }
  }
  return { table, steps, ...(createdFrom !== undefined && { createdFrom }) }
}

/** The table as it would be created: what records are validated against when it does not exist. */
function plannedTable(inputs: TableInputs): TableDescription {
  if (inputs.definition) {
    return plannedDescription({ ...inputs.definition, name: inputs.table.name })
  }
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
