import { describe, it, expect } from 'vitest'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import type { Item } from '../../src/table/attribute-value.js'
import { parseDynamoDBJsonLine, toDynamoDBJsonLine } from '../../src/formats/dynamodb-json.js'

function parse(line: string): Item {
  const result = parseDynamoDBJsonLine(line)
  if (!result.ok) throw new Error(`expected a valid line, got: ${result.reason}`)
  return result.item
}

function reason(line: string): string {
  const result = parseDynamoDBJsonLine(line)
  if (result.ok) throw new Error(`expected line to be rejected: ${line.slice(0, 200)}`)
  return result.reason
}

/** A line with one attribute `a` holding `value` (given as JSON-able data). */
function lineWith(value: unknown): string {
  return JSON.stringify({ Item: { a: value } })
}

function bytesOf(value: AttributeValue | undefined): number[] {
  expect(value?.B).toBeInstanceOf(Uint8Array)
  return Array.from(value?.B ?? [])
}

/** Wraps a scalar in `wraps` maps (`{M: {n: ...}}`) or lists. */
function nested(wraps: number, kind: 'M' | 'L'): unknown {
  let value: unknown = { S: 'leaf' }
  for (let i = 0; i < wraps; i++) value = kind === 'M' ? { M: { n: value } } : { L: [value] }
  return value
}

describe('parseDynamoDBJsonLine: valid lines', () => {
  it('parses every attribute type', () => {
    const item = parse(
      JSON.stringify({
        Item: {
          s: { S: 'hello' },
          empty: { S: '' },
          n: { N: '-12.50' },
          bin: { B: 'AAEC//4=' },
          emptyBin: { B: '' },
          yes: { BOOL: true },
          no: { BOOL: false },
          nul: { NULL: true },
          map: { M: { x: { N: '1' }, y: { L: [] } } },
          list: { L: [{ S: 'a' }, { N: '2' }, { M: {} }, { B: 'QQ==' }] },
          ss: { SS: ['a', 'b', ''] },
          ns: { NS: ['1', '2.5', '-3'] },
          bs: { BS: ['QQ==', 'QkM=', ''] },
        },
      }),
    )
    expect(item['s']).toEqual({ S: 'hello' })
    expect(item['empty']).toEqual({ S: '' })
    // The original text is kept; DynamoDB trims zeros itself.
    expect(item['n']).toEqual({ N: '-12.50' })
    expect(bytesOf(item['bin'])).toEqual([0, 1, 2, 255, 254])
    expect(bytesOf(item['emptyBin'])).toEqual([])
    expect(item['yes']).toEqual({ BOOL: true })
    expect(item['no']).toEqual({ BOOL: false })
    expect(item['nul']).toEqual({ NULL: true })
    expect(item['map']).toEqual({ M: { x: { N: '1' }, y: { L: [] } } })
    const list = item['list']?.L ?? []
    expect(list.slice(0, 3)).toEqual([{ S: 'a' }, { N: '2' }, { M: {} }])
    expect(bytesOf(list[3])).toEqual([65])
    expect(item['ss']).toEqual({ SS: ['a', 'b', ''] })
    expect(item['ns']).toEqual({ NS: ['1', '2.5', '-3'] })
    const bs = item['bs']?.BS ?? []
    for (const member of bs) expect(member).toBeInstanceOf(Uint8Array)
    expect(bs.map((member) => Array.from(member))).toEqual([[65], [66, 67], []])
  })

  it('decodes binary exactly once', () => {
    const original = Buffer.from('binary payload \u00ff')
    const item = parse(lineWith({ B: original.toString('base64') }))
    expect(item['a']?.B).toEqual(new Uint8Array(original))
  })

  it('accepts unpadded base64 and padding of either length', () => {
    expect(bytesOf(parse(lineWith({ B: 'QQ' }))['a'])).toEqual([65])
    expect(bytesOf(parse(lineWith({ B: 'QUI' }))['a'])).toEqual([65, 66])
    expect(bytesOf(parse(lineWith({ B: 'QUI=' }))['a'])).toEqual([65, 66])
    expect(bytesOf(parse(lineWith({ B: 'QUJD' }))['a'])).toEqual([65, 66, 67])
    expect(bytesOf(parse(lineWith({ B: '+/8=' }))['a'])).toEqual([251, 255])
  })

  it('accepts a CRLF line ending, whitespace and unicode', () => {
    const item = parse('{ "Item" : { "naïve 名前" : { "S" : "é😀\\u00e9" } } }\r')
    expect(item).toEqual({ 'naïve 名前': { S: 'é😀é' } })
  })

  it('accepts an empty Item (key checks happen later)', () => {
    expect(parse('{"Item":{}}')).toEqual({})
  })

  it('accepts 32 levels of nesting and rejects 33', () => {
    // The attribute itself is level 1, so 31 wraps put the leaf at level 32.
    for (const kind of ['M', 'L'] as const) {
      expect(parseDynamoDBJsonLine(lineWith(nested(31, kind))).ok).toBe(true)
      expect(reason(lineWith(nested(32, kind)))).toMatch(
        /: nested deeper than the limit of 32 levels$/,
      )
    }
    expect(reason(lineWith(nested(32, 'M')))).toBe(
      `Item.a${'.n'.repeat(32)}: nested deeper than the limit of 32 levels`,
    )
    expect(reason(lineWith(nested(32, 'L')))).toBe(
      `Item.a${'[0]'.repeat(32)}: nested deeper than the limit of 32 levels`,
    )
    // An empty container at level 32 holds nothing at level 33.
    let empty: unknown = { M: {} }
    for (let i = 0; i < 31; i++) empty = { L: [empty] }
    expect(parseDynamoDBJsonLine(lineWith(empty)).ok).toBe(true)
  })
})

