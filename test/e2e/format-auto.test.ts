// input-format auto (the default): each file is read as what it holds, the log and the summary
// say how, and a record error names the format it was read as and the input that changes it.
import { gzipSync } from 'node:zlib'
import { describe, expect, inject, it } from 'vitest'
import { useFakeImportServer } from '../support/fake-import-server.js'
import {
  bucketWith,
  localInputs,
  runDist,
  scanAll,
  tableWith,
  uniqueName,
  workspaceWith,
} from '../support/helpers.js'

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }

/** A workspace holding the files, and a run of the built action on one of them. */
async function importFiles(
  files: Record<string, string>,
  source: string,
  inputs: Record<string, string> = {},
) {
  const workspace = workspaceWith(files)
  const table = await tableWith('S')
  const run = await runDist(
    { ...localInputs(), table, source, ...inputs },
    { ...CREDENTIALS, GITHUB_WORKSPACE: workspace },
  )
  const keys = (await scanAll(table)).map((item) => item['pk']?.S).sort()
  return { ...run, table, keys, workspace }
}

const plain = [
  { pk: 'a', total: 64.5, tags: ['x'] },
  { pk: 'b', total: 1, express: false },
  { pk: 'c', nested: { deep: [1, 2] } },
]

describe('input-format auto', () => {
  it('reads a plain JSON array without input-format, and says so', async () => {
    const run = await importFiles(
      { 'fixtures/orders.json': JSON.stringify(plain, null, 2) },
      'fixtures/orders.json',
    )
    expect(run.code).toBe(0)
    expect(run.outputs['status']).toBe('COMPLETED')
    expect(run.keys).toEqual(['a', 'b', 'c'])
    expect(run.stdout).toContain(
      'fixtures/orders.json: read as a JSON array of plain documents (input-format auto: from its first bytes)',
    )
    expect(run.summary).toContain('a JSON array of plain documents')
  })

  it('reads JSON Lines of plain documents without input-format', async () => {
    const text = plain.map((d) => JSON.stringify(d)).join('\n') + '\n'
    const run = await importFiles({ 'orders.jsonl': text }, 'orders.jsonl')
    expect(run.code).toBe(0)
    expect(run.keys).toEqual(['a', 'b', 'c'])
    expect(run.outputs['imported-item-count']).toBe('3')
    expect(run.stdout).toContain('orders.jsonl: read as JSON Lines of plain documents')
  })

  it('reads one pretty-printed object, and several one after another (jq output)', async () => {
    const one = JSON.stringify({ pk: 'model', spec: { size: 3, names: ['p', 'q'] } }, null, 2)
    const jq = plain.map((d) => JSON.stringify(d, null, 2)).join('\n')
    const run = await importFiles(
      { 'data/model.json': one + '\n', 'data/jq.json': jq + '\n' },
      'data/',
    )
    expect(run.code).toBe(0)
    expect(run.outputs['processed-item-count']).toBe('4')
    expect(run.outputs['imported-item-count']).toBe('4')
    expect(run.keys).toEqual(['a', 'b', 'c', 'model'])
    expect(run.stdout).toContain(
      'data/model.json: read as multi-line JSON documents (plain documents)',
    )
  })

  it('reads DynamoDB JSON lines with and without the Item wrapper without input-format', async () => {
    const wrapped = '{"Item":{"pk":{"S":"w1"},"n":{"N":"1"}}}\n{"Item":{"pk":{"S":"w2"}}}\n'
    const bare =
      '{"pk":{"S":"u1"},"n":{"N":"12345678901234567890"}}\n{"pk":{"S":"u2"},"m":{"M":{"x":{"BOOL":true}}}}\n'
    const run = await importFiles({ 'in/wrapped.json': wrapped, 'in/bare.json': bare }, 'in')
    expect(run.code).toBe(0)
    expect(run.keys).toEqual(['u1', 'u2', 'w1', 'w2'])
    expect(run.stdout).toContain(
      'in/wrapped.json: read as DynamoDB JSON lines with the Item wrapper',
    )
    expect(run.stdout).toContain(
      'in/bare.json: read as DynamoDB JSON lines without the Item wrapper',
    )
    const items = await scanAll(run.table)
    expect(items.find((i) => i['pk']?.S === 'u1')?.['n']).toEqual({ N: '12345678901234567890' })
  })

  it('reads request items, an array of DynamoDB JSON items and get-item output without input-format', async () => {
    const put = (id: string) => `{"PutRequest": {"Item": {"pk": {"S": "${id}"}}}}`
    const files = {
      'seed/1-requests.json': `{"Orders": [\n  ${put('r1')},\n  ${put('r2')}\n]}\n`,
      'seed/2-array.json': '[{"pk": {"S": "a1"}}, {"Item": {"pk": {"S": "a2"}}}]',
      'seed/3-get-item.json': JSON.stringify({ Item: { pk: { S: 'g1' }, n: { N: '7' } } }, null, 4),
    }
    const run = await importFiles(files, 'seed', { 'max-errors': '5' })
    expect(run.keys).toEqual(['a1', 'g1', 'r1', 'r2'])
    expect(run.stdout).toContain(
      'seed/1-requests.json: read as a request-items file (batch-write-item)',
    )
    expect(run.stdout).toContain(`Orders in the file → table ${run.table}`)
    expect(run.stdout).toContain(
      'seed/2-array.json: read as a JSON array of DynamoDB JSON items without the Item wrapper',
    )
    expect(run.stdout).toContain(
      'seed/3-get-item.json: read as multi-line JSON documents (DynamoDB JSON items with the Item wrapper)',
    )
    // The second element has the wrapper its array's first has not: rejected, saying how it was read.
    expect(run.outputs['error-count']).toBe('1')
    expect(run.stdout).toContain(
      'document[1]: item.Item: unknown type key "pk", expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS (read as a JSON array of DynamoDB JSON items without the Item wrapper, as input-format auto recognised it; set input-format to read it otherwise)',
    )
  })

  it('refuses a request-items file for several tables under auto, none of them the table input, as under REQUEST_ITEMS', async () => {
    const put = (id: string) => `{"PutRequest": {"Item": {"pk": {"S": "${id}"}}}}`
    const run = await importFiles(
      { 'two.json': `{"Thread": [${put('t1')}], "Reply": [${put('r1')}]}` },
      'two.json',
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'table: expected one of the 2 tables the source names (Thread, Reply), got "',
    )
    expect(run.keys).toEqual([])
  })

  it('reads a CSV file without input-format', async () => {
    const run = await importFiles({ 'people.csv': 'pk,name\nc1,Ann\nc2,Bo\n' }, 'people.csv')
    expect(run.code).toBe(0)
    expect(run.keys).toEqual(['c1', 'c2'])
    expect(run.stdout).toContain('people.csv: read as CSV')
  })

  it('an explicit input-format that disagrees with the file names the format and input-format', async () => {
    const run = await importFiles(
      { 'orders.json': JSON.stringify(plain, null, 2) },
      'orders.json',
      { 'input-format': 'DYNAMODB_JSON' },
    )
    expect(run.code).toBe(1)
    expect(run.outputs['status']).toBe('FAILED')
    expect(run.keys).toEqual([])
    // DYNAMODB_JSON takes its framing from the head: an array, whose documents lack the wrapper.
    expect(run.stdout).toContain(
      'orders.json: read as a JSON array of DynamoDB JSON items with the Item wrapper (input-format DYNAMODB_JSON)',
    )
    expect(run.stdout).toContain(
      'Not one record became an item: if the objects are not what the log says they were read as, set input-format to their format.',
    )
    expect(run.stdout).toContain(
      `orders.json:2: document[0]: expected an object with an "Item" member, found an object with members "pk", "total", "tags" (read as a JSON array of DynamoDB JSON items with the Item wrapper, as input-format DYNAMODB_JSON says; set input-format to auto or to the file's format to read it otherwise)`,
    )
  })

  it('an explicit JSON reads a pretty-printed object as one document, not one per line', async () => {
    const one = JSON.stringify({ pk: 'solo', spec: { size: 3 } }, null, 2)
    const run = await importFiles({ 'solo.json': one }, 'solo.json', { 'input-format': 'JSON' })
    expect(run.code).toBe(0)
    expect(run.outputs['processed-item-count']).toBe('1')
    expect(run.keys).toEqual(['solo'])
  })
})

