// The stream engine's rules, each checked by scanning the table and reading every output.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { run } from '../../src/main.js'
import {
  bucketWith,
  fromDynamoDBJson,
  jsonLines,
  localInputs,
  scanAll,
  sortedCanonical,
  tableWith,
  useRunner,
  virtualClock,
  type Item,
} from '../support/helpers.js'

const noSleep = async () => {}
/** Node 24's zstd encoder (the tests run on 24; the types are Node 20's, the oldest supported). */
const zstdCompressSync = (zlib as unknown as { zstdCompressSync(data: string): Buffer })
  .zstdCompressSync
const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => sampleItem(from + i))
const rejectedLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

/** Imports the objects into a fresh table keyed pk:S(,sk:N) and returns what happened. */
async function importObjects(
  objects: Record<string, string | Uint8Array>,
  inputs: Record<string, string> = {},
  keys: ['S'] | ['S', 'N'] = ['S', 'N'],
  options: Parameters<typeof run>[0] = { sleep: noSleep },
) {
  const bucket = await bucketWith(objects)
  const table = await tableWith(keys[0], keys[1])
  const runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/`, ...inputs })
  await run(options)
  return { bucket, table, runner, outputs: runner.outputs(), exitCode: process.exitCode }
}

describe('stream engine: compression', () => {
  it('reads zstd objects, including several frames in one object, beside gzip and plain ones', async () => {
    const frames = Buffer.concat([
      zstdCompressSync(jsonLines(items(0, 20))),
      zstdCompressSync(jsonLines(items(20, 40))),
    ])
    const { table, outputs, exitCode } = await importObjects({
      'a.zst': frames,
      'b.gz': gzipSync(jsonLines(items(40, 50))),
      'c.json': jsonLines(items(50, 60)),
    })
    expect(exitCode).toBeUndefined()
    expect(outputs).toMatchObject({ status: 'COMPLETED', 'imported-item-count': '60' })
    const expected = items(0, 60).map((i) => fromDynamoDBJson(i) as Item)
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expected, 'pk', 'sk'),
    )
  })

  it('fails the step for a truncated object, whatever max-errors, keeping the lines before', async () => {
    const zst = zstdCompressSync(jsonLines(items(0, 50)))
    const gz = gzipSync(jsonLines(items(100, 150)))
    const a = zst.subarray(0, Math.floor(zst.length * 0.6))
    const { bucket, outputs, runner, exitCode } = await importObjects(
      { 'a.zst': a, 'b.gz': gz.subarray(0, Math.floor(gz.length * 0.6)) },
      { 'max-errors': '2' },
    )
    expect(exitCode).toBe(1)
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'failure-code': 'SourceNotRead',
      'error-count': '0',
    })
    const out = runner.stdout()
    expect(out).toMatch(
      new RegExp(
        `s3://${bucket}/a\\.zst:\\d+: reading stopped at byte \\d+(?: after line \\d+)?: the object could not be read: .*zstd data is truncated or corrupt.*; \\d+ records? read, all ${a.length} stored bytes received, their data not read past that point`,
        'i',
      ),
    )
    expect(out).toMatch(
      new RegExp(
        `s3://${bucket}/b\\.gz:\\d+: reading stopped .*gzip data is truncated or corrupt`,
        'i',
      ),
    )
    const imported = Number(outputs['imported-item-count'])
    expect(imported).toBeGreaterThan(0)
    // The lines before the break are read and written; the break itself is no record.
    expect(Number(outputs['processed-item-count'])).toBe(imported)
  })

  it('with a declared compression, fails the step for an object that is not compressed so', async () => {
    const { outputs, runner, bucket } = await importObjects(
      { 'plain.json': jsonLines(items(0, 5)) },
      { 'input-compression': 'GZIP', 'max-errors': '5' },
    )
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'failure-code': 'SourceNotRead',
      'error-count': '0',
      'imported-item-count': '0',
    })
    const size = Buffer.byteLength(jsonLines(items(0, 5)))
    expect(runner.stdout()).toContain(
      `s3://${bucket}/plain.json:1: reading stopped at byte 0: the object could not be read: `,
    )
    expect(runner.stdout()).toContain(
      `0 records read, all ${size} stored bytes received, their data not read past that point. Check the object and re-run the import; max-errors does not apply to an object that cannot be read to its end.`,
    )
  })
})

