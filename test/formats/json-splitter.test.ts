import { describe, expect, it } from 'vitest'
import { JsonSplitter, type Piece } from '../../src/formats/json-splitter.js'

/** Every piece of `text`, fed in chunks of `size` bytes (1: a chunk boundary at every byte). */
function split(
  text: string,
  shape: 'array' | 'tables' | 'documents' = 'array',
  size = 1,
  max = 1 << 20,
): Piece[] {
  const splitter = new JsonSplitter(shape, max)
  const bytes = Buffer.from(text)
  const out: Piece[] = []
  for (let i = 0; i < bytes.length; i += size)
    out.push(...splitter.push(bytes.subarray(i, i + size)))
  return [...out, ...splitter.end()]
}

const texts = (pieces: Piece[]) => pieces.map((p) => (p.kind === 'element' ? p.text : p))

describe('JsonSplitter, one array of documents', () => {
  const file = '\uFEFF[\n  {"a": "x]},\\"{"},\n  {"b": [1, {"c": []}]},\n  7, "s", true\n]\n'

  it.each([1, 3, 7, 1024])('finds each element whole, in chunks of %i bytes', (size) => {
    const pieces = split(file, 'array', size)
    expect(texts(pieces)).toEqual([
      '{"a": "x]},\\"{"}',
      '{"b": [1, {"c": []}]}',
      '7',
      '"s"',
      'true',
    ])
    expect(pieces.map((p) => (p.kind === 'element' ? [p.line, p.index] : p))).toEqual([
      [2, 0],
      [3, 1],
      [4, 2],
      [4, 3],
      [4, 4],
    ])
  })

  it('takes a minified array on one line, an empty array, and multi-byte characters', () => {
    expect(texts(split('[{"n":"é€🚀"},{"n":2}]'))).toEqual(['{"n":"é€🚀"}', '{"n":2}'])
    expect(split('[]')).toEqual([])
    expect(split('  [ ]  \n')).toEqual([])
  })

  it.each([1, 4, 1024])(
    'says where an array is cut off (byte offset, the document before), in chunks of %i',
    (size) => {
      expect(texts(split('[{"a":1},\n{"b":', 'array', size))).toEqual([
        '{"a":1}',
        {
          kind: 'broken',
          line: 2,
          offset: 10,
          after: 'document[0]',
          reason: 'the file ends inside document[1], which starts on this line',
        },
      ])
      expect(texts(split('[{"a":1}', 'array', size))).toEqual([
        '{"a":1}',
        {
          kind: 'broken',
          line: 1,
          offset: 8,
          after: 'document[0]',
          reason: 'the file ends before the JSON array is closed: expected "," or "]"',
        },
      ])
    },
  )

  it.each([
    ['{"a": 1}', 0, undefined, 'expected a JSON array of documents ("[")'],
    ['[{"a":1} {"b":2}]', 9, 'document[0]', 'expected "," or "]", found "{"'],
    ['[{"a":1}\n\n 7]', 11, 'document[0]', 'expected "," or "]", found a number'],
    ['[{"a":1} x]', 9, 'document[0]', 'expected "," or "]", found a letter'],
    ['[{"a":1} \u00e9]', 9, 'document[0]', 'expected "," or "]", found byte 0xc3'],
    ['[{"a":1}] [', 10, 'document[0]', 'expected nothing after the end of the JSON value'],
  ])('stops at %s: byte %i after %s: %s', (text, offset, after, reason) => {
    for (const size of [1, 5, 1024]) {
      const last = split(text, 'array', size).at(-1)
      expect(last).toEqual({
        kind: 'broken',
        line: expect.any(Number),
        offset,
        ...(after !== undefined && { after }),
        reason,
      })
    }
  })

  it('does not keep a document longer than the limit, and says how long it was', () => {
    const pieces = split(`[{"a":"${'x'.repeat(100)}"},{"b":1}]`, 'array', 16, 50)
    expect(pieces[0]).toMatchObject({ kind: 'element', text: undefined, index: 0 })
    expect((pieces[0] as { problem: string }).problem).toContain('longer than 50')
    expect(texts(pieces.slice(1))).toEqual(['{"b":1}'])
  })

  it('refuses invalid UTF-8 in one document only', () => {
    const bytes = Buffer.concat([
      Buffer.from('[{"a":"'),
      Buffer.from([0xff]),
      Buffer.from('"},{"b":1}]'),
    ])
    const splitter = new JsonSplitter('array', 1 << 20)
    const pieces = [...splitter.push(bytes), ...splitter.end()]
    expect(pieces[0]).toMatchObject({ text: undefined, problem: 'the document is not valid UTF-8' })
    expect(texts(pieces.slice(1))).toEqual(['{"b":1}'])
  })
})

