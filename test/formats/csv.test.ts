import { describe, it, expect } from 'vitest'
import type { Item } from '../../src/table/attribute-value.js'
import type { TableSchema } from '../../src/table/key-schema.js'
import type { Line } from '../../src/sources/lines.js'
import type { ParsedRecord } from '../../src/formats/record.js'
import { MAX_OPEN_RECORD_BYTES, csvParser } from '../../src/formats/csv.js'

const schema: TableSchema = {
  tableName: 'csv-test',
  partitionKey: { name: 'id', type: 'S' },
  sortKey: { name: 'n', type: 'N' },
  indexKeys: [
    { name: 'bin', type: 'B', indexName: 'byBin', keyType: 'HASH' },
    { name: 'rank', type: 'N', indexName: 'byRank', keyType: 'RANGE' },
  ],
}

/** Splits like splitLines: on `\n`, numbered from 1, `\r` kept, no line after a final `\n`. */
function linesOf(text: string): Line[] {
  const pieces = text.split('\n')
  if (pieces.at(-1) === '') pieces.pop()
  return pieces.map((piece, index) => ({
    number: index + 1,
    text: piece,
    bytes: Buffer.byteLength(piece),
  }))
}

interface Options {
  delimiter?: string
  header?: string[]
}

/** Every record of one object: push each line, then end. */
function parseLines(lines: Line[], options: Options = {}): ParsedRecord[] {
  const parser = csvParser({ delimiter: options.delimiter ?? ',', header: options.header, schema })
  const records: ParsedRecord[] = []
  for (const line of lines) {
    const record = parser.push(line)
    if (record !== undefined) records.push(record)
  }
  const last = parser.end()
  if (last !== undefined) records.push(last)
  return records
}

function parse(text: string, options: Options = {}): ParsedRecord[] {
  return parseLines(linesOf(text), options)
}

function items(text: string, options: Options = {}): Item[] {
  return parse(text, options).map((record) => {
    if (!record.result.ok) throw new Error(`line ${record.line} rejected: ${record.result.reason}`)
    return record.result.item
  })
}

function only(text: string, options: Options = {}): Item {
  const all = items(text, options)
  expect(all).toHaveLength(1)
  return all[0] ?? {}
}

function reasons(text: string, options: Options = {}): string[] {
  return parse(text, options).map((record) => (record.result.ok ? 'ok' : record.result.reason))
}

function bytesOf(item: Item, name: string): number[] {
  const value = item[name]?.B
  expect(value).toBeInstanceOf(Uint8Array)
  return Array.from(value ?? [])
}

describe('csvParser: delimiters and headers', () => {
  it.each([',', ';', ':', '|', '\t', ' '])('splits on %j', (delimiter) => {
    const text = ['id', 'n', 'note'].join(delimiter) + '\n' + ['a', '1', 'x'].join(delimiter)
    expect(items(text, { delimiter })).toEqual([
      { id: { S: 'a' }, n: { N: '1' }, note: { S: 'x' } },
    ])
  })

  it('keeps other delimiter characters as data', () => {
    expect(only('id;note\na;x,y:z|w v\tu', { delimiter: ';' })).toEqual({
      id: { S: 'a' },
      note: { S: 'x,y:z|w v\tu' },
    })
  })

  it('rejects a delimiter ImportTable does not allow', () => {
    expect(() => csvParser({ delimiter: '#', schema })).toThrow(/CSV delimiter "#"/)
    expect(() => csvParser({ delimiter: ',,', schema })).toThrow(/CSV delimiter/)
  })

  it('takes the first line of the object as its header and numbers records by line', () => {
    const records = parse('id,note\na,x\nb,y\n')
    expect(records.map((record) => [record.line, record.raw])).toEqual([
      [2, 'a,x'],
      [3, 'b,y'],
    ])
  })

  it('takes a given header and reads the first line as data, even when it looks like a header', () => {
    expect(items('id,note\na,x', { header: ['id', 'note'] })).toEqual([
      { id: { S: 'id' }, note: { S: 'note' } },
      { id: { S: 'a' }, note: { S: 'x' } },
    ])
    expect(parse('a,x', { header: ['id', 'note'] })[0]?.line).toBe(1)
  })

  it('reads a header with quoted names and names used as written', () => {
    expect(only('"id","a,b", c\nx,y,z')).toEqual({
      id: { S: 'x' },
      'a,b': { S: 'y' },
      ' c': { S: 'z' },
    })
  })

  it('skips blank lines before the header', () => {
    expect(items('\n  \nid,note\na,x')).toEqual([{ id: { S: 'a' }, note: { S: 'x' } }])
  })

  it('yields nothing for an empty object or a header alone', () => {
    expect(parse('')).toEqual([])
    expect(parse('id,note\n')).toEqual([])
    expect(parse('', { header: ['id'] })).toEqual([])
  })

  it('makes __proto__ an own attribute', () => {
    const item = only('id,__proto__\na,x')
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype)
    expect(Object.keys(item)).toEqual(['id', '__proto__'])
    expect(Object.getOwnPropertyDescriptor(item, '__proto__')?.value).toEqual({ S: 'x' })
  })
})

