import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../../scripts/action-env.mjs'
import { HEAD_BYTES } from '../../src/formats/detect.js'
import { readInputs } from '../../src/inputs.js'
import { probeFirstObject, readHead } from '../../src/plan/first-object.js'
import type { Source, SourceObject } from '../../src/sources/source.js'

function inputs(overrides: Record<string, string> = {}) {
  const all = { table: 'orders', source: 's3://bkt/p/', region: 'us-east-1', ...overrides }
  for (const [name, value] of Object.entries(inputEnv(all))) vi.stubEnv(name, value)
  return readInputs()
}

/** Objects held in memory; `ranged`: openHead serves the first bytes as a ranged GET does. */
function memorySource(files: Record<string, Uint8Array>, ranged = true) {
  const opened: string[] = []
  async function* chunks(bytes: Uint8Array) {
    for (let at = 0; at < bytes.length; at += 16 * 1024) yield bytes.subarray(at, at + 16 * 1024)
  }
  const source: Source = {
    description: 's3://bkt/p/',
    list: () => Promise.resolve([]),
    open: (object) => {
      opened.push(`open ${object.key}`)
      return Promise.resolve(chunks(files[object.key] as Uint8Array))
    },
    ...(ranged && {
      openHead: (object: SourceObject, bytes: number) => {
        opened.push(`head ${object.key} ${bytes}`)
        return Promise.resolve(chunks((files[object.key] as Uint8Array).subarray(0, bytes)))
      },
    }),
  }
  const objects = Object.entries(files).map(([key, bytes]) => ({
    key,
    url: `s3://bkt/${key}`,
    size: bytes.length,
  }))
  return { source, objects, opened }
}

/** Text that gzip cannot shrink much: its compressed head is cut mid-stream by a ranged read. */
const lines = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `{"pk": "${i}", "r": "${Math.sin(i).toString(36)}${i * 7919}"}`,
  ).join('\n')

describe('readHead', () => {
  it('a gzip object cut by the ranged read: the decompressed head, not complete', async () => {
    const text = lines(20_000)
    const stored = gzipSync(text)
    expect(stored.length).toBeGreaterThan(HEAD_BYTES)
    const { source, objects, opened } = memorySource({ 'p/a.json.gz': stored })
    const head = await readHead(source, objects[0] as SourceObject, 'auto')
    expect(opened).toEqual([`head p/a.json.gz ${HEAD_BYTES}`])
    expect(head.complete).toBe(false)
    expect(head.bytes.length).toBeGreaterThanOrEqual(HEAD_BYTES)
    expect(Buffer.from(head.bytes).toString()).toBe(text.slice(0, head.bytes.length))
  })

  it('a small object is all there, complete', async () => {
    const { source, objects } = memorySource({ 'p/a.csv': Buffer.from('pk\na\n') })
    expect(await readHead(source, objects[0] as SourceObject, 'NONE')).toEqual({
      bytes: Buffer.from('pk\na\n'),
      complete: true,
    })
  })

  it('without ranged reads, stops reading at the head', async () => {
    const { source, objects, opened } = memorySource(
      { 'p/a.json': Buffer.from(lines(20_000)) },
      false,
    )
    const head = await readHead(source, objects[0] as SourceObject, 'auto')
    expect(opened).toEqual(['open p/a.json'])
    expect(head.complete).toBe(false)
    expect(head.bytes.length).toBe(HEAD_BYTES)
  })

  it('an object that cannot be decompressed at all is an error', async () => {
    const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(100, 7)])
    const { source, objects } = memorySource({ 'p/a.gz': corrupt })
    await expect(readHead(source, objects[0] as SourceObject, 'auto')).rejects.toThrow(
      'the GZIP data is truncated or corrupt',
    )
  })
})

describe('probeFirstObject', () => {
  const files = { 'p/a.json': Buffer.from('[{"pk": "a"}]'), 'p/b.csv': Buffer.from('pk\nb\n') }

  it('reads the first object where ImportTable could run: mode native, or auto from native-min-bytes', async () => {
    for (const given of [inputs({ mode: 'native' }), inputs({ 'native-min-bytes': '10' })]) {
      const { source, objects } = memorySource(files)
      expect(await probeFirstObject(given, source, objects, false)).toEqual({
        url: 's3://bkt/p/a.json',
        readAs: 'a JSON array of plain documents (input-format auto: from its first bytes)',
        format: undefined,
      })
    }
  })

  it.each<[string, Record<string, string>, boolean]>([
    ['an explicit input-format', { mode: 'native', 'input-format': 'DYNAMODB_JSON' }, false],
    ['a workspace source', { source: 'fixtures/' }, false],
    ['a source below native-min-bytes', {}, false],
    [
      'a custom endpoint',
      { 'native-min-bytes': '10', 'dynamodb-endpoint': 'http://localhost:8000' },
      false,
    ],
    ['shards', { 'native-min-bytes': '10', shard: '1/2' }, false],
    ['mode stream', { mode: 'stream', 'native-min-bytes': '10' }, false],
    ['an existing table', { 'native-min-bytes': '10' }, true],
  ])('reads nothing with %s', async (_, overrides, tableExists) => {
    const { source, objects, opened } = memorySource(files)
    expect(await probeFirstObject(inputs(overrides), source, objects, tableExists)).toBeUndefined()
    expect(opened).toEqual([])
  })

  it('reads nothing from an empty source', async () => {
    const { source, opened } = memorySource({})
    expect(await probeFirstObject(inputs({ mode: 'native' }), source, [], false)).toBeUndefined()
    expect(opened).toEqual([])
  })
})
