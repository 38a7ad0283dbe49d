// The post step's deletions with a client whose send() answers from the test (every DynamoDB
// answer a deletion meets, on a virtual clock), and runPost's answers that need no table.
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  cliOptions,
  deleteCreatedTable,
  deleteTables,
  DELETE_POLL_MS,
  MAX_DELETE_WAIT_MS,
  runPost,
  type Deletion,
} from '../src/post.js'
import { useRunner, virtualClock } from './support/helpers.js'

const clients: DynamoDBClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

const serviceError = (name: string) => Object.assign(new Error(`${name} message`), { name })
const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders'

/** A table's DynamoDB answers: each call's command name, and the answer the test gives it. */
function deletion(answer: (command: object, sent: string[]) => unknown): {
  deletion: Deletion
  sent: string[]
  log: () => string
  clock: ReturnType<typeof virtualClock>
} {
  const client = new DynamoDBClient({ region: 'us-east-1' })
  clients.push(client)
  const sent: string[] = []
  vi.spyOn(client, 'send').mockImplementation(async (command: object) => {
    sent.push(command.constructor.name.replace(/Command$/, ''))
    return answer(command, sent)
  })
  let out = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  })
  const clock = virtualClock()
  return {
    deletion: { client, clock, cliOptions: ' --region us-east-1' },
    sent,
    log: () => out,
    clock,
  }
}

/** Answers DescribeTable with the table until DeleteTable, then with not found. */
function deletedOnRequest(table: object = { TableName: 'orders', TableArn: ARN }) {
  let deleted = false
  return (command: object) => {
    if (command instanceof DeleteTableCommand) deleted = true
    if (command instanceof DescribeTableCommand) {
      if (deleted) throw serviceError('ResourceNotFoundException')
      return { Table: table }
    }
    return {}
  }
}

