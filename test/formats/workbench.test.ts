import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { elementLines } from '../../src/formats/json-locations.js'
import {
  looksLikeWorkbenchModel,
  MAX_WORKBENCH_MODEL_BYTES,
  parseWorkbenchModel,
  type WorkbenchModel,
} from '../../src/formats/workbench.js'

/** Shaped as NoSQL Workbench 3.0 exports a model: metadata, facets, DataAccess, its own billing. */
const SHOP = readFileSync(new URL('../fixtures/workbench/shop-model.json', import.meta.url), 'utf8')

function tables(model: WorkbenchModel) {
  if (!model.ok) throw new Error(model.problems.join('\n'))
  return model.tables
}

function problems(model: WorkbenchModel): string[] {
  if (model.ok) throw new Error('expected problems')
  return model.problems
}

/** A model of one table, its entry given. */
function oneTable(entry: unknown): string {
  return JSON.stringify({ ModelName: 'M', DataModel: [entry] })
}

const KEYS = { PartitionKey: { AttributeName: 'pk', AttributeType: 'S' } }

describe('parseWorkbenchModel', () => {
  it('makes each table CreateTable parameters: keys, GSIs with their projection, the billing given', () => {
    const [shop, products] = tables(parseWorkbenchModel('shop-model.json', SHOP, 'PROVISIONED'))
    const units = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
    expect(shop?.name).toBe('ShopData')
    expect(shop?.path).toBe('DataModel[0]')
    expect(shop?.parameters).toEqual({
      TableName: 'ShopData',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'Total', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: units,
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: units,
        },
        {
          IndexName: 'ByTotal',
          KeySchema: [{ AttributeName: 'Total', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['GSI1PK'] },
          ProvisionedThroughput: units,
        },
      ],
    })
    // An empty GlobalSecondaryIndexes is none: CreateTable refuses an empty list.
    expect(products?.parameters).toEqual({
      TableName: 'Products',
      AttributeDefinitions: [{ AttributeName: 'ProductId', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'ProductId', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: units,
    })
  })

  it('takes the billing from the caller, not the model (PAY_PER_REQUEST: no throughput anywhere)', () => {
    const [shop] = tables(parseWorkbenchModel('shop-model.json', SHOP, 'PAY_PER_REQUEST'))
    expect(shop?.parameters.BillingMode).toBe('PAY_PER_REQUEST')
    expect(shop?.billingInModel).toBe('PROVISIONED')
    expect(shop?.parameters.ProvisionedThroughput).toBeUndefined()
    expect(shop?.parameters.GlobalSecondaryIndexes?.map((i) => i.ProvisionedThroughput)).toEqual([
      undefined,
      undefined,
    ])
  })

  it("loads every facet's TableData when the table has none, each item with its path and line", () => {
    const [shop] = tables(parseWorkbenchModel('shop-model.json', SHOP, 'PAY_PER_REQUEST'))
    expect(shop?.facets).toEqual([
      { name: 'Customer', items: 1 },
      { name: 'Order', items: 2 },
    ])
    expect(shop?.records.map((r) => [r.path, r.line])).toEqual([
      ['DataModel[0].TableFacets[0].TableData[0]', 42],
      ['DataModel[0].TableFacets[1].TableData[0]', 66],
      ['DataModel[0].TableFacets[1].TableData[1]', 80],
    ])
    expect(shop?.records[0]?.result).toEqual({
      ok: true,
      item: { PK: { S: 'CUSTOMER#1' }, SK: { S: 'PROFILE' }, Email: { S: 'one@example.com' } },
    })
  })

  it('keeps numbers exact, as the text of the file', () => {
    const [shop] = tables(parseWorkbenchModel('shop-model.json', SHOP, 'PAY_PER_REQUEST'))
    const order = shop?.records[1]?.result
    expect(order?.ok && order.item['Total']).toEqual({ N: '12345678901234567890.12345' })
  })

  it('rejects an item that is not DynamoDB JSON as the item parser does, located by its path', () => {
    const [shop] = tables(parseWorkbenchModel('shop-model.json', SHOP, 'PAY_PER_REQUEST'))
    const bad = shop?.records[2]
    expect(bad?.result).toEqual({
      ok: false,
      reason:
        'DataModel[0].TableFacets[1].TableData[1]: item.Total: N must be a string, found a number',
    })
    // The rejected file gets the item as it was written.
    expect(JSON.parse(bad?.raw ?? '')).toEqual({
      PK: { S: 'CUSTOMER#1' },
      SK: { S: 'ORDER#2' },
      Total: { N: 7 },
    })
    expect(bad?.bytes).toBe(Buffer.byteLength(bad?.raw ?? ''))
  })

  it('reads TableData at table level, B decoded, the raw text keeping the base64', () => {
    const [, products] = tables(parseWorkbenchModel('shop-model.json', SHOP, 'PAY_PER_REQUEST'))
    expect(products?.facets).toEqual([])
    expect(products?.billingInModel).toBe('PAY_PER_REQUEST')
    expect(products?.records.map((r) => [r.path, r.line])).toEqual([
      ['DataModel[1].TableData[0]', 153],
      ['DataModel[1].TableData[1]', 164],
    ])
    const first = products?.records[0]
    expect(first?.result).toEqual({
      ok: true,
      item: {
        ProductId: { N: '1' },
        Name: { S: 'Kettle' },
        Photo: { B: new Uint8Array([1, 2]) },
      },
    })
    expect(first?.raw).toContain('"AQI="')
  })

  it('puts table-level items before facet items, in file order', () => {
    const text = oneTable({
      TableName: 'Both',
      KeyAttributes: KEYS,
      TableFacets: [{ FacetName: 'F', TableData: [{ pk: { S: 'facet' } }] }],
      TableData: [{ pk: { S: 'table' } }],
    })
    const [table] = tables(parseWorkbenchModel('m.json', text, 'PAY_PER_REQUEST'))
    expect(table?.records.map((r) => r.result.ok && r.result.item['pk'])).toEqual([
      { S: 'table' },
      { S: 'facet' },
    ])
    // One line: every item starts on it.
    expect(table?.records.map((r) => r.line)).toEqual([1, 1])
  })

  it('reads a model with a byte order mark, and gives its name', () => {
    const model = parseWorkbenchModel('m.json', `\uFEFF${SHOP}`, 'PAY_PER_REQUEST')
    expect(model.ok && model.modelName).toBe('Shop')
    expect(tables(model).map((t) => t.name)).toEqual(['ShopData', 'Products'])
  })

  it('reports every problem of the structure at once, each with the file and its path', () => {
    const text = JSON.stringify({
      ModelName: 'Broken',
      DataModel: [
        {
          TableName: 'x',
          KeyAttributes: {
            PartitionKey: { AttributeName: 'pk', AttributeType: 'BOOL' },
            SortKey: { AttributeName: '' },
          },
        },
        {
          TableName: 'Good',
          KeyAttributes: KEYS,
          GlobalSecondaryIndexes: [
            {
              IndexName: 'ix0',
              KeyAttributes: { PartitionKey: { AttributeName: 'pk', AttributeType: 'N' } },
              Projection: { ProjectionType: 'SOME' },
            },
            {
              IndexName: 'inc',
              KeyAttributes: { PartitionKey: { AttributeName: 'a', AttributeType: 'S' } },
              Projection: { ProjectionType: 'INCLUDE' },
            },
            {
              IndexName: 'keys',
              KeyAttributes: { PartitionKey: { AttributeName: 'b', AttributeType: 'S' } },
              Projection: { ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['c'] },
            },
          ],
          TableFacets: [null],
          TableData: {},
        },
        'table',
        { TableName: 'Good', KeyAttributes: KEYS },
      ],
    })
    expect(problems(parseWorkbenchModel('models/m.json', text, 'PAY_PER_REQUEST'))).toEqual([
      'models/m.json: DataModel[0].TableName: expected a table name of 3-255 characters a-z, A-Z, 0-9, _ . -, found "x"',
      'models/m.json: DataModel[0].KeyAttributes.PartitionKey.AttributeType: expected S, N or B (a key attribute is a string, number or binary), found "BOOL"',
      'models/m.json: DataModel[0].KeyAttributes.SortKey.AttributeName: expected a name of 1-255 characters, found ""',
      'models/m.json: DataModel[0].KeyAttributes.SortKey.AttributeType: expected S, N or B (a key attribute is a string, number or binary), found nothing',
      'models/m.json: DataModel[1].GlobalSecondaryIndexes[0].KeyAttributes.PartitionKey.AttributeType: expected S, the type DataModel[1].KeyAttributes.PartitionKey gives "pk" (an attribute has one type in DataModel[1]), found "N"',
      'models/m.json: DataModel[1].GlobalSecondaryIndexes[0].Projection.ProjectionType: expected ALL, KEYS_ONLY or INCLUDE, found "SOME"',
      'models/m.json: DataModel[1].GlobalSecondaryIndexes[1].Projection.NonKeyAttributes: expected an array of 1-20 attribute names with ProjectionType INCLUDE, found nothing',
      'models/m.json: DataModel[1].GlobalSecondaryIndexes[2].Projection.NonKeyAttributes: expected nothing with ProjectionType KEYS_ONLY (only INCLUDE names attributes), found an array',
      'models/m.json: DataModel[1].TableData: expected an array of items in DynamoDB JSON, found an object',
      'models/m.json: DataModel[1].TableFacets[0]: expected a facet, {"FacetName", "TableData", …}, found null',
      'models/m.json: DataModel[2]: expected a table, {"TableName", "KeyAttributes", …}, found "table"',
    ])
  })

  it('refuses two tables of one name, naming where the first is', () => {
    const text = JSON.stringify({
      ModelName: 'M',
      DataModel: [
        { TableName: 'Same', KeyAttributes: KEYS },
        { TableName: 'Same', KeyAttributes: KEYS },
      ],
    })
    expect(problems(parseWorkbenchModel('m.json', text, 'PAY_PER_REQUEST'))).toEqual([
      'm.json: DataModel[1].TableName: expected a name no other table of the model has, found "Same", as DataModel[0] has',
    ])
  })

  it.each([
    [
      'a sort key named as the partition key',
      {
        TableName: 'T12',
        KeyAttributes: { ...KEYS, SortKey: { AttributeName: 'pk', AttributeType: 'S' } },
      },
      'm.json: DataModel[0].KeyAttributes.SortKey.AttributeName: expected a name other than the partition key, found "pk"',
    ],
    [
      'no KeyAttributes',
      { TableName: 'T12' },
      'm.json: DataModel[0].KeyAttributes: expected {"PartitionKey": {"AttributeName", "AttributeType"}, "SortKey"?: …}, found nothing',
    ],
    [
      'a partition key that is not an object',
      { TableName: 'T12', KeyAttributes: { PartitionKey: 'pk' } },
      'm.json: DataModel[0].KeyAttributes.PartitionKey: expected {"AttributeName", "AttributeType"}, found "pk"',
    ],
    [
      'GlobalSecondaryIndexes not an array',
      { TableName: 'T12', KeyAttributes: KEYS, GlobalSecondaryIndexes: {} },
      'm.json: DataModel[0].GlobalSecondaryIndexes: expected an array of indexes, found an object',
    ],
    [
      'an index that is not an object',
      { TableName: 'T12', KeyAttributes: KEYS, GlobalSecondaryIndexes: [3] },
      'm.json: DataModel[0].GlobalSecondaryIndexes[0]: expected an index, {"IndexName", "KeyAttributes", "Projection"}, found 3',
    ],
    [
      'two indexes of one name',
      {
        TableName: 'T12',
        KeyAttributes: KEYS,
        GlobalSecondaryIndexes: [
          { IndexName: 'ix1', KeyAttributes: KEYS },
          { IndexName: 'ix1', KeyAttributes: KEYS },
        ],
      },
      'm.json: DataModel[0].GlobalSecondaryIndexes[1].IndexName: expected a name no other index of the table has, found "ix1"',
    ],
    [
      'a bad index name',
      {
        TableName: 'T12',
        KeyAttributes: KEYS,
        GlobalSecondaryIndexes: [{ IndexName: 'a b', KeyAttributes: KEYS }],
      },
      'm.json: DataModel[0].GlobalSecondaryIndexes[0].IndexName: expected an index name of 3-255 characters a-z, A-Z, 0-9, _ . -, found "a b"',
    ],
    [
      'a projection that is not an object',
      {
        TableName: 'T12',
        KeyAttributes: KEYS,
        GlobalSecondaryIndexes: [{ IndexName: 'ix1', KeyAttributes: KEYS, Projection: 'ALL' }],
      },
      'm.json: DataModel[0].GlobalSecondaryIndexes[0].Projection: expected {"ProjectionType": "ALL", "KEYS_ONLY" or "INCLUDE"}, found "ALL"',
    ],
    [
      'TableFacets not an array',
      { TableName: 'T12', KeyAttributes: KEYS, TableFacets: true },
      'm.json: DataModel[0].TableFacets: expected an array of facets, found true',
    ],
    [
      'a long table name, cut in the message',
      { TableName: 'n'.repeat(300), KeyAttributes: KEYS },
      `m.json: DataModel[0].TableName: expected a table name of 3-255 characters a-z, A-Z, 0-9, _ . -, found "${'n'.repeat(80)}…"`,
    ],
  ])('refuses %s', (_, entry, problem) => {
    expect(problems(parseWorkbenchModel('m.json', oneTable(entry), 'PAY_PER_REQUEST'))).toEqual([
      problem,
    ])
  })

  it('takes an index without Projection as ALL, and its facets without names by their path', () => {
    const text = oneTable({
      TableName: 'T12',
      KeyAttributes: KEYS,
      GlobalSecondaryIndexes: [
        {
          IndexName: 'ix1',
          KeyAttributes: { PartitionKey: { AttributeName: 'g', AttributeType: 'B' } },
        },
      ],
      TableFacets: [{ TableData: [] }, { FacetName: 'NoData' }],
    })
    const [table] = tables(parseWorkbenchModel('m.json', text, 'PAY_PER_REQUEST'))
    expect(table?.parameters.GlobalSecondaryIndexes?.[0]?.Projection).toEqual({
      ProjectionType: 'ALL',
    })
    expect(table?.parameters.AttributeDefinitions).toContainEqual({
      AttributeName: 'g',
      AttributeType: 'B',
    })
    expect(table?.facets).toEqual([
      { name: 'DataModel[0].TableFacets[0]', items: 0 },
      { name: 'NoData', items: 0 },
    ])
  })

  it.each([
    [
      'text that is not JSON',
      '{"DataModel": [',
      'expected a NoSQL Workbench data model (one JSON document), found text that is not valid JSON: check the file is the model as Workbench exports it (File > Export)',
    ],
    [
      'an array',
      '[]',
      'expected a NoSQL Workbench data model, {"ModelName": …, "DataModel": [tables]}, found an array',
    ],
    [
      'an object without DataModel',
      '{"ModelName": "M"}',
      'expected a NoSQL Workbench data model, {"ModelName": …, "DataModel": [tables]}, found an object without a "DataModel" array',
    ],
    [
      'no tables',
      '{"ModelName": "M", "DataModel": []}',
      'DataModel: expected at least one table, found an empty array',
    ],
  ])('refuses %s', (_, text, problem) => {
    expect(problems(parseWorkbenchModel('m.json', text, 'PAY_PER_REQUEST'))).toEqual([
      `m.json: ${problem}`,
    ])
  })

  it('refuses a model larger than it reads whole, before parsing it', () => {
    const text = `{"DataModel": [], "Pad": "${'x'.repeat(MAX_WORKBENCH_MODEL_BYTES)}"}`
    expect(problems(parseWorkbenchModel('big.json', text, 'PAY_PER_REQUEST'))).toEqual([
      `big.json: the model is ${Buffer.byteLength(text)} bytes, more than the ${MAX_WORKBENCH_MODEL_BYTES} a NoSQL Workbench model is read whole up to: split its tables into request-items files`,
    ])
  })
})

describe('looksLikeWorkbenchModel', () => {
  const bytes = (text: string) => new TextEncoder().encode(text)

  it('recognises a model by DataModel next to ModelName or ModelMetadata near the start', () => {
    expect(looksLikeWorkbenchModel(bytes(SHOP.slice(0, 1024)))).toBe(true)
    expect(looksLikeWorkbenchModel('\uFEFF  {"ModelName": "M", "DataModel": [')).toBe(true)
    expect(looksLikeWorkbenchModel('{"ModelMetadata": {}, "DataModel" : [')).toBe(true)
  })

  it.each([
    ['DataModel alone', '{"DataModel": [{"TableName": "T"}]}'],
    ['ModelName alone', '{"ModelName": "M"}'],
    ['a JSON array', '[{"ModelName": "M", "DataModel": []}]'],
    [
      'a JSON Lines item that mentions them in values',
      '{"Item": {"s": {"S": "\\"DataModel\\": ["}}}',
    ],
    [
      'names beyond the first 4 KB',
      `{"Pad": "${'x'.repeat(5000)}", "ModelName": "M", "DataModel": []}`,
    ],
  ])('does not take %s for a model', (_, head) => {
    expect(looksLikeWorkbenchModel(head)).toBe(false)
  })
})

describe('elementLines', () => {
  it('gives the line each wanted element starts on, through strings with brackets and escapes', () => {
    const text = [
      '{"a": "x]\\"[,",', // 1
      ' "list": [', // 2
      '  1,', // 3
      '  {"deep": [true, null]},', // 4
      '  "s"', // 5
      ' ], "n": -1.5e3}', // 6
    ].join('\n')
    expect(JSON.parse(text)).toBeTruthy()
    expect([...elementLines(text, 4, () => true)]).toEqual([
      ['list[0]', 3],
      ['list[1]', 4],
      ['list[1].deep[0]', 4],
      ['list[1].deep[1]', 4],
      ['list[2]', 5],
    ])
    expect([...elementLines(text, 3, (path) => !path.includes('.deep'))].map(([p]) => p)).toEqual([
      'list[0]',
      'list[1]',
      'list[2]',
    ])
  })
})