describe('JsonSplitter, a request-items object', () => {
  it('finds each table and each request with its table', () => {
    const text =
      '{"Forum": [{"PutRequest": {}}, {"DeleteRequest": {}}],\n "Re\\"ply": [{"PutRequest": {}}]}'
    for (const size of [1, 5, 1000]) {
      const pieces = split(text, 'tables', size)
      expect(
        pieces.map((p) =>
          p.kind === 'element' ? [p.table, p.index, p.text] : [p.kind, 'name' in p ? p.name : ''],
        ),
      ).toEqual([
        ['table', 'Forum'],
        ['Forum', 0, '{"PutRequest": {}}'],
        ['Forum', 1, '{"DeleteRequest": {}}'],
        ['table', 'Re"ply'],
        ['Re"ply', 0, '{"PutRequest": {}}'],
      ])
    }
  })

  it('refuses an object where the array of requests was expected', () => {
    expect(split('{"T": {"PutRequest": {}}}', 'tables').at(-1)).toMatchObject({
      kind: 'broken',
      reason: 'expected an array of requests for table "T", found an object',
    })
  })

  it('takes an empty object, and says when the file is cut off', () => {
    expect(split('{}', 'tables')).toEqual([])
    expect(split('{"T": [{"PutRequest": {}}', 'tables').at(-1)).toEqual({
      kind: 'broken',
      line: 1,
      offset: 25,
      after: '"T"[0]',
      reason: 'the file ends before the request-items object is closed: expected "]" and "}"',
    })
  })
})

describe('JsonSplitter, documents one after another (a pretty-printed object, jq output)', () => {
  const file =
    '\uFEFF{\n  "pk": "a",\n  "n": {"x": "}{"}\n}\n{\n  "pk": "b"\n}{"pk": "c"}\r\n\n  7\n'

  it.each([1, 5, 1024])(
    'finds each document whole with its line, in chunks of %i bytes',
    (size) => {
      const pieces = split(file, 'documents', size)
      expect(texts(pieces)).toEqual([
        '{\n  "pk": "a",\n  "n": {"x": "}{"}\n}',
        '{\n  "pk": "b"\n}',
        '{"pk": "c"}',
        '7',
      ])
      expect(pieces.map((p) => (p.kind === 'element' ? [p.line, p.index] : p))).toEqual([
        [1, 0],
        [5, 1],
        [7, 2],
        [9, 3],
      ])
    },
  )

  it('an empty file, or only whitespace, has no documents and is not cut off', () => {
    expect(split('', 'documents')).toEqual([])
    expect(split(' \n\n', 'documents')).toEqual([])
  })

  it('a document cut off at the end of the file is said to be, at its first line', () => {
    const pieces = split('{"pk": "a"}\n{\n  "pk": "b",\n', 'documents')
    expect(texts(pieces)).toEqual([
      '{"pk": "a"}',
      {
        kind: 'broken',
        line: 2,
        offset: 12,
        after: 'document[0]',
        reason: 'the file ends inside document[1], which starts on this line',
      },
    ])
  })
})
