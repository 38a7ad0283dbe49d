import { describe, it, expect } from 'vitest'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { load, type dom } from 'ion-js'
import { normalizeNumber } from '../../src/table/numbers.js'
import { type Item } from '../../src/table/attribute-value.js'
import { parseIonLine } from '../../src/formats/ion.js'
import { parseDynamoDBJsonLine } from '../../src/formats/dynamodb-json.js'

function parse(line: string): Item {
  const result = parseIonLine(line)
  if (!result.ok) throw new Error(`expected a valid line, got: ${result.reason}`)
  return result.item
}

function reason(line: string): string {
  const result = parseIonLine(line)
  if (result.ok) throw new Error(`expected line to be rejected: ${line.slice(0, 200)}`)
  return result.reason
}

/** The value of attribute `a` in a line holding only `a: <value text>`. */
function valueOf(ion: string): AttributeValue | undefined {
  return parse(`{Item:{a:${ion}}}`)['a']
}

function reasonFor(ion: string): string {
  return reason(`{Item:{a:${ion}}}`)
}

function bytesOf(value: AttributeValue | undefined): number[] {
  expect(value?.B).toBeInstanceOf(Uint8Array)
  return Array.from(value?.B ?? [])
}

/** Wraps a string in `wraps` structs (`{n: ...}`) or lists. */
function nested(wraps: number, kind: 'M' | 'L'): string {
  let value = '"leaf"'
  for (let i = 0; i < wraps; i++) value = kind === 'M' ? `{n:${value}}` : `[${value}]`
  return value
}

describe('parseIonLine: the DynamoDB export example', () => {
  it('maps every type of the documented example', () => {
    const item = parse(
      `$ion_1_0 {Item:{Authors:$dynamodb_SS::["Author1","Author2"],Id:103.,PageCount:6d2,Price:2d3,Rating:1.5d-3,Cover:{{aGVsbG8=}},InPrint:true,Tags:["a",{x:"y"}],Meta:{'quoted name':"v"},Nothing:null}}`,
    )
    expect(item).toEqual({
      Authors: { SS: ['Author1', 'Author2'] },
      Id: { N: '103' },
      PageCount: { N: '6E2' },
      Price: { N: '2E3' },
      Rating: { N: '1.5E-3' },
      Cover: { B: new Uint8Array(Buffer.from('hello')) },
      InPrint: { BOOL: true },
      Tags: { L: [{ S: 'a' }, { M: { x: { S: 'y' } } }] },
      Meta: { M: { 'quoted name': { S: 'v' } } },
      Nothing: { NULL: true },
    })
  })

  it('gives the same item as the equivalent DynamoDB JSON line', () => {
    const ion =
      `$ion_1_0 {Item:{pk:"user#1",sk:42,price:12.50,big:12345678901234567890123456789012345678.,` +
      `tiny:1.5d-3,sci:6d2,neg:-0.5,flag:false,nothing:null,blob:{{AAEC//4=}},empty:{{}},` +
      `list:["a",2,{m:{}},{{QQ==}},[]],map:{"k k":{inner:$dynamodb_NS::[1,2.5,-3]}},` +
      `ss:$dynamodb_SS::["a","b",""],ns:$dynamodb_NS::[1,2.5,-3],bs:$dynamodb_BS::[{{QQ==}},{{QkM=}},{{}}],` +
      `'naïve 名前':"é😀"}}`
    const json = JSON.stringify({
      Item: {
        pk: { S: 'user#1' },
        sk: { N: '42' },
        price: { N: '12.50' },
        big: { N: '12345678901234567890123456789012345678' },
        tiny: { N: '1.5E-3' },
        sci: { N: '6E2' },
        neg: { N: '-0.5' },
        flag: { BOOL: false },
        nothing: { NULL: true },
        blob: { B: 'AAEC//4=' },
        empty: { B: '' },
        list: { L: [{ S: 'a' }, { N: '2' }, { M: { m: { M: {} } } }, { B: 'QQ==' }, { L: [] }] },
        map: { M: { 'k k': { M: { inner: { NS: ['1', '2.5', '-3'] } } } } },
        ss: { SS: ['a', 'b', ''] },
        ns: { NS: ['1', '2.5', '-3'] },
        bs: { BS: ['QQ==', 'QkM=', ''] },
        'naïve 名前': { S: 'é😀' },
      },
    })
    const fromJson = parseDynamoDBJsonLine(json)
    expect(fromJson.ok).toBe(true)
    if (fromJson.ok) expect(parse(ion)).toEqual(fromJson.item)
  })
})