describe('stream engine: records', () => {
  it('rejects each kind of bad record with its line and reason, and writes every good one', async () => {
    const good = items(0, 6)
    const bad: Array<[string, RegExp]> = [
      ['{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}', /invalid JSON/],
      ['{"Items": {}}', /"Item"/],
      ['{"Item": {"pk": {"S": "a"}}}', /sk/],
      ['{"Item": {"pk": {"N": "1"}, "sk": {"N": "1"}}}', /pk.*S/],
      ['{"Item": {"pk": {"S": ""}, "sk": {"N": "1"}}}', /empty|at least/],
      [`{"Item": {"pk": {"S": "${'k'.repeat(2049)}"}, "sk": {"N": "1"}}}`, /2048/],
      [
        '{"Item": {"pk": {"S": "a"}, "sk": {"N": "1234567890123456789012345678901234567890"}}}',
        /38/,
      ],
      ['{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "s": {"SS": []}}}', /empty/],
      ['{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "s": {"NS": ["1", "1.0"]}}}', /duplicate/],
      ['{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "b": {"B": "not base64!"}}}', /base64/],
      [
        `{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "d": ${'{"L": ['.repeat(33)}{"S": "x"}${']}'.repeat(33)}}}`,
        /nest|deep|level/i,
      ],
      [
        `{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "big": {"S": "${'x'.repeat(409600)}"}}}`,
        /409600|limit/,
      ],
      ['{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "": {"S": "x"}}}', /name/],
    ]
    const lines = [
      ...good.slice(0, 3).map((i) => JSON.stringify({ Item: i })),
      ...bad.map(([l]) => l),
      ...good.slice(3).map((i) => JSON.stringify({ Item: i })),
    ]
    const body = Buffer.concat([
      Buffer.from(lines.join('\n') + '\n'),
      Buffer.from([0xc3, 0x28, 0x0a]),
    ])
    const { bucket, table, outputs, runner } = await importObjects({ 'bad.json': body })
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'failure-code': 'ItemValidationError',
      'processed-item-count': String(6 + bad.length + 1),
      'imported-item-count': '6',
      'error-count': String(bad.length + 1),
    })
    const rejected = rejectedLines(outputs['rejected-file'] as string)
    expect(rejected.map((r) => r['location'])).toEqual(
      [...bad.map((_, i) => i + 4), lines.length + 1].map((n) => `s3://${bucket}/bad.json:${n}`),
    )
    bad.forEach(([, reason], i) => expect(rejected[i]?.['reason']).toMatch(reason))
    expect(rejected.at(-1)?.['reason']).toBe('invalid UTF-8')
    expect(await scanAll(table)).toHaveLength(6)
    expect(runner.summary()).toContain(`s3://${bucket}/bad.json:4`)
    expect(runner.summary()).toMatch(/…and 4 more/)
  })

  it('takes an item of exactly 400 KB and rejects one byte more', async () => {
    // pk "k" is 2 + 1 bytes and the name "big" 3: 409,600 - 6 bytes of value. DynamoDB Local
    // draws the line at the same byte.
    const at = { pk: { S: 'k' }, big: { S: 'x'.repeat(409_594) } }
    const over = { pk: { S: 'l' }, big: { S: 'x'.repeat(409_595) } }
    const { table, outputs } = await importObjects(
      { 'a.json': jsonLines([at, over]) },
      { 'max-errors': '1' },
      ['S'],
    )
    expect(outputs).toMatchObject({ 'imported-item-count': '1', 'error-count': '1' })
    const scanned = await scanAll(table)
    expect(scanned.map((i) => i['big']?.S?.length)).toEqual([409_594])
  })

  it('lets the object that sorts later win a key that several objects hold', async () => {
    const version = (v: string) =>
      [0, 1, 2].map((k) => ({ pk: { S: `k${k}` }, sk: { N: '1' }, v: { S: v } }))
    const { table, outputs } = await importObjects(
      {
        'b/2.json': jsonLines(version('b/2')),
        'a.json': jsonLines(version('a')),
        'b/10.json': jsonLines(version('b/10')),
      },
      { 'write-concurrency': '8' },
    )
    expect(outputs['imported-item-count']).toBe('9')
    expect((await scanAll(table)).map((i) => i['v']?.S)).toEqual(['b/2', 'b/2', 'b/2'])
  })

  it('lists and reads more than 1000 objects', async () => {
    const objects: Record<string, string> = {}
    for (let i = 0; i < 1005; i++)
      objects[`many/${String(i).padStart(4, '0')}.json`] = jsonLines([sampleItem(i)])
    const { table, outputs } = await importObjects(objects)
    expect(outputs).toMatchObject({
      status: 'COMPLETED',
      'processed-item-count': '1005',
      'imported-item-count': '1005',
    })
    expect(await scanAll(table)).toHaveLength(1005)
  }, 120_000)
})

