import {
  CreateTableCommand,
  DescribeTableCommand,
  paginateListTables,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { describeAwsError, errorMessage, errorName, isAccessDenied } from '../errors.js'
import type { TableRef } from '../inputs.js'

/** On-demand creation usually takes seconds; a table still CREATING after this is a problem. */
const MAX_CREATE_WAIT_SECONDS = 300

/** The table's description, or undefined when it does not exist. */
export async function describeTable(
  client: DynamoDBClient,
  table: TableRef,
): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.id }))
    return Table
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined
    throw new Error(describeAwsError(err, 'DescribeTable', table.id), { cause: err })
  }
}

/**
 * Creates the table (from key-schema or table-definition: TableCreationParameters, or with a
 * template's extras, createTableInput) and waits until it is ACTIVE. `created` is false when
 * another job of the same matrix created it first.
 */
export async function createTable(
  client: DynamoDBClient,
  parameters: CreateTableCommandInput,
): Promise<{ table: TableDescription; created: boolean }> {
  const name = parameters.TableName ?? ''
  let created = true
  try {
    await client.send(new CreateTableCommand(parameters)).catch((err: unknown) => {
      // Another job of the same matrix created it first: wait for it like for our own.
      if (errorName(err) !== 'ResourceInUseException') throw err
      created = false
    })
    await waitUntilTableExists(
      { client, maxWaitTime: MAX_CREATE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { TableName: name },
    )
  } catch (err) {
    throw new Error(describeAwsError(err, 'CreateTable', name), { cause: err })
  }
  const table = await describeTable(client, { id: name, name })
  if (!table) throw new Error(`CreateTable: table ${name} is still missing after creation`)
  return { table, created }
}

/**
 * The names of every table the client sees (its region, or its endpoint), through every page of
 * ListTables; `denied` with the reason when the credentials may not list tables.
 */
export async function listTableNames(
  client: DynamoDBClient,
): Promise<{ names: string[] } | { denied: string }> {
  const names: string[] = []
  try {
    for await (const page of paginateListTables({ client }, {}))
      names.push(...(page.TableNames ?? []))
  } catch (err) {
    if (isAccessDenied(err)) return { denied: `${errorName(err)}: ${errorMessage(err)}` }
    throw new Error(describeAwsError(err, 'ListTables', 'the account'), { cause: err })
  }
  return { names }
}