describe('parseIonLine: scalars', () => {
  it('maps strings, bools and nulls', () => {
    expect(valueOf('"hello"')).toEqual({ S: 'hello' })
    expect(valueOf('""')).toEqual({ S: '' })
    expect(valueOf("''''''")).toEqual({ S: '' })
    expect(valueOf('true')).toEqual({ BOOL: true })
    expect(valueOf('false')).toEqual({ BOOL: false })
    expect(valueOf('null')).toEqual({ NULL: true })
  })

  it('maps every typed null to NULL, as DynamoDB has no typed null', () => {
    for (const type of [
      'null',
      'bool',
      'int',
      'float',
      'decimal',
      'timestamp',
      'string',
      'symbol',
      'blob',
      'clob',
      'struct',
      'list',
      'sexp',
    ]) {
      expect(valueOf(`null.${type}`), type).toEqual({ NULL: true })
    }
    expect(reasonFor('null.foo')).toBe(
      'invalid Ion at column 15: expected an Ion type name after "null."',
    )
    expect(reasonFor('null.')).toMatch(/^invalid Ion at column 15: expected an Ion type name/)
  })

  it('converts decimals to DynamoDB number text, exactly', () => {
    const cases: Array<[string, string]> = [
      ['103.', '103'],
      ['6d2', '6E2'],
      ['6D2', '6E2'],
      ['2d3', '2E3'],
      ['1.5d-3', '1.5E-3'],
      ['1d+2', '1E+2'],
      ['-0.', '-0'],
      ['0.', '0'],
      ['0d5', '0E5'],
      ['1.5', '1.5'],
      ['1.50', '1.50'],
      ['-12.5', '-12.5'],
      ['0.000001', '0.000001'],
      ['103.d2', '103E2'],
      ['1_000.000_1', '1000.0001'],
      ['12345678901234567890123456789012345678.', '12345678901234567890123456789012345678'],
      ['1.2345678901234567890123456789012345678d-5', '1.2345678901234567890123456789012345678E-5'],
      [
        '9.9999999999999999999999999999999999999d125',
        '9.9999999999999999999999999999999999999E125',
      ],
      ['1d-130', '1E-130'],
    ]
    for (const [ion, n] of cases) expect(valueOf(ion), ion).toEqual({ N: n })
  })

  it('converts ints, including hex, binary and underscores, to exact decimal text', () => {
    const cases: Array<[string, string]> = [
      ['5', '5'],
      ['-7', '-7'],
      ['0', '0'],
      ['-0', '-0'],
      ['1_000', '1000'],
      ['-1_000_000', '-1000000'],
      ['0x1F', '31'],
      ['0x1f', '31'],
      ['0X1F', '31'],
      ['-0x1F', '-31'],
      ['0xFF_FF', '65535'],
      ['0b101', '5'],
      ['0B1_01', '5'],
      ['-0b101', '-5'],
      ['0x0', '0'],
      ['0x00ff', '255'],
      ['0xFFFFFFFFFFFFFFFFFFFFFFFF', '79228162514264337593543950335'],
      ['99999999999999999999999999999999999999', '99999999999999999999999999999999999999'],
    ]
    for (const [ion, n] of cases) expect(valueOf(ion), ion).toEqual({ N: n })
  })

  it('keeps a float as the decimal text it was written in', () => {
    expect(valueOf('1.5e0')).toEqual({ N: '1.5E0' })
    expect(valueOf('2E-3')).toEqual({ N: '2E-3' })
    expect(valueOf('-1.25e+2')).toEqual({ N: '-1.25E+2' })
    expect(valueOf('0.1e0')).toEqual({ N: '0.1E0' })
    expect(valueOf('1.e5')).toEqual({ N: '1E5' })
    expect(valueOf('0e0')).toEqual({ N: '0E0' })
  })

  it('validates numbers with the DynamoDB rules', () => {
    expect(reasonFor('123456789012345678901234567890123456789.')).toBe(
      'Item.a: N: expected at most 38 significant digits, found 39',
    )
    expect(reasonFor('123456789012345678901234567890123456789')).toBe(
      'Item.a: N: expected at most 38 significant digits, found 39',
    )
    expect(reasonFor('1.23456789012345678901234567890123456789d0')).toContain('found 39')
    expect(reasonFor('0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF')).toContain('found 39')
    expect(reasonFor('1d126')).toMatch(/^Item\.a: N: number too large/)
    expect(reasonFor('1e126')).toMatch(/^Item\.a: N: number too large/)
    expect(reasonFor('1d-131')).toMatch(/^Item\.a: N: number too close to zero/)
    expect(reasonFor(`0x1${'0'.repeat(200)}`)).toMatch(/^Item\.a: N: number too large/)
    expect(reasonFor(`0b1${'0'.repeat(600)}`)).toMatch(/^Item\.a: N: number too large/)
    // Trailing zeros are not significant, so a long written number can still be valid.
    expect(valueOf(`1${'0'.repeat(100)}.`)).toEqual({ N: `1${'0'.repeat(100)}` })
  })

  it('accepts or rejects long plain decimals exactly as normalizeNumber does', () => {
    for (const text of [
      '1'.repeat(38),
      '1'.repeat(39),
      `-${'9'.repeat(38)}`,
      `0.${'1'.repeat(37)}`,
      `0.${'1'.repeat(38)}`,
      `0.${'1'.repeat(39)}`,
      `0.${'0'.repeat(129)}1`,
      `0.${'0'.repeat(130)}1`,
      `1${'0'.repeat(125)}`,
      `1${'0'.repeat(126)}`,
      `${'1'.repeat(20)}.${'2'.repeat(18)}`,
      `${'1'.repeat(20)}.${'2'.repeat(19)}`,
    ]) {
      const ion = text.includes('.') ? text : `${text}.`
      expect(parseIonLine(`{Item:{a:${ion}}}`).ok, text).toBe(normalizeNumber(text).ok)
    }
  })

  it('rejects nan and infinities, which are not DynamoDB numbers', () => {
    for (const ion of ['nan', '+inf', '-inf']) {
      expect(reasonFor(ion), ion).toBe(
        'Item.a: N: unsupported Ion float: nan, +inf and -inf are not DynamoDB numbers',
      )
    }
    expect(reasonFor('[1, -inf]')).toMatch(/^Item\.a\[1\]: N: unsupported Ion float/)
  })

  it('rejects malformed numbers with a column', () => {
    const cases: Array<[string, string]> = [
      ['01', 'a number without leading zeros'],
      ['-01.5', 'a number without leading zeros'],
      ['1__0', 'a digit after the underscore'],
      ['1_', 'a digit after the underscore'],
      ['1._5', 'the end of the number'],
      ['1_.5', 'a digit after the underscore'],
      ['1.5.3', 'the end of the number'],
      ['1d', 'a digit in the exponent'],
      ['1e+', 'a digit in the exponent'],
      ['1d1_0', 'the end of the number'],
      ['12ab', 'the end of the number'],
      ['0x', 'a digit after the radix prefix'],
      ['0xG1', 'a digit after the radix prefix'],
      ['0b2', 'a digit after the radix prefix'],
      ['0x1_', 'a digit after the underscore'],
      ['0x1.5', 'the end of the number'],
      ['-', 'a digit'],
      ['-x', 'a digit'],
      ['+1', 'a value'],
      ['.5', 'a value'],
      ['1/*c*/', 'the end of the number'],
    ]
    for (const [ion, expected] of cases) {
      expect(reasonFor(ion), ion).toMatch(
        new RegExp(`^invalid Ion at column \\d+: expected ${expected.replace(/[.*+?]/g, '\\$&')}`),
      )
    }
    expect(reasonFor('01')).toBe(
      'invalid Ion at column 11: expected a number without leading zeros',
    )
  })
})

