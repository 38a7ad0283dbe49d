import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import {
  forImportTable,
  matchTemplateTable,
  parseTemplate,
  type TemplateNames,
  type TemplateResult,
  type TemplateTable,
} from '../../src/table/template.js'

const FILE = 'infra/template.yaml'
/** The start of a problem at `line` of the template (JSON templates of the tests are one line). */
const at = (line: number) => `table-definition (${FILE}:${line}): `
const P = at(1)

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/templates/${name}`, import.meta.url), 'utf8')
}

function tablesOf(result: TemplateResult): TemplateTable[] {
  if (result.kind !== 'template') throw new Error('expected a template')
  expect(result.problems).toEqual([])
  return result.tables
}

function problemsOf(result: TemplateResult): string[] {
  if (result.kind !== 'template') throw new Error('expected a template')
  expect(result.problems.length).toBeGreaterThan(0)
  return result.problems
}

const orders = () => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: 'orders',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  } as Record<string, unknown>,
})

/** A template (as JSON) with the table `orders`, changed by `change`, plus `top` sections. */
function parseOne(
  change: (properties: Record<string, unknown>) => void,
  names: TemplateNames = {},
  top: Record<string, unknown> = {},
): TemplateResult {
  const table = orders()
  change(table.Properties)
  return parseTemplate(FILE, JSON.stringify({ ...top, Resources: { Orders: table } }), names)
}

describe('parseTemplate: a SAM template in YAML with short-form tags', () => {
  const names = { Stage: 'test', 'AWS::StackName': 'shop' }

  it('gives every table with its keys, indexes, billing, stream, SSE, tags and TTL apart', () => {
    const [ordersTable, sessions, ...rest] = tablesOf(
      parseTemplate(FILE, fixture('sam-orders.yaml'), names),
    )
    expect(rest).toEqual([])
    expect(ordersTable).toEqual({
      logicalId: 'OrdersTable',
      tableName: 'test-orders',
      create: {
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
      // PointInTimeRecoveryEnabled is false outside prod: nothing left undone, so nothing named.
    })
    // SimpleTable: PrimaryKey as the key schema; ProvisionedThroughput from a parameter's Default.
    expect(sessions).toEqual({
      logicalId: 'SessionsTable',
      tableName: 'shop-sessions',
      create: {
        TableName: 'shop-sessions',
        AttributeDefinitions: [{ AttributeName: 'sessionId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'sessionId', KeyType: 'HASH' }],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
        Tags: [{ Key: 'service', Value: 'sessions' }],
      },
    })
  })

  it('evaluates conditions from the names given: DeletionProtectionEnabled in prod', () => {
    const tables = tablesOf(
      parseTemplate(FILE, fixture('sam-orders.yaml'), { ...names, Stage: 'prod' }),
    )
    expect(tables.map((t) => [t.tableName, t.create.DeletionProtectionEnabled])).toEqual([
      ['prod-orders', true],
      ['shop-sessions', undefined],
    ])
  })

  it('names what a Condition turns on in prod, and nothing it turns off elsewhere', () => {
    const prod = { Stage: 'prod', 'AWS::StackName': 'shop' }
    const [orders] = tablesOf(parseTemplate(FILE, fixture('sam-orders.yaml'), prod))
    expect(orders?.create.DeletionProtectionEnabled).toBe(true)
    expect(orders?.unsupportedHere).toEqual([
      'PointInTimeRecoverySpecification: turn it on after creation with UpdateContinuousBackups',
    ])
    const insights = (enabled: unknown) =>
      tablesOf(parseOne((p) => (p['ContributorInsightsSpecification'] = { Enabled: enabled })))[0]
    expect(insights(false)?.unsupportedHere).toBeUndefined()
    expect(insights(true)?.unsupportedHere).toEqual([
      'ContributorInsightsSpecification: turn it on after creation with UpdateContributorInsights',
    ])
  })

  it('names the resource and the variable a !Sub cannot resolve, for each table', () => {
    const problems = problemsOf(
      parseTemplate(FILE, fixture('sam-orders.yaml'), { 'AWS::StackName': 'shop' }),
    )
    expect(problems[0]).toBe(
      `${at(25)}Resources.OrdersTable.Properties.TableName: expected a value for Stage, which !Sub ` +
        'uses, got none (give Stage a value in template-parameters (Stage=...), or a ' +
        'Default under Parameters.Stage)',
    )
    expect(problems).toHaveLength(4) // TableName, PITR, DeletionProtectionEnabled, Tags
    expect(problems.every((p) => p.includes('expected a value for Stage'))).toBe(true)
    const noStack = problemsOf(parseTemplate(FILE, fixture('sam-orders.yaml'), { Stage: 'dev' }))
    expect(noStack).toEqual([
      `${at(79)}Resources.SessionsTable.Properties.TableName: expected a value for AWS::StackName, ` +
        'which !Sub uses, got none (a pseudo parameter has no value before a stack exists: ' +
        'give AWS::StackName one in template-parameters (AWS::StackName=...))',
    ])
  })

  it('SimpleTable without properties: key id of type String, on demand', () => {
    const text = stringify({ Resources: { Users: { Type: 'AWS::Serverless::SimpleTable' } } })
    expect(tablesOf(parseTemplate(FILE, text))).toEqual([
      {
        logicalId: 'Users',
        tableName: 'Users',
        create: {
          TableName: 'Users',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
    ])
  })

  it('SimpleTable: a Number key, SSE, PITR named; a bad PrimaryKey and throughput located', () => {
    const simple = (properties: unknown) =>
      parseTemplate(
        FILE,
        stringify({
          Resources: { S: { Type: 'AWS::Serverless::SimpleTable', Properties: properties } },
        }),
      )
    const [table] = tablesOf(
      simple({
        PrimaryKey: { Name: 'n', Type: 'Number' },
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    )
    expect(table?.create.AttributeDefinitions).toEqual([{ AttributeName: 'n', AttributeType: 'N' }])
    expect(table?.create.SSESpecification).toEqual({ Enabled: true })
    expect(table?.unsupportedHere).toEqual([
      'PointInTimeRecoverySpecification: turn it on after creation with UpdateContinuousBackups',
    ])
    const [off] = tablesOf(
      simple({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'false' } }),
    )
    expect(off?.unsupportedHere).toBeUndefined()
    expect(
      problemsOf(
        simple({
          PrimaryKey: { Name: '', Type: 'Text' },
          ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 },
        }),
      ),
    ).toEqual([
      `${at(6)}Resources.S.Properties.PrimaryKey.Name: expected an attribute name, got ""`,
      `${at(7)}Resources.S.Properties.PrimaryKey.Type: expected String, Number or Binary, got "Text"`,
      `${at(9)}Resources.S.Properties.ProvisionedThroughput.ReadCapacityUnits: expected a whole ` +
        'number of at least 1, got 0',
    ])
    expect(problemsOf(simple({ PrimaryKey: 'id' }))).toEqual([
      `${at(5)}Resources.S.Properties.PrimaryKey: expected {Name, Type}, got "id"`,
    ])
    expect(problemsOf(simple({ PrimaryKey: 'id', KeySchema: [] }))).toEqual([
      `${at(6)}Resources.S.Properties.KeySchema: expected one of TableName, PrimaryKey, ` +
        'ProvisionedThroughput, SSESpecification, Tags, PointInTimeRecoverySpecification, got ' +
        'an unknown property',
    ])
  })
})

describe('parseTemplate: a CloudFormation template in JSON', () => {
  it('resolves Fn::Sub from a parameter Default; no BillingMode is PROVISIONED; units as text', () => {
    const tables = tablesOf(parseTemplate('infra/inventory.json', fixture('cfn-inventory.json')))
    expect(tables).toEqual([
      {
        logicalId: 'InventoryTable',
        tableName: 'inventory-dev',
        create: {
          TableName: 'inventory-dev',
          AttributeDefinitions: [
            { AttributeName: 'sku', AttributeType: 'S' },
            { AttributeName: 'warehouse', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byWarehouse',
              KeySchema: [{ AttributeName: 'warehouse', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
              ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 1 },
            },
          ],
          TableClass: 'STANDARD_INFREQUENT_ACCESS',
        },
      },
    ])
  })

  it('a name given wins over the Default', () => {
    const [table] = tablesOf(
      parseTemplate('i.json', fixture('cfn-inventory.json'), { Environment: 'ci-42' }),
    )
    expect(table?.tableName).toBe('inventory-ci-42')
  })

  it('without BillingMode or ProvisionedThroughput: says that PROVISIONED is the default', () => {
    const problems = problemsOf(parseOne((p) => delete p['BillingMode']))
    expect(problems).toEqual([
      `${P}Resources.Orders.Properties.ProvisionedThroughput: expected {ReadCapacityUnits, ` +
        'WriteCapacityUnits} (BillingMode PROVISIONED requires it), got nothing (a template ' +
        'without BillingMode is PROVISIONED: set BillingMode: PAY_PER_REQUEST, or give ' +
        'ProvisionedThroughput)',
    ])
  })
})

describe('parseTemplate: what is not a template', () => {
  it.each([
    ['a definition of our own shape', stringify(orders().Properties)],
    ['a YAML syntax error', 'Resources: [\n'],
    ['a list', '[1, 2]'],
    ['Resources that is not a mapping', 'Resources: [a, b]'],
    ['an empty file', ''],
  ])('%s', (_, text) => {
    expect(parseTemplate(FILE, text)).toEqual({ kind: 'not-a-template' })
  })
})

describe('parseTemplate: problems, located by resource and property', () => {
  it('no table in the template', () => {
    const noSimple = fixture('sam-orders.yaml').replace(
      /Type: AWS::(DynamoDB::Table|Serverless::SimpleTable)/g,
      'Type: AWS::SQS::Queue',
    )
    expect(problemsOf(parseTemplate(FILE, noSimple, { Stage: 'x' }))).toEqual([
      `${at(20)}Resources: expected at least one resource of Type AWS::DynamoDB::Table or ` +
        'AWS::Serverless::SimpleTable, got 3 other resources (AWS::SQS::Queue, ' +
        'AWS::Serverless::Function) (give the template ' +
        'that defines the tables, or values in template-parameters that make their Condition true)',
    ])
    expect(problemsOf(parseTemplate(FILE, 'Resources: {}'))).toEqual([
      `${P}Resources: expected at least one resource of Type AWS::DynamoDB::Table or ` +
        'AWS::Serverless::SimpleTable, got no resources (give the template ' +
        'that defines the tables, or values in template-parameters that make their Condition true)',
    ])
  })

  it('a key not in AttributeDefinitions', () => {
    const problems = problemsOf(
      parseOne((p) => {
        p['KeySchema'] = [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'created', KeyType: 'RANGE' },
        ]
      }),
    )
    expect(problems).toEqual([
      `${P}Resources.Orders.Properties.KeySchema[1].AttributeName: expected an attribute ` +
        'defined in AttributeDefinitions, got "created"',
      `${P}Resources.Orders.Properties.AttributeDefinitions[1].AttributeName: expected an ` +
        'attribute that the KeySchema of the table or of a global secondary index uses ' +
        '(DynamoDB rejects attribute definitions that no key uses), got "sk"',
    ])
  })

  it('local indexes: checked as indexes, and as local ones', () => {
    const lsi = (hash: string, range?: string) => ({
      IndexName: `by-${range ?? 'none'}`,
      KeySchema: [
        { AttributeName: hash, KeyType: 'HASH' },
        ...(range === undefined ? [] : [{ AttributeName: range, KeyType: 'RANGE' }]),
      ],
      Projection: { ProjectionType: 'ALL' },
    })
    const problems = problemsOf(
      parseOne((p) => {
        p['GlobalSecondaryIndexes'] = [{ ...lsi('sk'), IndexName: 'g1' }]
        p['LocalSecondaryIndexes'] = [lsi('pk', 'missing'), lsi('sk', 'pk'), lsi('pk')]
      }),
    )
    expect(problems).toEqual([
      `${P}Resources.Orders.Properties.GlobalSecondaryIndexes[0].IndexName: expected an index ` +
        'name (3-255 of a-z A-Z 0-9 _ . -), got "g1"',
      `${P}Resources.Orders.Properties.LocalSecondaryIndexes[0].KeySchema[1].AttributeName: ` +
        'expected an attribute defined in AttributeDefinitions, got "missing"',
    ])
    const keysOnly = problemsOf(
      parseOne((p) => {
        p['LocalSecondaryIndexes'] = [lsi('sk', 'pk'), lsi('pk')]
      }),
    )
    expect(keysOnly).toEqual([
      `${P}Resources.Orders.Properties.LocalSecondaryIndexes[0].KeySchema[0].AttributeName: ` +
        'expected the table’s HASH key "pk", got "sk"',
      `${P}Resources.Orders.Properties.LocalSecondaryIndexes[1].KeySchema: expected HASH and ` +
        'RANGE (a local secondary index has a sort key), got HASH only',
    ])
  })

  it('local indexes of a PROVISIONED table share its throughput; none of their own', () => {
    const index = {
      IndexName: 'bySk2',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk2', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    }
    const define = (p: Record<string, unknown>) => {
      p['BillingMode'] = 'PROVISIONED'
      p['ProvisionedThroughput'] = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
      p['AttributeDefinitions'] = [
        ...(p['AttributeDefinitions'] as unknown[]),
        { AttributeName: 'sk2', AttributeType: 'N' },
      ]
    }
    const [table] = tablesOf(
      parseOne((p) => {
        define(p)
        p['LocalSecondaryIndexes'] = [index]
      }),
    )
    expect(table?.create.LocalSecondaryIndexes).toEqual([index])
    expect(table?.create.GlobalSecondaryIndexes).toBeUndefined()
    const own = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
    expect(
      problemsOf(
        parseOne((p) => {
          define(p)
          p['LocalSecondaryIndexes'] = [{ ...index, ProvisionedThroughput: own }]
        }),
      ),
    ).toEqual([
      `${P}Resources.Orders.Properties.LocalSecondaryIndexes[0].ProvisionedThroughput: expected ` +
        'no ProvisionedThroughput (a local secondary index uses the table’s), got ' +
        '{"ReadCapacityUnits":1,"WriteCapacityUnits":1}',
    ])
    const six = Array.from({ length: 6 }, () => index)
    expect(problemsOf(parseOne((p) => (p['LocalSecondaryIndexes'] = six)))[0]).toBe(
      `${P}Resources.Orders.Properties.LocalSecondaryIndexes: expected at most 5 local ` +
        'secondary indexes, got 6',
    )
  })

  it('names the template’s own field names: SSEEnabled; stream, tags, TTL, class, protection', () => {
    const rest = problemsOf(
      parseOne((p) => {
        p['SSESpecification'] = { SSEEnabled: 'yes' }
        p['StreamSpecification'] = { StreamViewType: 'ALL' }
        p['Tags'] = [{ Key: '', Value: 'x' }, 'team=a', { Key: 'k', Value: 'v'.repeat(257) }]
        p['TimeToLiveSpecification'] = { Enabled: true }
        p['TableClass'] = 'COLD'
        p['DeletionProtectionEnabled'] = 'on'
      }),
    )
    const at = `${P}Resources.Orders.Properties.`
    expect(rest).toEqual([
      `${at}StreamSpecification.StreamViewType: expected NEW_IMAGE, OLD_IMAGE, ` +
        'NEW_AND_OLD_IMAGES, KEYS_ONLY, got "ALL"',
      `${at}Tags[1]: expected {Key, Value}, got "team=a"`,
      `${at}Tags[0].Key: expected a key of 1 to 128 characters, got ""`,
      `${at}Tags[2].Value: expected a value of 0 to 256 characters, got "${'v'.repeat(79)}…`,
      `${at}DeletionProtectionEnabled: expected true or false, got "on"`,
      `${at}TableClass: expected STANDARD or STANDARD_INFREQUENT_ACCESS, got "COLD"`,
      `${at}TimeToLiveSpecification.AttributeName: expected the name of the attribute that ` +
        'holds the expiry time, got nothing',
      `${at}SSESpecification.SSEEnabled: expected true or false, got "yes"`,
    ])
  })

  it('TTL: Enabled false or "false" gives none; Enabled absent is a problem', () => {
    const ttl = (spec: unknown) => parseOne((p) => (p['TimeToLiveSpecification'] = spec))
    expect(tablesOf(ttl({ AttributeName: 'exp', Enabled: false }))[0]?.ttl).toBeUndefined()
    expect(tablesOf(ttl({ AttributeName: 'exp', Enabled: 'false' }))[0]?.ttl).toBeUndefined()
    expect(tablesOf(ttl({ AttributeName: 'exp', Enabled: 'true' }))[0]?.ttl).toEqual({
      attribute: 'exp',
    })
    expect(problemsOf(ttl({ AttributeName: 'exp' }))).toEqual([
      `${P}Resources.Orders.Properties.TimeToLiveSpecification.Enabled: expected true or false, got nothing`,
    ])
    expect(problemsOf(ttl('exp'))).toEqual([
      `${P}Resources.Orders.Properties.TimeToLiveSpecification: expected {AttributeName, Enabled}, got "exp"`,
    ])
  })

  it('properties not applied are named with what to do; unknown ones are problems', () => {
    const [table] = tablesOf(
      parseOne((p) => {
        p['ContributorInsightsSpecification'] = { Enabled: true }
        p['StreamSpecification'] = { StreamViewType: 'KEYS_ONLY', ResourcePolicy: {} }
        p['AttributeDefinitions'] = [
          ...(p['AttributeDefinitions'] as unknown[]),
          { AttributeName: 'g', AttributeType: 'S' },
        ]
        p['GlobalSecondaryIndexes'] = [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            WarmThroughput: { ReadUnitsPerSecond: 12000 },
          },
        ]
      }),
    )
    expect(table?.unsupportedHere).toEqual([
      'ContributorInsightsSpecification: turn it on after creation with UpdateContributorInsights',
      'GlobalSecondaryIndexes[0].WarmThroughput: set it after creation with UpdateTable',
      'StreamSpecification.ResourcePolicy: add it after creation with PutResourcePolicy',
    ])
    expect(table?.create.GlobalSecondaryIndexes?.[0]).not.toHaveProperty('WarmThroughput')
    expect(problemsOf(parseOne((p) => (p['TableNmae'] = 'x')))).toEqual([
      `${P}Resources.Orders.Properties.TableNmae: expected one of AttributeDefinitions, ` +
        'KeySchema, BillingMode, ProvisionedThroughput, OnDemandThroughput, TableName, ' +
        'SSESpecification, GlobalSecondaryIndexes, LocalSecondaryIndexes, StreamSpecification, ' +
        'Tags, TimeToLiveSpecification, DeletionProtectionEnabled, TableClass, ' +
        'PointInTimeRecoverySpecification, ContributorInsightsSpecification, ' +
        'KinesisStreamSpecification, ImportSourceSpecification, ResourcePolicy, WarmThroughput, ' +
        'got an unknown property',
    ])
  })

  it('a value only a deployed stack knows, and functions this action does not evaluate', () => {
    const kms = problemsOf(
      parseOne((p) => {
        p['SSESpecification'] = {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
        }
      }),
    )
    expect(kms).toEqual([
      `${P}Resources.Orders.Properties.SSESpecification: expected a value known before the ` +
        'stack exists, got !GetAtt ["Key","Arn"] (write the value itself in the template)',
    ])
    expect(problemsOf(parseOne((p) => (p['TableName'] = { 'Fn::Length': [1] })))).toEqual([
      `${P}Resources.Orders.Properties.TableName: expected a value, a parameter or a function ` +
        'this action evaluates (!Ref, !Sub, !If, !Join, !Select, !Split, !FindInMap, !Base64), ' +
        'got !Length (write the value itself)',
    ])
    expect(problemsOf(parseOne((p) => (p['TableName'] = { 'Fn::Sub': 'x-${Key.Arn}' })))).toEqual([
      `${P}Resources.Orders.Properties.TableName: expected a value known before the stack ` +
        'exists, got ${Key.Arn} in !Sub (an attribute of a resource: write the value itself)',
    ])
    expect(problemsOf(parseOne((p) => (p['TableName'] = { Ref: 'Orders' })))).toEqual([
      `${P}Resources.Orders.Properties.TableName: expected a value for Orders, which !Ref ` +
        'uses, got none (Orders is not under Parameters: give it a value in template-parameters ' +
        '(Orders=...), or declare it under Parameters with a Default)',
    ])
  })

  it('two resources with one TableName', () => {
    const text = JSON.stringify({ Resources: { A: orders(), B: orders() } })
    expect(problemsOf(parseTemplate(FILE, text))).toEqual([
      `${P}Resources.B.Properties.TableName: expected a name no other table of the template ` +
        'has, got "orders" (as A has)',
    ])
  })

  it('a resource whose Condition is false is not created', () => {
    const audit = JSON.parse(JSON.stringify(orders())) as ReturnType<typeof orders>
    audit.Properties['TableName'] = 'audit'
    const template = {
      Parameters: { Stage: { Type: 'String' } },
      Conditions: { WithAudit: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Stage' }, 'test'] }] } },
      Resources: { Orders: orders(), Audit: { ...audit, Condition: 'WithAudit' } },
    }
    const names = (stage: string) =>
      tablesOf(parseTemplate(FILE, JSON.stringify(template), { Stage: stage })).map(
        (t) => t.tableName,
      )
    expect(names('test')).toEqual(['orders'])
    expect(names('prod')).toEqual(['orders', 'audit'])
    const onlyAudit = { ...template, Resources: { Audit: { ...audit, Condition: 'WithAudit' } } }
    expect(problemsOf(parseTemplate(FILE, JSON.stringify(onlyAudit), { Stage: 'test' }))).toEqual([
      `${P}Resources: expected at least one resource of Type AWS::DynamoDB::Table or ` +
        'AWS::Serverless::SimpleTable, got tables whose Condition is false (Audit) (give the ' +
        'template that defines the tables, or values in template-parameters that make their Condition true)',
    ])
    const broken = { ...template, Resources: { Audit: { ...audit, Condition: 'Missing' } } }
    expect(problemsOf(parseTemplate(FILE, JSON.stringify(broken)))).toEqual([
      `${P}Resources.Audit.Condition: expected a condition named Missing under Conditions, got ` +
        'none (add it, or fix the name)',
    ])
    const notText = { ...template, Resources: { Audit: { ...audit, Condition: 3 } } }
    expect(problemsOf(parseTemplate(FILE, JSON.stringify(notText)))).toEqual([
      `${P}Resources.Audit.Condition: expected the name of a condition under Conditions, got 3`,
    ])
  })

  it('lists and mappings of the wrong kind', () => {
    const problems = problemsOf(
      parseOne((p) => {
        p['GlobalSecondaryIndexes'] = { IndexName: 'byX' }
        p['LocalSecondaryIndexes'] = 'byY'
        p['StreamSpecification'] = 'NEW_IMAGE'
        p['Tags'] = 'team=a'
      }),
    )
    const at = `${P}Resources.Orders.Properties.`
    expect(problems).toEqual([
      `${at}GlobalSecondaryIndexes: expected a list of global secondary indexes, got {"IndexName":"byX"}`,
      `${at}LocalSecondaryIndexes: expected a list of local secondary indexes, got "byY"`,
      `${at}StreamSpecification: expected {StreamViewType}, got "NEW_IMAGE"`,
      `${at}Tags: expected a list of {Key, Value}, got "team=a"`,
    ])
  })

  it('short forms in YAML: sequences and mappings as arguments', () => {
    const yaml = (tableName: string) =>
      parseTemplate(
        FILE,
        stringify({ Resources: { Orders: orders() } }).replace(
          'TableName: orders',
          `TableName: ${tableName}`,
        ),
      )
    expect(tablesOf(yaml("!Join ['-', !Split [',', 'a,b']]"))[0]?.tableName).toBe('a-b')
    expect(problemsOf(yaml('!ToJsonString { a: 1 }'))).toEqual([
      `${at(5)}Resources.Orders.Properties.TableName: expected a value, a parameter or a function ` +
        'this action evaluates (!Ref, !Sub, !If, !Join, !Select, !Split, !FindInMap, !Base64), ' +
        'got !ToJsonString (write the value itself)',
    ])
    expect(problemsOf(yaml('!GetAtt Names.Arn'))[0]).toContain('got !GetAtt ["Names","Arn"]')
    expect(problemsOf(yaml('!GetAZs'))[0]).toContain('got !GetAZs ""')
  })

  it('Properties that are not a mapping, a TableName that is not text', () => {
    const text = JSON.stringify({
      Resources: { A: { Type: 'AWS::DynamoDB::Table', Properties: [] } },
    })
    expect(problemsOf(parseTemplate(FILE, text))).toEqual([
      `${P}Resources.A.Properties: expected a mapping of the table’s properties, got []`,
    ])
    expect(problemsOf(parseOne((p) => (p['TableName'] = 12)))).toEqual([
      `${P}Resources.Orders.Properties.TableName: expected a table name, got 12`,
    ])
  })
})

