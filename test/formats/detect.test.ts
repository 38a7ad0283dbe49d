import { describe, expect, it } from 'vitest'
import {
  describeBasis,
  describeReading,
  detectReading,
  explicitReading,
  importTableFormat,
  jsonFraming,
  readingNote,
  type Reading,
} from '../../src/formats/detect.js'
import { chooseReading } from '../../src/formats/index.js'

const bytes = (text: string) => Buffer.from(text)
/** What auto makes of a whole file (its head is all of it). */
const detect = (text: string, name = 'data/file') => detectReading(name, bytes(text), true)
const json = (
  framing: 'lines' | 'array' | 'documents',
  items: 'plain' | 'wrapped' | 'bare' | 'changes',
): Reading => ({ kind: 'json', framing, items })

const pretty = (value: unknown) => JSON.stringify(value, null, 2)

describe('detectReading: what a file holds, from its first bytes', () => {
  it.each<[string, string, Reading]>([
    [
      'a JSON array of plain documents',
      '[{"pk": "a", "n": 1}, {"pk": "b"}]',
      json('array', 'plain'),
    ],
    ['a pretty-printed array', pretty([{ pk: 'a' }, { pk: 'b' }]), json('array', 'plain')],
    ['a file of only []', '[]', json('array', 'plain')],
    [
      'an array with a BOM and whitespace first',
      '\uFEFF \r\n\t[\n{"pk": "a"}]',
      json('array', 'plain'),
    ],
    ['an array of DynamoDB JSON items', '[{"pk": {"S": "a"}}]', json('array', 'bare')],
    ['an array of Item-wrapped items', '[{"Item": {"pk": {"S": "a"}}}]', json('array', 'wrapped')],
    ['an array of numbers', '[1, 2]', json('array', 'plain')],
    ['JSON Lines of plain documents', '{"pk": "a"}\n{"pk": "b"}\n', json('lines', 'plain')],
    ['JSON Lines with CRLF', '{"pk": "a"}\r\n{"pk": "b"}\r\n', json('lines', 'plain')],
    ['one object on one line', '{"pk": "a", "tags": ["x"]}', json('lines', 'plain')],
    ['an empty object', '{}\n', json('lines', 'plain')],
    [
      'DynamoDB JSON lines with the Item wrapper',
      '{"Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}\n{"Item": {"pk": {"S": "b"}}}\n',
      json('lines', 'wrapped'),
    ],
    [
      'DynamoDB JSON lines without the Item wrapper',
      '{"pk": {"S": "a"}, "n": {"N": "1"}, "ok": {"BOOL": true}, "z": {"NULL": true}}\n',
      json('lines', 'bare'),
    ],
    [
      'every AttributeValue type without the wrapper',
      '{"a": {"B": "AA=="}, "b": {"M": {}}, "c": {"L": []}, "d": {"SS": ["x"]}, "e": {"NS": ["1"]}, "f": {"BS": ["AA=="]}}',
      json('lines', 'bare'),
    ],
    [
      'plain documents with one typed-looking member',
      '{"pk": {"S": "a"}, "n": 1}\n',
      json('lines', 'plain'),
    ],
    [
      'a two-member object is no attribute value',
      '{"pk": {"S": "a", "N": "1"}}\n',
      json('lines', 'plain'),
    ],
    ['a plain document with an "Item" member', '{"Item": {"name": "x"}}\n', json('lines', 'plain')],
    [
      'an Item with other members',
      '{"Item": {"pk": {"S": "a"}}, "at": 1}\n',
      json('lines', 'plain'),
    ],
    [
      'a pretty-printed object (a model file)',
      pretty({ pk: 'a', spec: { n: 1 } }),
      json('documents', 'plain'),
    ],
    [
      'get-item output: a pretty-printed wrapped item',
      pretty({ Item: { pk: { S: 'a' }, n: { N: '1' } } }),
      json('documents', 'wrapped'),
    ],
    [
      'pretty-printed items without the wrapper',
      `${pretty({ pk: { S: 'a' } })}\n${pretty({ pk: { S: 'b' } })}\n`,
      json('documents', 'bare'),
    ],
    [
      'jq output: pretty-printed documents one after another',
      `${pretty({ pk: 'a' })}\n${pretty({ pk: 'b' })}\n`,
      json('documents', 'plain'),
    ],
    [
      'a pretty-printed object with CRLF',
      pretty({ pk: 'a' }).replace(/\n/g, '\r\n'),
      json('documents', 'plain'),
    ],
    [
      'JSON Lines whose first line is broken (the next starts a document)',
      '{"pk": "a", \n{"pk": "b"}\n',
      json('lines', 'plain'),
    ],
    ['a first line that is not JSON', '{"pk": x}\n{"pk": "b"}\n', json('lines', 'plain')],
    [
      'request items',
      '{"ProductCatalog": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}',
      { kind: 'request-items' },
    ],
    [
      'pretty-printed request items starting with a delete',
      pretty({ T: [{ DeleteRequest: { Key: { pk: { S: 'a' } } } }] }),
      { kind: 'request-items' },
    ],
    ['an object whose first member is an empty array', '{"T": []}\n', json('lines', 'plain')],
    ['an array of other objects first', '{"T": [{"pk": "a"}]}\n', json('lines', 'plain')],
    ['CSV with a header', 'pk,name\na,Ann\n', { kind: 'csv' }],
    ['CSV with ; and CRLF', 'pk;name\r\na;Ann\r\n', { kind: 'csv' }],
    ['CSV of one column', 'pk\na\n', { kind: 'csv' }],
    ['Ion with its version marker', '$ion_1_0 {Item:{pk:"a"}}\n', { kind: 'ion' }],
    ['Ion of a DynamoDB export without the marker', '{Item:{pk:"a",n:1.5}}\n', { kind: 'ion' }],
    ['Ion with a quoted field name', '{\'Item\':{pk:"a"}}\n', { kind: 'ion' }],
  ])('%s', (_, text, reading) => {
    expect(detect(text)).toEqual({ reading, basis: 'bytes' })
  })

  it.each<[string, Reading]>([
    ['data/empty.json', json('lines', 'plain')],
    ['data/empty.jsonl.gz', json('lines', 'plain')],
    ['data/empty.csv', { kind: 'csv' }],
    ['data/empty.CSV.zst', { kind: 'csv' }],
    ['data/empty.ion.gz', { kind: 'ion' }],
    ['data.csv/empty', json('lines', 'plain')],
  ])('an empty file reads as its name says: %s', (name, reading) => {
    expect(detectReading(name, bytes(''), true)).toEqual({ reading, basis: 'empty' })
    expect(detectReading(name, bytes('\uFEFF \n\r\n'), true)).toEqual({ reading, basis: 'empty' })
  })

  it('the bytes win over a name that disagrees, but never make CSV of a file named JSON', () => {
    expect(detect('{"pk": "a"}\n', 'fixtures/a.csv').reading).toEqual(json('lines', 'plain'))
    expect(detect('pk,name\na,b\n', 'fixtures/a.txt').reading).toEqual({ kind: 'csv' })
    // Not JSON, but named so: read as JSON Lines, so that each line is rejected as the JSON it
    // fails to be, not as a CSV row.
    expect(detect('pk,name\na,b\n', 'fixtures/a.json')).toEqual({
      reading: json('lines', 'plain'),
      basis: 'name',
    })
    expect(detect('\x00\x01garbage', 'fixtures/b.ndjson.gz').basis).toBe('name')
    expect(detect('[{"pk": "a"}]', 'fixtures/a.jsonl').reading).toEqual(json('array', 'plain'))
  })

  describe('a first document longer than the head: its first member decides', () => {
    const long = 'x'.repeat(70_000)
    const head = (text: string) => detectReading('f.json', bytes(text.slice(0, 65_536)), false)

    it.each<[string, string, Reading]>([
      ['wrapped', `{"Item": {"pk": {"S": "${long}"}}}\n`, json('lines', 'wrapped')],
      ['bare', `{"pk": {"S": "${long}"}}\n`, json('lines', 'bare')],
      ['plain', `{"pk": "${long}"}\n`, json('lines', 'plain')],
      [
        'request items',
        `{"T": [{"PutRequest": {"Item": {"pk": {"S": "${long}"}}}}]}`,
        { kind: 'request-items' },
      ],
      [
        'an array of wrapped items',
        `[{"Item": {"pk": {"S": "${long}"}}}]`,
        json('array', 'wrapped'),
      ],
      ['an array of bare items', `[{"pk": {"S": "${long}"}}]`, json('array', 'bare')],
      [
        'a pretty-printed wrapped item',
        `{\n  "Item": {\n    "pk": {\n      "S": "${long}"\n    }\n  }\n}`,
        json('documents', 'wrapped'),
      ],
    ])('%s', (_, text, reading) => {
      expect(head(text).reading).toEqual(reading)
    })

    it('a head cut inside a multi-byte character still decodes', () => {
      const text = Buffer.from(`{"pk": "${'é'.repeat(40_000)}"}`).subarray(0, 65_535)
      expect(detectReading('f.json', text, false).reading).toEqual(json('lines', 'plain'))
    })
  })
})

