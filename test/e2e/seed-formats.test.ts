// The files people already keep their test data in, read through the built action into one
// table: DynamoDB JSON arrays, the output of `aws dynamodb scan`, a NoSQL Workbench model, and a
// request-items file that names several tables. Each loads exactly, and a bad item in it is
// rejected at its file and line.
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import {
  dynamodb,
  fromDynamoDBJson,
  localInputs,
  rejectedLines,
  runDist,
  scanAll,
  sortedCanonical,
  tableWith,
  uniqueName,
  workspaceWith,
  type Item,
} from '../support/helpers.js'

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }

/** A run of the built action on the workspace files, into `table`. */
function importFiles(files: Record<string, string>, inputs: Record<string, string>) {
  const workspace = workspaceWith(files)
  return runDist({ ...localInputs(), ...inputs }, { ...CREDENTIALS, GITHUB_WORKSPACE: workspace })
}

/** The table's items, comparable with the expected DynamoDB JSON items. */
async function contentOf(table: string, ...keys: string[]) {
  return sortedCanonical(await scanAll(table), ...keys)
}

function expected(items: unknown[], ...keys: string[]) {
  return sortedCanonical(
    items.map((item) => fromDynamoDBJson(item) as Item),
    ...keys,
  )
}

/** The line of `text` on which `marker` is, counted from 1. */
function lineOf(text: string, marker: string): number {
  const at = text.indexOf(marker)
  expect(at).toBeGreaterThanOrEqual(0)
  return text.slice(0, at).split('\n').length
}

// Items as fixture files keep them: a 25-digit number (exact, never a JS number), a binary, a map.
const items = [
  { pk: { S: 'a' }, total: { N: '1234567890123456789012345' }, tags: { SS: ['x', 'y'] } },
  { pk: { S: 'b' }, blob: { B: 'AAEC' }, spec: { M: { size: { N: '3' }, ok: { BOOL: true } } } },
  { pk: { S: 'c' }, none: { NULL: true }, list: { L: [{ S: 'p' }, { N: '-0.5' }] } },
]
// N as a JSON number: rejected, with the attribute path in the reason.
const bad = { pk: { S: 'bad' }, price: { N: 5 } }

describe('DynamoDB JSON as an array (serverless-dynamodb-local rawsources, scan --query Items)', () => {
  const bare = JSON.stringify([...items, bad], null, 2)
  const wrapped = JSON.stringify(
    [...items, bad].map((Item) => ({ Item })),
    null,
    4,
  )
  const cases = [
    { name: 'bare items, input-format auto', file: bare, format: 'auto' },
    { name: 'bare items, input-format DYNAMODB_JSON', file: bare, format: 'DYNAMODB_JSON' },
    { name: 'wrapped items, input-format auto', file: wrapped, format: 'auto' },
    { name: 'wrapped items, input-format DYNAMODB_JSON', file: wrapped, format: 'DYNAMODB_JSON' },
  ]
  for (const { name, file, format } of cases) {
    it(`loads ${name} exactly, and rejects a bad item at its line`, async () => {
      const table = await tableWith('S')
      const run = await importFiles(
        { 'seed/rawsources.json': file },
        { table, source: 'seed/rawsources.json', 'input-format': format, 'max-errors': '1' },
      )
      // As ImportTable says of an import with a bad item; within max-errors the step passes.
      expect(run.code).toBe(0)
      expect(run.outputs).toMatchObject({
        status: 'FAILED',
        'processed-item-count': '4',
        'imported-item-count': '3',
        'error-count': '1',
      })
      expect(await contentOf(table, 'pk')).toEqual(expected(items, 'pk'))
      const items_ = file === bare ? 'without' : 'with'
      expect(run.stdout).toContain(
        `seed/rawsources.json: read as a JSON array of DynamoDB JSON items ${items_} the Item wrapper`,
      )
      // The element's opening brace: `"S": "bad"` is 2 lines into a bare item, 3 into a wrapped one.
      const line = lineOf(file, '"bad"') - (file === bare ? 2 : 3)
      expect(run.stdout).toMatch(
        new RegExp(
          `::warning title=Rejected record%3A invalid record,file=seed/rawsources.json,line=${line}::seed/rawsources.json:${line}: document\\[3\\]: (Item|item)\\.price: N must be a string, found a number`,
        ),
      )
    })
  }
})

