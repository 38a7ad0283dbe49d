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

  it('lists the table names of a file', async () => {
    async function* chunks() {
      yield file.subarray(0, 10)
      yield file.subarray(10)
    }
    expect(await requestItemsTables(chunks(), 1 << 20)).toEqual(['ProductCatalog'])
  })
})