describe('parseIonLine: strings', () => {
  it('decodes every Ion escape', () => {
    const ion = String.raw`"\n\t\r\\\"\'\/\0\a\b\f\v\?\x41\xe9\u00e9\u4e2d\U0001F600\ud83d\ude00 end"`
    expect(valueOf(ion)).toEqual({
      S: '\n\t\r\\"\'/\0\x07\b\f\v?A\u00e9\u00e9\u4e2d😀😀 end',
    })
  })

  it('joins an escaped newline continuation', () => {
    expect(valueOf('"ab\\\ncd"')).toEqual({ S: 'abcd' })
    expect(valueOf('"ab\\\r\ncd"')).toEqual({ S: 'abcd' })
    expect(valueOf("'''ab\\\ncd'''")).toEqual({ S: 'abcd' })
  })

  it('accepts raw unicode, tabs and quotes of the other kind', () => {
    expect(valueOf('"é😀中\t\'x\'"')).toEqual({ S: "é😀中\t'x'" })
  })

  it('concatenates adjacent long strings, across whitespace and comments', () => {
    expect(valueOf("'''ab'''")).toEqual({ S: 'ab' })
    expect(valueOf("'''ab''' '''cd''' /* c */ '''e\\x66'''")).toEqual({ S: 'abcdef' })
    expect(valueOf("'''it's \"q\" '' '''")).toEqual({ S: "it's \"q\" '' " })
    expect(valueOf("['''a''' '''b''', '''c''']")).toEqual({ L: [{ S: 'ab' }, { S: 'c' }] })
  })

  it('rejects bad escapes, control characters and unterminated strings', () => {
    expect(reasonFor('"\\q"')).toBe(
      'invalid Ion at column 12: expected a valid escape sequence after the backslash',
    )
    expect(reasonFor('"\\x4"')).toMatch(/expected a hexadecimal digit$/)
    expect(reasonFor('"\\u12G4"')).toMatch(/expected a hexadecimal digit$/)
    expect(reasonFor('"\\ud800"')).toMatch(/expected a surrogate pair of \\u escapes$/)
    expect(reasonFor('"\\udc00\\ud800"')).toMatch(/expected a surrogate pair/)
    expect(reasonFor('"\\ud800\\u0041"')).toMatch(/expected a surrogate pair/)
    expect(reasonFor('"\\U00110000"')).toMatch(/expected a Unicode scalar value/)
    expect(reasonFor('"\\U0000D800"')).toMatch(/expected a Unicode scalar value/)
    expect(reasonFor('"a\u0001b"')).toMatch(/expected an escape sequence instead of a control/)
    expect(reasonFor('"a\nb"')).toMatch(/expected an escape sequence instead of a control/)
    expect(reasonFor("'''a\u0000'''")).toMatch(/expected an escape sequence instead/)
    expect(reason('{Item:{a:"abc}}')).toBe(
      "invalid Ion at column 16: expected '\"' to end the string",
    )
    expect(reason("{Item:{a:'''abc}}")).toMatch(/expected ''' to end the long string$/)
  })
})

describe('parseIonLine: field names', () => {
  it('accepts identifiers, quoted symbols, strings and long strings', () => {
    const item = parse(
      `{Item:{plain:1,$dollar_1:2,_u:3,'quoted name':4,'it\\'s':5,"string name":6,'''lo''' '''ng''':7,'null':8,"true":9}}`,
    )
    expect(Object.keys(item)).toEqual([
      'plain',
      '$dollar_1',
      '_u',
      'quoted name',
      "it's",
      'string name',
      'long',
      'null',
      'true',
    ])
  })

  it('keeps names that collide with Object.prototype as own attributes', () => {
    const item = parse(`{Item:{'__proto__':{S:1},constructor:2,toString:"x",hasOwnProperty:null}}`)
    expect(Object.keys(item)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype)
    expect(item['__proto__']).toEqual({ M: { S: { N: '1' } } })
    expect(item['constructor']).toEqual({ N: '2' })
  })

  it('rejects repeated names, however they are written', () => {
    expect(reason('{Item:{a:1,b:2,a:3}}')).toBe(
      'Item.a: field name repeats an earlier field of the same struct',
    )
    expect(reason(`{Item:{a:1,'a':2}}`)).toMatch(/^Item\.a: field name repeats/)
    expect(reason(`{Item:{m:{"x y":1,'x y':2}}}`)).toBe(
      'Item.m["x y"]: field name repeats an earlier field of the same struct',
    )
    expect(reason(`{Item:{constructor:1,constructor:2}}`)).toMatch(/field name repeats/)
  })

  it('rejects empty and oversized names, unquoted keywords and symbol IDs', () => {
    expect(reason(`{Item:{'':1}}`)).toBe('Item[""]: attribute name must not be empty')
    expect(reason(`{Item:{m:{"":1}}}`)).toBe('Item.m[""]: attribute name must not be empty')
    const long = 'x'.repeat(65_536)
    expect(reason(`{Item:{"${long}":1}}`)).toBe(
      `Item["${'x'.repeat(64)}…"]: attribute name is 65536 bytes, above the limit of 65535`,
    )
    expect(parseIonLine(`{Item:{"${long.slice(1)}":1}}`).ok).toBe(true)
    for (const keyword of ['null', 'true', 'false', 'nan']) {
      expect(reason(`{Item:{${keyword}:1}}`)).toBe(
        'invalid Ion at column 8: expected a field name (the keywords null, true, false and nan must be quoted)',
      )
    }
    expect(reason('{Item:{$10:1}}')).toBe(
      'invalid Ion at column 8: expected a field name as text (symbol IDs such as $10 are not supported)',
    )
    expect(reason('{Item:{1:1}}')).toBe('invalid Ion at column 8: expected a field name')
    expect(reason('{Item:{a 1}}')).toBe("invalid Ion at column 10: expected ':'")
  })
})

describe('parseIonLine: layout', () => {
  it('allows whitespace and comments between tokens, and a CRLF ending', () => {
    const item = parse(
      ' /* lead */ $ion_1_0 // marker? no, this comment runs to the end of the line\n' +
        '\t{ Item : /* c */ { a : [ 1 , /*x*/ "b" ] , \u000bb\u000c: { c : true } /* d */ } }  // end\r',
    )
    expect(item).toEqual({
      a: { L: [{ N: '1' }, { S: 'b' }] },
      b: { M: { c: { BOOL: true } } },
    })
    expect(parse('{Item:{a:1}}\r')).toEqual({ a: { N: '1' } })
    expect(parse('$ion_1_0{Item:{}}')).toEqual({})
  })

  it('accepts trailing commas in structs and lists, as Ion does', () => {
    expect(parse('{Item:{a:[1,2,],b:{c:1,},},}')).toEqual({
      a: { L: [{ N: '1' }, { N: '2' }] },
      b: { M: { c: { N: '1' } } },
    })
    expect(valueOf('$dynamodb_SS::["x",]')).toEqual({ SS: ['x'] })
  })

  it('rejects an unterminated comment and stray commas', () => {
    expect(reason('{Item:{a:1 /* open}}')).toMatch(/^invalid Ion at column 21: expected '\*\/'/)
    expect(reason('{Item:{a:[,1]}}')).toBe('invalid Ion at column 11: expected a value')
    expect(reason('{Item:{a:[1,,2]}}')).toBe('invalid Ion at column 13: expected a value')
    expect(reason('{Item:{,}}')).toBe('invalid Ion at column 8: expected a field name')
    expect(reason('{Item:{a:1 b:2}}')).toBe("invalid Ion at column 12: expected ',' or '}'")
    expect(reason('{Item:{a:[1 2]}}')).toBe("invalid Ion at column 13: expected ',' or ']'")
    expect(reason('{Item:{a:1}')).toBe("invalid Ion at column 12: expected ',' or '}'")
    expect(reason('{Item:{a:')).toBe('invalid Ion at column 10: expected a value')
    expect(reason('')).toBe('invalid Ion at column 1: expected a struct')
  })
})

describe('parseIonLine: blobs', () => {
  it('decodes base64 with whitespace inside', () => {
    expect(bytesOf(valueOf('{{aGVsbG8=}}'))).toEqual(Array.from(Buffer.from('hello')))
    expect(bytesOf(valueOf('{{ aGVs bG8= }}'))).toEqual(Array.from(Buffer.from('hello')))
    expect(bytesOf(valueOf('{{\taG\u000bVs\u000cbG8\r=\n\t}}'))).toEqual([
      ...Buffer.from('hell'),
      0x6f,
    ])
    expect(bytesOf(valueOf('{{}}'))).toEqual([])
    expect(bytesOf(valueOf('{{   }}'))).toEqual([])
    expect(bytesOf(valueOf('{{AAEC//4=}}'))).toEqual([0, 1, 2, 255, 254])
    expect(bytesOf(valueOf('{{+/8=}}'))).toEqual([251, 255])
  })

  it('accepts unpadded base64 and padding of either length, as DynamoDB JSON does', () => {
    expect(bytesOf(valueOf('{{QQ}}'))).toEqual([65])
    expect(bytesOf(valueOf('{{QUI}}'))).toEqual([65, 66])
    expect(bytesOf(valueOf('{{QUI=}}'))).toEqual([65, 66])
    expect(bytesOf(valueOf('{{QQ==}}'))).toEqual([65])
    expect(bytesOf(valueOf('{{QUJD}}'))).toEqual([65, 66, 67])
  })

  it('decodes a large blob exactly and owns its memory', () => {
    const bytes = new Uint8Array(70_000)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256
    const value = valueOf(`{{${Buffer.from(bytes).toString('base64')}}}`)
    expect(value?.B).toEqual(bytes)
    expect(value?.B?.buffer.byteLength).toBe(bytes.length)
  })

  it('rejects invalid base64 as DynamoDB JSON does', () => {
    for (const text of ['Q', 'QQ=', 'Q===', '====', '=', 'QQ==QQ==', 'QQ-_', 'Q=Q=', 'QUJD=']) {
      expect(reasonFor(`{{${text}}}`), text).toMatch(/^Item\.a: B is not base64: /)
    }
    expect(reasonFor('{{QQ=}}')).toBe(
      'Item.a: B is not base64: 3 characters with 1 "=" do not form whole bytes',
    )
    expect(reason('{Item:{a:{{QQ} }}}')).toBe(
      "invalid Ion at column 15: expected '}}' to end the blob",
    )
    expect(reason('{Item:{a:{{QQ')).toBe("invalid Ion at column 14: expected '}}' to end the blob")
  })
})

describe('parseIonLine: sets', () => {
  it('maps annotated lists to SS, NS and BS', () => {
    expect(valueOf('$dynamodb_SS::["a","b","",\'\'\'c\'\'\']')).toEqual({ SS: ['a', 'b', '', 'c'] })
    expect(valueOf('$dynamodb_NS::[1, 2.5, -3d2, 0x10, 1.5e0]')).toEqual({
      NS: ['1', '2.5', '-3E2', '16', '1.5E0'],
    })
    const bs = valueOf('$dynamodb_BS::[{{QQ==}}, {{ QkM= }}, {{}}]')?.BS ?? []
    for (const member of bs) expect(member).toBeInstanceOf(Uint8Array)
    expect(bs.map((member) => Array.from(member))).toEqual([[65], [66, 67], []])
    // A quoted annotation is the same symbol; comments and whitespace may surround `::`.
    expect(valueOf('\'$dynamodb_SS\' /* c */ :: ["x"]')).toEqual({ SS: ['x'] })
    expect(valueOf('[$dynamodb_NS::[1]]')).toEqual({ L: [{ NS: ['1'] }] })
  })

  it('accepts distinct members that look alike', () => {
    expect(valueOf('$dynamodb_SS::["a","A","a "]')).toEqual({ SS: ['a', 'A', 'a '] })
    expect(parseIonLine('{Item:{a:$dynamodb_NS::[9007199254740993, 9007199254740992]}}').ok).toBe(
      true,
    )
    expect(parseIonLine('{Item:{a:$dynamodb_NS::[0.1, 0.10000000000000001]}}').ok).toBe(true)
    expect(parseIonLine('{Item:{a:$dynamodb_BS::[{{QQ==}}, {{QUE=}}]}}').ok).toBe(true)
  })

  const cases: Array<[string, string, string]> = [
    ['an empty SS', '$dynamodb_SS::[]', 'Item.a: SS must not be empty'],
    ['an empty NS', '$dynamodb_NS::[ ]', 'Item.a: NS must not be empty'],
    ['an empty BS', '$dynamodb_BS::[/* */]', 'Item.a: BS must not be empty'],
    [
      'an SS int member',
      '$dynamodb_SS::["a", 1]',
      'Item.a[1]: SS member must be a string, found an Ion int',
    ],
    [
      'an SS typed null member',
      '$dynamodb_SS::[null.string]',
      'Item.a[0]: SS member must be a string, found an Ion null',
    ],
    [
      'an SS symbol member',
      '$dynamodb_SS::[a]',
      'Item.a[0]: SS member must be a string, found an Ion symbol',
    ],
    [
      'an annotated SS member',
      '$dynamodb_SS::[x::"a"]',
      'Item.a[0]: SS member must be a string, found an annotated Ion value',
    ],
    [
      'an NS string member',
      '$dynamodb_NS::["1"]',
      'Item.a[0]: NS member must be a number, found an Ion string',
    ],
    [
      'an NS timestamp member',
      '$dynamodb_NS::[2007-02-23]',
      'Item.a[0]: NS member must be a number, found an Ion timestamp',
    ],
    ['an NS nan member', '$dynamodb_NS::[1, nan]', 'Item.a[1]: NS member: unsupported Ion float'],
    ['an NS +inf member', '$dynamodb_NS::[+inf]', 'Item.a[0]: NS member: unsupported Ion float'],
    [
      'an NS 39-digit member',
      `$dynamodb_NS::[${'1'.repeat(39)}]`,
      'Item.a[0]: NS member: expected at most 38 significant digits, found 39',
    ],
    [
      'a BS string member',
      '$dynamodb_BS::["QQ=="]',
      'Item.a[0]: BS member must be a blob, found an Ion string',
    ],
    [
      'a BS clob member',
      '$dynamodb_BS::[{{"x"}}]',
      'Item.a[0]: BS member must be a blob, found an Ion clob',
    ],
    [
      'an invalid BS member',
      '$dynamodb_BS::[{{QQ==}}, {{Q}}]',
      'Item.a[1]: BS member is not base64',
    ],
    ['SS duplicates', '$dynamodb_SS::["a","b","a"]', 'Item.a[2]: SS member duplicates an earlier'],
    ['SS duplicates across forms', `$dynamodb_SS::["ab", '''a''' '''b''']`, 'Item.a[1]: SS member'],
    ['NS duplicates by value', '$dynamodb_NS::[1, 2, 1.0]', 'Item.a[2]: NS member duplicates'],
    ['NS duplicates across types', '$dynamodb_NS::[10d-1, 0x1]', 'Item.a[1]: NS member duplicates'],
    ['NS duplicates of floats', '$dynamodb_NS::[1e0, 1.]', 'Item.a[1]: NS member duplicates'],
    ['NS duplicate zeros', '$dynamodb_NS::[-0., 0]', 'Item.a[1]: NS member duplicates'],
    ['BS duplicates by bytes', '$dynamodb_BS::[{{QQ==}}, {{ Q Q }}]', 'Item.a[1]: BS member dupl'],
    ['BS unused bits', '$dynamodb_BS::[{{QR==}}, {{QQ==}}]', 'Item.a[1]: BS member duplicates'],
    [
      'a set annotation on a string',
      '$dynamodb_SS::"a"',
      'Item.a: $dynamodb_SS must annotate a list, found an Ion string',
    ],
    [
      'a set annotation on a struct',
      '$dynamodb_NS::{}',
      'Item.a: $dynamodb_NS must annotate a list, found an Ion struct',
    ],
    [
      'a set annotation on a null list',
      '$dynamodb_BS::null.list',
      'Item.a: $dynamodb_BS must annotate a list, found an Ion null',
    ],
    [
      'two set annotations',
      '$dynamodb_SS::$dynamodb_SS::["a"]',
      'Item.a: $dynamodb_SS must annotate a list, found an annotated Ion value',
    ],
  ]
  for (const [title, ion, expected] of cases) {
    it(`rejects ${title}`, () => {
      expect(reasonFor(ion)).toContain(expected)
    })
  }
})

describe('parseIonLine: unsupported Ion', () => {
  const cases: Array<[string, string, string]> = [
    ['a timestamp', '2007-02-23T12:14Z', 'Item.a: unsupported Ion type timestamp'],
    ['a date', '2007-02-23', 'Item.a: unsupported Ion type timestamp'],
    ['a year', '2007T', 'Item.a: unsupported Ion type timestamp'],
    ['a symbol', 'red', 'Item.a: unsupported Ion type symbol'],
    ['a quoted symbol', "'red'", 'Item.a: unsupported Ion type symbol'],
    ['a symbol ID', '$10', 'Item.a: unsupported Ion type symbol'],
    ['a clob', '{{"text"}}', 'Item.a: unsupported Ion type clob'],
    ['a long clob', "{{ '''text''' }}", 'Item.a: unsupported Ion type clob'],
    ['an s-expression', '(a b c)', 'Item.a: unsupported Ion type sexp'],
    ['an empty s-expression', '()', 'Item.a: unsupported Ion type sexp'],
    ['an annotation', 'unit::"kg"', 'Item.a: unsupported Ion annotation: only $dynamodb_SS'],
    ['a quoted annotation', "'x y'::1", 'Item.a: unsupported Ion annotation'],
    ['an unknown set annotation', '$dynamodb_XS::["a"]', 'Item.a: unsupported Ion annotation'],
    ['an annotated struct', 'x::{}', 'Item.a: unsupported Ion annotation'],
  ]
  for (const [title, ion, expected] of cases) {
    it(`rejects ${title}, naming the type and the path`, () => {
      expect(reasonFor(ion)).toContain(expected)
      expect(reason(`{Item:{m:{l:[1,${ion}]}}}`)).toMatch(/^Item\.m\.l\[1\]: unsupported Ion /)
    })
  }
})

describe('parseIonLine: nesting', () => {
  it('accepts 32 levels of nesting and rejects 33', () => {
    // The attribute itself is level 1, so 31 wraps put the leaf at level 32.
    for (const kind of ['M', 'L'] as const) {
      expect(parseIonLine(`{Item:{a:${nested(31, kind)}}}`).ok).toBe(true)
      expect(reason(`{Item:{a:${nested(32, kind)}}}`)).toMatch(
        /: nested deeper than the limit of 32 levels$/,
      )
    }
    expect(reason(`{Item:{a:${nested(32, 'M')}}}`)).toBe(
      `Item.a${'.n'.repeat(32)}: nested deeper than the limit of 32 levels`,
    )
    expect(reason(`{Item:{a:${nested(32, 'L')}}}`)).toBe(
      `Item.a${'[0]'.repeat(32)}: nested deeper than the limit of 32 levels`,
    )
    // An empty container at level 32 holds nothing at level 33.
    expect(parseIonLine(`{Item:{a:${'['.repeat(31)}{}${']'.repeat(31)}}}`).ok).toBe(true)
    // A set at level 32 is fine: its members are not levels.
    expect(
      parseIonLine(`{Item:{a:${'['.repeat(31)}$dynamodb_SS::["x"]${']'.repeat(31)}}}`).ok,
    ).toBe(true)
  })

  it('agrees with DynamoDB JSON on the nesting limit', () => {
    let json: unknown = { S: 'leaf' }
    for (let i = 0; i < 31; i++) json = { L: [json] }
    const fromJson = parseDynamoDBJsonLine(JSON.stringify({ Item: { a: json } }))
    expect(fromJson.ok).toBe(true)
    if (fromJson.ok) expect(parse(`{Item:{a:${nested(31, 'L')}}}`)).toEqual(fromJson.item)
  })

  it('rejects hostile nesting without overflowing the stack', () => {
    for (const open of ['[', '{n:', '{Item:']) {
      const result = parseIonLine(`{Item:{a:${open.repeat(200_000)}`)
      expect(result.ok).toBe(false)
    }
    expect(reason(`{Item:{a:${'['.repeat(200_000)}`)).toMatch(/nested deeper than the limit/)
  })
})

describe('parseIonLine: line structure', () => {
  it('accepts a missing, single or repeated $ion_1_0 marker', () => {
    expect(parse('{Item:{a:1}}')).toEqual({ a: { N: '1' } })
    expect(parse('$ion_1_0 {Item:{a:1}}')).toEqual({ a: { N: '1' } })
    expect(parse('$ion_1_0 $ion_1_0 {Item:{a:1}}')).toEqual({ a: { N: '1' } })
  })

  it('rejects any other top-level symbol or value', () => {
    const expected = 'expected a struct with an "Item" field, found'
    expect(reason('$ion_1_1 {Item:{}}')).toBe('unsupported Ion version marker: expected $ion_1_0')
    expect(reason('$ion_2_0 {Item:{}}')).toBe('unsupported Ion version marker: expected $ion_1_0')
    expect(reason('$ion_symbol_table::{symbols:["a"]} {Item:{}}')).toBe(
      `${expected} an annotated Ion value`,
    )
    expect(reason('ion {Item:{}}')).toBe(`${expected} an Ion symbol`)
    expect(reason('$ion_1_0x {Item:{}}')).toBe(`${expected} an Ion symbol`)
    expect(reason('[{Item:{}}]')).toBe(`${expected} an Ion list`)
    expect(reason('"Item"')).toBe(`${expected} an Ion string`)
    expect(reason('null')).toBe(`${expected} an Ion null`)
    expect(reason('42')).toBe(`${expected} an Ion int`)
    expect(reason('4.2')).toBe(`${expected} an Ion decimal`)
    expect(reason('4e2')).toBe(`${expected} an Ion float`)
    expect(reason('2020-01-01')).toBe(`${expected} an Ion timestamp`)
    expect(reason('{{}}')).toBe(`${expected} an Ion blob`)
    expect(reason('(Item)')).toBe(`${expected} an Ion sexp`)
    expect(reason('x::{Item:{}}')).toBe(`${expected} an annotated Ion value`)
    expect(reason('{}')).toBe(`${expected} an empty struct`)
    expect(reason('$ion_1_0')).toBe('invalid Ion at column 9: expected a struct')
    expect(reason('}')).toBe('invalid Ion at column 1: expected a struct')
  })

  it('rejects fields next to Item and Items that are not structs', () => {
    expect(reason('{Item:{},Metadata:{}}')).toBe(
      'unexpected top-level field "Metadata": expected a struct with only an "Item" field',
    )
    expect(reason('{item:{}}')).toBe(
      'unexpected top-level field "item": expected a struct with only an "Item" field',
    )
    expect(reason('{Item:{},Item:{}}')).toBe('duplicate top-level field "Item"')
    expect(reason('{Item:[]}')).toBe('expected "Item" to be a struct, found an Ion list')
    expect(reason('{Item:null}')).toBe('expected "Item" to be a struct, found an Ion null')
    expect(reason('{Item:{{}}}')).toBe('expected "Item" to be a struct, found an Ion blob')
    expect(reason('{Item:x::{}}')).toBe(
      'expected "Item" to be a struct, found an annotated Ion value',
    )
    expect(reason('{Item:}')).toBe('invalid Ion at column 7: expected a struct')
  })

  it('rejects anything after the item but whitespace and comments', () => {
    expect(parse('{Item:{}} // done')).toEqual({})
    expect(parse('{Item:{}} /* done */ \t\r')).toEqual({})
    for (const trailing of ['x', '{Item:{}}', '$ion_1_0', ',', '1', '}']) {
      expect(reason(`{Item:{}} ${trailing}`), trailing).toBe(
        'invalid Ion at column 11: expected the end of the line after the item',
      )
    }
  })

  it('never throws, whatever the input', () => {
    const line =
      `$ion_1_0 {Item:{s:"a\\u00e9\\x41",n:1.5d-3,i:0x1F,f:1.5e0,b:{{QUJD}},t:true,z:null.int,` +
      `l:['''x''' '''y''', 2007T, (a)],m:{'q q':{c:1}},ss:$dynamodb_SS::["a"],ns:$dynamodb_NS::[1],` +
      `bs:$dynamodb_BS::[{{QQ==}}]}} // end`
    expect(parseIonLine(line).ok).toBe(false) // the timestamp
    const valid = line.replace('2007T, (a)', '"ok"')
    expect(parseIonLine(valid).ok).toBe(true)
    for (let cut = 0; cut < valid.length; cut++) {
      for (const probe of [
        valid.slice(0, cut),
        valid.slice(cut),
        valid.slice(0, cut) + valid.slice(cut + 1),
        `${valid.slice(0, cut)}\u0000${valid.slice(cut)}`,
        `${valid.slice(0, cut)}'${valid.slice(cut)}`,
      ]) {
        const result = parseIonLine(probe)
        expect(typeof result.ok).toBe('boolean')
        if (!result.ok) expect(result.reason.length).toBeLessThan(200)
      }
    }
  })
})

describe('parseIonLine: reasons never contain values', () => {
  const secret = 'AKIAsecretTOKEN1234'
  const lines = [
    `{Item:{a:"${secret}"}} trailing`,
    `{Item:{a:${secret}}}`,
    `{Item:{a:'${secret}'}}`,
    `{Item:{a:${secret}::"x"}}`,
    `{Item:{a:'${secret}'::"x"}}`,
    `{Item:{a:"x"},b:"${secret}"}`,
    `{Item:{a:"${'x'.repeat(500)}" b:"${secret}"}}`,
    `{Item:{a:"${secret}"}`,
    `{Item:{a:"${secret}`,
    `"${secret}"`,
    `${secret} {Item:{}}`,
    `$ion_${secret} {Item:{}}`,
    `{Item:"${secret}"}`,
    `{Item:${secret}}`,
    `{Item:{a:1${secret}}}`,
    `{Item:{a:0x${secret}}}`,
    `{Item:{a:{{${secret}!}}}}`,
    `{Item:{a:{{-${secret}}}}}`,
    `{Item:{a:{{"${secret}"}}}}`,
    `{Item:{a:(${secret})}}`,
    `{Item:{a:null.${secret}}}`,
    `{Item:{a:"\\q${secret}"}}`,
    `{Item:{a:$dynamodb_SS::["${secret}","${secret}"]}}`,
    `{Item:{a:$dynamodb_SS::[${secret}]}}`,
    `{Item:{a:$dynamodb_NS::[1,"${secret}"]}}`,
    `{Item:{a:$dynamodb_BS::[{{${secret}-}}]}}`,
    `{Item:{a:$dynamodb_SS::"${secret}"}}`,
    `{Item:{a:[{m:"x"},{n:"${secret}",n:1}]}}`,
    `{Item:{a:"x",a:"${secret}"}}`,
    `{Item:{a:2007-02-23T12:14:${secret}}}`,
  ]
  for (const [index, line] of lines.entries()) {
    it(`line ${index} is rejected without echoing the secret`, () => {
      const text = reason(line)
      expect(text).not.toContain(secret)
      expect(text).not.toContain('secret')
    })
  }
})

// ---------------------------------------------------------------------------------------------
// Differential test against ion-js: generated lines, each parsed by both.

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function randomSource(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const NAMED_ESCAPES = new Map([
  ['\n', '\\n'],
  ['\t', '\\t'],
  ['\r', '\\r'],
  ['\\', '\\\\'],
  ['"', '\\"'],
  ["'", "\\'"],
  ['\u0000', '\\0'],
  ['\u0007', '\\a'],
  ['/', '\\/'],
  ['?', '\\?'],
])
const KEYWORDS = new Set(['null', 'true', 'false', 'nan'])

class IonGenerator {
  private readonly random: () => number
  constructor(seed: number) {
    this.random = randomSource(seed)
  }

  private below(n: number): number {
    return Math.floor(this.random() * n)
  }

  private chance(p: number): boolean {
    return this.random() < p
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[this.below(items.length)]
    if (item === undefined) throw new Error('empty pick')
    return item
  }

  private digits(count: number, leadingZero = true): string {
    let text = leadingZero ? '' : String(1 + this.below(9))
    while (text.length < count) text += String(this.below(10))
    return text
  }

  /** Whitespace and comments allowed between tokens. */
  space(): string {
    return this.pick(['', '', '', ' ', '  ', '\t', ' /* c */ ', ' /**/\t'])
  }

  private char(): string {
    return this.pick([
      'a',
      'Z',
      '0',
      ' ',
      '"',
      "'",
      '\\',
      '/',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u0007',
      '\u001f',
      '\u007f',
      'é',
      '中',
      '😀',
      '\u00ff',
      '\u2028',
      '\ufeff',
    ])
  }

  randomText(): string {
    let text = ''
    const length = this.below(12)
    for (let i = 0; i < length; i++) text += this.char()
    return text
  }

  /** Writes `text` as the body of an Ion string, escaped in one of the ways Ion allows. */
  private escaped(text: string, quote: string): string {
    let out = ''
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0
      const named = NAMED_ESCAPES.get(char)
      const mustEscape = char === quote || char === '\\' || code < 0x20 || char === "'"
      if (!mustEscape && !this.chance(0.2)) {
        out += char
      } else if (named !== undefined && this.chance(0.5)) {
        out += named
      } else if (code <= 0xff && this.chance(0.4)) {
        out += `\\x${code.toString(16).padStart(2, '0')}`
      } else if (code > 0xffff && this.chance(0.5)) {
        out += `\\U${code.toString(16).padStart(8, '0')}`
      } else {
        for (let i = 0; i < char.length; i++) {
          out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase()}`
        }
      }
    }
    return out
  }

  string(text: string): string {
    if (this.chance(0.75)) return `"${this.escaped(text, '"')}"`
    // Long strings, split at code point boundaries into adjacent parts.
    const chars = [...text]
    const cut = this.below(chars.length + 1)
    const parts = [chars.slice(0, cut).join(''), chars.slice(cut).join('')]
    // Only whitespace between the parts: ion-js 5.2.1 drops the parts after a block comment
    // (`'''a'''/**/'''b'''` reads as "a"), although Ion allows comments there.
    const between = this.pick([' ', '\t', '  '])
    return parts.map((part) => `'''${this.escaped(part, "'")}'''`).join(between)
  }

  fieldName(name: string): string {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name) && this.chance(0.7)) {
      return name
    }
    if (this.chance(0.5)) return `'${this.escaped(name, "'")}'`
    return this.string(name)
  }

  /** A name unique among `taken`, never an unquotable keyword. */
  newName(taken: Set<string>): string {
    for (;;) {
      const name = this.pick([
        () => `attr${this.below(100)}`,
        () => this.pick(['Id', 'price', '_x', 'with space', 'naïve', '名前', 'null', 'true']),
        () => this.randomText(),
      ])()
      if (name.length === 0 || taken.has(name)) continue
      taken.add(name)
      return name
    }
  }

  decimal(): string {
    const sign = this.chance(0.3) ? '-' : ''
    const whole = this.chance(0.2) ? '0' : this.digits(1 + this.below(12), false)
    const fraction = this.digits(1 + this.below(10))
    const exponent = `${this.pick(['', '+', '-'])}${this.below(40)}`
    return this.pick([
      `${sign}${whole}.`,
      `${sign}${whole}.${fraction}`,
      `${sign}${whole}d${exponent}`,
      `${sign}${whole}.${fraction}D${exponent}`,
      `${sign}${whole}.d${exponent}`,
    ])
  }

  /** ints ion-js can read: it rejects negative hex, binary and underscores. */
  int(): string {
    if (this.chance(0.3)) return `0x${this.digits(1 + this.below(20))}`
    if (this.chance(0.1)) return this.pick(['0', '-0'])
    return `${this.chance(0.3) ? '-' : ''}${this.digits(1 + this.below(30), false)}`
  }

  /** Floats of at most 15 significant digits, which survive ion-js's binary64. */
  float(): string {
    const sign = this.chance(0.3) ? '-' : ''
    const mantissa = this.digits(1 + this.below(15), false)
    const point = 1 + this.below(mantissa.length)
    const written =
      point === mantissa.length ? mantissa : `${mantissa.slice(0, point)}.${mantissa.slice(point)}`
    return `${sign}${written}${this.pick(['e', 'E'])}${this.pick(['', '+', '-'])}${this.below(30)}`
  }

  number(): string {
    return this.pick([() => this.decimal(), () => this.int(), () => this.float()])()
  }

  blob(bytes: Uint8Array = this.bytes()): string {
    // ion-js wants padded base64; whitespace may go anywhere inside.
    const base64 = Buffer.from(bytes).toString('base64')
    let out = ''
    for (const char of base64) out += (this.chance(0.1) ? this.pick([' ', '\t', '  ']) : '') + char
    return `{{${this.chance(0.3) ? ' ' : ''}${out}${this.chance(0.3) ? ' ' : ''}}}`
  }

  bytes(): Uint8Array {
    const bytes = new Uint8Array(this.below(12))
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.below(256)
    return bytes
  }

  private list(items: string[]): string {
    const body = items.map((item) => `${this.space()}${item}${this.space()}`).join(',')
    const trailingComma = items.length > 0 && this.chance(0.2) ? ',' : ''
    return `[${body}${trailingComma}${this.space()}]`
  }

  set(): string {
    const kind = this.pick(['SS', 'NS', 'BS'])
    const count = 1 + this.below(4)
    const members: string[] = []
    const seen = new Set<string>()
    for (let i = 0; members.length < count && i < 20; i++) {
      if (kind === 'SS') {
        const text = this.randomText()
        if (!seen.has(text)) members.push(this.string(text))
        seen.add(text)
      } else if (kind === 'NS') {
        const text = this.number()
        const key = canonicalNumber(text)
        if (!seen.has(key)) members.push(text)
        seen.add(key)
      } else {
        const bytes = this.bytes()
        const key = Buffer.from(bytes).toString('hex')
        if (!seen.has(key)) members.push(this.blob(bytes))
        seen.add(key)
      }
    }
    const annotation = this.chance(0.8) ? `$dynamodb_${kind}` : `'$dynamodb_${kind}'`
    return `${annotation}${this.pick(['', ' '])}::${this.space()}${this.list(members)}`
  }

  value(depth: number): string {
    const kinds: Array<() => string> = [
      () => this.string(this.randomText()),
      () => this.number(),
      () => this.pick(['true', 'false']),
      () => this.pick(['null', 'null.null', 'null.string', 'null.int', 'null.struct']),
      () => this.blob(),
      () => this.set(),
    ]
    if (depth < 3) {
      kinds.push(
        () => this.list(Array.from({ length: this.below(4) }, () => this.value(depth + 1))),
        () => this.struct(depth + 1),
      )
    }
    return this.pick(kinds)()
  }

  struct(depth: number): string {
    const taken = new Set<string>()
    const fields = Array.from(
      { length: this.below(depth === 0 ? 8 : 4) + (depth === 0 ? 1 : 0) },
      () => {
        const s = this.space()
        return `${this.fieldName(this.newName(taken))}${s}:${this.space()}${this.value(depth)}${this.space()}`
      },
    )
    return `{${this.space()}${fields.join(',')}}`
  }

  line(): string {
    const marker = this.chance(0.7) ? '$ion_1_0 ' : ''
    const tail = this.pick(['', '', '\r', ' // end', ' /* end */'])
    return `${marker}{Item:${this.space()}${this.struct(0)}}${tail}`
  }
}

function canonicalNumber(text: string): string {
  const plain = /^-?0x/i.test(text)
    ? (text.startsWith('-') ? '-' : '') + BigInt(text.replace('-', '')).toString()
    : text.replace(/[dD]/, 'E')
  const result = normalizeNumber(plain)
  if (!result.ok) throw new Error(`generated an invalid number: ${text}`)
  return result.value
}

/** Builds the item ion-js's DOM describes, with numbers in canonical form. */
function fromIonJs(value: dom.Value): AttributeValue {
  if (value.isNull()) return { NULL: true }
  const annotations = value.getAnnotations()
  const type = value.getType().name
  if (annotations.length > 0) {
    expect(annotations).toHaveLength(1)
    expect(type).toBe('list')
    const members = value.elements()
    switch (annotations[0]) {
      case '$dynamodb_SS':
        return { SS: members.map((member) => member.stringValue() ?? '') }
      case '$dynamodb_NS':
        return { NS: members.map((member) => ionNumber(member)) }
      case '$dynamodb_BS':
        return { BS: members.map((member) => new Uint8Array(member.uInt8ArrayValue() ?? [])) }
    }
    throw new Error(`unexpected annotation ${annotations[0]}`)
  }
  switch (type) {
    case 'string':
      return { S: value.stringValue() ?? '' }
    case 'bool':
      return { BOOL: value.booleanValue() ?? false }
    case 'int':
    case 'decimal':
    case 'float':
      return { N: ionNumber(value) }
    case 'blob':
      return { B: new Uint8Array(value.uInt8ArrayValue() ?? []) }
    case 'list':
      return { L: value.elements().map(fromIonJs) }
    case 'struct':
      return { M: fieldsOf(value) }
  }
  throw new Error(`unexpected Ion type ${type}`)
}

function fieldsOf(value: dom.Value): Record<string, AttributeValue> {
  const members: Record<string, AttributeValue> = {}
  for (const [name, member] of value.fields()) members[name] = fromIonJs(member)
  return members
}

function ionNumber(value: dom.Value): string {
  const type = value.getType().name
  let text: string
  if (type === 'decimal') text = value.decimalValue()?.toString() ?? ''
  else if (type === 'int') text = value.bigIntValue()?.toString() ?? ''
  else text = String(value.numberValue())
  const result = normalizeNumber(text)
  if (!result.ok) throw new Error(`ion-js gave an invalid number for a ${type}`)
  return result.value
}

/** The item with every N and NS member in canonical form, for comparison by value. */
function canonicalItem(members: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {}
  for (const [name, value] of Object.entries(members)) out[name] = canonicalValue(value)
  return out
}

function canonicalValue(value: AttributeValue): AttributeValue {
  if (value.N !== undefined) return { N: canonicalNumber(value.N) }
  if (value.NS !== undefined) return { NS: value.NS.map(canonicalNumber) }
  if (value.M !== undefined) return { M: canonicalItem(value.M) }
  if (value.L !== undefined) return { L: value.L.map(canonicalValue) }
  return value
}

describe('parseIonLine: differential test against ion-js', () => {
  it('gives the item ion-js reads from 400 generated lines', () => {
    const generator = new IonGenerator(20_240_601)
    let sets = 0
    for (let index = 0; index < 400; index++) {
      const line = generator.line()
      let root: dom.Value | null
      try {
        root = load(line)
      } catch (error) {
        throw new Error(`ion-js rejected line ${index}: ${String(error)}\n${line}`)
      }
      if (root === null) throw new Error(`ion-js read nothing from line ${index}`)
      const ionItem = root.get('Item')
      if (ionItem === null) throw new Error(`ion-js found no Item in line ${index}`)
      const expected = fieldsOf(ionItem)
      const result = parseIonLine(line)
      if (!result.ok) throw new Error(`line ${index} rejected: ${result.reason}\n${line}`)
      expect(canonicalItem(result.item), `line ${index}: ${line}`).toEqual(expected)
      if (line.includes('$dynamodb_')) sets++
    }
    expect(sets).toBeGreaterThan(100)
  })

  it('keeps decimal text exact where ion-js keeps the value exact', () => {
    const generator = new IonGenerator(7)
    for (let index = 0; index < 300; index++) {
      const decimal = generator.decimal()
      const ionText = load(decimal)?.decimalValue()?.toString() ?? ''
      const ours = valueOf(decimal)?.N ?? ''
      expect(normalizeNumber(ours), decimal).toEqual(normalizeNumber(ionText))
      // The text is DynamoDB number syntax: no `d`, no bare trailing point.
      expect(ours, decimal).toMatch(/^-?\d+(\.\d+)?(E[+-]?\d+)?$/)
    }
  })
})