describe('the output of aws dynamodb scan', () => {
  it('loads its Items exactly, warns that a NextToken means a first page only, rejects a bad item at its line', async () => {
    const table = await tableWith('S')
    // As the CLI prints it: 4 spaces, Items first, the counts and the token after.
    const scan = JSON.stringify(
      { Items: [...items, bad], Count: 4, ScannedCount: 4, NextToken: 'eyJ0b2tlbiI6IDF9' },
      null,
      4,
    )
    const run = await importFiles(
      { 'fixtures/scan.json': scan },
      { table, source: 'fixtures/scan.json', 'max-errors': '1' },
    )
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      status: 'FAILED',
      'processed-item-count': '4',
      'imported-item-count': '3',
      'error-count': '1',
    })
    expect(await contentOf(table, 'pk')).toEqual(expected(items, 'pk'))
    expect(run.stdout).toContain(
      'fixtures/scan.json: read as the output of aws dynamodb scan (input-format auto: from its first bytes)',
    )
    expect(run.stdout).toContain(
      '::warning::fixtures/scan.json: the scan output has a NextToken: it holds only the first page of the scan, 4 items; run the scan without --max-items or --no-paginate to get them all',
    )
    const line = lineOf(scan, '"bad"') - 2
    expect(run.stdout).toContain(
      `::warning title=Rejected record%3A invalid record,file=fixtures/scan.json,line=${line}::fixtures/scan.json:${line}: Items[3]: item.price: N must be a string, found a number`,
    )
  })
})

/** A NoSQL Workbench model as Workbench 3.0 exports it (File > Export), pretty-printed. */
function model(tables: object[]): string {
  return JSON.stringify(
    {
      ModelName: 'Shop',
      ModelMetadata: { Author: '', Version: '3.0', AWSService: 'Amazon DynamoDB' },
      DataModel: tables,
    },
    null,
    2,
  )
}

function modelTable(name: string, tableData: object[], facets: object[][]) {
  return {
    TableName: name,
    KeyAttributes: {
      PartitionKey: { AttributeName: 'pk', AttributeType: 'S' },
      SortKey: { AttributeName: 'sk', AttributeType: 'S' },
    },
    NonKeyAttributes: [{ AttributeName: 'total', AttributeType: 'N' }],
    TableFacets: facets.map((TableData, i) => ({
      FacetName: `Facet${i}`,
      KeyAttributeAlias: { PartitionKeyAlias: 'Id', SortKeyAlias: 'Kind' },
      TableData,
      DataAccess: { MySql: {} },
    })),
    TableData: tableData,
    DataAccess: { MySql: {} },
    BillingMode: 'PAY_PER_REQUEST',
  }
}

const customer = { pk: { S: 'C#1' }, sk: { S: 'PROFILE' }, email: { S: 'one@example.com' } }
const order = { pk: { S: 'C#1' }, sk: { S: 'ORDER#1' }, total: { N: '0.1000000000000000055511' } }
const product = { pk: { S: 'P#1' }, sk: { S: 'PRODUCT' }, data: { B: 'AAEC' } }
const badOrder = { pk: { S: 'C#1' }, sk: { S: 'ORDER#2' }, total: { N: 12.5 } }

