// input-format JSON and REQUEST_ITEMS end to end: run() against DynamoDB Local and the local S3
// server (and the workspace), checked by scanning the table and reading the outputs.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { run } from '../../src/main.js'
import {
  bucketWith,
  localInputs,
  scanAll,
  sortedCanonical,
  tableWith,
  useRunner,
  virtualClock,
  type Item,
} from '../support/helpers.js'

/** Plain documents keyed pk (string) and sk (number), with every JSON type and exact numbers. */
const documents = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k
    return `{"pk": "order-${i}", "sk": ${i}, "price": 0.1, "big": 12345678901234567890123, "e": 1e3, "ok": ${i % 2 === 0}, "note": null, "tags": ["a", ${i}], "address": {"zip": "0${i}"}}`
  })
const expectedDocuments = (from: number, to: number): Item[] =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k
    return {
      pk: { S: `order-${i}` },
      sk: { N: String(i) },
      price: { N: '0.1' },
      big: { N: '12345678901234567890123' },
      e: { N: '1000' },
      ok: { BOOL: i % 2 === 0 },
      note: { NULL: true },
      tags: { L: [{ S: 'a' }, { N: String(i) }] },
      address: { M: { zip: { S: `0${i}` } } },
    } as Item
  })

async function importFiles(
  objects: Record<string, string | Uint8Array>,
  inputs: Record<string, string>,
) {
  const bucket = await bucketWith(objects)
  const table = await tableWith('S', 'N')
  const runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/`, ...inputs })
  await run(virtualClock())
  return { bucket, table, runner, outputs: runner.outputs(), exitCode: process.exitCode }
}

const rejected = (file: string | undefined) =>
  fs
    .readFileSync(file ?? '', 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { location: string; reason: string })

describe('input-format JSON', () => {
  it('imports a JSON array (pretty, minified, gzip) and JSON Lines from S3, numbers exact', async () => {
    const { table, outputs, exitCode, runner } = await importFiles(
      {
        'a.json': `[\n  ${documents(0, 10).join(',\n  ')}\n]\n`,
        'b.json.gz': gzipSync(`[${documents(10, 20).join(',')}]`),
        'c.jsonl': `${documents(20, 25).join('\n')}\n\n${documents(25, 30).join('\n')}\n`,
      },
      { 'input-format': 'JSON' },
    )
    expect(exitCode, runner.stdout()).toBeUndefined()
    expect(outputs).toMatchObject({
      mode: 'stream',
      status: 'COMPLETED',
      'processed-item-count': '30',
      'imported-item-count': '30',
      'error-count': '0',
    })
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expectedDocuments(0, 30), 'pk', 'sk'),
    )
    // DynamoDB keeps 1e3 as the number 1000: sent as written, it came back by value.
  })

  it('imports fixture files from the workspace', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-workspace-'))
    fs.mkdirSync(path.join(workspace, 'fixtures'))
    fs.writeFileSync(
      path.join(workspace, 'fixtures', 'orders.json'),
      `[${documents(0, 5).join(',')}]`,
    )
    const table = await tableWith('S', 'N')
    vi.stubEnv('GITHUB_WORKSPACE', workspace)
    const runner = useRunner({
      ...localInputs(),
      table,
      source: 'fixtures/orders.json',
      'input-format': 'json',
    })
    await run(virtualClock())
    expect(process.exitCode, runner.stdout()).toBeUndefined()
    expect(runner.outputs()['imported-item-count']).toBe('5')
    expect(await scanAll(table)).toHaveLength(5)
  })

  it('rejects each bad document with its object, line and index; a file cut off fails the step', async () => {
    const text =
      '[\n' +
      `  ${documents(0, 2).join(',\n  ')},\n` +
      '  {"pk": "bad", "sk": 1e200},\n' + // line 4, index 2: beyond DynamoDB's range
      '  {"pk": "empty-key", "sk": 3, "": 1},\n' + // line 5, index 3
      '  7,\n' + // line 6, index 4: not an object
      `  ${documents(2, 3)[0]},\n` +
      '  {"pk": "cut", "sk": 9' // cut off: line 8
    const { table, outputs, bucket, runner, exitCode } = await importFiles(
      {
        'a.json': text,
        'lines.jsonl': `${documents(3, 4)[0]}\n{"pk": "x", \n${documents(4, 5)[0]}\n`,
      },
      { 'input-format': 'JSON', 'max-errors': '10' },
    )
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'failure-code': 'SourceNotRead',
      'processed-item-count': '9',
      'imported-item-count': '5',
      'error-count': '4',
    })
    // 4 records rejected is within max-errors; the file cut off is not a record it may accept.
    expect(exitCode).toBe(1)
    const cutAt = text.lastIndexOf('{"pk": "cut"')
    expect(runner.stdout()).toContain(
      `s3://${bucket}/a.json:8: reading stopped at byte ${cutAt} after document[5]: the file ends inside document[6], which starts on this line (input-format JSON); 6 documents read, ${text.length - cutAt} of ${text.length} bytes not read.`,
    )
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expectedDocuments(0, 5), 'pk', 'sk'),
    )
    const reasons = rejected(outputs['rejected-file']).map((r) => `${r.location} ${r.reason}`)
    // Each reason says what the file was read as, and the input that changes it.
    const readAs = (as: string) =>
      ` (read as ${as}, as input-format JSON says; set input-format to auto or to the file's format to read it otherwise)`
    const array = readAs('a JSON array of plain documents')
    expect(reasons).toEqual([
      expect.stringMatching(new RegExp(`^s3://${bucket}/a\\.json:4 document\\[2\\]\\.sk: N: `)),
      `s3://${bucket}/a.json:5 document[3]: attribute name must not be empty${array}`,
      `s3://${bucket}/a.json:6 document[4]: expected a JSON object (one document), found a number${array}`,
      `s3://${bucket}/lines.jsonl:2 document: invalid JSON at column 13: expected a member name in double quotes${readAs('JSON Lines of plain documents')}`,
    ])
  })
})