describe('csvParser: header errors', () => {
  it('stops reading the object at a header that repeats a name, naming csv-header', () => {
    const records = parse('id,note,id\na,b,c\n"open\nd,e,f')
    expect(records).toEqual([
      {
        line: 1,
        raw: 'id,note,id',
        result: {
          ok: false,
          reason:
            'the CSV header repeats "id": if the file has no header row, set csv-header to the column names',
        },
        broken: { offset: 0 },
      },
    ])
  })

  it('takes a data row read as the header (a file without one) for what it is', () => {
    // Two equal values in the first row: the header "repeats" one of them.
    expect(reasons('7,x,7\n8,y,9')).toEqual([
      'the CSV header repeats "7": if the file has no header row, set csv-header to the column names',
    ])
    // The header's offset counts the blank lines before it.
    expect(parse('\n\nid,,n\na,b,1')[0]?.broken).toEqual({ offset: 2 })
  })

  it('fails a header with an empty name, quoted or not', () => {
    const empty = (column: number) =>
      `the CSV header has an empty name in column ${column}: if the file has no header row, set csv-header to the column names`
    expect(reasons('id,,note\na,b,c')).toEqual([empty(2)])
    expect(reasons('id,""\na,b')).toEqual([empty(2)])
    expect(reasons('id,note,\na,b,c')).toEqual([empty(3)])
  })

  it('fails a header with a name above the attribute name limit, cutting it in the reason', () => {
    const long = 'h'.repeat(70_000)
    const [reason] = reasons(`id,${long}\na,b`)
    expect(reason).toBe(
      'the CSV header column 2: attribute name is 70000 bytes, above the limit of 65535',
    )
    expect(reasons(`id,${long},${long}`)).toEqual([
      'the CSV header column 2: attribute name is 70000 bytes, above the limit of 65535',
    ])
  })

  it('reports a duplicate long name cut to 64 characters', () => {
    const name = 'x'.repeat(100)
    expect(reasons(`${name},${name}`)).toEqual([
      `the CSV header repeats "${'x'.repeat(64)}…": if the file has no header row, set csv-header to the column names`,
    ])
  })

  it('fails a header that cannot be read and skips the rest', () => {
    const lines: Line[] = [
      { number: 1, text: '', bytes: 3, problem: 'invalid UTF-8' },
      { number: 2, text: 'a,b', bytes: 3 },
    ]
    expect(parseLines(lines)).toEqual([
      {
        line: 1,
        raw: '',
        result: { ok: false, reason: 'the CSV header: invalid UTF-8' },
        unreadable: true,
        broken: { offset: 0 },
      },
    ])
  })

  it('fails a header with a quote error or an unterminated quote', () => {
    expect(reasons('"id"x,note\na,b')).toEqual([
      'the CSV header: unexpected character after closing quote in column 1',
    ])
    expect(reasons('id,"note\na,b')).toEqual([
      'the CSV header: a quoted field opened on line 1 is never closed: the rest of the file cannot be told apart into rows',
    ])
  })

  it('throws for an invalid given header (inputs validate it first)', () => {
    expect(() => csvParser({ delimiter: ',', header: ['id', 'id'], schema })).toThrow(
      'CSV header repeats "id"',
    )
    expect(() => csvParser({ delimiter: ',', header: ['id', ''], schema })).toThrow(
      'CSV header has an empty name in column 2',
    )
    expect(() => csvParser({ delimiter: ',', header: ['id', ''], schema })).not.toThrow(
      'csv-header',
    )
  })
})