describe('intrinsic functions', () => {
  const top = {
    Parameters: {
      Stage: { Type: 'String', Default: 'dev' },
      Shard: { Type: 'Number', Default: 3 },
    },
    Mappings: { Names: { dev: { suffix: 'd' }, prod: { suffix: 'p' } } },
    Conditions: {
      IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
      ThreeShards: { 'Fn::Equals': [{ Ref: 'Shard' }, 3] },
      Both: {
        'Fn::And': [
          { Condition: 'IsDev' },
          { 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'b'] }] },
        ],
      },
    },
  }
  const name = (value: unknown, names: TemplateNames = {}) =>
    tablesOf(parseOne((p) => (p['TableName'] = value), names, top))[0]?.tableName

  it.each([
    ['Fn::Join', { 'Fn::Join': ['-', ['t', { Ref: 'Stage' }, { Ref: 'Shard' }]] }, 't-dev-3'],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, 'b'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Names', { Ref: 'Stage' }, 'suffix'] }, 'd'],
    ['Fn::Sub with its own variables', { 'Fn::Sub': ['${A}-${Stage}', { A: 'x' }] }, 'x-dev'],
    ['Fn::Sub literal ${!Name}', { 'Fn::Sub': 'a${!Stage}' }, 'a${Stage}'],
    ['Fn::If on a condition of conditions', { 'Fn::If': ['Both', 'yes', 'no'] }, 'yes'],
    ['Fn::Base64', { 'Fn::Base64': 'abc' }, 'YWJj'],
    ['Fn::Equals of a parameter and a number', { 'Fn::If': ['ThreeShards', 'y', 'n'] }, 'y'],
  ])('%s', (_, value, expected) => {
    expect(name(value)).toBe(expected)
  })

  it('a pseudo parameter given; AWS::NoValue leaves a property out', () => {
    expect(name({ 'Fn::Sub': '${AWS::Region}-t' }, { 'AWS::Region': 'eu-west-1' })).toBe(
      'eu-west-1-t',
    )
    const [table] = tablesOf(
      parseOne(
        (p) => {
          p['Tags'] = [{ 'Fn::If': ['IsDev', { Ref: 'AWS::NoValue' }, { Key: 'k', Value: 'v' }] }]
          p['SSESpecification'] = { 'Fn::If': ['IsDev', { Ref: 'AWS::NoValue' }, {}] }
        },
        {},
        top,
      ),
    )
    expect(table?.create.Tags).toBeUndefined()
    expect(table?.create).not.toHaveProperty('SSESpecification')
  })

  it.each([
    [{ 'Fn::Join': ['-'] }, '!Join with arguments as CloudFormation documents them, got ["-"]'],
    [
      { 'Fn::Select': [5, ['a']] },
      '!Select with arguments as CloudFormation documents them, got [5,["a"]]',
    ],
    [
      { 'Fn::Split': [1, 'a'] },
      '!Split with arguments as CloudFormation documents them, got [1,"a"]',
    ],
    [
      { 'Fn::Sub': ['a', 'b'] },
      '!Sub with arguments as CloudFormation documents them, got ["a","b"]',
    ],
    [{ 'Fn::Sub': 3 }, '!Sub with arguments as CloudFormation documents them, got 3'],
    [{ Ref: ['a'] }, '!Ref with arguments as CloudFormation documents them, got ["a"]'],
    [
      { 'Fn::If': [1, 'a', 'b'] },
      '!If with arguments as CloudFormation documents them, got [1,"a","b"]',
    ],
    [
      { 'Fn::If': ['Nope', 'a', 'b'] },
      'a condition named Nope under Conditions, got none (add it, or fix the name)',
    ],
    [
      { 'Fn::FindInMap': ['Names', 'qa', 'suffix'] },
      'Mappings.Names.qa.suffix (read by !FindInMap), got nothing (add it under Mappings)',
    ],
    [
      { 'Fn::Join': ['-', [{ a: 1 }]] },
      '!Join with arguments as CloudFormation documents them, got {"a":1}',
    ],
    [
      { 'Fn::If': [{ 'Fn::Equals': [1] }, 'a', 'b'] },
      '!If with arguments as CloudFormation documents them, got [{"Fn::Equals":[1]},"a","b"]',
    ],
    [{ 'Fn::Equals': ['a', 'b'] }, 'a table name, got false'],
  ])('misuse %j', (value, expected) => {
    const problems = problemsOf(parseOne((p) => (p['TableName'] = value), {}, top))
    expect(problems).toEqual([`${P}Resources.Orders.Properties.TableName: expected ${expected}`])
  })

  it('conditions misused', () => {
    const conditions = (c: unknown) =>
      problemsOf(
        parseOne(
          (p) => (p['TableName'] = { 'Fn::If': ['C', 'a', 'b'] }),
          {},
          {
            Conditions: { C: c },
          },
        ),
      )
    const at = `${P}Resources.Orders.Properties.TableName: expected `
    expect(conditions('yes')).toEqual([
      `${at}!Condition with arguments as CloudFormation documents them, got "yes"`,
    ])
    expect(conditions({ 'Fn::And': [true] })).toEqual([
      `${at}!And with arguments as CloudFormation documents them, got [true]`,
    ])
    expect(conditions({ Condition: 3 })).toEqual([
      `${at}!Condition with arguments as CloudFormation documents them, got 3`,
    ])
    expect(conditions({ 'Fn::Sub': 'x' })).toEqual([
      `${at}!Condition with arguments as CloudFormation documents them, got {"Fn::Sub":"x"}`,
    ])
  })
})

