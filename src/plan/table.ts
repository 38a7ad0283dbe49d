import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type TableCreationParameters,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { describeAwsError, errorName } from '../errors.js'
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

/** Creates the table (from key-schema or table-definition) and waits until it is ACTIVE. */
export async function createTable(
  client: DynamoDBClient,
  parameters: TableCreationParameters,
): Promise<TableDescription> {
  const name = parameters.TableName ?? ''
  try {
    await client.send(new CreateTableCommand(parameters)).catch((err: unknown) => {
      // Another job of the same matrix created it first: wait for it like for our own.
      if (errorName(err) !== 'ResourceInUseException') throw err
    })
    await waitUntilTableExists(
      { client, maxWaitTime: MAX_CREATE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { TableName: name },
    )
  } catch (err) {
    throw new Error(describeAwsError(err, 'CreateTable', name), { cause: err })
  }
  const created = await describeTable(client, { id: name, name })
  if (!created) throw new Error(`CreateTable: table ${name} is still missing after creation`)
  return created
}
