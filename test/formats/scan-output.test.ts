import { describe, expect, it } from 'vitest'
import {
  looksLikeScanOutput,
  MAX_SCAN_OUTPUT_BYTES,
  multiTableRequestsParser,
  parseScanOutput,
  readRequestTables,
  type ScanOutput,
} from '../../src/formats/scan-output.js'

/** As `aws dynamodb scan --table-name Music` prints it (pretty, Items first). */
const SCAN = `{
    "Items": [
        {
            "Artist": {
                "S": "No One You Know"
            },
            "SongTitle": {
                "S": "Call Me Today"
            },
            "Plays": {
                "N": "123456789012345678901234567890.5"
            }
        },
        {
            "Artist": {
                "S": "Acme Band"
            },
            "SongTitle": {
                "S": "Happy Day"
            },
            "Cover": {
                "B": "AQI="
            }
        }
    ],
    "Count": 2,
    "ScannedCount": 2,
    "ConsumedCapacity": null
}
`

function ok(output: ScanOutput) {
  if (!output.ok) throw new Error(output.problem)
  return output
}

function problem(output: ScanOutput): string {
  if (output.ok) throw new Error('expected a problem')
  return output.problem
}

describe('parseScanOutput', () => {
  it('gives its items, each with its path and line, numbers exact and B decoded', () => {
    const { records, warnings } = ok(parseScanOutput('music-scan.json', SCAN))
    expect(warnings).toEqual([])
    expect(records.map((r) => [r.path, r.line])).toEqual([
      ['Items[0]', 3],
      ['Items[1]', 14],
    ])
    expect(records.map((r) => r.result)).toEqual([
      {
        ok: true,
        item: {
          Artist: { S: 'No One You Know' },
          SongTitle: { S: 'Call Me Today' },
          Plays: { N: '123456789012345678901234567890.5' },
        },
      },
      {
        ok: true,
        item: {
          Artist: { S: 'Acme Band' },
          SongTitle: { S: 'Happy Day' },
          Cover: { B: new Uint8Array([1, 2]) },
        },
      },
    ])
    // The rejected file would get the item as written, base64 and all.
    expect(records[1]?.raw).toContain('"AQI="')
    expect(records[1]?.bytes).toBe(Buffer.byteLength(records[1]?.raw ?? ''))
  })

  it('rejects an item that is not DynamoDB JSON as the item parser does, by its path', () => {
    const text = '{"Items": [{"pk": {"S": "a"}}, {"pk": "b"}, 7], "Count": 3}'
    const { records } = ok(parseScanOutput('s.json', text))
    expect(records.map((r) => r.result.ok || r.result.reason)).toEqual([
      true,
      'Items[1]: item.pk: expected an attribute value object, found a string',
      'Items[2]: expected "item" to be an object, found a number',
    ])
    expect(records.map((r) => r.line)).toEqual([1, 1, 1])
  })

  it('warns when the file holds only the first page, or fewer items than its Count', () => {
    const text = '{"Items": [{"pk": {"S": "a"}}], "Count": 2, "NextToken": "abc"}'
    expect(ok(parseScanOutput('s.json', text)).warnings).toEqual([
      's.json: the scan output has a NextToken: it holds only the first page of the scan, 1 items; run the scan without --max-items or --no-paginate to get them all',
      's.json: the scan output says Count 2 but holds 1 items: the file may have been cut or edited',
    ])
    const page = '{"Items": [], "Count": 0, "LastEvaluatedKey": {"pk": {"S": "a"}}}'
    expect(ok(parseScanOutput('s.json', page)).warnings).toEqual([
      's.json: the scan output has a LastEvaluatedKey: it holds only the first page of the scan, 0 items; run the scan without --max-items or --no-paginate to get them all',
    ])
  })

  it('reads a file with a byte order mark', () => {
    expect(ok(parseScanOutput('s.json', `\uFEFF${SCAN}`)).records).toHaveLength(2)
  })

  it.each([
    [
      'text that is not JSON',
      '{"Items": [',
      'expected the output of aws dynamodb scan (one JSON document), found text that is not valid JSON',
    ],
    [
      'an array',
      '[{"pk": {"S": "a"}}]',
      'expected the output of aws dynamodb scan, {"Items": [items], "Count": …}, found an array',
    ],
    [
      'an object without Items',
      '{"Item": {"pk": {"S": "a"}}}',
      'expected the output of aws dynamodb scan, {"Items": [items], "Count": …}, found an object without an "Items" array',
    ],
  ])('refuses %s', (_, text, message) => {
    expect(problem(parseScanOutput('s.json', text))).toBe(`s.json: ${message}`)
  })

  it('refuses a scan output larger than it reads whole', () => {
    const text = `{"Items": [], "Pad": "${'x'.repeat(MAX_SCAN_OUTPUT_BYTES)}"}`
    expect(problem(parseScanOutput('big.json', text))).toBe(
      `big.json: the scan output is ${Buffer.byteLength(text)} bytes, more than the ${MAX_SCAN_OUTPUT_BYTES} it is read whole up to: write the scan as DynamoDB JSON lines instead (jq -c '.Items[] | {Item: .}')`,
    )
  })
})

