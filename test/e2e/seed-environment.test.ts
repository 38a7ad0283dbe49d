// One step seeds a whole test environment: every table a NoSQL Workbench model, a request-items
// file or a SAM template names, created as defined and loaded exactly. Through the built action
// (dist/index.js) against DynamoDB Local.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { DescribeTimeToLiveCommand, type TableDescription } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import {
  canonical,
  describedTable,
  localInputs,
  runDist,
  scanAll,
  stateEnv,
  sortedCanonical,
  tableWith,
  uniqueName,
  withDynamoDB,
  workspaceWith,
  type Item,
} from '../support/helpers.js'

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures')

async function describeTable(table: string): Promise<TableDescription> {
  const described = await describedTable(table)
  if (!described) throw new Error(`no table ${table}`)
  return described
}

async function timeToLive(table: string): Promise<unknown> {
  return withDynamoDB(
    async (client) =>
      (await client.send(new DescribeTimeToLiveCommand({ TableName: table })))
        .TimeToLiveDescription,
  )
}

/** Each table of the `tables` output. */
function tablesOutput(outputs: Record<string, string>): unknown {
  return JSON.parse(outputs['tables'] ?? 'null')
}

const S = (s: string) => ({ S: s })
const N = (n: string) => ({ N: n })

describe('seeding every table of a test environment in one step', () => {
  it("creates and loads every table of a NoSQL Workbench model, facets' data included", async () => {
    const shop = uniqueName('ShopData')
    const products = uniqueName('Products')
    const model = fs
      .readFileSync(path.join(FIXTURES, 'workbench', 'shop-model.json'), 'utf8')
      .replace('"ShopData"', JSON.stringify(shop))
      .replace('"Products"', JSON.stringify(products))
    const workspace = workspaceWith({ 'models/shop.json': model })
    const { table: _, ...inputs } = localInputs()
    const run = await runDist(
      { ...inputs, source: 'models/shop.json', 'max-errors': '1' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(run.code, run.stdout.slice(-3000)).toBe(0)
    expect(tablesOutput(run.outputs)).toEqual([
      {
        table: shop,
        status: 'FAILED',
        failureCode: 'ItemValidationError',
        tableArn: expect.stringContaining(`table/${shop}`),
        imported: 2,
        rejected: 1,
        created: true,
      },
      {
        table: products,
        status: 'COMPLETED',
        tableArn: expect.stringContaining(`table/${products}`),
        imported: 2,
        rejected: 0,
        created: true,
      },
    ])
    expect(run.outputs['imported-item-count']).toBe('4')
    expect(run.outputs['error-count']).toBe('1')
    expect(run.outputs['table-arn']).toBe('')
    // The bad item is located in the model, by file and line.
    expect(run.stdout).toMatch(
      /::warning title=Rejected record%3A invalid record,file=models\/shop\.json,line=80::models\/shop\.json:80: DataModel\[0\]\.TableFacets\[1\]\.TableData\[1\]: item\.Total: N must be a string, found a number/,
    )
    const described = await describeTable(shop)
    expect(described.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ])
    expect(
      (described.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.Projection]).sort(),
    ).toEqual([
      ['ByTotal', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['GSI1PK'] }],
      ['GSI1', { ProjectionType: 'ALL' }],
    ])
    expect(sortedCanonical(await scanAll(shop), 'PK', 'SK')).toEqual(
      sortedCanonical(
        [
          { PK: S('CUSTOMER#1'), SK: S('PROFILE'), Email: S('one@example.com') },
          {
            PK: S('CUSTOMER#1'),
            SK: S('ORDER#1'),
            GSI1PK: S('ORDER#1'),
            Total: N('12345678901234567890.12345'),
          },
        ],
        'PK',
        'SK',
      ),
    )
    const productItems = sortedCanonical(await scanAll(products), 'ProductId')
    expect(productItems).toEqual(
      sortedCanonical(
        [
          { ProductId: N('1'), Name: S('Kettle'), Photo: { B: Buffer.from('AQI=', 'base64') } },
          { ProductId: N('2'), Tags: { SS: ['kitchen', 'steel'] } },
        ],
        'ProductId',
      ),
    )
    expect(run.summary).toContain('### Tables')
  })

  it('loads each table of a two-table request-items file, puts and deletes in file order', async () => {
    const orders = await tableWith('S', 'N')
    const audit = await tableWith('S')
    const file = JSON.stringify(
      {
        [orders]: [
          { PutRequest: { Item: { pk: S('a'), sk: N('1'), total: N('10.50') } } },
          { PutRequest: { Item: { pk: S('a'), sk: N('2') } } },
          { DeleteRequest: { Key: { pk: S('a'), sk: N('1') } } },
          {
            PutRequest: {
              Item: { pk: S('b'), sk: N('1'), total: N('99999999999999999999999999999999999999') },
            },
          },
        ],
        [audit]: [
          { PutRequest: { Item: { pk: S('x'), note: S('first') } } },
          { PutRequest: { Item: { pk: S('x'), note: S('second') } } },
          { PutRequest: { Item: { pk: { N: 5 } } } },
        ],
      },
      null,
      2,
    )
    const workspace = workspaceWith({ 'seed/requests.json': file })
    const { table: _, ...inputs } = localInputs()
    const run = await runDist(
      { ...inputs, source: 'seed/requests.json', 'max-errors': '1' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(run.code, run.stdout.slice(-3000)).toBe(0)
    expect(sortedCanonical(await scanAll(orders), 'pk', 'sk')).toEqual(
      sortedCanonical(
        [
          { pk: S('a'), sk: N('2') },
          { pk: S('b'), sk: N('1'), total: N('99999999999999999999999999999999999999') },
        ],
        'pk',
        'sk',
      ),
    )
    expect((await scanAll(audit)).map((i: Item) => canonical(i))).toEqual([
      canonical({ pk: S('x'), note: S('second') }),
    ])
    expect(tablesOutput(run.outputs)).toEqual([
      {
        table: orders,
        status: 'COMPLETED',
        tableArn: expect.stringContaining(orders),
        imported: 4,
        rejected: 0,
        created: false,
      },
      {
        table: audit,
        status: 'FAILED',
        failureCode: 'ItemValidationError',
        tableArn: expect.stringContaining(audit),
        imported: 2,
        rejected: 1,
        created: false,
      },
    ])
    expect(run.outputs['processed-item-count']).toBe('7')
    expect(run.stdout).toMatch(/file=seed\/requests\.json,line=\d+::seed\/requests\.json:\d+: /)
  })

  it("loads a scan output's Items into the table", async () => {
    const table = await tableWith('S')
    const scan = JSON.stringify(
      {
        Items: [
          { pk: S('one'), n: N('1.50') },
          { pk: S('two'), l: { L: [S('x'), N('2')] } },
        ],
        Count: 2,
        ScannedCount: 2,
        ConsumedCapacity: null,
      },
      null,
      4,
    )
    const workspace = workspaceWith({ 'scan.json': scan })
    const run = await runDist(
      { ...localInputs(), table, source: 'scan.json' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(run.code, run.stdout.slice(-3000)).toBe(0)
    expect(sortedCanonical(await scanAll(table), 'pk')).toEqual(
      sortedCanonical(
        [
          { pk: S('one'), n: N('1.50') },
          { pk: S('two'), l: { L: [S('x'), N('2')] } },
        ],
        'pk',
      ),
    )
    expect(run.outputs['imported-item-count']).toBe('2')
  })

  it("creates a SAM template's tables with their GSI, LSI and TTL, and loads its data by logical id", async () => {
    const stage = uniqueName('ci')
    const template = fs.readFileSync(path.join(FIXTURES, 'templates', 'seed-orders.yaml'), 'utf8')
    const data = JSON.stringify({
      OrdersTable: [
        {
          PutRequest: {
            Item: {
              pk: S('c#1'),
              sk: S('o#1'),
              createdAt: N('1700000000'),
              gsi1pk: S('c#1'),
              total: N('12.30'),
            },
          },
        },
        {
          PutRequest: {
            Item: {
              pk: S('c#1'),
              sk: S('o#2'),
              createdAt: N('1700000100'),
              expiresAt: N('4102444800'),
            },
          },
        },
      ],
    })
    const workspace = workspaceWith({ 'infra/template.yaml': template, 'seed/orders.json': data })
    const { table: _, ...inputs } = localInputs()
    const run = await runDist(
      {
        ...inputs,
        source: 'seed/orders.json',
        'table-definition': 'infra/template.yaml',
        'template-parameters': `Stage=${stage}`,
      },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(run.code, run.stdout.slice(-3000)).toBe(0)
    const orders = `${stage}-orders`
    const sessions = `${stage}-sessions`
    expect(tablesOutput(run.outputs)).toEqual([
      {
        table: orders,
        status: 'COMPLETED',
        tableArn: expect.stringContaining(orders),
        imported: 2,
        rejected: 0,
        created: true,
      },
      {
        table: sessions,
        status: 'COMPLETED',
        tableArn: expect.stringContaining(sessions),
        imported: 0,
        rejected: 0,
        created: true,
      },
    ])
    const described = await describeTable(orders)
    expect(described.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['byCustomer'])
    expect(described.LocalSecondaryIndexes?.map((l) => [l.IndexName, l.KeySchema])).toEqual([
      [
        'byCreatedAt',
        [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
      ],
    ])
    expect(await timeToLive(orders)).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    })
    expect((await describeTable(sessions)).KeySchema).toEqual([
      { AttributeName: 'sessionId', KeyType: 'HASH' },
    ])
    expect(sortedCanonical(await scanAll(orders), 'pk', 'sk')).toEqual(
      sortedCanonical(
        [
          {
            pk: S('c#1'),
            sk: S('o#1'),
            createdAt: N('1700000000'),
            gsi1pk: S('c#1'),
            total: N('12.30'),
          },
          { pk: S('c#1'), sk: S('o#2'), createdAt: N('1700000100'), expiresAt: N('4102444800') },
        ],
        'pk',
        'sk',
      ),
    )
    expect(await scanAll(sessions)).toEqual([])
  })

  it("deletes in the post step the template's tables the step created, never the one that existed", async () => {
    const stage = uniqueName('post')
    const template = fs.readFileSync(path.join(FIXTURES, 'templates', 'seed-orders.yaml'), 'utf8')
    // The sessions table exists before the step: it must outlive the post step.
    const sessions = await tableWith('S', undefined, { TableName: `${stage}-sessions` })
    const data = JSON.stringify({
      [`${stage}-sessions`]: [{ PutRequest: { Item: { pk: S('s#1') } } }],
      OrdersTable: [{ PutRequest: { Item: { pk: S('c#1'), sk: S('o#1'), createdAt: N('1') } } }],
    })
    const workspace = workspaceWith({ 'infra/template.yaml': template, 'seed.json': data })
    const { table: _, ...common } = localInputs()
    const inputs = {
      ...common,
      source: 'seed.json',
      'table-definition': 'infra/template.yaml',
      'template-parameters': `Stage=${stage}`,
      'delete-created-tables': 'true',
    }
    const main = await runDist(inputs, { GITHUB_WORKSPACE: workspace })
    expect(main.code, main.stdout.slice(-3000)).toBe(0)
    expect(
      (tablesOutput(main.outputs) as Array<{ table: string; created: boolean }>).map((t) => [
        t.table,
        t.created,
      ]),
    ).toEqual([
      [sessions, false],
      [`${stage}-orders`, true],
    ])
    const post = await runDist(inputs, { GITHUB_WORKSPACE: workspace, ...stateEnv(main.state) })
    expect(post.code, post.stdout.slice(-3000)).toBe(0)
    expect(post.stdout).toContain(`Deleted table ${stage}-orders (created by this step).`)
    expect(post.stdout).not.toContain(`Deleted table ${sessions}`)
    expect(await scanAll(sessions)).toEqual([{ pk: S('s#1') }])
    expect(await describedTable(`${stage}-orders`)).toBeUndefined()
  })
})
