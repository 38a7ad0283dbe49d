import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ChunkRecordParser, ParsedRecord } from '../../src/formats/record.js'
import { pickTable, scanOutputParser, workbenchParser } from '../../src/formats/whole-object.js'
import {
  billingWarning,
  MAX_WORKBENCH_MODEL_BYTES,
  parseWorkbenchModel,
} from '../../src/formats/workbench.js'
import { MAX_SCAN_OUTPUT_BYTES } from '../../src/formats/scan-output.js'

const SHOP = readFileSync(new URL('../fixtures/workbench/shop-model.json', import.meta.url), 'utf8')

/** The records a parser makes of the text, pushed in chunks of `size` bytes. */
function read(parser: ChunkRecordParser, text: string | Uint8Array, size = 100): ParsedRecord[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  const records: ParsedRecord[] = []
  for (let at = 0; at < bytes.length; at += size) {
    records.push(...parser.push(bytes.subarray(at, at + size)))
  }
  return [...records, ...parser.end()]
}

/** Records as `line: key` or `line: reason`. */
function shown(records: ParsedRecord[]): string[] {
  return records.map((r) => {
    if (r.broken) return `not read at ${r.line}: ${r.result.ok ? '' : r.result.reason}`
    return `${r.line}: ${r.result.ok ? JSON.stringify(r.result.item['PK'] ?? r.result.item['pk']) : r.result.reason}`
  })
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('workbenchParser', () => {
  it('reads the table the job names, its TableData and facets, at their lines', () => {
    const records = read(workbenchParser('m.json', 'Products', undefined), SHOP)
    // Each at the line its opening brace is on.
    expect(records.map((r) => [r.line, r.result.ok && r.result.item['ProductId']])).toEqual([
      [153, { N: '1' }],
      [164, { N: '2' }],
    ])
  })

  it('reads nothing of a model that does not name the table: its records are elsewhere', () => {
    expect(read(workbenchParser('m.json', 'Customers', 'ShopData'), SHOP)).toEqual([])
  })

  it('without a table, reads the table of the table input among several, bad items rejected', () => {
    const records = read(workbenchParser('m.json', undefined, 'ShopData'), SHOP, 7)
    expect(records).toHaveLength(3)
    expect(records.filter((r) => !r.result.ok).map((r) => !r.result.ok && r.result.reason)).toEqual(
      [expect.stringMatching(/^DataModel\[0\]\.TableFacets\[1\]\.TableData\[1\]: item\.Total: /)],
    )
  })

  it('does not read a model of several tables when none is chosen, naming them', () => {
    expect(shown(read(workbenchParser('m.json', undefined, 'Orders'), SHOP))).toEqual([
      'not read at 1: the NoSQL Workbench model holds 2 tables ("ShopData", "Products") and this step loads one: set the table input to one of them',
    ])
  })

  it('does not read a model that is not one, with every problem and without the file name', () => {
    const text = JSON.stringify({
      ModelName: 'M',
      DataModel: [{ TableName: 'x' }, 'table'],
    })
    expect(shown(read(workbenchParser('m.json', undefined, undefined), text))).toEqual([
      'not read at 1: DataModel[0].TableName: expected a table name of 3-255 characters a-z, A-Z, 0-9, _ . -, found "x"; DataModel[0].KeyAttributes: expected {"PartitionKey": {"AttributeName", "AttributeType"}, "SortKey"?: …}, found nothing; DataModel[1]: expected a table, {"TableName", "KeyAttributes", …}, found "table"',
    ])
    expect(
      shown(read(workbenchParser('m.json', undefined, undefined), Buffer.from([0x7b, 0xff]))),
    ).toEqual(['not read at 1: the file is not valid UTF-8 text'])
  })

  it('stops holding a model past its cap: one object not read, the rest passes unparsed', () => {
    const parser = workbenchParser('m.json', undefined, undefined)
    const chunk = new Uint8Array(MAX_WORKBENCH_MODEL_BYTES / 2)
    expect(parser.push(chunk)).toEqual([])
    expect(parser.push(chunk)).toEqual([])
    expect(shown(parser.push(new Uint8Array(1)))).toEqual([
      'not read at 1: the model is more than the 67108864 bytes a NoSQL Workbench model is read whole up to: split its tables into request-items files',
    ])
    expect(parser.push(chunk)).toEqual([])
    expect(parser.end()).toEqual([])
  })
})

describe('pickTable', () => {
  const model = parseWorkbenchModel('m.json', SHOP, 'PAY_PER_REQUEST')
  const tables = model.ok ? model.tables : []

  it('takes the named table, else the only one, else the table input', () => {
    expect((pickTable(tables, 'Products', 'ShopData') as { name: string }).name).toBe('Products')
    expect(pickTable(tables, 'Nope', 'ShopData')).toBeUndefined()
    expect((pickTable(tables.slice(1), undefined, 'X') as { name: string }).name).toBe('Products')
    expect((pickTable(tables, undefined, 'ShopData') as { name: string }).name).toBe('ShopData')
    expect(pickTable(tables, undefined, undefined)).toMatch(/holds 2 tables/)
  })
})

describe('scanOutputParser', () => {
  it('reads the Items at their lines, and warns once of what the file says of itself', () => {
    let out = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk)
      return true
    })
    const text = JSON.stringify(
      { Items: [{ pk: { S: 'a' } }, { pk: { N: 1 } }], Count: 3, NextToken: 't' },
      null,
      4,
    )
    expect(shown(read(scanOutputParser('s.json'), text, 5))).toEqual([
      '3: {"S":"a"}',
      '8: Items[1]: item.pk: N must be a string, found a number',
    ])
    expect(out.trim().split('\n')).toEqual([
      '::warning::s.json: the scan output has a NextToken: it holds only the first page of the scan, 2 items; run the scan without --max-items or --no-paginate to get them all',
      '::warning::s.json: the scan output says Count 3 but holds 2 items: the file may have been cut or edited',
    ])
  })

  it('does not read a file that is not a scan output, or one past its cap', () => {
    expect(shown(read(scanOutputParser('s.json'), '{"Items": 1}'))).toEqual([
      'not read at 1: expected the output of aws dynamodb scan, {"Items": [items], "Count": …}, found an object without an "Items" array',
    ])
    const parser = scanOutputParser('s.json')
    expect(shown(parser.push(new Uint8Array(MAX_SCAN_OUTPUT_BYTES + 1)))).toEqual([
      "not read at 1: the scan output is more than the 67108864 bytes it is read whole up to: write the scan as DynamoDB JSON lines instead (jq -c '.Items[] | {Item: .}')",
    ])
  })
})

describe('billingWarning', () => {
  const table = { name: 'ShopData', path: 'DataModel[0]', billingInModel: 'PROVISIONED' }

  it("says when the model's billing is not the one the table is created with", () => {
    expect(billingWarning('m.json', table, 'PAY_PER_REQUEST')).toBe(
      'm.json: DataModel[0] (ShopData) says BillingMode "PROVISIONED", but the table is created with billing-mode PAY_PER_REQUEST, as the inputs give: set billing-mode to PROVISIONED to follow the model',
    )
    expect(billingWarning('m.json', table, 'PROVISIONED')).toBeUndefined()
    expect(
      billingWarning('m.json', { ...table, billingInModel: undefined }, 'PAY_PER_REQUEST'),
    ).toBeUndefined()
  })
})