describe('deleteCreatedTable', () => {
  it('deletes the table, waits until it is gone, and says so', async () => {
    let describes = 0
    const t = deletion((command) => {
      if (command instanceof DescribeTableCommand) {
        describes++
        // Found, then DELETING twice, then gone.
        if (describes === 1) return { Table: { TableName: 'orders', TableArn: ARN } }
        if (describes <= 3) return { Table: { TableName: 'orders', TableStatus: 'DELETING' } }
        throw serviceError('ResourceNotFoundException')
      }
      return {}
    })
    await deleteCreatedTable({ name: 'orders', arn: ARN }, t.deletion)
    expect(t.sent).toEqual([
      'DescribeTable',
      'DeleteTable',
      'DescribeTable',
      'DescribeTable',
      'DescribeTable',
    ])
    expect(t.clock.elapsed()).toBe(2 * DELETE_POLL_MS)
    expect(t.log()).toContain('Deleted table orders (created by this step).')
  })

  it('turns deletion protection off first, and says so', async () => {
    const updates: unknown[] = []
    const answer = deletedOnRequest({ TableName: 'orders', DeletionProtectionEnabled: true })
    const t = deletion((command) => {
      if (command instanceof UpdateTableCommand) updates.push(command.input)
      return answer(command)
    })
    await deleteCreatedTable({ name: 'orders' }, t.deletion)
    expect(t.sent).toEqual(['DescribeTable', 'UpdateTable', 'DeleteTable', 'DescribeTable'])
    expect(updates).toEqual([{ TableName: 'orders', DeletionProtectionEnabled: false }])
    expect(t.log()).toContain(
      'Table orders has deletion protection on: turning it off to delete it, since this step created it and delete-created-tables is true.\n',
    )
    expect(t.log()).toContain('Deleted table orders (created by this step).')
  })

  it('sends DeleteTable again while the table is in use (UPDATING after the protection went off)', async () => {
    let refusals = 2
    const answer = deletedOnRequest()
    const t = deletion((command) => {
      if (command instanceof DeleteTableCommand && refusals-- > 0) {
        throw serviceError('ResourceInUseException')
      }
      return answer(command)
    })
    await deleteCreatedTable({ name: 'orders' }, t.deletion)
    expect(t.sent).toEqual([
      'DescribeTable',
      'DeleteTable',
      'DeleteTable',
      'DeleteTable',
      'DescribeTable',
    ])
    expect(t.clock.elapsed()).toBe(2 * DELETE_POLL_MS)
    expect(t.log()).toContain('Deleted table orders (created by this step).')
  })

  it('passes, saying so, when the table is already gone', async () => {
    const t = deletion(() => {
      throw serviceError('ResourceNotFoundException')
    })
    await deleteCreatedTable({ name: 'orders' }, t.deletion)
    expect(t.sent).toEqual(['DescribeTable'])
    expect(t.log()).toContain(
      'Table orders (created by this step) is already gone: nothing to delete.',
    )
  })

  it('passes, saying so, when the table goes between DescribeTable and DeleteTable', async () => {
    const t = deletion((command) => {
      if (command instanceof DeleteTableCommand) throw serviceError('ResourceNotFoundException')
      return { Table: { TableName: 'orders' } }
    })
    await deleteCreatedTable({ name: 'orders' }, t.deletion)
    expect(t.sent).toEqual(['DescribeTable', 'DeleteTable'])
    expect(t.log()).toContain(
      'Table orders (created by this step) is already gone: nothing to delete.',
    )
    expect(t.log()).not.toContain('Deleted table')
  })

  it('leaves alone a table of the same name that is not the one it created', async () => {
    const other = 'arn:aws:dynamodb:eu-west-1:999999999999:table/orders'
    const t = deletion(() => ({ Table: { TableName: 'orders', TableArn: other } }))
    await expect(deleteCreatedTable({ name: 'orders', arn: ARN }, t.deletion)).rejects.toThrow(
      `Could not delete table orders, which this step created: the table orders that these credentials and this region reach is ${other}, not ${ARN}, which this step created (did a later step change the credentials or the region?); it is left alone. Delete it by hand: aws dynamodb delete-table --table-name orders --region us-east-1`,
    )
    expect(t.sent).toEqual(['DescribeTable'])
  })

  it('fails with the call, the reason and the commands to run by hand', async () => {
    const t = deletion((command) => {
      if (command instanceof DeleteTableCommand) throw serviceError('AccessDeniedException')
      return { Table: { TableName: 'orders' } }
    })
    await expect(deleteCreatedTable({ name: 'orders' }, t.deletion)).rejects.toThrow(
      'Could not delete table orders, which this step created: DeleteTable on orders was denied (AccessDeniedException): AccessDeniedException message. The credentials need dynamodb:DeleteTable on orders. Delete it by hand: aws dynamodb delete-table --table-name orders --region us-east-1',
    )
  })

  it('gives both commands when the protection could not be turned off', async () => {
    const t = deletion((command) => {
      if (command instanceof UpdateTableCommand) throw serviceError('AccessDeniedException')
      return { Table: { TableName: 'orders', DeletionProtectionEnabled: true } }
    })
    await expect(deleteCreatedTable({ name: 'orders' }, t.deletion)).rejects.toThrow(
      'Could not delete table orders, which this step created: UpdateTable on orders was denied (AccessDeniedException): AccessDeniedException message. The credentials need dynamodb:UpdateTable on orders. Delete it by hand: aws dynamodb update-table --table-name orders --no-deletion-protection-enabled --region us-east-1, then aws dynamodb delete-table --table-name orders --region us-east-1',
    )
    expect(t.sent).toEqual(['DescribeTable', 'UpdateTable'])
  })

  it('fails when DescribeTable fails, ending the reason with a full stop', async () => {
    const t = deletion(() => {
      throw serviceError('ValidationException')
    })
    await expect(deleteCreatedTable({ name: 'orders' }, t.deletion)).rejects.toThrow(
      'Could not delete table orders, which this step created: DescribeTable on orders failed: ValidationException: ValidationException message. Delete it by hand:',
    )
  })

  it('fails when the table stays in use past the bound', async () => {
    const t = deletion((command) => {
      if (command instanceof DeleteTableCommand) throw serviceError('ResourceInUseException')
      return { Table: { TableName: 'orders', TableStatus: 'CREATING' } }
    })
    await expect(deleteCreatedTable({ name: 'orders' }, t.deletion)).rejects.toThrow(
      'Could not delete table orders, which this step created: DeleteTable on orders failed: ResourceInUseException: ResourceInUseException message. Delete it by hand:',
    )
    expect(t.clock.elapsed()).toBe(MAX_DELETE_WAIT_MS)
  })

  it('warns, and passes, when an accepted deletion is not over by the bound', async () => {
    const t = deletion(() => ({ Table: { TableName: 'orders', TableStatus: 'DELETING' } }))
    await deleteCreatedTable({ name: 'orders' }, t.deletion)
    expect(t.clock.elapsed()).toBe(MAX_DELETE_WAIT_MS)
    expect(t.log()).toContain(
      '::warning::Table orders (created by this step) is still being deleted after 300 s: DynamoDB goes on deleting it after the job.',
    )
    expect(t.log()).not.toContain('Deleted table')
  })

  it('keeps looking when a look fails after the deletion was accepted', async () => {
    let describes = 0
    const t = deletion((command) => {
      if (!(command instanceof DescribeTableCommand)) return {}
      describes++
      if (describes === 1) return { Table: { TableName: 'orders' } }
      if (describes === 2) throw serviceError('InternalServerError')
      throw serviceError('ResourceNotFoundException')
    })
    await deleteCreatedTable({ name: 'orders' }, t.deletion)
    expect(t.sent).toEqual(['DescribeTable', 'DeleteTable', 'DescribeTable', 'DescribeTable'])
    expect(t.log()).toContain('Deleted table orders (created by this step).')
  })
})