describe('input-format REQUEST_ITEMS', () => {
  const put = (id: number, title = `Book ${id}`) =>
    `{"PutRequest": {"Item": {"pk": {"S": "product-${id}"}, "sk": {"N": "${id}"}, "Title": {"S": "${title}"}, "Price": {"N": "19.99"}}}}`
  const del = (id: number) =>
    `{"DeleteRequest": {"Key": {"pk": {"S": "product-${id}"}, "sk": {"N": "${id}"}}}}`

  it('puts and deletes, loading the file into the table input whatever its name in the file', async () => {
    const { table, outputs, runner } = await importFiles(
      {
        '1-put.json': `{"ProductCatalog": [\n  ${[1, 2, 3, 4].map((i) => put(i)).join(',\n  ')}\n]}\n`,
        '2-delete.json.gz': gzipSync(`{"ProductCatalog": [${del(2)}, ${del(3)}]}`),
      },
      { 'input-format': 'REQUEST_ITEMS' },
    )
    expect(process.exitCode, runner.stdout()).toBeUndefined()
    expect(outputs).toMatchObject({
      status: 'COMPLETED',
      'processed-item-count': '6',
      'imported-item-count': '6',
    })
    expect(runner.stdout()).toContain(`ProductCatalog in the file → table ${table}`)
    const scanned = await scanAll(table)
    expect(scanned.map((i) => i['pk']?.S).sort()).toEqual(['product-1', 'product-4'])
    expect(scanned[0]?.['Price']).toEqual({ N: '19.99' })
  })

  it('refuses files that name several tables, none of them the table input, with their names, before anything is written', async () => {
    const { table, outputs, runner } = await importFiles(
      {
        'a.json': `{"Forum": [${put(1)}]}`,
        'b.json': `{"Thread": [${put(2)}], "Reply": [${put(3)}]}`,
      },
      { 'input-format': 'REQUEST_ITEMS' },
    )
    expect(process.exitCode).toBe(1)
    expect(outputs['status']).toBeUndefined()
    expect(runner.stdout()).toContain(
      `table: expected one of the 3 tables the source names (Forum, Thread, Reply), got "${table}": give one of them, or leave table out to load every one.`,
    )
    expect(await scanAll(table)).toHaveLength(0)
  })

  it('rejects an unknown request type and a plain JSON Item; the requests around them are written', async () => {
    const file =
      `{"T": [\n${put(1)},\n{"UpdateRequest": {"Key": {}}},\n` +
      `{"PutRequest": {"Item": {"pk": "product-9", "sk": 9}}},\n${put(2)}\n]}`
    const { table, outputs, bucket } = await importFiles(
      { 'a.json': file },
      { 'input-format': 'REQUEST_ITEMS', 'max-errors': '5' },
    )
    expect(outputs).toMatchObject({ 'imported-item-count': '2', 'error-count': '2' })
    expect((await scanAll(table)).map((i) => i['pk']?.S).sort()).toEqual(['product-1', 'product-2'])
    const reasons = rejected(outputs['rejected-file']).map((r) => `${r.location} ${r.reason}`)
    expect(reasons[0]).toBe(
      `s3://${bucket}/a.json:3 "T"[1]: expected {"PutRequest": {"Item": …}} or {"DeleteRequest": {"Key": …}}, found "UpdateRequest"` +
        ` (read as a request-items file (batch-write-item), as input-format REQUEST_ITEMS says; set input-format to auto or to the file's format to read it otherwise)`,
    )
    expect(reasons[1]).toMatch(
      new RegExp(
        `^s3://${bucket}/a\\.json:4 "T"\\[2\\]\\.PutRequest\\.Item\\.pk: .*request-items files hold DynamoDB JSON`,
      ),
    )
  })
})

describe("the project's example fixtures", () => {
  const repository = path.resolve(import.meta.dirname, '..', '..')

  it.each([
    ['examples/fixtures/orders.json', 'JSON', 3],
    ['examples/fixtures/product-catalog.request-items.json', 'REQUEST_ITEMS', 3],
  ])('%s imports as %s from the workspace', async (source, format, count) => {
    const table = await tableWith('S', 'N')
    vi.stubEnv('GITHUB_WORKSPACE', repository)
    const runner = useRunner({ ...localInputs(), table, source, 'input-format': format })
    await run(virtualClock())
    expect(process.exitCode, runner.stdout()).toBeUndefined()
    expect(runner.outputs()['error-count']).toBe('0')
    expect(await scanAll(table)).toHaveLength(count)
  })
})

describe('the engines and these formats', () => {
  it('auto streams them and says why; mode native refuses them, naming what ImportTable takes', async () => {
    const { runner } = await importFiles(
      { 'a.json': `[${documents(0, 1).join(',')}]` },
      { 'input-format': 'JSON' },
    )
    expect(runner.outputs()['mode']).toBe('stream')
    const native = useRunner({
      ...localInputs(),
      table: 'new-table',
      source: 's3://bucket/a.json',
      mode: 'native',
      'input-format': 'REQUEST_ITEMS',
      'key-schema': 'pk:S',
    })
    await run(virtualClock())
    expect(process.exitCode).toBe(1)
    expect(native.stdout()).toContain(
      'input-format: expected DYNAMODB_JSON, ION, CSV with mode native: ImportTable takes only these; REQUEST_ITEMS is read by the stream engine',
    )
  })
})
