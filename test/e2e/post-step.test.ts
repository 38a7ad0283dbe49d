// delete-created-tables: the action's post step (action.yml runs.post) deletes, at the end of the
// job, exactly the tables its main step created, never one that existed before. Each test runs
// the built action twice, as the runner does: the main step, then the post step with the same
// inputs and, as STATE_<name> variables, what the main step saved.
import { DeleteTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, inject, it } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { startFaultProxy } from '../support/fault-proxy.js'
import {
  bucketWith,
  describedTable,
  dynamodb,
  jsonLines,
  localInputs,
  runDist,
  scanAll,
  stateEnv,
  tableWith,
  uniqueName,
  SAMPLE_KEY_SCHEMA,
  type ProcessRun,
} from '../support/helpers.js'

const items = (n: number) => Array.from({ length: n }, (_, i) => sampleItem(i))

/** The main step and then its post step, with the same inputs, as the runner runs them. */
async function mainAndPost(
  inputs: Record<string, string>,
  between: () => Promise<void> = async () => {},
): Promise<{ main: ProcessRun; post: ProcessRun }> {
  const main = await runDist(inputs)
  await between()
  const post = await runDist(inputs, stateEnv(main.state))
  return { main, post }
}

/** Every line of a run's log that is not a workflow command's. */
const logLines = (run: ProcessRun) => run.stdout.split('\n').filter((l) => !l.startsWith('::'))

describe('delete-created-tables: true', () => {
  it('deletes the table the step created and never one that existed before', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(3)) })
    const existing = await tableWith('S', 'N')
    const created = uniqueName('created')
    const common = {
      ...localInputs(),
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
      'delete-created-tables': 'true',
    }

    const intoCreated = await mainAndPost({ ...common, table: created }, async () => {
      expect(await scanAll(created)).toHaveLength(3)
    })
    const intoExisting = await mainAndPost({ ...common, table: existing })

    expect(intoCreated.main.code, intoCreated.main.stdout.slice(-2000)).toBe(0)
    expect(intoCreated.post.code, intoCreated.post.stdout.slice(-2000)).toBe(0)
    expect(logLines(intoCreated.post)).toContain(`Deleted table ${created} (created by this step).`)
    // The post step imports nothing: it only deletes.
    expect(intoCreated.post.stdout).not.toContain('::group::Start')
    expect(await describedTable(created)).toBeUndefined()

    expect(intoExisting.main.code, intoExisting.main.stdout.slice(-2000)).toBe(0)
    expect(intoExisting.post.code, intoExisting.post.stdout.slice(-2000)).toBe(0)
    expect(logLines(intoExisting.post)).toContain('This step created no table: nothing to delete.')
    expect(intoExisting.post.stdout).not.toContain('Deleted table')
    expect(intoExisting.post.stdout).not.toContain('::group::Start')
    expect(await scanAll(existing)).toHaveLength(3)
  })

  it('deletes the table a failed step created (max-errors exceeded)', async () => {
    const bucket = await bucketWith({
      'a.json': jsonLines(items(2)) + '{"Item": {"pk": {"S": "no sort key"}}}\n',
    })
    const table = uniqueName('failed')
    const { main, post } = await mainAndPost({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
      'delete-created-tables': 'true',
    })
    expect(main.code, main.stdout.slice(-2000)).toBe(1)
    expect(main.outputs['error-count']).toBe('1')
    expect(post.code, post.stdout.slice(-2000)).toBe(0)
    expect(logLines(post)).toContain(`Deleted table ${table} (created by this step).`)
    expect(await describedTable(table)).toBeUndefined()
  })

  it('turns off the deletion protection of a table it created, and says so', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(1)) })
    const table = uniqueName('protected')
    // As a table-definition asking for DeletionProtectionEnabled would leave it.
    const { post } = await mainAndPost(
      {
        ...localInputs(),
        table,
        source: `s3://${bucket}/`,
        'key-schema': SAMPLE_KEY_SCHEMA,
        'delete-created-tables': 'true',
      },
      async () => {
        const client = dynamodb()
        try {
          await client.send(
            new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: true }),
          )
        } finally {
          client.destroy()
        }
        expect((await describedTable(table))?.DeletionProtectionEnabled).toBe(true)
      },
    )
    expect(post.code, post.stdout.slice(-2000)).toBe(0)
    expect(logLines(post)).toEqual(
      expect.arrayContaining([
        `Table ${table} has deletion protection on: turning it off to delete it, since this step created it and delete-created-tables is true.`,
        `Deleted table ${table} (created by this step).`,
      ]),
    )
    expect(await describedTable(table)).toBeUndefined()
  })

  it('passes when a table it created is already gone', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(1)) })
    const table = uniqueName('gone')
    const { post } = await mainAndPost(
      {
        ...localInputs(),
        table,
        source: `s3://${bucket}/`,
        'key-schema': SAMPLE_KEY_SCHEMA,
        'delete-created-tables': 'true',
      },
      async () => {
        const client = dynamodb()
        try {
          await client.send(new DeleteTableCommand({ TableName: table }))
        } finally {
          client.destroy()
        }
      },
    )
    expect(post.code, post.stdout.slice(-2000)).toBe(0)
    expect(logLines(post)).toContain(
      `Table ${table} (created by this step) is already gone: nothing to delete.`,
    )
  })

  it('fails when it cannot delete a table it created, saying how to delete it by hand', async () => {
    const proxy = await startFaultProxy({ target: inject('dynamodbEndpoint'), seed: 1 })
    try {
      const bucket = await bucketWith({ 'a.json': jsonLines(items(1)) })
      const table = uniqueName('undeletable')
      const inputs = {
        ...localInputs(),
        'dynamodb-endpoint': proxy.endpoint,
        table,
        source: `s3://${bucket}/`,
        'key-schema': SAMPLE_KEY_SCHEMA,
        'delete-created-tables': 'true',
      }
      const { main, post } = await mainAndPost(inputs, async () => {
        proxy.inject({
          operation: 'DeleteTable',
          fault: { kind: 'error', name: 'AccessDeniedException' },
          times: Infinity,
        })
      })
      expect(main.code, main.stdout.slice(-2000)).toBe(0)
      expect(post.code, post.stdout.slice(-2000)).toBe(1)
      expect(post.stdout).toContain(
        `::error::Could not delete table ${table}, which this step created: DeleteTable on ${table} was denied (AccessDeniedException): `,
      )
      expect(post.stdout).toContain(
        `The credentials need dynamodb:DeleteTable on ${table}. Delete it by hand: aws dynamodb delete-table --table-name ${table} --region us-east-1 --endpoint-url ${proxy.endpoint}`,
      )
      expect(await describedTable(table)).toBeDefined()
    } finally {
      await proxy.close()
    }
  })
})

describe('delete-created-tables: false (the default)', () => {
  it('deletes nothing, and says which tables the step created', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines(items(2)) })
    const table = uniqueName('kept')
    const { main, post } = await mainAndPost({
      ...localInputs(),
      table,
      source: `s3://${bucket}/`,
      'key-schema': SAMPLE_KEY_SCHEMA,
    })
    expect(main.code, main.stdout.slice(-2000)).toBe(0)
    expect(post.code, post.stdout.slice(-2000)).toBe(0)
    expect(logLines(post)).toContain(
      `delete-created-tables is false: nothing is deleted (this step created 1 table: ${table}).`,
    )
    expect(post.stdout).not.toContain('::group::Start')
    expect(await scanAll(table)).toHaveLength(2)
  })
})
