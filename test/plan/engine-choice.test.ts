import { describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../../scripts/action-env.mjs'
import { readInputs } from '../../src/inputs.js'
import { chooseMode } from '../../src/plan/engine-choice.js'
import type { TableInputs } from '../../src/plan/targets.js'

function inputs(overrides: Record<string, string> = {}): TableInputs {
  const all = { table: 'orders', source: 's3://bkt/p', region: 'us-east-1', ...overrides }
  for (const [name, value] of Object.entries(inputEnv(all))) vi.stubEnv(name, value)
  const read = readInputs()
  if (!read.table) throw new Error('no table')
  return { ...read, table: read.table }
}

const GiB = 2 ** 30

describe('chooseMode: auto', () => {
  it('streams against a custom endpoint, creating a missing table', () => {
    const choice = chooseMode(
      inputs({ 'dynamodb-endpoint': 'http://localhost:8000', 'key-schema': 'pk:S' }),
      { tableExists: false },
    )
    expect(choice).toMatchObject({ mode: 'stream', createTable: true })
    expect(choice.reason).toContain('no ImportTable')
  })

  it('streams into an existing table, because ImportTable only creates tables', () => {
    const choice = chooseMode(inputs(), { tableExists: true, sourceBytes: 10 * GiB })
    expect(choice).toMatchObject({ mode: 'stream', createTable: false })
    expect(choice.reason).toContain('Table orders exists')
  })

  it('imports a missing table natively from a source of at least native-min-bytes', () => {
    const choice = chooseMode(inputs({ 'key-schema': 'pk:S' }), {
      tableExists: false,
      sourceBytes: GiB,
    })
    expect(choice).toMatchObject({ mode: 'native', createTable: false })
    expect(choice.reason).toBe(
      'Table orders does not exist and the source holds 1 GiB (native-min-bytes is 1 GiB), so ImportTable creates and loads it, using no write capacity.',
    )
  })

  it('streams a table whose definition has local secondary indexes, which ImportTable cannot create', () => {
    const base = inputs({ 'key-schema': 'pk:S' })
    const definition = {
      name: 'orders',
      creation: base.tableCreation ?? {
        TableName: 'orders',
        AttributeDefinitions: [],
        KeySchema: [],
      },
      extras: { LocalSecondaryIndexes: [{ IndexName: 'byDate', KeySchema: [], Projection: {} }] },
      warnings: [],
      source: 'table-definition template.yaml (OrdersTable)',
    }
    const choice = chooseMode({ ...base, definition }, { tableExists: false, sourceBytes: GiB })
    expect(choice).toMatchObject({ mode: 'stream', createTable: true })
    expect(choice.reason).toBe(
      'Table orders does not exist, and table-definition template.yaml (OrdersTable) gives it local secondary indexes, which ImportTable cannot create (nor can any table get one later), so the stream engine creates the table and writes with BatchWriteItem.',
    )
  })

  it('creates a missing table and streams a source below native-min-bytes', () => {
    const choice = chooseMode(inputs({ 'key-schema': 'pk:S', 'native-min-bytes': '2MiB' }), {
      tableExists: false,
      sourceBytes: 2 * 2 ** 20 - 1,
    })
    expect(choice).toMatchObject({ mode: 'stream', createTable: true })
    expect(choice.reason).toContain('holds only 2 MiB (native-min-bytes is 2 MiB)')
  })

  it('streams a workspace source, which ImportTable cannot read', () => {
    const choice = chooseMode(inputs({ source: 'test/fixtures', 'key-schema': 'pk:S' }), {
      tableExists: false,
    })
    expect(choice).toMatchObject({ mode: 'stream', createTable: true })
    expect(choice.reason).toContain('workspace path')
  })

  it('needs key-schema or table-definition to create a missing table', () => {
    expect(() => chooseMode(inputs(), { tableExists: false, sourceBytes: 1 })).toThrow(
      /Table orders does not exist \(region us-east-1\), and neither key-schema nor table-definition/,
    )
  })
})

describe('chooseMode: explicit', () => {
  it('native refuses an existing table and needs creation parameters', () => {
    expect(() =>
      chooseMode(inputs({ mode: 'native', 'key-schema': 'pk:S' }), { tableExists: true }),
    ).toThrow('ImportTable only creates new tables: use mode: stream (or auto)')
    expect(() => chooseMode(inputs({ mode: 'native' }), { tableExists: false })).toThrow(
      'key-schema',
    )
    expect(
      chooseMode(inputs({ mode: 'native', 'key-schema': 'pk:S' }), { tableExists: false }),
    ).toEqual({
      mode: 'native',
      reason: 'mode: native was requested.',
      createTable: false,
      checkNearNames: true,
    })
  })

  it('stream creates a missing table when key-schema or table-definition says how', () => {
    const choice = chooseMode(inputs({ mode: 'stream', 'key-schema': 'pk:S' }), {
      tableExists: false,
    })
    expect(choice).toEqual({
      mode: 'stream',
      createTable: true,
      checkNearNames: true,
      reason: 'mode: stream was requested.',
    })
    expect(() => chooseMode(inputs({ mode: 'stream' }), { tableExists: false })).toThrow(
      'neither key-schema nor table-definition says how to create it',
    )
    expect(chooseMode(inputs({ mode: 'stream' }), { tableExists: true })).toMatchObject({
      createTable: false,
      checkNearNames: false,
    })
  })
})

describe('chooseMode: create-table', () => {
  const missing = { tableExists: false }
  const endpoint = { 'dynamodb-endpoint': 'http://localhost:8000', 'key-schema': 'pk:S' }

  it('auto creates a missing table after the check for close names, by either engine', () => {
    expect(chooseMode(inputs(endpoint), missing)).toMatchObject({
      mode: 'stream',
      createTable: true,
      checkNearNames: true,
    })
    expect(
      chooseMode(inputs({ 'key-schema': 'pk:S' }), { tableExists: false, sourceBytes: GiB }),
    ).toMatchObject({ mode: 'native', createTable: false, checkNearNames: true })
  })

  it('true creates a missing table without the check, by either engine', () => {
    expect(chooseMode(inputs({ ...endpoint, 'create-table': 'true' }), missing)).toMatchObject({
      mode: 'stream',
      createTable: true,
      checkNearNames: false,
    })
    expect(
      chooseMode(inputs({ mode: 'native', 'key-schema': 'pk:S', 'create-table': 'true' }), missing),
    ).toMatchObject({ mode: 'native', checkNearNames: false })
    expect(() => chooseMode(inputs({ 'create-table': 'true' }), missing)).toThrow(
      'neither key-schema nor table-definition',
    )
  })

  it('false never creates, whatever the mode, endpoint or size: the message says where it looked', () => {
    const message =
      'Table orders does not exist (region us-east-1, endpoint http://localhost:8000) and create-table is false, so the action does not create it: ' +
      'check table, region and dynamodb-endpoint, or create the table first, or set create-table: auto (the default) ' +
      'with key-schema (for example pk:S) or table-definition to have the action create it.'
    expect(() => chooseMode(inputs({ ...endpoint, 'create-table': 'false' }), missing)).toThrow(
      message,
    )
    // auto does not fall back on ImportTable, which would create the table.
    for (const mode of ['auto', 'stream']) {
      expect(() =>
        chooseMode(inputs({ mode, 'key-schema': 'pk:S', 'create-table': 'false' }), {
          tableExists: false,
          sourceBytes: 10 * GiB,
        }),
      ).toThrow('Table orders does not exist (region us-east-1) and create-table is false')
    }
    expect(chooseMode(inputs({ 'create-table': 'false' }), { tableExists: true })).toMatchObject({
      mode: 'stream',
      createTable: false,
      checkNearNames: false,
    })
  })

  it('a table found but still CREATING (another job creates it) is no typo and no missing table', () => {
    const creating = { tableExists: false, tableFound: true }
    expect(chooseMode(inputs(endpoint), creating)).toMatchObject({
      mode: 'stream',
      createTable: true,
      checkNearNames: false,
    })
    expect(chooseMode(inputs({ ...endpoint, 'create-table': 'false' }), creating)).toMatchObject({
      mode: 'stream',
    })
  })
})

describe('chooseMode: input-format auto and the first object of an S3 source', () => {
  const plain = {
    url: 's3://bkt/p/a.json',
    readAs: 'a JSON array of plain documents (input-format auto: from its first bytes)',
    format: undefined,
  }

  it('auto: a first object ImportTable cannot take leaves the stream engine, said why', () => {
    const choice = chooseMode(inputs({ 'key-schema': 'pk:S' }), {
      tableExists: false,
      sourceBytes: 2 * GiB,
      firstObject: plain,
    })
    expect(choice).toEqual({
      mode: 'stream',
      createTable: true,
      checkNearNames: true,
      reason:
        'Table orders does not exist, and the first object, s3://bkt/p/a.json, reads as a JSON array of plain documents (input-format auto: from its first bytes), which ImportTable cannot take (it takes DYNAMODB_JSON (DynamoDB JSON lines with the Item wrapper), ION or CSV), so the stream engine creates the table and writes with BatchWriteItem.',
    })
  })

  it('auto: an ImportTable format, or no first object read, leaves the choice to the size', () => {
    const given = inputs({ 'key-schema': 'pk:S' })
    expect(given.format).toBe('auto')
    const ion = { ...plain, readAs: 'Ion', format: 'ION' as const }
    expect(
      chooseMode(given, { tableExists: false, sourceBytes: 2 * GiB, firstObject: ion }).mode,
    ).toBe('native')
    const small = chooseMode(given, { tableExists: false, sourceBytes: 10 })
    expect(small.mode).toBe('stream')
    expect(small.reason).toContain('holds only')
  })

  it('native: a first object ImportTable cannot take is an error naming input-format', () => {
    expect(() =>
      chooseMode(inputs({ mode: 'native', 'key-schema': 'pk:S' }), {
        tableExists: false,
        firstObject: plain,
      }),
    ).toThrow(
      'mode: native, and the first object, s3://bkt/p/a.json, reads as a JSON array of plain documents (input-format auto: from its first bytes), which ImportTable cannot take (it takes DYNAMODB_JSON (DynamoDB JSON lines with the Item wrapper), ION or CSV). Set mode: stream or auto to read it with BatchWriteItem, or set input-format if the objects are in fact DYNAMODB_JSON (DynamoDB JSON lines with the Item wrapper), ION or CSV.',
    )
    const csv = { ...plain, readAs: 'CSV', format: 'CSV' as const }
    expect(
      chooseMode(inputs({ mode: 'native', 'key-schema': 'pk:S' }), {
        tableExists: false,
        firstObject: csv,
      }).mode,
    ).toBe('native')
  })

  it('an explicit stream-only format still says so', () => {
    const choice = chooseMode(inputs({ 'key-schema': 'pk:S', 'input-format': 'JSON' }), {
      tableExists: false,
      sourceBytes: 2 * GiB,
    })
    expect(choice.reason).toContain('input-format JSON is read by the stream engine only')
  })
})