describe('csvParser: line endings, BOM and blank lines', () => {
  it('drops a UTF-8 BOM at the start of the object', () => {
    expect(only('\uFEFFid,note\na,x')).toEqual({ id: { S: 'a' }, note: { S: 'x' } })
    expect(only('\uFEFFa,x', { header: ['id', 'note'] })).toEqual({
      id: { S: 'a' },
      note: { S: 'x' },
    })
    expect(only('\uFEFF"id",note\na,x')).toEqual({ id: { S: 'a' }, note: { S: 'x' } })
  })

  it('treats the \\r of CRLF as part of the line ending, not data', () => {
    const records = parse('id,note\r\na,x\r\nb,"y"\r\nc,\r\n')
    expect(records.map((record) => record.result)).toEqual([
      { ok: true, item: { id: { S: 'a' }, note: { S: 'x' } } },
      { ok: true, item: { id: { S: 'b' }, note: { S: 'y' } } },
      { ok: true, item: { id: { S: 'c' } } },
    ])
    // The raw text is the record as read.
    expect(records[0]?.raw).toBe('a,x\r')
  })

  it('keeps a \\r that is not at the end of the line', () => {
    expect(only('id,note\na,x\ry')).toEqual({ id: { S: 'a' }, note: { S: 'x\ry' } })
  })

  it('ignores blank and whitespace-only lines outside quoted fields', () => {
    const records = parse('id,note\n\na,x\n   \n\t\n\r\nb,y\n \r\n')
    expect(records.map((record) => record.line)).toEqual([3, 7])
    expect(items('a b\n\n', { delimiter: ' ', header: ['id', 'note'] })).toHaveLength(1)
  })

  it('keeps blank lines inside a quoted field as data', () => {
    expect(only('id,note\na,"x\n\n  \ny"')).toEqual({ id: { S: 'a' }, note: { S: 'x\n\n  \ny' } })
  })
})

