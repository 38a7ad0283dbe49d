// prepare() against DynamoDB Local: the check for close names before a table is created, what a
// created table leaves in the plan (tableCreatedFrom, for the summary's headline) and the notice.
import { describe, expect, inject, it, vi } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { createClients } from '../../src/clients.js'
import { readInputs } from '../../src/inputs.js'
import type { TablePlan } from '../../src/plan/plan.js'
import { prepare } from '../../src/plan/plan.js'
import { refuseNearNames } from '../../src/plan/set-up-table.js'
import { startFaultProxy } from '../support/fault-proxy.js'
import {
  bucketWith,
  jsonLines,
  localInputs,
  scanAll,
  tableWith,
  uniqueName,
  useRunner,
  SAMPLE_KEY_SCHEMA,
} from '../support/helpers.js'

/** The workflow commands of one kind (`notice`, `warning`) in what a run printed. */
function commands(stdout: string, kind: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith(`::${kind}`))
}

let stdout = ''

/** prepare() for `table` with these inputs, on a bucket of one small object; stdout kept. */
async function plan(table: string, given: Record<string, string> = {}) {
  const bucket = await bucketWith({ 'a.json': jsonLines([sampleItem(1)]) })
  vi.restoreAllMocks()
  const runner = useRunner({ ...localInputs(), table, source: `s3://${bucket}/`, ...given })
  const inputs = readInputs()
  const clients = createClients(inputs)
  try {
    const { tables } = await prepare(inputs, clients)
    expect(tables).toHaveLength(1)
    return tables[0] as TablePlan
  } finally {
    clients.destroy()
    stdout = runner.stdout()
  }
}

describe('prepare: creating a table', () => {
  it('creates it, with a notice, and names the creation source for the headline', async () => {
    const table = uniqueName('made')
    const made = await plan(table, { 'key-schema': SAMPLE_KEY_SCHEMA })
    expect(made.planned.tableCreatedFrom).toBe('key-schema')
    expect(made.summary).toContain('created from key-schema')
    expect(commands(stdout, 'notice')).toEqual([
      `::notice title=Table ${table} created::Created table ${table} from key-schema (pk:S,sk:N).`,
    ])
    expect(await scanAll(table)).toEqual([])
  })

  it('sets no tableCreatedFrom in a dry run, nor for a table that exists', async () => {
    const dry = await plan(uniqueName('dry'), {
      'key-schema': SAMPLE_KEY_SCHEMA,
      'dry-run': 'true',
    })
    expect(dry.planned.tableCreatedFrom).toBeUndefined()
    expect(dry.summary).toContain('it would be created from key-schema')
    expect(commands(stdout, 'notice')).toEqual([])
    const existing = await plan(await tableWith('S', 'N'), { 'key-schema': SAMPLE_KEY_SCHEMA })
    expect(existing.planned.tableCreatedFrom).toBeUndefined()
    expect(commands(stdout, 'notice')).toEqual([])
  })

  it('refuses a name close to an existing table, unless create-table is true', async () => {
    const existing = await tableWith('S', 'N', { TableName: uniqueName('orders') })
    const typo = existing.replace(/^orders-/, 'Orders_')
    await expect(plan(typo, { 'key-schema': SAMPLE_KEY_SCHEMA })).rejects.toThrow(
      `but ${existing} does: did you mean ${existing}? Fix table, or set create-table: true to create ${typo}.`,
    )
    const made = await plan(typo, { 'key-schema': SAMPLE_KEY_SCHEMA, 'create-table': 'true' })
    expect(made.planned.tableCreatedFrom).toBe('key-schema')
  })

  it("leaves the step's own tables out of the check: they are no typo of each other", async () => {
    const existing = await tableWith('S', 'N', { TableName: uniqueName('orders') })
    const sibling = existing.replace(/^orders-/, 'order-')
    vi.restoreAllMocks()
    useRunner({ ...localInputs(), table: sibling, source: 's3://bucket/p' })
    const given = readInputs()
    const inputs = { ...given, table: { id: sibling, name: sibling } }
    const clients = createClients(inputs)
    try {
      await expect(refuseNearNames(inputs, clients)).rejects.toThrow(`did you mean ${existing}?`)
      await expect(refuseNearNames(inputs, clients, [existing, sibling])).resolves.toBeUndefined()
    } finally {
      clients.destroy()
    }
  })

  it('warns and goes on when ListTables is denied; fails on any other ListTables error', async () => {
    const proxy = await startFaultProxy({ target: inject('dynamodbEndpoint'), seed: 1 })
    try {
      // The first ListTables is the wait for the endpoint: let it through.
      proxy.inject({ operation: 'ListTables', fault: { kind: 'delay', ms: 0 }, times: 1 })
      proxy.inject({
        operation: 'ListTables',
        fault: { kind: 'error', name: 'AccessDeniedException' },
      })
      const table = uniqueName('unlisted')
      const made = await plan(table, {
        'dynamodb-endpoint': proxy.endpoint,
        'key-schema': 'pk:S',
      })
      expect(made.planned.tableCreatedFrom).toBe('key-schema')
      const [warning] = commands(stdout, 'warning')
      expect(warning).toMatch(
        new RegExp(
          `^::warning::Could not look for tables with a name close to ${table} before creating it: ListTables was denied \\(AccessDeniedException: .*\\)\\. Allow dynamodb:ListTables \\(on resource \\*\\) to have a misspelt table caught before a new table is created, or set create-table: true to skip this check\\.$`,
        ),
      )

      proxy.clear()
      proxy.inject({ operation: 'ListTables', fault: { kind: 'delay', ms: 0 }, times: 1 })
      proxy.inject({
        operation: 'ListTables',
        fault: { kind: 'error', name: 'InternalServerError' },
        times: Infinity,
      })
      const other = uniqueName('unlisted')
      await expect(
        plan(other, { 'dynamodb-endpoint': proxy.endpoint, 'key-schema': 'pk:S' }),
      ).rejects.toThrow(/^ListTables/)
      await expect(scanAll(other)).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
    } finally {
      await proxy.close()
    }
  })
})