describe('stream engine: writing', () => {
  it('holds max-write-capacity: units over elapsed time stay within 3% of the cap', async () => {
    let clock = 0
    const now = () => clock
    const sleep = async (ms: number) => void (clock += ms)
    // 400 items of about 1.5 KB: 2 write units each, 800 units at 100 units/s: about 8 s.
    const lines = Array.from({ length: 400 }, (_, i) => ({
      pk: { S: `p${i}` },
      pad: { S: 'x'.repeat(1500) },
    }))
    const { outputs } = await importObjects(
      { 'a.json': jsonLines(lines) },
      { 'max-write-capacity': '100', 'write-concurrency': '4' },
      ['S'],
      { now, sleep },
    )
    expect(outputs['imported-item-count']).toBe('400')
    expect(Number(outputs['consumed-write-capacity'])).toBe(800)
    // The first batch (50 units) goes at once; the other 750 units are paced.
    const rate = 750 / (clock / 1000)
    expect(rate).toBeGreaterThan(97)
    expect(rate).toBeLessThanOrEqual(100.5)
  })

  it('logs progress every 10 s while a paced writer holds the reader, with its live counts', async () => {
    const clock = virtualClock()
    // 300 items of one write unit at 10 units/s: about 30 s. The object is one read chunk: the
    // reader waits on the writer inside it, so lines must come from a timer, not the read loop.
    const lines = Array.from({ length: 300 }, (_, i) => ({ pk: { S: `p${i}` } }))
    const { runner, outputs } = await importObjects(
      { 'a.json': jsonLines(lines) },
      { 'max-write-capacity': '10', 'write-concurrency': '1' },
      ['S'],
      clock,
    )
    expect(outputs['imported-item-count']).toBe('300')
    const progress = runner
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('progress:'))
    // One line per 10 s of the run, none after the write step ended.
    expect(progress).toHaveLength(Math.floor(clock.elapsed() / 10_000))
    expect(progress.length).toBeGreaterThanOrEqual(2)
    const written = progress.map((l) => Number(/ (\d+) items written in (\d+) calls/.exec(l)?.[1]))
    // Live counts: nonzero and growing, each below the total while the writer still drains.
    expect(written[0]).toBeGreaterThan(0)
    expect(written.every((n, i) => n < 300 && (i === 0 || n > (written[i - 1] ?? 0)))).toBe(true)
    expect(progress[0]).toMatch(
      /^progress: 0\/1 objects done \(1 left\), \d+ records read \(\d+ bytes\), [1-9]\d* items written in [1-9]\d* calls, [1-9]\d* items\/s, 0 rejected$/,
    )
  })

  it('in a dry run against an emulator writes nothing and estimates no cost (it bills nothing)', async () => {
    const { table, outputs, runner } = await importObjects(
      { 'a.json.gz': gzipSync(jsonLines(items(0, 40))) },
      { 'dry-run': 'true' },
    )
    expect(outputs).toMatchObject({
      status: 'COMPLETED',
      'imported-item-count': '40',
      'consumed-write-capacity': '',
    })
    expect(await scanAll(table)).toHaveLength(0)
    const summary = runner.summary()
    expect(summary).toContain('| Items that would be imported | 40 |')
    expect(summary).not.toContain('Estimates: what the import would cost and take')
  })
})