describe('csvParser: quoting', () => {
  it('keeps delimiters inside quoted fields', () => {
    expect(only('id,note,n\n"a,b","c,d",1')).toEqual({
      id: { S: 'a,b' },
      note: { S: 'c,d' },
      n: { N: '1' },
    })
    expect(only('id\tnote\n"a\tb"\tc', { delimiter: '\t' })).toEqual({
      id: { S: 'a\tb' },
      note: { S: 'c' },
    })
    expect(only('id note\n"a b" c', { delimiter: ' ' })).toEqual({
      id: { S: 'a b' },
      note: { S: 'c' },
    })
  })

  it('reads a doubled quote as one quote', () => {
    expect(only('id,note\na,"""123"""')['note']).toEqual({ S: '"123"' })
    expect(only('id,note\na,"say ""hi"", ok"')['note']).toEqual({ S: 'say "hi", ok' })
    expect(only('id,note\na,""""')['note']).toEqual({ S: '"' })
  })

  it('keeps a quote inside an unquoted field as a literal character', () => {
    expect(only('id,note\na,5" pipe')['note']).toEqual({ S: '5" pipe' })
    expect(only('id,note\na, "x"')['note']).toEqual({ S: ' "x"' })
    expect(only('id,note,n\na"b,"c",1')['id']).toEqual({ S: 'a"b' })
  })

  it('joins a quoted field spanning three lines into one record at its first line', () => {
    const records = parse('id,note,n\nz,y,1\na,"first\nsecond, still\nthird",2\nb,c,3')
    expect(records.map((record) => record.line)).toEqual([2, 3, 6])
    expect(records[1]).toEqual({
      line: 3,
      raw: 'a,"first\nsecond, still\nthird",2',
      result: {
        ok: true,
        item: { id: { S: 'a' }, note: { S: 'first\nsecond, still\nthird' }, n: { N: '2' } },
      },
    })
  })

  it('keeps CRLF inside a quoted field as written and drops the record-ending \\r', () => {
    const records = parse('id,note\r\na,"x\r\ny\r\nz"\r\n')
    expect(records).toEqual([
      {
        line: 2,
        raw: 'a,"x\r\ny\r\nz"\r',
        result: { ok: true, item: { id: { S: 'a' }, note: { S: 'x\r\ny\r\nz' } } },
      },
    ])
  })

  it('stops reading at a quote still open at the end of the object: the rows after it are lost', () => {
    const records = parse('id,note,n\na,b,1\nc,"never\nclosed,2\n')
    const neverClosed = (line: number) =>
      `a quoted field opened on line ${line} is never closed: the rest of the file cannot be told apart into rows`
    expect(records[1]).toEqual({
      line: 3,
      raw: '',
      result: { ok: false, reason: neverClosed(3) },
      broken: { offset: 'id,note,n\na,b,1\n'.length },
    })
    // The record starts at line 2; its open field at line 3.
    expect(reasons('id,note,n\n"a\nb","c\nd')).toEqual([neverClosed(3)])
    expect(parse('id,note,n\n"a\nb","c\nd')[0]).toMatchObject({
      line: 2,
      broken: { offset: 'id,note,n\n'.length },
    })
  })

  it('fails text after a closing quote, naming the column, and reads on at the next line', () => {
    expect(reasons('id,note,n\na,"b"c,1\nd,e,2')).toEqual([
      'unexpected character after closing quote in column "note"',
      'ok',
    ])
    expect(reasons('id,note,n\na,"b" ,1')).toEqual([
      'unexpected character after closing quote in column "note"',
    ])
    // Found on a later line of a multi-line record: the record fails where it started.
    const records = parse('id,note,n\na,"b\nc"d,1\ne,f,3')
    expect(records.map((record) => [record.line, record.raw, record.result.ok])).toEqual([
      [2, 'a,"b\nc"d,1', false],
      [4, 'e,f,3', true],
    ])
  })

  it('names the column by number when it is beyond the header', () => {
    expect(reasons('id,n\na,1,"x"y')).toEqual([
      'unexpected character after closing quote in column 3',
    ])
  })

  it('fails a record still open after 8 MiB and starts a new record at the next line', () => {
    const chunk = 'x'.repeat(1024 * 1024)
    // Lines 2-8 hold 7 MiB and some bytes, line 9 takes the record past 8 MiB.
    const lines = [`id,note,n`, `a,"${chunk}`]
    for (let i = 0; i < 7; i++) lines.push(chunk)
    lines.push('b,c,1')
    const records = parse(lines.join('\n'))
    // Summaries, so that a failure does not print megabytes.
    expect(records.map((record) => [record.line, record.raw.length, record.result])).toEqual([
      [
        2,
        0,
        {
          ok: false,
          reason: `quoted field starting at line 2 is still open after more than ${MAX_OPEN_RECORD_BYTES} bytes`,
        },
      ],
      [10, 5, { ok: true, item: { id: { S: 'b' }, note: { S: 'c' }, n: { N: '1' } } }],
    ])
  })

  it('keeps a record open up to 8 MiB', () => {
    const chunk = 'x'.repeat(1024 * 1024)
    const lines = [`id,note`, `a,"${chunk}`]
    for (let i = 0; i < 6; i++) lines.push(chunk)
    lines.push(`${'x'.repeat(1024 * 1024 - 16)}"`)
    const records = parse(lines.join('\n'))
    expect(records.map((record) => [record.line, record.result.ok])).toEqual([[2, true]])
    const note = records[0]?.result.ok ? records[0].result.item['note']?.S : undefined
    expect(note?.length).toBe(8 * 1024 * 1024 - 16 + 7)
  })
})