describe('looksLikeScanOutput', () => {
  it('recognises an object whose first member is an Items array', () => {
    expect(looksLikeScanOutput(new TextEncoder().encode(SCAN.slice(0, 40)))).toBe(true)
    expect(looksLikeScanOutput('\uFEFF{"Items":[]}')).toBe(true)
  })

  it.each([
    [
      'a request-items file for a table named Items',
      '{"Items": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}',
    ],
    ['a DynamoDB JSON line with an attribute named Items', '{"Item": {"Items": {"L": []}}}'],
    ['Items not first', '{"Count": 1, "Items": []}'],
    ['Items not an array', '{"Items": {}}'],
  ])('does not take %s for one', (_, head) => {
    expect(looksLikeScanOutput(head)).toBe(false)
  })
})

/** The chunks of a text, `size` bytes each: a request cut anywhere still reads whole. */
async function* chunked(text: string, size: number) {
  const bytes = Buffer.from(text)
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

const TWO_TABLES = `{
  "Music": [
    {"PutRequest": {"Item": {"Artist": {"S": "A"}, "Plays": {"N": "1.50"}}}},
    {"DeleteRequest": {"Key": {"Artist": {"S": "B"}}}}
  ],
  "Forum": [
    {"PutRequest": {"Item": {"Name": {"S": "Amazon S3"}}}}
  ],
  "Music": [
    {"PutRequest": {"Item": {"Artist": {"S": "B"}}}},
    {"PutRequest": {"Item": {"Artist": "C"}}}
  ]
}
`

describe('readRequestTables', () => {
  it('gives each table its puts and deletes in file order, whatever the chunks', async () => {
    for (const size of [1, 7, 1 << 20]) {
      const { tables, broken } = await readRequestTables(chunked(TWO_TABLES, size), 1 << 20)
      expect(broken).toBeUndefined()
      expect(
        tables.map((t) => [
          t.table,
          t.records.map((r) => [
            r.line,
            r.result.ok ? (r.result.delete ? 'delete' : 'put') : 'rejected',
          ]),
        ]),
      ).toEqual([
        [
          'Music',
          [
            [3, 'put'],
            [4, 'delete'],
            [10, 'put'],
            [11, 'rejected'],
          ],
        ],
        ['Forum', [[7, 'put']]],
      ])
    }
  })

  it('parses requests as a one-table file does: numbers as written, the same reasons', async () => {
    const { tables } = await readRequestTables(chunked(TWO_TABLES, 5), 1 << 20)
    const music = tables[0]?.records ?? []
    expect(music[0]?.result).toEqual({
      ok: true,
      item: { Artist: { S: 'A' }, Plays: { N: '1.50' } },
    })
    expect(music[1]?.result).toEqual({ ok: true, item: { Artist: { S: 'B' } }, delete: true })
    expect(music[3]?.result.ok === false && music[3].result.reason).toMatch(
      /^"Music"\[1\]\.PutRequest\.Item\.Artist: expected an attribute value object, found a string \(request-items files hold DynamoDB JSON/,
    )
    expect(music[0]?.raw).toBe(
      '{"PutRequest": {"Item": {"Artist": {"S": "A"}, "Plays": {"N": "1.50"}}}}',
    )
  })

  it('gives the point where a broken file stops, apart from the tables', async () => {
    const text = '{"Music": [{"PutRequest": {"Item": {"Artist": {"S": "A"}}}}], "Forum": 3}'
    const { tables, broken } = await readRequestTables(chunked(text, 1 << 20), 1 << 20)
    expect(tables.map((t) => [t.table, t.records.length])).toEqual([['Music', 1]])
    expect(broken?.result).toEqual({
      ok: false,
      reason: 'expected an array of requests for table "Forum", found a value that is not an array',
    })
    expect(broken?.broken).toBeDefined()
  })

  it('rejects a request longer than the limit, unread, under its table', async () => {
    const text = '{"T1": [{"PutRequest": {"Item": {"pk": {"S": "long enough"}}}}]}'
    const { tables } = await readRequestTables(chunked(text, 1 << 20), 16)
    const [record] = tables[0]?.records ?? []
    expect(tables[0]?.table).toBe('T1')
    expect(record?.unreadable).toBe(true)
    expect(record?.result.ok === false && record.result.reason).toMatch(
      /^"T1"\[0\]: the document is \d+ bytes, longer than 16: not read$/,
    )
  })
})

describe('multiTableRequestsParser', () => {
  it('streams each request with its table, and a file cut off at its end', () => {
    const parser = multiTableRequestsParser(1 << 20)
    const first = parser.push(
      Buffer.from('{"A": [{"PutRequest": {"Item": {"k": {"S": "1"}}}}], "B": [{"Put'),
    )
    expect(first.map((r) => [r.table, r.line, r.result.ok])).toEqual([['A', 1, true]])
    const last = parser.end()
    expect(last.map((r) => [r.table, r.result.ok || r.result.reason])).toEqual([
      [undefined, 'the file ends inside "B"[0], which starts on this line'],
    ])
  })
})