describe('stream engine: a source in the workspace', () => {
  it('imports files under a workspace path with the prefix rule, and refuses a path outside', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-workspace-'))
    fs.mkdirSync(path.join(workspace, 'fixtures', 'orders'), { recursive: true })
    fs.mkdirSync(path.join(workspace, 'fixtures', 'orders-old'), { recursive: true })
    fs.writeFileSync(path.join(workspace, 'fixtures', 'orders', 'a.json'), jsonLines(items(0, 5)))
    fs.writeFileSync(
      path.join(workspace, 'fixtures', 'orders', 'b.json.gz'),
      gzipSync(jsonLines(items(5, 8))),
    )
    fs.writeFileSync(path.join(workspace, 'fixtures', 'orders-old', 'x.json'), 'not read\n')
    fs.symlinkSync('/etc/hostname', path.join(workspace, 'fixtures', 'orders', 'link.json'))
    const table = await tableWith('S', 'N')

    vi.stubEnv('GITHUB_WORKSPACE', workspace)
    let runner = useRunner({ ...localInputs(), table, source: 'fixtures/orders/' })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain('links to /etc/hostname, outside the workspace')

    fs.unlinkSync(path.join(workspace, 'fixtures', 'orders', 'link.json'))
    vi.restoreAllMocks()
    process.exitCode = undefined
    runner = useRunner({ ...localInputs(), table, source: 'fixtures/orders/' })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.outputs()).toMatchObject({ status: 'COMPLETED', 'imported-item-count': '8' })
    expect(await scanAll(table)).toHaveLength(8)

    vi.restoreAllMocks()
    runner = useRunner({ ...localInputs(), table, source: '../elsewhere' })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain('source: expected a path inside the workspace')
  })
})

