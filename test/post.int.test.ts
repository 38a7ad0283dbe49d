// runPost in this process against DynamoDB Local, with the state a main step saved: the tables
// it names are deleted, a table it does not name is untouched, and the log says which.
import { describe, expect, it, vi } from 'vitest'
import { runPost } from '../src/post.js'
import {
  describedTable,
  localInputs,
  tableWith,
  useRunner,
  virtualClock,
  type Runner,
} from './support/helpers.js'

/** The post step with delete-created-tables true, for a step that created `created`. */
async function post(created: Array<{ name: string; arn?: string }>): Promise<Runner> {
  const runner = useRunner({
    ...localInputs(),
    table: 'unused',
    source: 'unused.json',
    'delete-created-tables': 'true',
  })
  vi.stubEnv('STATE_createdTables', JSON.stringify(created))
  await runPost(virtualClock())
  return runner
}

describe('runPost with delete-created-tables true', () => {
  it('deletes the tables the step created, and only those', async () => {
    const [first, second, untouched] = await Promise.all([
      tableWith('S'),
      tableWith('S', 'N'),
      tableWith('S'),
    ])
    const runner = await post([
      { name: first, arn: `arn:aws:dynamodb:ddblocal:000000000000:table/${first}` },
      { name: second },
    ])
    expect(process.exitCode).toBeUndefined()
    expect(runner.stdout()).toContain(
      `delete-created-tables: deleting what this step created, 2 tables: ${first}, ${second}.\n`,
    )
    expect(runner.stdout()).toContain(`Deleted table ${first} (created by this step).\n`)
    expect(runner.stdout()).toContain(`Deleted table ${second} (created by this step).\n`)
    expect((await describedTable(first)) !== undefined).toBe(false)
    expect((await describedTable(second)) !== undefined).toBe(false)
    expect((await describedTable(untouched)) !== undefined).toBe(true)
  })

  it('fails the post step for a table it may not delete, after deleting the others', async () => {
    const [mine, notMine] = await Promise.all([tableWith('S'), tableWith('S')])
    // The same name, but not the table this step created (another account's, say).
    const runner = await post([
      { name: notMine, arn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${notMine}` },
      { name: mine },
    ])
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain(
      `::error::Could not delete table ${notMine}, which this step created: the table ${notMine} that these credentials and this region reach is arn:aws:dynamodb:ddblocal:000000000000:table/${notMine}, not arn:aws:dynamodb:eu-west-1:123456789012:table/${notMine}`,
    )
    expect((await describedTable(notMine)) !== undefined).toBe(true)
    expect((await describedTable(mine)) !== undefined).toBe(false)
  })
})
