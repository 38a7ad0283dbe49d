import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { describeAwsError, errorName } from './errors.js'
import type { BillingMode, TableRef } from './inputs.js'
import type { KeyAttribute } from './item-rules.js'

/** On-demand creation usually takes seconds; a table still CREATING after this is a problem. */
const MAX_CREATE_WAIT_SECONDS = 300
/** Throughput for PROVISIONED tables created from key-schema alone. */
const DEFAULT_PROVISIONED_UNITS = 5

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

/** Creates the table from key-schema and billing-mode and waits until it is ACTIVE. */
export async function createTable(
  client: DynamoDBClient,
  table: TableRef,
  keys: KeyAttribute[],
  billingMode: BillingMode,
): Promise<TableDescription> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
        KeySchema: keys.map((k, i) => ({
          AttributeName: k.name,
          KeyType: i === 0 ? 'HASH' : 'RANGE',
        })),
        BillingMode: billingMode,
        ...(billingMode === 'PROVISIONED' && {
          ProvisionedThroughput: {
            ReadCapacityUnits: DEFAULT_PROVISIONED_UNITS,
            WriteCapacityUnits: DEFAULT_PROVISIONED_UNITS,
          },
        }),
      }),
    )
    await waitUntilTableExists(
      { client, maxWaitTime: MAX_CREATE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { TableName: table.name },
    )
  } catch (err) {
    throw new Error(describeAwsError(err, 'CreateTable', table.name), { cause: err })
  }
  const created = await describeTable(client, table)
  if (!created) throw new Error(`CreateTable: table ${table.name} is still missing after creation`)
  return created
}