describe('the readings ImportTable takes', () => {
  it('DynamoDB JSON lines with the wrapper, Ion and CSV; nothing else', () => {
    expect(importTableFormat(json('lines', 'wrapped'))).toBe('DYNAMODB_JSON')
    expect(importTableFormat({ kind: 'ion' })).toBe('ION')
    expect(importTableFormat({ kind: 'csv' })).toBe('CSV')
    expect(importTableFormat(json('lines', 'bare'))).toBeUndefined()
    expect(importTableFormat(json('documents', 'wrapped'))).toBeUndefined()
    expect(importTableFormat(json('array', 'plain'))).toBeUndefined()
    expect(importTableFormat({ kind: 'request-items' })).toBeUndefined()
  })
})

describe('an explicit input-format', () => {
  it('is read as it says; JSON takes its framing from the head', () => {
    expect(explicitReading('DYNAMODB_JSON', bytes('{"Item": {}}'))).toEqual(
      json('lines', 'wrapped'),
    )
    expect(explicitReading('DYNAMODB_JSON')).toEqual(json('lines', 'wrapped'))
    expect(explicitReading('NOSQL_WORKBENCH')).toEqual({ kind: 'workbench' })
    expect(explicitReading('ION')).toEqual({ kind: 'ion' })
    expect(explicitReading('CSV')).toEqual({ kind: 'csv' })
    expect(explicitReading('REQUEST_ITEMS')).toEqual({ kind: 'request-items' })
    expect(explicitReading('JSON')).toEqual(json('lines', 'plain'))
    expect(explicitReading('JSON', bytes(' [{"pk": "a"}]'))).toEqual(json('array', 'plain'))
    expect(explicitReading('JSON', bytes(pretty({ pk: 'a' })))).toEqual(json('documents', 'plain'))
    expect(explicitReading('JSON', bytes('{"pk": "a"}\n{"pk": "b"}'))).toEqual(
      json('lines', 'plain'),
    )
  })

  it('always wins over what the bytes say', () => {
    const bare = { bytes: bytes('{"pk": {"S": "a"}}\n'), complete: true }
    expect(chooseReading({ format: 'DYNAMODB_JSON' }, 'a.json', bare)).toEqual({
      reading: json('lines', 'wrapped'),
      basis: 'input',
      format: 'DYNAMODB_JSON',
    })
    expect(chooseReading({ format: 'auto' }, 'a.json', bare)).toEqual({
      reading: json('lines', 'bare'),
      basis: 'bytes',
      format: 'auto',
    })
    expect(chooseReading({ format: 'auto' }, 'a.csv')).toEqual({
      reading: { kind: 'csv' },
      basis: 'empty',
      format: 'auto',
    })
    expect(
      chooseReading({ format: 'ION', formatFrom: "the export's manifest" }, 'a.json.gz'),
    ).toEqual({
      reading: { kind: 'ion' },
      basis: 'input',
      format: 'ION',
      formatFrom: "the export's manifest",
    })
  })

  it("an incremental export's lines are its changes, as its manifest says", () => {
    const choice = chooseReading(
      { format: 'DYNAMODB_JSON', formatFrom: "the export's manifest", incremental: true },
      'data/a.json.gz',
    )
    expect(choice.reading).toEqual(json('lines', 'changes'))
    expect(describeReading(choice.reading)).toBe(
      "DynamoDB JSON lines of an incremental export's changes",
    )
    expect(importTableFormat(choice.reading)).toBeUndefined()
  })

  it('jsonFraming: an array, JSON Lines, or documents of several lines', () => {
    expect(jsonFraming(bytes('\uFEFF[]'))).toBe('array')
    expect(jsonFraming(bytes(''))).toBe('lines')
    expect(jsonFraming(bytes('{"a": 1}\n{\n'))).toBe('lines')
    expect(jsonFraming(bytes('{\n"a": 1}\n'))).toBe('documents')
  })
})