describe('matchTemplateTable', () => {
  const tables = tablesOf(
    parseTemplate(FILE, fixture('sam-orders.yaml'), { Stage: 'test', 'AWS::StackName': 'shop' }),
  )

  it('finds a table by its TableName, else by its logical id', () => {
    expect(matchTemplateTable(FILE, tables, 'test-orders')).toEqual({ ok: true, table: tables[0] })
    expect(matchTemplateTable(FILE, tables, 'SessionsTable')).toEqual({
      ok: true,
      table: tables[1],
    })
  })

  it('a TableName wins over another table’s logical id', () => {
    const renamed = tables.map((t, i) => (i === 1 ? { ...t, tableName: 'OrdersTable' } : t))
    expect(matchTemplateTable(FILE, renamed, 'OrdersTable')).toEqual({
      ok: true,
      table: renamed[1],
    })
  })

  it('names the tables there are when none matches', () => {
    expect(matchTemplateTable(FILE, tables, 'orders')).toEqual({
      ok: false,
      problem:
        `table-definition (${FILE}): expected a table named "orders" by its TableName or logical id, got only ` +
        'test-orders (OrdersTable), shop-sessions (SessionsTable) (fix the table input, or the ' +
        'values in template-parameters that build TableName)',
    })
    const unnamed = [{ ...tables[0], tableName: 'OrdersTable' } as TemplateTable]
    expect(matchTemplateTable(FILE, unnamed, 'x')).toMatchObject({
      problem: expect.stringContaining('got only OrdersTable (fix'),
    })
    expect(matchTemplateTable(FILE, [], 'x')).toMatchObject({
      problem: expect.stringContaining('got only no tables (fix'),
    })
  })
})

