import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { ActionError } from '../../src/errors.js'
import type { FormatSettings } from '../../src/formats/input-format.js'
import { requestTableFor } from '../../src/formats/request-tables.js'
import { tablesInObject } from '../../src/formats/tables-in-object.js'
import { MAX_WORKBENCH_MODEL_BYTES } from '../../src/formats/workbench.js'
import type { Source, SourceObject } from '../../src/sources/source.js'

const SHOP = readFileSync(new URL('../fixtures/workbench/shop-model.json', import.meta.url), 'utf8')

/** Objects held in memory, read in chunks of 1 KB; `size` may claim more than the bytes. */
function memory(files: Record<string, string | Uint8Array>, size?: number) {
  const bytes = (key: string) => Buffer.from(files[key] as string | Uint8Array)
  const source: Source = {
    description: 'memory',
    list: () => Promise.resolve([]),
    open: (object) =>
      Promise.resolve(
        (async function* () {
          const all = bytes(object.key)
          for (let at = 0; at < all.length; at += 1024) yield all.subarray(at, at + 1024)
        })(),
      ),
  }
  const object = (key: string): SourceObject => ({
    key,
    url: `s3://bkt/${key}`,
    size: size ?? bytes(key).length,
  })
  return { source, object }
}

const settings = (format: FormatSettings['format'], extra: Partial<FormatSettings> = {}) =>
  ({ format, compression: 'auto', csvDelimiter: ',', ...extra }) as FormatSettings

const requests = JSON.stringify({
  Orders: [{ PutRequest: { Item: { pk: { S: 'a' } } } }],
  Customers: [{ DeleteRequest: { Key: { pk: { S: 'b' } } } }],
  Orders2: [],
})

describe('tablesInObject', () => {
  it('lists the tables of a request-items file in file order, compressed or not, auto or explicit', async () => {
    const { source, object } = memory({ 'r.json': requests, 'r.json.gz': gzipSync(requests) })
    const names = ['Orders', 'Customers', 'Orders2']
    for (const format of ['auto', 'REQUEST_ITEMS'] as const) {
      expect(
        await tablesInObject(source, object('r.json'), settings(format), 'PAY_PER_REQUEST'),
      ).toEqual({
        kind: 'request-items',
        names,
      })
    }
    expect(
      await tablesInObject(source, object('r.json.gz'), settings('auto'), 'PAY_PER_REQUEST'),
    ).toEqual({ kind: 'request-items', names })
  })

  it("gives a model's tables, their parameters built with the billing given", async () => {
    const { source, object } = memory({ 'shop.json': SHOP })
    const found = await tablesInObject(source, object('shop.json'), settings('auto'), 'PROVISIONED')
    expect(found.kind).toBe('workbench')
    const tables = found.kind === 'workbench' ? found.tables : []
    expect(tables.map((t) => [t.name, t.parameters.BillingMode, t.records.length])).toEqual([
      ['ShopData', 'PROVISIONED', 3],
      ['Products', 'PROVISIONED', 2],
    ])
    const explicit = await tablesInObject(
      source,
      object('shop.json'),
      settings('NOSQL_WORKBENCH'),
      'PAY_PER_REQUEST',
    )
    expect(explicit.kind === 'workbench' && explicit.tables[0]?.parameters.BillingMode).toBe(
      'PAY_PER_REQUEST',
    )
  })

  it('names no table for the other formats, and reads nothing where the input-format says so', async () => {
    const { source, object } = memory({
      'a.json': '[{"pk": {"S": "a"}}]',
      'scan.json': '{"Items": [], "Count": 0}',
      'a.csv': 'pk\na\n',
    })
    const open = vi.spyOn(source, 'open')
    for (const key of ['a.json', 'scan.json', 'a.csv']) {
      expect(
        await tablesInObject(source, object(key), settings('auto'), 'PAY_PER_REQUEST'),
      ).toEqual({ kind: 'none' })
    }
    expect(open).toHaveBeenCalledTimes(3)
    for (const format of ['CSV', 'JSON', 'DYNAMODB_JSON', 'ION'] as const) {
      expect(
        await tablesInObject(source, object('a.csv'), settings(format), 'PAY_PER_REQUEST'),
      ).toEqual({
        kind: 'none',
      })
    }
    expect(
      await tablesInObject(
        source,
        object('a.json'),
        settings('auto', { incremental: true }),
        'PAY_PER_REQUEST',
      ),
    ).toEqual({ kind: 'none' })
    expect(open).toHaveBeenCalledTimes(3)
  })

  it('throws every problem of a model that is not a valid one', async () => {
    const text = JSON.stringify({ ModelName: 'M', DataModel: [{ TableName: 'x' }, 7] })
    const { source, object } = memory({ 'm.json': text })
    const thrown = tablesInObject(source, object('m.json'), settings('auto'), 'PAY_PER_REQUEST')
    await expect(thrown).rejects.toThrow(ActionError)
    await expect(thrown).rejects.toThrow(
      [
        's3://bkt/m.json: DataModel[0].TableName: expected a table name of 3-255 characters a-z, A-Z, 0-9, _ . -, found "x"',
        's3://bkt/m.json: DataModel[0].KeyAttributes: expected {"PartitionKey": {"AttributeName", "AttributeType"}, "SortKey"?: …}, found nothing',
        's3://bkt/m.json: DataModel[1]: expected a table, {"TableName", "KeyAttributes", …}, found 7',
      ].join('\n'),
    )
  })

  it('refuses a model over the cap: by its size before reading it, or as it grows uncompressed', async () => {
    const { source, object } = memory({ 'm.json': SHOP }, MAX_WORKBENCH_MODEL_BYTES + 1)
    for (const format of ['auto', 'NOSQL_WORKBENCH'] as const) {
      await expect(
        tablesInObject(source, object('m.json'), settings(format), 'PAY_PER_REQUEST'),
      ).rejects.toThrow(
        `s3://bkt/m.json: the model is ${MAX_WORKBENCH_MODEL_BYTES + 1} bytes, more than the 67108864 bytes a NoSQL Workbench model is read whole up to: split its tables into request-items files`,
      )
    }
    const big = gzipSync(SHOP.replace('"Shop"', `"${' '.repeat(MAX_WORKBENCH_MODEL_BYTES)}"`))
    const gz = memory({ 'm.json.gz': big })
    await expect(
      tablesInObject(
        gz.source,
        gz.object('m.json.gz'),
        settings('NOSQL_WORKBENCH'),
        'PAY_PER_REQUEST',
      ),
    ).rejects.toThrow(
      's3://bkt/m.json.gz: the model is larger uncompressed, more than the 67108864 bytes',
    )
  })
})

describe('requestTableFor (input-format auto, one table per step)', () => {
  const { source, object } = memory({ 'r.json': requests, 'one.json': '{"X": []}' })

  it('reads a file naming several tables for the table input among them', async () => {
    expect(await requestTableFor(source, object('r.json'), 'Customers', 'NONE')).toBe('Customers')
    expect(await requestTableFor(source, object('one.json'), 'Customers', 'NONE')).toBeUndefined()
  })

  it('refuses a file naming several tables, none of them the table input', async () => {
    await expect(requestTableFor(source, object('r.json'), 'Other', 'NONE')).rejects.toThrow(
      's3://bkt/r.json holds requests for 3 tables ("Orders", "Customers", "Orders2"); the action writes one table, Other: split the file into one file per table and import each into its table.',
    )
  })
})
