import { describe, expect, it } from 'vitest'
import {
  parseRequest,
  requestItemsParser,
  requestItemsTables,
} from '../../src/formats/request-items.js'

describe('parseRequest', () => {
  it('makes a PutRequest an item and a DeleteRequest a key to delete, B decoded', () => {
    expect(
      parseRequest('{"PutRequest": {"Item": {"Id": {"N": "101"}, "Pic": {"B": "AQI="}}}}', 'T[0]'),
    ).toEqual({
      ok: true,
      item: { Id: { N: '101' }, Pic: { B: new Uint8Array([1, 2]) } },
    })
    expect(parseRequest('{"DeleteRequest": {"Key": {"Id": {"N": "101"}}}}', 'T[1]')).toEqual({
      ok: true,
      item: { Id: { N: '101' } },
      delete: true,
    })
  })

  it.each([
    [
      '{"UpdateRequest": {}}',
      'T[0]: expected {"PutRequest": {"Item": …}} or {"DeleteRequest": {"Key": …}}, found "UpdateRequest"',
    ],
    ['{"PutRequest": {"Key": {}}}', 'T[0].PutRequest: expected an object with only "Item"'],
    [
      '[1]',
      'T[0]: expected {"PutRequest": {"Item": …}} or {"DeleteRequest": {"Key": …}}, found an array',
    ],
    ['{"PutRequest": {"Item": {"Id": {"N": "1"}}}', 'T[0]: invalid JSON'],
  ])('rejects %s', (text, reason) => {
    expect(parseRequest(text, 'T[0]')).toEqual({ ok: false, reason })
  })

  it('says so when an Item is plain JSON instead of DynamoDB JSON', () => {
    const result = parseRequest('{"PutRequest": {"Item": {"Id": 101, "Title": "Book"}}}', 'T[0]')
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toMatch(
      /^T\[0\]\.PutRequest\.Item\.Id: .*request-items files hold DynamoDB JSON, \{"S": "text"\}.*use input-format JSON\)$/,
    )
  })
})

describe('requestItemsParser and requestItemsTables', () => {
  const file = Buffer.from(
    '{\n  "ProductCatalog": [\n    {"PutRequest": {"Item": {"Id": {"N": "1"}}}},\n    {"DeleteRequest": {"Key": {"Id": {"N": "2"}}}}\n  ]\n}\n',
  )

  it('gives one record per request, at the line it starts on', () => {
    const parser = requestItemsParser(1 << 20)
    const records = [...parser.push(file), ...parser.end()]
    expect(records.map((r) => [r.line, r.result.ok && r.result.delete === true])).toEqual([
      [3, false],
      [4, true],
    ])
  })

  it('with a table, gives only the requests for it: the others are not records here', () => {
    const two = Buffer.from(
      '{"A": [{"PutRequest": {"Item": {"Id": {"N": "1"}}}}],\n "B": [{"DeleteRequest": {"Key": {"Id": {"N": "2"}}}},\n {"PutRequest": {"Item": {"Id": {"N": "3"}}}}],\n "A": [{"PutRequest": {"Item": {"Id": {"S": "x"}}}}], "B": [\n{"PutRequest": 1}\n',
    )
    const read = (table?: string) => {
      const parser = requestItemsParser(1 << 20, table)
      return [...parser.push(two), ...parser.end()].map((r) =>
        r.broken
          ? 'broken'
          : `${r.line} ${r.result.ok ? (r.result.delete ? 'delete' : 'put') : r.result.reason}`,
      )
    }
    expect(read('B')).toEqual([
      '2 delete',
      '3 put',
      '5 "B"[0].PutRequest: expected an object with only "Item"',
      // The end of a file cut off is the file's, whatever table is read.
      'broken',
    ])
    expect(read('A')).toEqual(['1 put', '4 put', 'broken'])
    expect(read('C')).toEqual(['broken'])
    expect(read()).toHaveLength(6)
  })

  it('lists the table names of a file', async () => {
    async function* chunks() {
      yield file.subarray(0, 10)
      yield file.subarray(10)
    }
    expect(await requestItemsTables(chunks(), 1 << 20)).toEqual(['ProductCatalog'])
  })
})
