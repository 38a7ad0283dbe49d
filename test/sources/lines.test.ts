import { describe, expect, it, vi } from 'vitest'
import { isBlank, splitLines, type Line } from '../../src/sources/lines.js'

async function collect(chunks: Array<string | Uint8Array>, max = 1024): Promise<Line[]> {
  async function* source() {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c
  }
  const lines: Line[] = []
  for await (const batch of splitLines(source(), max)) lines.push(...batch)
  return lines
}

describe('splitLines', () => {
  it('numbers lines across chunk boundaries and keeps a last line without newline', async () => {
    const lines = await collect(['ab', 'c\nde', 'f\n\ngh', 'i'])
    expect(lines.map((l) => [l.number, l.text, l.bytes])).toEqual([
      [1, 'abc', 3],
      [2, 'def', 3],
      [3, '', 0],
      [4, 'ghi', 3],
    ])
  })

  it('keeps the \\r of CRLF lines (JSON whitespace) and yields nothing for an empty stream', async () => {
    expect((await collect(['a\r\nb\r\n'])).map((l) => l.text)).toEqual(['a\r', 'b\r'])
    expect(await collect([])).toEqual([])
    expect(await collect(['\n'])).toEqual([{ number: 1, text: '', bytes: 0 }])
  })

  it('decodes a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('zoë🚀\n')
    const lines = await collect([bytes.subarray(0, 3), bytes.subarray(3, 6), bytes.subarray(6)])
    expect(lines).toEqual([{ number: 1, text: 'zoë🚀', bytes: 8 }])
  })

  it('reports a line over the limit as one problem line without keeping it, and reads on', async () => {
    const long = 'x'.repeat(50)
    const lines = await collect(['ok\n', long.slice(0, 20), long.slice(20), '\nnext\n'], 30)
    expect(lines.map((l) => [l.number, l.text, l.problem])).toEqual([
      [1, 'ok', undefined],
      [2, '', 'line longer than 30 bytes'],
      [3, 'next', undefined],
    ])
    const unterminated = await collect([long], 30)
    expect(unterminated).toEqual([
      { number: 1, text: '', bytes: 0, problem: 'line longer than 30 bytes' },
    ])
  })

  it('copies no more than the limit of a line that never ends, however long it runs', async () => {
    // What keeps a gzip bomb or a file without newlines in bounded memory: the bytes the
    // splitter keeps of a line (its copies) stop at the limit, whatever the stream brings.
    const copies = vi.spyOn(Buffer, 'from')
    const chunk = Buffer.alloc(1000, 0x61)
    async function* endless() {
      for (let i = 0; i < 10_000; i++) yield chunk
    }
    const lines: Line[] = []
    for await (const batch of splitLines(endless(), 4096)) lines.push(...batch)
    const copied = copies.mock.calls
      .map(([from]) => (from instanceof Uint8Array ? from.length : 0))
      .reduce((sum, n) => sum + n, 0)
    expect(lines).toEqual([
      { number: 1, text: '', bytes: 0, problem: 'line longer than 4096 bytes' },
    ])
    expect(copied).toBeGreaterThan(0)
    expect(copied).toBeLessThanOrEqual(4096)
  })

  it('reports invalid UTF-8 on its own line only', async () => {
    const lines = await collect([
      Buffer.from('a\n'),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from('b\n'),
    ])
    expect(lines.map((l) => l.problem)).toEqual([undefined, 'invalid UTF-8', undefined])
    expect(lines[2]?.text).toBe('b')
  })
})

describe('isBlank', () => {
  it('is true for empty and whitespace-only lines, false otherwise', () => {
    expect(['', ' ', '\t', '\r', '  \r'].map(isBlank)).toEqual([true, true, true, true, true])
    expect(isBlank(' {} ')).toBe(false)
  })
})