describe('problems name the line of the template', () => {
  it('the field itself, or the nearest one the template has', () => {
    const text = fixture('sam-orders.yaml')
      .replace(
        'AttributeName: createdAt\n              KeyType: RANGE',
        'AttributeName: created\n              KeyType: RANGE',
      )
      .replace('        Enabled: true\n', '')
    const lines = text.split('\n')
    const lineOf = (fragment: string, from = 0) =>
      lines.findIndex((l, i) => i >= from && l.includes(fragment)) + 1
    const lsi = lineOf('LocalSecondaryIndexes:')
    expect(problemsOf(parseTemplate(FILE, text, { Stage: 'dev', 'AWS::StackName': 's' }))).toEqual([
      // In the order of the file.
      `${at(lineOf('AttributeName: createdAt'))}Resources.OrdersTable.Properties.` +
        'AttributeDefinitions[3].AttributeName: expected an attribute that the KeySchema of ' +
        'the table or of a global secondary index uses (DynamoDB rejects attribute definitions ' +
        'that no key uses), got "createdAt"',
      `${at(lineOf('AttributeName: created', lsi))}Resources.OrdersTable.Properties.` +
        'LocalSecondaryIndexes[0].KeySchema[1].AttributeName: expected an attribute defined in ' +
        'AttributeDefinitions, got "created"',
      // Enabled is missing: the line of TimeToLiveSpecification.
      `${at(lineOf('TimeToLiveSpecification:'))}Resources.OrdersTable.Properties.` +
        'TimeToLiveSpecification.Enabled: expected true or false, got nothing',
    ])
    expect(lineOf('AttributeName: created', lsi)).toBeGreaterThan(lsi)
  })
})