describe('csvParser: field counts', () => {
  /** The reason of a row with another field count, when no other delimiter explains it. */
  const miscount = (found: number, expected: number, header: string) =>
    `row has ${found} fields, the header has ${expected} (${header}): check csv-delimiter (",") and csv-header: each row needs one field per column of the header`

  it('fails a record with fewer or more fields than the header, naming both inputs', () => {
    expect(reasons('id,note,n,a,b\n1,2,3,4\n1,2,3,4,5,6\n1,2,3,4,5')).toEqual([
      miscount(4, 5, '"id,note,n,a,b"'),
      miscount(6, 5, '"id,note,n,a,b"'),
      'ok',
    ])
  })

  it('counts fields the same way in records with quotes', () => {
    expect(reasons('id,note,n\n"a",b\n"a",b,1,"d,e"\n"a\nb",c')).toEqual([
      miscount(2, 3, '"id,note,n"'),
      miscount(4, 3, '"id,note,n"'),
      miscount(2, 3, '"id,note,n"'),
    ])
  })

  it('reports a wrong field count before a bad value', () => {
    expect(reasons('id,n,note\na,abc')).toEqual([miscount(2, 3, '"id,n,note"')])
    expect(reasons('id,n\na,abc,x')).toEqual([miscount(3, 2, '"id,n"')])
  })

  it('names csv-header for a given header, and the singular for one field', () => {
    expect(reasons('a,b', { header: ['id'] })).toEqual([miscount(2, 1, 'csv-header')])
    expect(reasons('id,n\na')[0]).toMatch(/^row has 1 field, the header has 2/)
  })

  it('refuses a header that lacks the partition key another delimiter would give it, once', () => {
    const hint = (d: string) => `if the fields are separated by ${d}, set csv-delimiter: ${d}`
    const refused = parse('id;n;note\na;1;3,50\nb;2;4')
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatchObject({
      line: 1,
      broken: { offset: 0 },
      result: {
        ok: false,
        reason: `the CSV header has no column "id" (split on "," it is 1 column): ${hint('";"')}`,
      },
    })
    expect(reasons('id\tn\tnote\r\na\t1\tx,y\r')[0]).toContain(hint('"\\t"'))
    expect(reasons('id|n|a,b\nx|1|2,3,4', { delimiter: ',' })[0]).toContain(hint('"|"'))
    // Read with ";", a comma-separated file: the header splits best on ",".
    expect(reasons('id,n,note\na,1,x;y', { delimiter: ';' })[0]).toContain(hint('","'))
    // A header without the key that no other delimiter mends is left to validation, row by row.
    expect(reasons('pk,n\na,1')).toEqual(['ok'])
  })

  it('names the delimiter that splits the header into more fields in a row-count error', () => {
    const hint = (d: string) => `if the fields are separated by ${d}, set csv-delimiter: ${d}`
    expect(reasons('id,n;note;x\na;1;3;4')).toEqual([
      `row has 1 field, the header has 2 ("id,n;note;x"): ${hint('";"')}`,
    ])
  })
})