describe('parseDynamoDBJsonLine: line structure', () => {
  it('reports invalid JSON with a column, never with the text', () => {
    expect(reason('{"Item":{}}x')).toBe('invalid JSON at column 12')
    expect(reason('{"Item":{"a" {"S":"x"}}}')).toBe('invalid JSON at column 14')
    expect(reason('{"Item":')).toBe('invalid JSON: the line ends inside a value')
    expect(reason('{"Item":{"a":{"S":tru}}}')).toMatch(/^invalid JSON( at column \d+)?$/)
  })

  it('rejects a line that is not an object with an Item member', () => {
    const expected = 'expected an object with an "Item" member, found'
    expect(reason('[{"Item":{}}]')).toBe(`${expected} an array`)
    expect(reason('"Item"')).toBe(`${expected} a string`)
    expect(reason('null')).toBe(`${expected} null`)
    expect(reason('42')).toBe(`${expected} a number`)
    expect(reason('{}')).toBe(`${expected} an empty object`)
    expect(reason('{"item":{},"b":1}')).toBe(`${expected} an object with members "item", "b"`)
    expect(reason('{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1}')).toBe(
      `${expected} an object with members "a", "b", "c", "d", "e" and 2 more`,
    )
    expect(reason('{"Item":[]}')).toBe('expected "Item" to be an object, found an array')
    expect(reason('{"Item":null}')).toBe('expected "Item" to be an object, found null')
  })

  it('rejects members next to Item', () => {
    expect(reason('{"Item":{},"Metadata":{}}')).toBe(
      'unexpected top-level members next to "Item": "Metadata"',
    )
  })
})