describe('input-format auto with an S3 source where ImportTable could run', () => {
  const fake = useFakeImportServer()

  /** A run on AWS as auto sees it: no dynamodb-endpoint, the SDK pointed at the fake. */
  function runOnFake(bucket: string, table: string, inputs: Record<string, string>) {
    return runDist(
      {
        table,
        source: `s3://${bucket}/data/`,
        region: 'us-east-1',
        's3-endpoint': inject('s3Endpoint'),
        'key-schema': 'pk:S',
        ...inputs,
      },
      {
        ...CREDENTIALS,
        AWS_ENDPOINT_URL_DYNAMODB: fake.endpoint,
        AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
      },
    )
  }

  const documents = Array.from({ length: 40 }, (_, i) => ({ pk: `p${i}`, note: 'x'.repeat(40) }))

  it('mode auto: plain JSON is not an ImportTable format, so the stream engine imports it, saying why', async () => {
    const bucket = await bucketWith({ 'data/a.json.gz': gzipSync(JSON.stringify(documents)) })
    const table = uniqueName('auto-plain')
    const run = await runOnFake(bucket, table, { 'native-min-bytes': '100' })
    expect(run.code).toBe(0)
    expect(run.outputs['mode']).toBe('stream')
    expect(run.outputs['mode-reason']).toBe(
      `Table ${table} does not exist, and the first object, s3://${bucket}/data/a.json.gz, reads as a JSON array of plain documents (input-format auto: from its first bytes), which ImportTable cannot take (it takes DYNAMODB_JSON (DynamoDB JSON lines with the Item wrapper), ION or CSV), so the stream engine creates the table and writes with BatchWriteItem.`,
    )
    expect(run.outputs['imported-item-count']).toBe('40')
    expect(fake.imports().some((i) => i.tableName === table)).toBe(false)
    expect(await scanAll(table)).toHaveLength(40)
  })

  it('mode native: a file ImportTable cannot take is a clear error naming input-format', async () => {
    const lines = documents.map((d) => JSON.stringify(d)).join('\n')
    const bucket = await bucketWith({ 'data/a.jsonl': lines })
    const table = uniqueName('native-plain')
    const run = await runOnFake(bucket, table, { mode: 'native' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `mode: native, and the first object, s3://${bucket}/data/a.jsonl, reads as JSON Lines of plain documents (input-format auto: from its first bytes), which ImportTable cannot take`,
    )
    expect(run.stdout).toContain(
      'Set mode: stream or auto to read it with BatchWriteItem, or set input-format if the objects are in fact',
    )
    expect(fake.imports().some((i) => i.tableName === table)).toBe(false)
  })

  it('mode native: ImportTable gets the format the first object is in (CSV, gzip)', async () => {
    const bucket = await bucketWith({ 'data/a.csv.gz': gzipSync('pk,name\nc1,Ann\nc2,Bo\n') })
    const table = uniqueName('native-csv')
    const run = await runOnFake(bucket, table, { mode: 'native', wait: 'false' })
    expect(run.code).toBe(0)
    expect(fake.imports().find((i) => i.tableName === table)?.request).toMatchObject({
      InputFormat: 'CSV',
      InputCompressionType: 'GZIP',
    })
    expect(run.stdout).toContain(
      `s3://${bucket}/data/a.csv.gz: read as CSV (input-format auto: from its first bytes), ImportTable's CSV`,
    )
  })
})