describe('forImportTable', () => {
  const [ordersTable, sessions] = tablesOf(
    parseTemplate(FILE, fixture('sam-orders.yaml'), { Stage: 'prod', 'AWS::StackName': 'shop' }),
  )

  it('keeps what ImportTable creates, and names each field it cannot', () => {
    const { parameters, notByImportTable } = forImportTable(ordersTable as TemplateTable)
    expect(parameters).toEqual({
      TableName: 'prod-orders',
      AttributeDefinitions: ordersTable?.create.AttributeDefinitions,
      KeySchema: ordersTable?.create.KeySchema,
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { Enabled: true },
      GlobalSecondaryIndexes: ordersTable?.create.GlobalSecondaryIndexes,
    })
    expect(notByImportTable).toEqual([
      'LocalSecondaryIndexes: ImportTable cannot create local secondary indexes, and no table ' +
        'can get one after it is created: use the stream engine, or GlobalSecondaryIndexes',
      'StreamSpecification: ImportTable cannot create it; add it after the import with UpdateTable',
      'Tags: ImportTable cannot create them; add them after the import with TagResource',
      'DeletionProtectionEnabled: ImportTable cannot set it; turn it on after the import with ' +
        'UpdateTable',
    ])
  })

  it('a provisioned SimpleTable: its throughput kept; tags named; protection off is not', () => {
    const { parameters, notByImportTable } = forImportTable(sessions as TemplateTable)
    expect(parameters).toEqual({
      TableName: 'shop-sessions',
      AttributeDefinitions: [{ AttributeName: 'sessionId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'sessionId', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
    })
    expect(notByImportTable).toEqual([
      'Tags: ImportTable cannot create them; add them after the import with TagResource',
    ])
    const off = { ...ordersTable, create: { TableName: 'x', DeletionProtectionEnabled: false } }
    expect(forImportTable(off as TemplateTable).notByImportTable).toEqual([])
    const demand = {
      ...ordersTable,
      create: {
        TableName: 'x',
        OnDemandThroughput: { MaxReadRequestUnits: 4 },
        TableClass: 'STANDARD',
      },
    }
    expect(forImportTable(demand as TemplateTable)).toEqual({
      parameters: { TableName: 'x', OnDemandThroughput: { MaxReadRequestUnits: 4 } },
      notByImportTable: [
        'TableClass: ImportTable cannot set it; change it after the import with UpdateTable',
      ],
    })
  })
})