describe('deleteTables', () => {
  it('tries every table and returns the failure of each that could not be deleted', async () => {
    const deleted = new Set<string>()
    const t = deletion((command) => {
      if (command instanceof DeleteTableCommand) {
        const name = command.input.TableName ?? ''
        if (name === 'denied') throw serviceError('AccessDeniedException')
        deleted.add(name)
        return {}
      }
      const name = (command as DescribeTableCommand).input.TableName ?? ''
      if (deleted.has(name)) throw serviceError('ResourceNotFoundException')
      return { Table: { TableName: name } }
    })
    const tables = ['first', 'denied', 'third', 'fourth', 'fifth', 'sixth'].map((name) => ({
      name,
    }))
    const failures = await deleteTables(tables, t.deletion)
    expect(failures).toEqual([expect.stringMatching(/^Could not delete table denied, /)])
    expect([...deleted].sort()).toEqual(['fifth', 'first', 'fourth', 'sixth', 'third'])
  })
})

describe('cliOptions', () => {
  it('gives the region and the endpoint as the post step connects', () => {
    expect(cliOptions({ region: 'eu-west-1', s3ForcePathStyle: false })).toBe(' --region eu-west-1')
    expect(cliOptions({ dynamodbEndpoint: 'http://localhost:8000', s3ForcePathStyle: false })).toBe(
      ' --endpoint-url http://localhost:8000',
    )
    expect(cliOptions({ s3ForcePathStyle: false })).toBe('')
  })

  it('leaves out the user and password of an endpoint', () => {
    expect(
      cliOptions({
        region: 'us-east-1',
        dynamodbEndpoint: 'https://user:secret@dynamodb.example.com:8443/ddb',
        s3ForcePathStyle: false,
      }),
    ).toBe(' --region us-east-1 --endpoint-url https://dynamodb.example.com:8443/ddb')
    expect(
      cliOptions({
        dynamodbEndpoint: 'http://user:secret@localhost:8000',
        s3ForcePathStyle: false,
      }),
    ).toBe(' --endpoint-url http://localhost:8000')
  })
})

describe('runPost, before any call', () => {
  const inputs = (extra: Record<string, string> = {}) => ({
    table: 'orders',
    source: 'fixtures/a.json',
    region: 'us-east-1',
    ...extra,
  })

  it('says so when the step created no table, whatever the inputs', async () => {
    const runner = useRunner(inputs({ region: 'not a region', 'delete-created-tables': 'true' }))
    await runPost(virtualClock())
    expect(runner.stdout()).toBe('This step created no table: nothing to delete.\n')
    expect(process.exitCode).toBeUndefined()
  })

  it('deletes nothing when delete-created-tables is false, and names what the step created', async () => {
    const runner = useRunner(inputs())
    vi.stubEnv('STATE_createdTables', JSON.stringify([{ name: 'orders' }, { name: 'customers' }]))
    await runPost(virtualClock())
    expect(runner.stdout()).toBe(
      'delete-created-tables is false: nothing is deleted (this step created 2 tables: orders, customers).\n',
    )
    expect(process.exitCode).toBeUndefined()
  })

  it('fails on inputs it cannot connect with, naming them', async () => {
    const runner = useRunner(inputs({ region: 'not a region', 'delete-created-tables': 'true' }))
    vi.stubEnv('STATE_createdTables', JSON.stringify([{ name: 'orders' }]))
    await runPost(virtualClock())
    expect(runner.stdout()).toContain(
      '::error::Invalid inputs:%0A- region: expected an AWS region such as us-east-1, got "not a region"',
    )
    expect(process.exitCode).toBe(1)
  })

  it('fails on a state it cannot read', async () => {
    const runner = useRunner(inputs({ 'delete-created-tables': 'true' }))
    vi.stubEnv('STATE_createdTables', '[{"name": "orders"')
    await runPost(virtualClock())
    expect(runner.stdout()).toMatch(/^::error::.*JSON/m)
    expect(process.exitCode).toBe(1)
  })
})