describe('parseDynamoDBJsonLine: attribute values', () => {
  const cases: Array<[string, unknown, string]> = [
    [
      'no type key',
      {},
      'Item.a: expected exactly one type key of S, N, B, BOOL, NULL, M, L, SS, NS, BS, found none',
    ],
    ['two type keys', { S: 'x', N: '1' }, 'found "S", "N"'],
    ['an unknown type key', { X: '1' }, 'Item.a: unknown type key "X", expected one of'],
    ['a lowercase type key', { s: 'x' }, 'unknown type key "s"'],
    ['a bare string', 'x', 'Item.a: expected an attribute value object, found a string'],
    ['an array', [{ S: 'x' }], 'expected an attribute value object, found an array'],
    ['S as a number', { S: 1 }, 'Item.a: S must be a string, found a number'],
    ['N as a JSON number', { N: 1 }, 'Item.a: N must be a string, found a number'],
    ['an invalid N', { N: '1e' }, 'Item.a: N: expected a decimal number'],
    [
      'a 39-digit N',
      { N: '1'.repeat(39) },
      'Item.a: N: expected at most 38 significant digits, found 39',
    ],
    ['an N out of range', { N: '1E+126' }, 'Item.a: N: number too large'],
    ['BOOL as a string', { BOOL: 'true' }, 'Item.a: BOOL must be a boolean, found a string'],
    ['NULL false', { NULL: false }, 'Item.a: NULL must be true, found false'],
    ['NULL as a string', { NULL: 'true' }, 'Item.a: NULL must be true, found a string'],
    ['M as an array', { M: [] }, 'Item.a: M must be an object, found an array'],
    ['L as an object', { L: {} }, 'Item.a: L must be an array, found an object'],
    ['B as a number', { B: 1 }, 'Item.a: B must be a base64 string, found a number'],
    ['an empty SS', { SS: [] }, 'Item.a: SS must not be empty'],
    ['an empty NS', { NS: [] }, 'Item.a: NS must not be empty'],
    ['an empty BS', { BS: [] }, 'Item.a: BS must not be empty'],
    ['SS as a string', { SS: 'a' }, 'Item.a: SS must be an array, found a string'],
    [
      'an SS number member',
      { SS: ['a', 1] },
      'Item.a[1]: SS member must be a string, found a number',
    ],
    ['an NS number member', { NS: [1] }, 'Item.a[0]: NS member must be a string, found a number'],
    ['an invalid NS member', { NS: ['1', 'x'] }, 'Item.a[1]: NS member: expected a decimal number'],
    ['an invalid BS member', { BS: ['QQ==', 'Q'] }, 'Item.a[1]: BS member is not base64'],
    [
      'duplicate SS members',
      { SS: ['a', 'b', 'a'] },
      'Item.a[2]: SS member duplicates an earlier member',
    ],
    ['NS duplicates by value', { NS: ['1', '2', '1.0'] }, 'Item.a[2]: NS member duplicates'],
    ['NS duplicates in notation', { NS: ['10E-1', '0.1e1'] }, 'Item.a[1]: NS member duplicates'],
    ['BS duplicates by text', { BS: ['QQ==', 'QQ=='] }, 'Item.a[1]: BS member duplicates'],
    ['BS duplicates by bytes', { BS: ['QQ==', 'QQ'] }, 'Item.a[1]: BS member duplicates'],
    ['BS duplicates by unused bits', { BS: ['QR==', 'QQ=='] }, 'Item.a[1]: BS member duplicates'],
    [
      'an empty map member name',
      { M: { '': { S: 'x' } } },
      'Item.a[""]: attribute name must not be empty',
    ],
  ]
  for (const [title, value, expected] of cases) {
    it(`rejects ${title}`, () => {
      expect(reason(lineWith(value))).toContain(expected)
    })
  }

  it('accepts distinct set members that look alike', () => {
    expect(parseDynamoDBJsonLine(lineWith({ SS: ['a', 'A', 'a '] })).ok).toBe(true)
    expect(
      parseDynamoDBJsonLine(lineWith({ NS: ['9007199254740993', '9007199254740992'] })).ok,
    ).toBe(true)
    expect(parseDynamoDBJsonLine(lineWith({ NS: ['0.1', '0.10000000000000001'] })).ok).toBe(true)
    expect(parseDynamoDBJsonLine(lineWith({ BS: ['QQ==', 'QUE='] })).ok).toBe(true)
  })

  it('rejects invalid base64', () => {
    for (const text of [
      'Q',
      'QQ=',
      'Q===',
      '====',
      '=',
      'QQ==QQ==',
      'QQ-_',
      'QQ ==',
      'QQ==\n',
      'Q=Q=',
      'QUJD=',
    ]) {
      expect(reason(lineWith({ B: text })), text).toMatch(/^Item\.a: B is not base64: /)
    }
  })

  it('rejects empty and oversized attribute names', () => {
    expect(reason('{"Item":{"":{"S":"x"}}}')).toBe('Item[""]: attribute name must not be empty')
    const long = 'x'.repeat(65_536)
    expect(reason(JSON.stringify({ Item: { [long]: { S: 'x' } } }))).toBe(
      `Item["${'x'.repeat(64)}…"]: attribute name is 65536 bytes, above the limit of 65535`,
    )
    expect(
      parseDynamoDBJsonLine(JSON.stringify({ Item: { [long.slice(1)]: { S: 'x' } } })).ok,
    ).toBe(true)
  })

  it('names the path to the broken value', () => {
    const line = JSON.stringify({
      Item: { ok: { S: 'x' }, a: { M: { 'b c': { L: [{ S: 'x' }, { S: 'y' }, { N: 'z' }] } } } },
    })
    expect(reason(line)).toBe(
      'Item.a["b c"][2]: N: expected a decimal number such as -12.5 or 1.5E+3, found text of 1 character that is not one',
    )
  })
})