describe('a NoSQL Workbench model', () => {
  it("loads its table's TableData and every facet's TableData into a table made with key-schema", async () => {
    const table = uniqueName('Shop')
    // Only in facets, as some models keep them, and one at table level.
    const text = model([modelTable(table, [product], [[customer], [order, badOrder]])])
    const run = await importFiles(
      { 'models/shop.json': text },
      { table, source: 'models/shop.json', 'key-schema': 'pk:S,sk:S', 'max-errors': '1' },
    )
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      status: 'FAILED',
      'processed-item-count': '4',
      'imported-item-count': '3',
      'error-count': '1',
    })
    expect(await contentOf(table, 'pk', 'sk')).toEqual(
      expected([product, customer, order], 'pk', 'sk'),
    )
    expect(run.stdout).toContain(
      'models/shop.json: read as a NoSQL Workbench data model (input-format auto: from its first bytes)',
    )
    const line = lineOf(text, '"ORDER#2"') - 5
    expect(run.stdout).toContain(
      `::warning title=Rejected record%3A invalid record,file=models/shop.json,line=${line}::models/shop.json:${line}: DataModel[0].TableFacets[1].TableData[1]: item.total: N must be a string, found a number`,
    )
  })

  it('of several tables, loads the one the table input names, with input-format NOSQL_WORKBENCH', async () => {
    const table = await tableWith('S', 'S')
    const text = model([
      modelTable(uniqueName('Other'), [product], [[customer]]),
      modelTable(table, [order], []),
    ])
    const run = await importFiles(
      { 'models/shop.json': text },
      { table, source: 'models/shop.json', 'input-format': 'NOSQL_WORKBENCH' },
    )
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ 'processed-item-count': '1', 'imported-item-count': '1' })
    expect(await contentOf(table, 'pk', 'sk')).toEqual(expected([order], 'pk', 'sk'))
  })

  it('of several tables, none of them the table input, fails the step before anything is written, and says why', async () => {
    const table = await tableWith('S', 'S')
    const text = model([
      modelTable('Customers', [customer], []),
      modelTable('Products', [product], []),
    ])
    const run = await importFiles(
      { 'models/shop.json': text },
      { table, source: 'models/shop.json' },
    )
    expect(run.code).toBe(1)
    expect(await scanAll(table)).toEqual([])
    expect(run.stdout).toContain(
      `::error::table: expected one of the 2 tables the source names (Customers, Products), got "${table}": give one of them, or leave table out to load every one.`,
    )
  })

  it('that is not a valid model fails the step before anything is written, with every problem', async () => {
    const table = await tableWith('S', 'S')
    const broken = modelTable('Shop', [customer], [])
    const text = model([
      { ...broken, KeyAttributes: { PartitionKey: { AttributeName: 'pk', AttributeType: 'M' } } },
      { ...broken, TableName: 'x' },
    ])
    const run = await importFiles(
      { 'models/shop.json': text },
      { table, source: 'models/shop.json', 'input-format': 'NOSQL_WORKBENCH' },
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'models/shop.json: DataModel[0].KeyAttributes.PartitionKey.AttributeType: expected S, N or B (a key attribute is a string, number or binary), found "M"%0Amodels/shop.json: DataModel[1].TableName: expected a table name of 3-255 characters a-z, A-Z, 0-9, _ . -, found "x"',
    )
  })
})

describe('a request-items file that names several tables', () => {
  it('loads only the puts and deletes of the table the table input names', async () => {
    const table = await tableWith('S')
    const client = dynamodb()
    try {
      await client.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: 'gone' }, old: { BOOL: true } } }),
      )
    } finally {
      client.destroy()
    }
    const other = uniqueName('Other')
    const text = JSON.stringify(
      {
        [other]: [
          { PutRequest: { Item: { pk: { S: 'other-1' } } } },
          { DeleteRequest: { Key: { pk: { S: 'a' } } } },
        ],
        [table]: [
          ...items.map((Item) => ({ PutRequest: { Item } })),
          { DeleteRequest: { Key: { pk: { S: 'gone' } } } },
          { PutRequest: { Item: bad } },
        ],
      },
      null,
      2,
    )
    const run = await importFiles(
      { 'seed/requests.json': text },
      { table, source: 'seed/requests.json', 'max-errors': '1' },
    )
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      status: 'FAILED',
      'processed-item-count': '5',
      'error-count': '1',
    })
    // The other table's put is not here, its delete did not delete "a", and "gone" is gone.
    expect(await contentOf(table, 'pk')).toEqual(expected(items, 'pk'))
    expect(run.stdout).toContain(
      `seed/requests.json names 2 tables ("${other}", "${table}"): only ${table}, the table input, is loaded; "${other}" skipped`,
    )
    const line = lineOf(text, '"bad"') - 4
    expect(run.stdout).toContain(
      `::warning title=Rejected record%3A invalid record,file=seed/requests.json,line=${line}::seed/requests.json:${line}: "${table}"[4].PutRequest.Item.price: N must be a string, found a number`,
    )
    const rejected = rejectedLines(run.outputs['rejected-file'] as string)
    expect(rejected.map((r) => r.location)).toEqual([
      expect.stringMatching(new RegExp(`/seed/requests\\.json:${line}$`)),
    ])
  })
})
