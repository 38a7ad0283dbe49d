import { describe, expect, it } from 'vitest'
import { parseJsonDocument } from '../../src/formats/json-document.js'

function item(text: string) {
  const result = parseJsonDocument(text)
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.reason}`)
  return result.item
}

function reason(text: string, label?: string): string {
  const result = parseJsonDocument(text, label)
  if (result.ok) throw new Error(`expected ${text} to be rejected`)
  return result.reason
}

describe('parseJsonDocument', () => {
  it('maps every JSON value as DynamoDB document marshalling does', () => {
    expect(
      item(
        '{"id": "a1", "price": 64, "ok": true, "no": false, "none": null, ' +
          '"tags": ["x", 1, [], {}], "address": {"city": "Lima", "zip": 15001}}',
      ),
    ).toEqual({
      id: { S: 'a1' },
      price: { N: '64' },
      ok: { BOOL: true },
      no: { BOOL: false },
      none: { NULL: true },
      tags: { L: [{ S: 'x' }, { N: '1' }, { L: [] }, { M: {} }] },
      address: { M: { city: { S: 'Lima' }, zip: { N: '15001' } } },
    })
  })

  it('keeps numbers exactly as written, never through a JS number', () => {
    expect(
      item('{"a": 0.1, "b": 12345678901234567890123, "c": 1e3, "d": -0.0, "e": 9007199254740993}'),
    ).toEqual({
      a: { N: '0.1' },
      b: { N: '12345678901234567890123' },
      c: { N: '1e3' },
      d: { N: '-0.0' },
      e: { N: '9007199254740993' },
    })
  })

  it('decodes escapes in strings and names, and keeps the last of two members of one name', () => {
    expect(item('{"q\\"uote": "a\\u00e9\\n\\\\", "x": 1, "x": 2}')).toEqual({
      'q"uote': { S: 'aé\n\\' },
      x: { N: '2' },
    })
  })

  it.each([
    ['{"": 1}', 'document: attribute name must not be empty'],
    ['{"a": {"": 1}}', 'document.a: attribute name must not be empty'],
    ['{"n": 1e126}', 'document.n: N: '],
    [
      '{"n": 123456789012345678901234567890123456789}',
      'document.n: N: expected at most 38 significant digits, found 39',
    ],
    ['{"n": 01}', 'document.n: invalid JSON at column 7: expected a number without leading zeros'],
    ['{"a": [1, 2,]}', 'document.a[2]: invalid JSON at column 13: expected a value'],
    ['{"a": 1} x', 'document: invalid JSON at column 10: expected the end of the document'],
    ['{"a": "x', 'document.a: invalid JSON at column 9: expected the closing quote of a string'],
    ['{"a" 1}', 'document: invalid JSON at column 6: expected ":" after a member name'],
    ['[1]', 'expected a JSON object (one document), found an array'],
    ['"x"', 'expected a JSON object (one document), found a string'],
  ])('rejects %s with its path and what was expected', (text, expected) => {
    expect(reason(text)).toContain(expected)
  })

  it('rejects nesting deeper than 32 levels, and takes 32', () => {
    const nested = (levels: number) => '{"a": ' + '['.repeat(levels) + ']'.repeat(levels) + '}'
    expect(parseJsonDocument(nested(32)).ok).toBe(true)
    expect(reason(nested(33))).toContain('nested deeper than the limit of 32 levels')
  })

  it('names the document by the label it is given, such as its index in an array', () => {
    expect(reason('{"p": 1e200}', 'document[3]')).toMatch(/^document\[3\]\.p: N: /)
  })
})