describe('reasons never contain values', () => {
  const secret = 'AKIA-secret-TOKEN-1234'
  const lines = [
    `{"Item":{"a":{"S":"${secret}"}}} trailing`,
    `{"Item":{"a":{"S":${secret}}}}`,
    `{"Item":{"a":{"S":"x"}},"b":"${secret}"}`,
    `{"Item":{"a":{"S":"${'x'.repeat(500)}", "b": ${secret}}}}`,
    `{"Item":{"a":{"S":"${secret}"}}`,
    `"${secret}"`,
    `{"Item":"${secret}"}`,
    `{"Item":{"a":"${secret}"}}`,
    `{"Item":{"a":{"N":"${secret}"}}}`,
    `{"Item":{"a":{"N":"1${secret}"}}}`,
    `{"Item":{"a":{"B":"${secret}!"}}}`,
    `{"Item":{"a":{"B":"${secret}"}}}`,
    `{"Item":{"a":{"NULL":"${secret}"}}}`,
    `{"Item":{"a":{"BOOL":"${secret}"}}}`,
    `{"Item":{"a":{"SS":["${secret}","${secret}"]}}}`,
    `{"Item":{"a":{"NS":["1","${secret}"]}}}`,
    `{"Item":{"a":{"BS":["${secret}"]}}}`,
    `{"Item":{"a":{"L":[{"S":"x"},{"N":"${secret}"}]}}}`,
    `{"Item":{"a":{"M":{"k":{"S":"${secret}","N":"1"}}}}}`,
  ]
  for (const [index, line] of lines.entries()) {
    it(`line ${index} is rejected without echoing the secret`, () => {
      const text = reason(line)
      expect(text).not.toContain(secret)
      expect(text).not.toContain('secret-TOKEN')
    })
  }
})

describe('toDynamoDBJsonLine', () => {
  it('round-trips every type', () => {
    const item: Item = {
      s: { S: 'héllo "quoted" \\ 😀' },
      n: { N: '1.000' },
      b: { B: new Uint8Array([0, 1, 2, 255]) },
      t: { BOOL: true },
      z: { NULL: true },
      m: { M: { inner: { L: [{ S: '' }, { B: new Uint8Array(0) }] } } },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '1E+10'] },
      bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    }
    const line = toDynamoDBJsonLine(item)
    expect(line).not.toContain('\n')
    expect(JSON.parse(line).Item.b).toEqual({ B: 'AAEC/w==' })
    const back = parse(line)
    expect(back).toEqual(item)
    expect(toDynamoDBJsonLine(back)).toBe(line)
  })

  it('encodes Buffers and offset views by their bytes', () => {
    const backing = new Uint8Array([9, 65, 66, 9])
    const line = toDynamoDBJsonLine({
      a: { B: backing.subarray(1, 3) },
      b: { B: Buffer.from('AB') },
    })
    expect(line).toBe('{"Item":{"a":{"B":"QUI="},"b":{"B":"QUI="}}}')
  })
})
