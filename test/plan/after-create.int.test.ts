// completeCreatedTable() against DynamoDB Local: the SAM fixture's tables created with
// createTableInput(), time to live turned on after, and a warning for each thing DynamoDB Local
// accepts in CreateTable and does not keep (Tags, SSE, TableClass).
import { readFileSync } from 'node:fs'
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { afterAll, describe, expect, inject, it, vi } from 'vitest'
import { completeCreatedTable } from '../../src/plan/after-create.js'
import { createTable } from '../../src/plan/table.js'
import {
  createTableInput,
  readDefinitionFile,
  type DefinedTable,
} from '../../src/table/definitions.js'
import { dynamodb, uniqueName, useRunner } from '../support/helpers.js'

const client = dynamodb()
afterAll(() => client.destroy())
const ENDPOINT = `DynamoDB at ${inject('dynamodbEndpoint').replace(/\/$/, '')}`
const TAGGING = 'UnknownOperationException: Tagging is not currently supported in DynamoDB Local'

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/templates/${name}`, import.meta.url), 'utf8')
}

function tablesOf(file: string, names: Record<string, string>): DefinedTable[] {
  const read = readDefinitionFile(`infra/${file}`, fixture(file), {
    names,
    billingMode: 'PAY_PER_REQUEST',
  })
  if (!read.ok) throw new Error(read.problems.join('\n'))
  return read.tables
}

/** Creates the table as the planner does, then completes it; the lines and the warnings. */
async function createAndComplete(defined: DefinedTable) {
  const { table, created } = await createTable(client, createTableInput(defined))
  expect(created).toBe(true)
  return complete(defined, table)
}

async function complete(defined: DefinedTable, table: TableDescription) {
  vi.restoreAllMocks()
  const runner = useRunner({})
  try {
    const lines = await completeCreatedTable(client, defined, table)
    return { lines, warnings: commands(runner.stdout(), 'warning') }
  } finally {
    vi.restoreAllMocks()
  }
}

function commands(stdout: string, kind: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith(`::${kind}`))
}

async function described(name: string): Promise<TableDescription> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }))
  return Table ?? {}
}

describe('completeCreatedTable against DynamoDB Local', () => {
  it('creates the SAM tables with their indexes and stream, turns TTL on, names what was dropped', async () => {
    const stage = uniqueName('stage')
    const stack = uniqueName('stack')
    const [orders, sessions] = tablesOf('sam-orders.yaml', {
      Stage: stage,
      'AWS::StackName': stack,
    })
    if (!orders || !sessions) throw new Error('expected two tables')
    const name = `${stage}-orders`
    expect(orders.name).toBe(name)

    const done = await createAndComplete(orders)
    expect(done.lines).toEqual([
      'time to live on expiresAt',
      `not kept by ${ENDPOINT}: SSESpecification, Tags (see the warnings)`,
    ])
    expect(done.warnings).toEqual([
      `::warning title=Table ${name}%3A SSESpecification not kept::${ENDPOINT} did not keep ` +
        `SSESpecification (Enabled true) of table ${name}: DescribeTable shows no SSEDescription.`,
      `::warning title=Table ${name}%3A Tags not kept::${ENDPOINT} did not keep Tags ` +
        `(service, stage) of table ${name}: ListTagsOfResource answered ${TAGGING}.`,
    ])

    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }))
    expect(ttl.TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    })
    const table = await described(name)
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ])
    expect(table.LocalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema])).toEqual([
      [
        'byCreatedAt',
        [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
      ],
    ])
    expect(
      table.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.NonKeyAttributes]),
    ).toEqual([['byCustomer', ['total', 'status']]])
    expect(table.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    })
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST')

    // The SimpleTable: provisioned from the parameter's Default, tags as a mapping.
    const sessionsName = `${stack}-sessions`
    const simple = await createAndComplete(sessions)
    expect(simple.lines).toEqual([`not kept by ${ENDPOINT}: Tags (see the warnings)`])
    expect(simple.warnings).toEqual([
      `::warning title=Table ${sessionsName}%3A Tags not kept::${ENDPOINT} did not keep Tags ` +
        `(service) of table ${sessionsName}: ListTagsOfResource answered ${TAGGING}.`,
    ])
    const sessionsTable = await described(sessionsName)
    expect(sessionsTable.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 2,
    })
  })

  it('names a TableClass it did not keep, and keeps deletion protection', async () => {
    const environment = uniqueName('env')
    const [inventory] = tablesOf('cfn-inventory.json', { Environment: environment })
    if (!inventory) throw new Error('expected a table')
    const name = `inventory-${environment}`
    const protectedTable: DefinedTable = {
      ...inventory,
      extras: { ...inventory.extras, DeletionProtectionEnabled: true },
    }
    const done = await createAndComplete(protectedTable)
    expect(done.warnings).toEqual([
      `::warning title=Table ${name}%3A TableClass not kept::${ENDPOINT} did not keep ` +
        `TableClass (STANDARD_INFREQUENT_ACCESS) of table ${name}: DescribeTable shows no ` +
        'TableClassSummary.',
    ])
    expect(done.lines).toEqual([`not kept by ${ENDPOINT}: TableClass (see the warnings)`])
    expect((await described(name)).DeletionProtectionEnabled).toBe(true)
  })

  it('warns, and does not fail, when UpdateTimeToLive fails; says what the template leaves out', async () => {
    const [orders] = tablesOf('sam-orders.yaml', { Stage: 'prod', 'AWS::StackName': 's' })
    if (!orders) throw new Error('expected a table')
    const missing = uniqueName('missing')
    const defined: DefinedTable = { ...orders, name: missing, extras: {} }
    // As if DescribeTable had shown the index and the encryption: nothing else to name.
    const done = await complete(defined, {
      TableName: missing,
      GlobalSecondaryIndexes: [{ IndexName: 'byCustomer' }],
      SSEDescription: { Status: 'ENABLED' },
    })
    expect(done.lines).toEqual(['time to live not turned on (see the warnings)'])
    expect(done.warnings).toHaveLength(2)
    expect(done.warnings[0]).toBe(
      `::warning title=Table ${missing}::table-definition infra/sam-orders.yaml (OrdersTable): ` +
        'PointInTimeRecoverySpecification is not applied by this action (turn it on after ' +
        'creation with UpdateContinuousBackups).',
    )
    expect(done.warnings[1]).toBe(
      `::warning title=Table ${missing}%3A no time to live::Table ${missing}: time to live is ` +
        `not on: UpdateTimeToLive: table ${missing} was not found (Cannot do operations on a ` +
        'non-existent table). Check table, region and dynamodb-endpoint. Items keep their ' +
        'expiresAt attribute and do not expire until it is turned on (UpdateTimeToLive).',
    )
  })
})
