// The table calls with a client whose send() answers from the test: pages of ListTables, and a
// CreateTable that another job won.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTable, listTableNames } from '../../src/plan/table.js'

const clients: DynamoDBClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

/** A client whose send() is `answer`: no request leaves the process. */
function clientAnswering(answer: (command: unknown) => unknown): DynamoDBClient {
  const client = new DynamoDBClient({ region: 'us-east-1' })
  clients.push(client)
  vi.spyOn(client, 'send').mockImplementation(async (command: unknown) => answer(command))
  return client
}

const serviceError = (name: string) => Object.assign(new Error(`${name} message`), { name })

describe('listTableNames', () => {
  it('reads every page', async () => {
    const starts: Array<string | undefined> = []
    const client = clientAnswering((command) => {
      const input = (command as ListTablesCommand).input
      starts.push(input.ExclusiveStartTableName)
      return input.ExclusiveStartTableName === undefined
        ? { TableNames: ['a-table', 'b-table'], LastEvaluatedTableName: 'b-table' }
        : { TableNames: ['c-table'] }
    })
    expect(await listTableNames(client)).toEqual({ names: ['a-table', 'b-table', 'c-table'] })
    expect(starts).toEqual([undefined, 'b-table'])
  })

  it('says why when the credentials may not list tables', async () => {
    const client = clientAnswering(() => {
      throw serviceError('AccessDeniedException')
    })
    expect(await listTableNames(client)).toEqual({
      denied: 'AccessDeniedException: AccessDeniedException message',
    })
  })

  it('throws any other error, naming the call', async () => {
    const client = clientAnswering(() => {
      throw serviceError('ValidationException')
    })
    await expect(listTableNames(client)).rejects.toThrow(
      'ListTables on the account failed: ValidationException: ValidationException message',
    )
  })
})

describe('createTable', () => {
  const table = { TableName: 'orders', TableStatus: 'ACTIVE' }
  const parameters = {
    TableName: 'orders',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
    BillingMode: 'PAY_PER_REQUEST' as const,
  }

  it('says it created the table', async () => {
    const client = clientAnswering((command) =>
      command instanceof DescribeTableCommand ? { Table: table } : {},
    )
    expect(await createTable(client, parameters)).toEqual({ table, created: true })
  })

  it('waits for the table another job created first, and says it did not create it', async () => {
    const sent: string[] = []
    const client = clientAnswering((command) => {
      sent.push((command as object).constructor.name)
      if (command instanceof CreateTableCommand) throw serviceError('ResourceInUseException')
      return { Table: table }
    })
    expect(await createTable(client, parameters)).toEqual({ table, created: false })
    expect(sent[0]).toBe('CreateTableCommand')
  })
})
