import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decompress, detectCompression } from '../../src/sources/decompress.js'

async function text(chunks: Uint8Array[], declared: 'auto' | 'NONE' | 'GZIP' = 'auto') {
  async function* source() {
    yield* chunks
  }
  let resolved: string | undefined
  const parts: Buffer[] = []
  for await (const c of decompress(source(), declared, (c) => (resolved = c)))
    parts.push(Buffer.from(c))
  return { text: Buffer.concat(parts).toString(), resolved }
}

describe('detectCompression', () => {
  it('reads the magic bytes, not the name', () => {
    expect(detectCompression(gzipSync('x'))).toBe('GZIP')
    expect(detectCompression(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0]))).toBe('ZSTD')
    expect(detectCompression(Buffer.from('{"Item"'))).toBe('NONE')
    expect(detectCompression(new Uint8Array(0))).toBe('NONE')
  })
})

describe('decompress', () => {
  it('detects gzip even when the first chunk is a single byte', async () => {
    const gz = gzipSync('hello\nworld\n')
    const chunks = [gz.subarray(0, 1), gz.subarray(1, 3), gz.subarray(3)]
    expect(await text(chunks)).toEqual({ text: 'hello\nworld\n', resolved: 'GZIP' })
  })

  it('passes plain bytes through and yields nothing for an empty object whatever is declared', async () => {
    expect(await text([Buffer.from('ab'), Buffer.from('c')])).toEqual({
      text: 'abc',
      resolved: 'NONE',
    })
    expect(await text([], 'GZIP')).toEqual({ text: '', resolved: undefined })
  })

  it('decodes concatenated gzip members', async () => {
    const gz = Buffer.concat([gzipSync('a\n'), gzipSync('b\n')])
    expect((await text([gz])).text).toBe('a\nb\n')
  })

  it('fails on truncated gzip, and on plain text declared GZIP', async () => {
    const gz = gzipSync('x'.repeat(1000))
    await expect(text([gz.subarray(0, gz.length - 10)])).rejects.toThrow()
    await expect(text([Buffer.from('{"Item":{}}\n')], 'GZIP')).rejects.toThrow()
  })
})