describe('stream engine: CSV', () => {
  it('reads each file with its own header, types key and GSI key columns, and keeps the rest as strings', async () => {
    const bucket = await bucketWith({
      'csv/a.csv':
        '\uFEFFpk,sk,code,price,note,gsi\r\n' +
        'a,1,041,7.50,"comma, inside",10\r\n' +
        'b,0002,true,,"say ""hi""",\r\n' +
        'c,3,x,1,"two\r\nlines",30\r\n',
      // The second file has its own header, in another order.
      'csv/b.csv': 'note,sk,pk\nplain,4,d\n\n',
    })
    const table = await tableWith('S', 'N', {
      AttributeDefinitions: [{ AttributeName: 'gsi', AttributeType: 'N' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-gsi',
          KeySchema: [{ AttributeName: 'gsi', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    })
    const runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/csv/`,
      'input-format': 'csv',
    })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.outputs()).toMatchObject({
      status: 'COMPLETED',
      'processed-item-count': '4',
      'imported-item-count': '4',
    })
    const expected: Item[] = [
      {
        pk: { S: 'a' },
        sk: { N: '1' },
        code: { S: '041' },
        price: { S: '7.50' },
        note: { S: 'comma, inside' },
        gsi: { N: '10' },
      },
      { pk: { S: 'b' }, sk: { N: '2' }, code: { S: 'true' }, note: { S: 'say "hi"' } },
      {
        pk: { S: 'c' },
        sk: { N: '3' },
        code: { S: 'x' },
        price: { S: '1' },
        note: { S: 'two\r\nlines' },
        gsi: { N: '30' },
      },
      { pk: { S: 'd' }, sk: { N: '4' }, note: { S: 'plain' } },
    ]
    expect(sortedCanonical(await scanAll(table), 'pk')).toEqual(sortedCanonical(expected, 'pk'))
  })

  it('with csv-header and a tab delimiter, reads the first line as data, and rejects bad rows by line', async () => {
    const tsv =
      'pk\tsk\tv\n' +
      'k1\t1\tone\n' +
      'k2\tnot-a-number\ttwo\n' +
      'k3\t3\n' +
      'k4\t4\t"unterminated\n'
    const bucket = await bucketWith({ 'data.tsv': tsv })
    const table = await tableWith('S', 'N')
    const runner = useRunner({
      ...localInputs(),
      table,
      source: `s3://${bucket}/data.tsv`,
      'input-format': 'CSV',
      'csv-delimiter': 'tab',
      'csv-header': 'pk,sk,v',
      'max-errors': '10',
    })
    await run({ sleep: noSleep })
    // The first line is data: its "sk" is no number, so it is rejected like any other row. The
    // quote still open at the end is where reading stopped: not a record max-errors accepts.
    expect(runner.outputs()).toMatchObject({
      status: 'FAILED',
      'failure-code': 'SourceNotRead',
      'processed-item-count': '4',
      'imported-item-count': '1',
      'error-count': '3',
    })
    expect(process.exitCode).toBe(1)
    const rejected = rejectedLines(runner.outputs()['rejected-file'] as string)
    expect(rejected.map((r) => r['location'])).toEqual(
      [1, 3, 4].map((n) => `s3://${bucket}/data.tsv:${n}`),
    )
    expect(rejected[0]?.['reason']).toMatch(/sk/)
    expect(rejected[1]?.['reason']).toMatch(/sk/)
    expect(rejected[2]?.['reason']).toBe(
      'row has 2 fields, the header has 3 (csv-header): check csv-delimiter ("\\t") and csv-header: each row needs one field per column of the header' +
        " (read as CSV, as input-format CSV says; set input-format to auto or to the file's format to read it otherwise)",
    )
    expect(runner.stdout()).toContain(
      `s3://${bucket}/data.tsv:5: reading stopped at byte ${tsv.indexOf('k4')}: a quoted field opened on line 5 is never closed: the rest of the file cannot be told apart into rows (input-format CSV); 4 records read, ${tsv.length - tsv.indexOf('k4')} of ${tsv.length} bytes not read.`,
    )
    expect(sortedCanonical(await scanAll(table), 'pk')).toEqual(
      sortedCanonical([{ pk: { S: 'k1' }, sk: { N: '1' }, v: { S: 'one' } }], 'pk'),
    )
  })
})

describe('stream engine: Ion', () => {
  it('reads DynamoDB export Ion lines with exact decimals, blobs and sets', async () => {
    const ion =
      '$ion_1_0 {Item:{pk:"book#103",sk:103.,Authors:$dynamodb_SS::["Author1","Author2"],PageCount:6d2,Price:12345678901234567890123456789012345678.,Rating:1.5d-3,Cover:{{aGVsbG8=}},InPrint:true,Tags:["a",{x:"y"}],Nothing:null,Sizes:$dynamodb_NS::[1,2.5],Blobs:$dynamodb_BS::[{{AQ==}},{{Ag==}}]}}\r\n' +
      '\n' +
      '$ion_1_0 {Item:{pk:"book#104",sk:104.,\'quoted name\':"v"}}\n' +
      '$ion_1_0 {Item:{pk:"book#105",sk:2007-02-23T12:14Z}}\n'
    const { bucket, table, outputs } = await importObjects(
      { 'books.ion': gzipSync(ion) },
      { 'input-format': 'ion', 'max-errors': '1' },
    )
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'processed-item-count': '3',
      'imported-item-count': '2',
      'error-count': '1',
    })
    const rejected = rejectedLines(outputs['rejected-file'] as string)
    expect(rejected.map((r) => r['location'])).toEqual([`s3://${bucket}/books.ion:4`])
    expect(rejected[0]?.['reason']).toMatch(/timestamp/)
    const expected: Item[] = [
      {
        pk: { S: 'book#103' },
        sk: { N: '103' },
        Authors: { SS: ['Author1', 'Author2'] },
        PageCount: { N: '600' },
        Price: { N: '12345678901234567890123456789012345678' },
        Rating: { N: '0.0015' },
        Cover: { B: Buffer.from('hello') },
        InPrint: { BOOL: true },
        Tags: { L: [{ S: 'a' }, { M: { x: { S: 'y' } } }] },
        Nothing: { NULL: true },
        Sizes: { NS: ['1', '2.5'] },
        Blobs: { BS: [Buffer.from([1]), Buffer.from([2])] },
      },
      { pk: { S: 'book#104' }, sk: { N: '104' }, 'quoted name': { S: 'v' } },
    ]
    expect(sortedCanonical(await scanAll(table), 'pk')).toEqual(sortedCanonical(expected, 'pk'))
  })
})