describe('the words', () => {
  it.each<[Reading, string]>([
    [json('lines', 'plain'), 'JSON Lines of plain documents'],
    [json('lines', 'wrapped'), 'DynamoDB JSON lines with the Item wrapper'],
    [json('lines', 'bare'), 'DynamoDB JSON lines without the Item wrapper'],
    [json('array', 'plain'), 'a JSON array of plain documents'],
    [json('array', 'wrapped'), 'a JSON array of DynamoDB JSON items with the Item wrapper'],
    [json('documents', 'plain'), 'multi-line JSON documents (plain documents)'],
    [
      json('documents', 'bare'),
      'multi-line JSON documents (DynamoDB JSON items without the Item wrapper)',
    ],
    [{ kind: 'request-items' }, 'a request-items file (batch-write-item)'],
    [{ kind: 'ion' }, 'Ion (DynamoDB export text)'],
    [{ kind: 'csv' }, 'CSV'],
  ])('%o reads as %s', (reading, words) => {
    expect(describeReading(reading)).toBe(words)
  })

  it('say what decided, and which input changes it', () => {
    const reading = json('lines', 'plain')
    const auto = { reading, basis: 'bytes', format: 'auto' } as const
    expect(describeBasis(auto)).toBe('input-format auto: from its first bytes')
    expect(describeBasis({ ...auto, basis: 'name' })).toBe('input-format auto: from its name')
    expect(describeBasis({ ...auto, basis: 'empty' })).toBe(
      'input-format auto: it holds no data, so from its name',
    )
    expect(describeBasis({ ...auto, basis: 'input', format: 'JSON' })).toBe('input-format JSON')
    expect(
      describeBasis({
        ...auto,
        basis: 'input',
        format: 'ION',
        formatFrom: "the export's manifest",
      }),
    ).toBe("ION, from the export's manifest")
    expect(readingNote(auto)).toBe(
      ' (read as JSON Lines of plain documents, as input-format auto recognised it; set input-format to read it otherwise)',
    )
    expect(readingNote({ ...auto, basis: 'input', format: 'JSON' })).toBe(
      " (read as JSON Lines of plain documents, as input-format JSON says; set input-format to auto or to the file's format to read it otherwise)",
    )
    expect(
      readingNote({ ...auto, basis: 'input', format: 'ION', formatFrom: "the export's manifest" }),
    ).toBe(" (read as JSON Lines of plain documents, as the export's manifest says)")
  })
})