describe('csvParser: values', () => {
  it('keeps every non-key column a String exactly as written', () => {
    expect(only('id,zip,price,flag,pad\na,041,7.50,true, x ')).toEqual({
      id: { S: 'a' },
      zip: { S: '041' },
      price: { S: '7.50' },
      flag: { S: 'true' },
      pad: { S: ' x ' },
    })
  })

  it('keeps an S key as written', () => {
    expect(only('id\n 0007 ')['id']).toEqual({ S: ' 0007 ' })
  })

  it('keeps an N key as its trimmed original text after validating it', () => {
    expect(only('id,n\na,0007')['n']).toEqual({ N: '0007' })
    expect(only('id,n\na, -1.50E+3 ')['n']).toEqual({ N: '-1.50E+3' })
    expect(only('id,n\na,"12"')['n']).toEqual({ N: '12' })
  })

  it('rejects an invalid number in an N key, naming the column', () => {
    expect(reasons('id,n\na,abc')).toEqual([
      'column "n" is not a valid number: expected a decimal number such as -12.5 or 1.5E+3, found text of 3 characters that is not one',
    ])
    expect(reasons('id,n\na,1e999')[0]).toMatch(
      /^column "n" is not a valid number: number too large/,
    )
  })

  it('decodes a B key from base64 and rejects text that is not base64', () => {
    const item = only('id,bin\na,AAEC//4=')
    expect(bytesOf(item, 'bin')).toEqual([0, 1, 2, 255, 254])
    expect(reasons('id,bin\na,not*base64')).toEqual([
      'column "bin" is not base64: it contains a character outside A-Z a-z 0-9 + / or misplaced "=" padding',
    ])
    expect(reasons('id,bin\na,QUJDR')).toEqual([
      'column "bin" is not base64: 5 characters with 0 "=" do not form whole bytes',
    ])
  })

  it('types index key columns and leaves other names alone', () => {
    const item = only('id,rank,ranking\na,10.0,10.0')
    expect(item['rank']).toEqual({ N: '10.0' })
    expect(item['ranking']).toEqual({ S: '10.0' })
    expect(reasons('id,rank\na,ten')[0]).toMatch(/^column "rank" is not a valid number/)
  })

  it('omits an unquoted empty field and keeps a quoted empty field as an empty string', () => {
    expect(only('id,note,other\na,,""')).toEqual({ id: { S: 'a' }, other: { S: '' } })
    expect(only('id,note\na,')).toEqual({ id: { S: 'a' } })
    // Empty keys are left to the item checks.
    expect(only('id,n,bin\n,,')).toEqual({})
    expect(only('id,bin\n"",""')).toEqual({ id: { S: '' }, bin: { B: new Uint8Array(0) } })
  })
})

describe('csvParser: unreadable lines', () => {
  const problem = (number: number): Line => ({
    number,
    text: '',
    bytes: 0,
    problem: 'line longer than 1024 bytes',
  })

  it('fails an unreadable line outside a quoted field at that line', () => {
    const lines = [...linesOf('id,note\na,b'), problem(3), ...linesOf('\n\n\nc,d').slice(3)]
    expect(lines.map((line) => line.number)).toEqual([1, 2, 3, 4])
    expect(parseLines(lines)).toEqual([
      { line: 2, raw: 'a,b', result: { ok: true, item: { id: { S: 'a' }, note: { S: 'b' } } } },
      {
        line: 3,
        raw: '',
        result: { ok: false, reason: 'line longer than 1024 bytes' },
        unreadable: true,
      },
      { line: 4, raw: 'c,d', result: { ok: true, item: { id: { S: 'c' }, note: { S: 'd' } } } },
    ])
  })

  it('fails the open record for an unreadable line inside a quoted field and resyncs', () => {
    const lines = [...linesOf('id,note\na,"b\nc'), problem(4), { number: 5, text: 'd,e', bytes: 3 }]
    expect(parseLines(lines)).toEqual([
      {
        line: 2,
        raw: '',
        result: {
          ok: false,
          reason: 'line longer than 1024 bytes at line 4, inside a quoted field starting at line 2',
        },
        unreadable: true,
      },
      { line: 5, raw: 'd,e', result: { ok: true, item: { id: { S: 'd' }, note: { S: 'e' } } } },
    ])
  })
})

describe('csvParser: reasons', () => {
  it('never contains a value', () => {
    const secret = 'SeCrEt-4711'
    const text = [
      'id,n,bin,note',
      `${secret},${secret},QQ==,x`,
      `a,1,${secret},x`,
      `a,1,QQ==,"${secret}"${secret}`,
      `a,1,QQ==,${secret},${secret}`,
      `a,1,${secret}`,
      `a,1,QQ==,"${secret}`,
    ].join('\n')
    const all = reasons(text)
    expect(all).toHaveLength(6)
    for (const reason of all) {
      expect(reason).not.toBe('ok')
      expect(reason).not.toContain(secret)
      expect(reason.toLowerCase()).not.toContain('secret')
    }
  })
})
