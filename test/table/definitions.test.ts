import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { tableSchemaFrom } from '../../src/table/key-schema.js'
import {
  createTableInput,
  forNativeImport,
  parseTemplateParameters,
  plannedDescription,
  readDefinitionFile,
  type DefinedTable,
  type DefinitionOptions,
  type DefinitionResult,
} from '../../src/table/definitions.js'

const TEMPLATE = 'infra/template.yaml'
const OWN = 'defs/orders.yaml'
const NAMES = { Stage: 'test', 'AWS::StackName': 'shop' }

function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')
}

function read(
  file: string,
  text: string,
  options: Partial<DefinitionOptions> = {},
): DefinitionResult {
  return readDefinitionFile(file, text, { names: {}, billingMode: 'PAY_PER_REQUEST', ...options })
}

function tables(result: DefinitionResult): DefinedTable[] {
  if (!result.ok) throw new Error(result.problems.join('\n'))
  return result.tables
}

function problems(result: DefinitionResult): string[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.tables)}`)
  return result.problems
}

const sam = () => fixture('templates/sam-orders.yaml')

/** A table definition of our own shape, as JSON, with `top` fields added. */
function own(top: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ...top,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  })
}

describe('readDefinitionFile: a template', () => {
  it('gives every table, with the extras CreateTable takes beyond TableCreationParameters', () => {
    const [orders, sessions, ...rest] = tables(read(TEMPLATE, sam(), { names: NAMES }))
    expect(rest).toEqual([])
    expect(orders).toEqual({
      name: 'test-orders',
      logicalId: 'OrdersTable',
      creation: {
        TableName: 'test-orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'createdAt', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { Enabled: true },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byCustomer',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total', 'status'] },
          },
        ],
      },
      extras: {
        LocalSecondaryIndexes: [
          {
            IndexName: 'byCreatedAt',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'createdAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Tags: [
          { Key: 'service', Value: 'orders' },
          { Key: 'stage', Value: 'test' },
        ],
        DeletionProtectionEnabled: false,
      },
      ttl: { attribute: 'expiresAt' },
      warnings: [],
      source: `table-definition ${TEMPLATE} (OrdersTable)`,
    })
    expect(sessions).toMatchObject({
      name: 'shop-sessions',
      logicalId: 'SessionsTable',
      creation: { BillingMode: 'PROVISIONED' },
      extras: { Tags: [{ Key: 'service', Value: 'sessions' }] },
      warnings: [],
      source: `table-definition ${TEMPLATE} (SessionsTable)`,
    })
    expect(sessions?.ttl).toBeUndefined()
  })

  it('words what it does not apply as a warning naming the file and the resource', () => {
    const [orders] = tables(read(TEMPLATE, sam(), { names: { ...NAMES, Stage: 'prod' } }))
    expect(orders?.warnings).toEqual([
      `table-definition ${TEMPLATE} (OrdersTable): PointInTimeRecoverySpecification is not ` +
        'applied by this action (turn it on after creation with UpdateContinuousBackups).',
    ])
  })

  it('with table given, takes only the table it names, by TableName or logical id', () => {
    const byName = tables(read(TEMPLATE, sam(), { names: NAMES, table: 'shop-sessions' }))
    expect(byName.map((t) => t.logicalId)).toEqual(['SessionsTable'])
    const byId = tables(read(TEMPLATE, sam(), { names: NAMES, table: 'OrdersTable' }))
    expect(byId.map((t) => t.name)).toEqual(['test-orders'])
  })

  it('with table given, ignores what is wrong with the other tables only', () => {
    // No AWS::StackName: SessionsTable has no name, OrdersTable is fine.
    const names = { Stage: 'test' }
    expect(tables(read(TEMPLATE, sam(), { names, table: 'test-orders' }))).toHaveLength(1)
    const unnamed =
      `table-definition (${TEMPLATE}:79): Resources.SessionsTable.Properties.TableName: ` +
      'expected a value for AWS::StackName, which !Sub uses, got none'
    const requested = problems(read(TEMPLATE, sam(), { names, table: 'shop-sessions' }))
    expect(requested).toHaveLength(2)
    expect(requested[0]).toContain(unnamed)
    expect(requested[1]).toBe(
      `table-definition (${TEMPLATE}): expected a table named "shop-sessions" by its TableName ` +
        'or logical id, got only test-orders (OrdersTable) (fix the table input, or the values ' +
        'in template-parameters that build TableName)',
    )
    const all = problems(read(TEMPLATE, sam(), { names }))
    expect(all).toHaveLength(1)
    expect(all[0]).toContain(unnamed)
  })

  it('gives AWS::Region the action’s region unless template-parameters gives one', () => {
    const template = JSON.stringify({
      Resources: {
        T: {
          Type: 'AWS::Serverless::SimpleTable',
          Properties: { TableName: { 'Fn::Sub': 'orders-${AWS::Region}' } },
        },
      },
    })
    expect(tables(read(TEMPLATE, template, { region: 'eu-west-1' }))[0]?.name).toBe(
      'orders-eu-west-1',
    )
    const given = { names: { 'AWS::Region': 'us-east-2' }, region: 'eu-west-1' }
    expect(tables(read(TEMPLATE, template, given))[0]?.name).toBe('orders-us-east-2')
    expect(problems(read(TEMPLATE, template))[0]).toContain(
      'expected a value for AWS::Region, which !Sub uses, got none',
    )
  })

  it('refuses a TableName that is not a table name once resolved', () => {
    const template = JSON.stringify({
      Resources: {
        T: { Type: 'AWS::Serverless::SimpleTable', Properties: { TableName: 'a b' } },
      },
    })
    expect(problems(read(TEMPLATE, template))).toEqual([
      `table-definition (${TEMPLATE}): Resources.T.Properties.TableName: expected a table name ` +
        '(3-255 characters of a-z A-Z 0-9 _ . -), got "a b"',
    ])
  })
})

describe('readDefinitionFile: our own shape', () => {
  it('is named by the table input, as before, with its messages', () => {
    const [table] = tables(read(OWN, fixture('table-definitions/orders.yaml'), { table: 'orders' }))
    expect(table).toMatchObject({ name: 'orders', warnings: [], source: `table-definition ${OWN}` })
    expect(table?.logicalId).toBeUndefined()
    expect(table?.extras).toBeUndefined()
    expect(table?.creation.TableName).toBe('orders')
    expect(problems(read(OWN, own({ TableName: 'other' }), { table: 'orders' }))).toEqual([
      `table-definition (${OWN}): TableName: expected "orders" (the table input; or leave ` +
        'TableName out), got "other"',
    ])
  })

  it('without the table input, is named by its TableName', () => {
    const [table] = tables(read(OWN, own({ TableName: 'orders' })))
    expect(table?.name).toBe('orders')
    expect(table?.creation.TableName).toBe('orders')
  })

  it('without the table input nor a TableName, says to give one, with the other problems', () => {
    expect(problems(read(OWN, own({ BillingMode: 'FREE' })))).toEqual([
      `table-definition (${OWN}): TableName: expected the name of the table to create, got ` +
        'nothing (give the table input, or TableName in the file)',
      `table-definition (${OWN}): BillingMode: expected PAY_PER_REQUEST or PROVISIONED, got "FREE"`,
    ])
    expect(problems(read(OWN, own({ TableName: 12 })))).toEqual([
      `table-definition (${OWN}): TableName: expected the name of the table to create, got 12 ` +
        '(give the table input, or TableName in the file)',
    ])
    expect(problems(read(OWN, own({ TableName: 'ab' })))).toEqual([
      `table-definition (${OWN}): TableName: expected a table name (3-255 characters of ` +
        'a-z A-Z 0-9 _ . -), got "ab"',
    ])
  })

  it('reports a file that does not parse as before, table input or not', () => {
    const broken = '{ "KeySchema": ['
    const withTable = problems(read(OWN, broken, { table: 'orders' }))
    expect(withTable).toHaveLength(1)
    expect(withTable[0]).toMatch(/^table-definition \(defs\/orders.yaml\): expected YAML or JSON/)
    expect(problems(read(OWN, broken))).toEqual(withTable)
  })
})

describe('createTableInput', () => {
  it('is the creation parameters with the extras', () => {
    const [orders] = tables(read(TEMPLATE, sam(), { names: NAMES }))
    if (!orders) throw new Error('expected a table')
    const input = createTableInput(orders)
    expect(input).toEqual({ ...orders.creation, ...orders.extras })
    expect(input.LocalSecondaryIndexes?.[0]?.IndexName).toBe('byCreatedAt')
    expect(input.TableName).toBe('test-orders')
  })
})

describe('plannedDescription', () => {
  it('gives the keys of the table and of both kinds of index, for the checks of each item', () => {
    const [orders, sessions] = tables(read(TEMPLATE, sam(), { names: NAMES }))
    if (!orders || !sessions) throw new Error('expected two tables')
    const schema = tableSchemaFrom(plannedDescription(orders))
    expect(schema).toEqual({
      tableName: 'test-orders',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexKeys: [
        { name: 'gsi1pk', type: 'S', indexName: 'byCustomer', keyType: 'HASH' },
        { name: 'createdAt', type: 'N', indexName: 'byCreatedAt', keyType: 'RANGE' },
      ],
    })
    expect(plannedDescription(sessions)).toEqual({
      TableName: 'shop-sessions',
      AttributeDefinitions: [{ AttributeName: 'sessionId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'sessionId', KeyType: 'HASH' }],
    })
  })
})

describe('forNativeImport', () => {
  const [orders, sessions] = tables(read(TEMPLATE, sam(), { names: NAMES }))
  if (!orders || !sessions) throw new Error('expected two tables')

  it('refuses local secondary indexes: no table gets one after ImportTable created it', () => {
    expect(forNativeImport(orders)).toEqual({
      ok: false,
      problem:
        `mode: native cannot create table test-orders of table-definition ${TEMPLATE} ` +
        '(OrdersTable): LocalSecondaryIndexes: ImportTable cannot create local secondary ' +
        'indexes, and no table can get one after it is created: use the stream engine, or ' +
        'GlobalSecondaryIndexes',
    })
  })

  it('gives the TableCreationParameters and a warning for each extra and TTL', () => {
    const noLocal: DefinedTable = {
      ...orders,
      extras: { ...orders.extras, LocalSecondaryIndexes: undefined },
    }
    const source = `table-definition ${TEMPLATE} (OrdersTable)`
    expect(forNativeImport(noLocal)).toEqual({
      ok: true,
      parameters: orders.creation,
      warnings: [
        `${source}: StreamSpecification is not applied by this action (ImportTable cannot ` +
          'create it; add it after the import with UpdateTable).',
        `${source}: Tags is not applied by this action (ImportTable cannot create them; add ` +
          'them after the import with TagResource).',
        `${source}: TimeToLiveSpecification is not applied by this action (ImportTable cannot ` +
          'set it; turn it on after the import with UpdateTimeToLive (attribute expiresAt)).',
      ],
    })
    const plain: DefinedTable = { ...sessions, extras: {} }
    expect(forNativeImport(plain)).toEqual({
      ok: true,
      parameters: sessions.creation,
      warnings: [],
    })
  })
})

describe('parseTemplateParameters', () => {
  it.each([
    ['Stage=test,AWS::StackName=ci', { Stage: 'test', 'AWS::StackName': 'ci' }],
    [' Stage = test , Empty= ', { Stage: 'test', Empty: '' }],
    [
      'Stage=test\nSubnets=a,b\n\nUrl=https://x?a=b',
      { Stage: 'test', Subnets: 'a,b', Url: 'https://x?a=b' },
    ],
    ['', {}],
  ])('reads %j', (value, expected) => {
    expect(parseTemplateParameters(value)).toEqual(expected)
  })

  const expected =
    'template-parameters: expected Name=value pairs, separated by commas or one per line ' +
    '(such as Stage=test,AWS::StackName=ci), got '
  it.each([
    ['Stage', `"Stage": "Stage" has no =`],
    ['Stage=a,Stage=b', `"Stage=a,Stage=b": Stage is given twice`],
    [
      'my-stage=a',
      '"my-stage=a": "my-stage" is not a parameter name (letters and digits, or AWS:: and a ' +
        'pseudo parameter such as AWS::StackName)',
    ],
  ])('refuses %j', (value, why) => {
    expect(parseTemplateParameters(value)).toBe(expected + why)
  })
})