describe('stream engine: shards and truncate', () => {
  it.each([1, 3, 4])(
    '%i shards import disjoint parts whose counts add up exactly to the whole',
    async (count) => {
      const objects: Record<string, string> = {}
      // Objects of different sizes, with no key in two of them.
      const sizes = [13, 14, 15, 13, 14, 15, 13, 14, 15, 13]
      sizes.reduce((from, size, o) => {
        objects[`s/${o}.json`] = jsonLines(items(from, from + size))
        return from + size
      }, 0)
      const bucket = await bucketWith(objects)
      const table = await tableWith('S', 'N')
      let processed = 0
      let imported = 0
      for (let i = 1; i <= count; i++) {
        vi.restoreAllMocks()
        const runner = useRunner({
          ...localInputs(),
          table,
          source: `s3://${bucket}/s/`,
          shard: `${i}/${count}`,
        })
        await run({ sleep: noSleep })
        expect(process.exitCode).toBeUndefined()
        processed += Number(runner.outputs()['processed-item-count'])
        imported += Number(runner.outputs()['imported-item-count'])
        if (count > 1)
          expect(runner.stdout()).toMatch(new RegExp(`shard ${i}/${count}: \\d+ of 10 objects`))
      }
      const total = Object.values(objects).reduce(
        (n, body) => n + body.trim().split('\n').length,
        0,
      )
      expect({ processed, imported }).toEqual({ processed: total, imported: total })
      expect(await scanAll(table)).toHaveLength(total)
    },
  )

  it('truncate deletes every item first, so the table holds exactly the source afterwards', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(0, 30)) })
    const table = await tableWith('S', 'N')
    // 120 items from an earlier run, 30 of them with the same keys as the source.
    let runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/` })
    const stale = await bucketWith({
      'old.json': jsonLines(items(0, 120).map((i) => ({ ...i, stale: { BOOL: true } }))),
    })
    runner = useRunner({ ...localInputs(), table, source: `s3://${stale}/` })
    await run({ sleep: noSleep })
    expect(await scanAll(table)).toHaveLength(120)

    vi.restoreAllMocks()
    runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/`, truncate: 'true' })
    await run({ sleep: noSleep })
    expect(process.exitCode).toBeUndefined()
    expect(runner.stdout()).toContain(`truncate: deleted 120 items from ${table}`)
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(
        items(0, 30).map((i) => fromDynamoDBJson(i) as Item),
        'pk',
        'sk',
      ),
    )
    expect(runner.summary()).toContain('truncated: 120 items deleted')
  })
})