describe('DynamoDB JSON arrays, scan outputs and NoSQL Workbench models', () => {
  const model = pretty({
    ModelName: 'Shop',
    ModelMetadata: { Version: '3.0' },
    DataModel: [{ TableName: 'Orders', TableData: [{ pk: { S: 'a' } }] }],
  })
  const scan = JSON.stringify({ Items: [{ pk: { S: 'a' } }], Count: 1, ScannedCount: 1 }, null, 4)

  it('input-format DYNAMODB_JSON takes an array, of items with the Item wrapper or without as its first says', () => {
    expect(explicitReading('DYNAMODB_JSON', bytes(pretty([{ pk: { S: 'a' } }])))).toEqual(
      json('array', 'bare'),
    )
    expect(explicitReading('DYNAMODB_JSON', bytes(' [{"Item": {"pk": {"S": "a"}}}]'))).toEqual(
      json('array', 'wrapped'),
    )
    // An element that is neither (or none): the wrapper ImportTable's DynamoDB JSON has.
    expect(explicitReading('DYNAMODB_JSON', bytes('[1]'))).toEqual(json('array', 'wrapped'))
    expect(explicitReading('DYNAMODB_JSON', bytes('[]'))).toEqual(json('array', 'wrapped'))
    expect(explicitReading('DYNAMODB_JSON', bytes('[{"pk": "a"}]'))).toEqual(
      json('array', 'wrapped'),
    )
  })

  it('auto recognises a model from its first members, and a scan output after request items', () => {
    expect(detect(model)).toEqual({ reading: { kind: 'workbench' }, basis: 'bytes' })
    expect(detect(scan)).toEqual({ reading: { kind: 'scan-output' }, basis: 'bytes' })
    // A request-items file for a table named Items stays one.
    expect(detect('{"Items": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}]}').reading).toEqual({
      kind: 'request-items',
    })
    // A scan output longer than the head: its first member decides.
    const long = `{"Items": [{"pk": {"S": "${'x'.repeat(100)}"}}`
    expect(detectReading('scan.json', bytes(long), false).reading).toEqual({ kind: 'scan-output' })
    expect(detectReading('scan.json', bytes(long), true).reading).toEqual(json('lines', 'plain'))
    // An object with Items that is one document of several lines among others is not a scan.
    expect(detect('{"Item": {"pk": {"S": "a"}}}').reading).toEqual(json('lines', 'wrapped'))
  })

  it('describes them, and ImportTable reads none of them', () => {
    expect(describeReading({ kind: 'workbench' })).toBe('a NoSQL Workbench data model')
    expect(describeReading({ kind: 'scan-output' })).toBe('the output of aws dynamodb scan')
    expect(importTableFormat({ kind: 'workbench' })).toBeUndefined()
    expect(importTableFormat({ kind: 'scan-output' })).toBeUndefined()
    expect(importTableFormat(json('array', 'wrapped'))).toBeUndefined()
    expect(
      chooseReading({ format: 'DYNAMODB_JSON' }, 'a.json', {
        bytes: bytes('[{"Item": {"pk": {"S": "a"}}}]'),
        complete: true,
      }),
    ).toEqual({
      reading: json('array', 'wrapped'),
      basis: 'input',
      format: 'DYNAMODB_JSON',
    })
  })
})
