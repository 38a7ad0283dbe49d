// When the built action creates a table, and when it refuses to: create-table (auto, true, false),
// the check for an existing table with a close name (a typo in `table`), and the notice of a
// created table. Through dist/index.js against DynamoDB Local, the local S3 server, the fake
// ImportTable endpoint and the fault proxy.
import { describe, expect, inject, it } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { nativeInputs, useFakeImportServer } from '../support/fake-import-server.js'
import { startFaultProxy } from '../support/fault-proxy.js'
import {
  bucketWith,
  describedTable,
  jsonLines,
  localInputs,
  runDist,
  scanAll,
  tableWith,
  uniqueName,
  SAMPLE_KEY_SCHEMA,
} from '../support/helpers.js'

const items = (n: number) => Array.from({ length: n }, (_, i) => sampleItem(i))

const fake = useFakeImportServer()

/** An existing table `orders-<id>`, and the misspelt name `order-<id>` of no table. */
async function ordersAndTypo(): Promise<{ existing: string; typo: string }> {
  const existing = await tableWith('S', 'N', { TableName: uniqueName('orders') })
  return { existing, typo: existing.replace(/^orders-/, 'order-') }
}

/** What the runner shows of a notice annotation: `::notice title=…::message`. */
function notices(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::notice'))
}

const endpoint = () => inject('dynamodbEndpoint')

describe('a missing table with a close name beside it (a typo in table)', () => {
  it('fails before creating anything, naming the table it meant', async () => {
    const { existing, typo } = await ordersAndTypo()
    const bucket = await bucketWith({ 'a.json': jsonLines(items(3)) })
    const run = await runDist({
      ...localInputs(),
      table: typo,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
    })
    expect(run.code, run.stdout.slice(-2000)).toBe(1)
    expect(run.stdout).toContain(
      `::error::Table ${typo} does not exist (region us-east-1, endpoint ${endpoint()}), but ${existing} does: did you mean ${existing}? Fix table, or set create-table: true to create ${typo}.`,
    )
    expect((await describedTable(typo)) !== undefined).toBe(false)
    expect(await scanAll(existing)).toEqual([])
  })

  it('fails a dry run too: the check runs before anything would be created', async () => {
    const { existing, typo } = await ordersAndTypo()
    const bucket = await bucketWith({ 'a.json': jsonLines(items(3)) })
    const run = await runDist({
      ...localInputs(),
      table: typo,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
      'dry-run': 'true',
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`did you mean ${existing}?`)
    expect((await describedTable(typo)) !== undefined).toBe(false)
  })

  it('creates and seeds it with create-table: true, and says so in a notice', async () => {
    const { existing, typo } = await ordersAndTypo()
    const bucket = await bucketWith({ 'a.json': jsonLines(items(3)) })
    const run = await runDist({
      ...localInputs(),
      table: typo,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
      'create-table': 'true',
    })
    expect(run.code, run.stdout.slice(-2000)).toBe(0)
    expect(run.stdout).not.toContain('did you mean')
    expect(await scanAll(typo)).toHaveLength(3)
    expect(await scanAll(existing)).toEqual([])
    expect(notices(run.stdout)).toEqual([
      `::notice title=Table ${typo} created::Created table ${typo} from key-schema (pk:S,sk:N).`,
    ])
  })

  it('fails before ImportTable creates it (mode native)', async () => {
    const { existing, typo } = await ordersAndTypo()
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(3)) })
    const run = await runDist(nativeInputs(fake, typo, bucket))
    await fake.control.settled()
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `but ${existing} does: did you mean ${existing}? Fix table, or set create-table: true to create ${typo}.`,
    )
    expect(fake.imports().filter((i) => i.tableName === typo)).toEqual([])
    expect((await describedTable(typo)) !== undefined).toBe(false)
  })
})

describe('create-table', () => {
  it('false is honoured with dynamodb-endpoint set: a missing table fails, nothing is created', async () => {
    const table = uniqueName('absent')
    const bucket = await bucketWith({ 'a.json': jsonLines(items(3)) })
    const run = await runDist({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
      'create-table': 'false',
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `::error::Table ${table} does not exist (region us-east-1, endpoint ${endpoint()}) and create-table is false`,
    )
    expect((await describedTable(table)) !== undefined).toBe(false)
  })

  it('auto creates a missing table without a close name, with a notice', async () => {
    const table = uniqueName('fresh')
    const bucket = await bucketWith({ 'a.json': jsonLines(items(4)) })
    const run = await runDist({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
    })
    expect(run.code, run.stdout.slice(-2000)).toBe(0)
    expect(await scanAll(table)).toHaveLength(4)
    expect(notices(run.stdout)).toEqual([
      `::notice title=Table ${table} created::Created table ${table} from key-schema (pk:S,sk:N).`,
    ])
    expect(run.summary).toContain('created from key-schema')
  })

  it('auto in a dry run says what it would create, and creates nothing', async () => {
    const table = uniqueName('planned')
    const bucket = await bucketWith({ 'a.json': jsonLines(items(2)) })
    const run = await runDist({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
      'dry-run': 'true',
    })
    expect(run.code, run.stdout.slice(-2000)).toBe(0)
    expect(run.stdout).toContain(
      `Dry run: table ${table} would be created from key-schema (pk:S,sk:N).`,
    )
    expect(run.stdout).toMatch(
      new RegExp(`No table with a name close to ${table} among the \\d+ tables`),
    )
    expect(notices(run.stdout)).toEqual([])
    expect((await describedTable(table)) !== undefined).toBe(false)
  })

  it('auto goes on, with a warning, when ListTables is denied', async () => {
    const proxy = await startFaultProxy({ target: endpoint(), seed: 1 })
    try {
      // The first ListTables is the wait for the endpoint (any answer will do): let it through.
      proxy.inject({ operation: 'ListTables', fault: { kind: 'delay', ms: 0 }, times: 1 })
      proxy.inject({
        operation: 'ListTables',
        fault: { kind: 'error', name: 'AccessDeniedException' },
        times: Infinity,
      })
      const table = uniqueName('unlisted')
      const bucket = await bucketWith({ 'a.json': jsonLines(items(2)) })
      const run = await runDist({
        ...localInputs(),
        'dynamodb-endpoint': proxy.endpoint,
        table,
        source: `s3://${bucket}/`,
        'key-schema': SAMPLE_KEY_SCHEMA,
      })
      expect(run.code, run.stdout.slice(-2000)).toBe(0)
      expect(proxy.log().filter((r) => r.fault?.kind === 'error').length).toBeGreaterThan(0)
      expect(run.stdout).toMatch(
        /::warning::Could not look for tables with a name close to unlisted-\w+ before creating it: ListTables was denied \(AccessDeniedException: /,
      )
      expect(run.stdout).toContain('dynamodb:ListTables')
      expect(await scanAll(table)).toHaveLength(2)
    } finally {
      await proxy.close()
    }
  })
})
