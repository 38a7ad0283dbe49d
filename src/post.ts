/**
 * The action's post step (action.yml runs.post), at the end of the job, even a failed or
 * cancelled one: with delete-created-tables, deletes the tables the main step created (its saved
 * state, created-tables.ts), and only those; a table that existed before was never recorded. The
 * one caller of setFailed in the post step, as main.ts is in the main step.
 */
import * as core from '@actions/core'
import {
  DeleteTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { mapAtMost } from './at-most.js'
import { createClients, type Clients, type ConnectionSettings } from './clients.js'
import { realClock, type Clock } from './clock.js'
import { createdTables, type CreatedTable } from './created-tables.js'
import { ActionError, describeAwsError, errorMessage, errorName } from './errors.js'
import { readPostInputs } from './inputs.js'
import { Input } from './names.js'
import { counted } from './words.js'

/** DeleteTable usually ends in seconds: the table is looked for this often until it is gone. */
export const DELETE_POLL_MS = 2_000
/**
 * How long one table may take to go (and to leave CREATING or UPDATING before that). A table
 * whose DeleteTable was accepted and is still there after it only gets a warning: DynamoDB goes
 * on deleting it after the job.
 */
export const MAX_DELETE_WAIT_MS = 300_000
/** Tables deleted at once: a few, each of which mostly waits. */
const DELETE_CONCURRENCY = 4

/** The post step: delete the tables the main step created when delete-created-tables is true. */
export async function runPost(clock: Clock = realClock): Promise<void> {
  let clients: Clients | undefined
  try {
    const tables = createdTables()
    if (tables.length === 0) {
      core.info('This step created no table: nothing to delete.')
      return
    }
    const names = `${counted(tables.length, 'table')}: ${tables.map((t) => t.name).join(', ')}`
    const inputs = readPostInputs()
    if (!inputs.deleteCreatedTables) {
      core.info(
        `${Input.DeleteCreatedTables} is false: nothing is deleted (this step created ${names}).`,
      )
      return
    }
    core.info(`${Input.DeleteCreatedTables}: deleting what this step created, ${names}.`)
    // The post step writes no item: one socket is plenty for the write client it does not use.
    clients = createClients({ ...inputs, writeConcurrency: 1 })
    const failures = await deleteTables(tables, {
      client: clients.dynamodb,
      clock,
      cliOptions: cliOptions(inputs),
    })
    if (failures.length > 0) core.setFailed(failures.join('\n'))
  } catch (err) {
    core.setFailed(errorMessage(err))
  } finally {
    clients?.destroy()
  }
}

/** What deleting a table needs. */
export interface Deletion {
  client: DynamoDBClient
  clock: Clock
  /** ` --region … --endpoint-url …` for the AWS CLI commands a failure gives to run by hand. */
  cliOptions: string
}

/** Deletes each table, a few at a time; returns the message of each that could not be deleted. */
export async function deleteTables(tables: CreatedTable[], deletion: Deletion): Promise<string[]> {
  const failures: string[] = []
  await mapAtMost(tables, DELETE_CONCURRENCY, async (table) => {
    try {
      await deleteCreatedTable(table, deletion)
    } catch (err) {
      failures.push(errorMessage(err))
    }
  })
  return failures
}

/**
 * Deletes one table this step created and waits until it is gone. Its deletion protection, when
 * on, is turned off first: the step created the table and delete-created-tables asks for it gone
 * (a template that protects its production table must not leave a test copy behind). A table
 * already gone is no failure. Throws an ActionError naming the table, the reason, and the AWS CLI
 * commands to delete it by hand.
 */
export async function deleteCreatedTable(table: CreatedTable, deletion: Deletion): Promise<void> {
  const { name } = table
  const { client, clock } = deletion
  const deadline = clock.now() + MAX_DELETE_WAIT_MS
  let protectedTable = false
  try {
    const found = await describe(client, name)
    if (!found) return alreadyGone(name)
    if (table.arn && found.TableArn && found.TableArn !== table.arn) {
      throw new ActionError(
        `the table ${name} that these credentials and this region reach is ${found.TableArn}, not ${table.arn}, which this step created (did a later step change the credentials or the region?); it is left alone.`,
      )
    }
    if (found.DeletionProtectionEnabled) {
      protectedTable = true
      core.info(
        `Table ${name} has deletion protection on: turning it off to delete it, since this step created it and ${Input.DeleteCreatedTables} is true.`,
      )
      await client
        .send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }))
        .catch((err: unknown) => {
          throw new ActionError(describeAwsError(err, 'UpdateTable', name), { cause: err })
        })
    }
    if (!(await requestDelete(name, deletion, deadline))) return alreadyGone(name)
  } catch (err) {
    throw new ActionError(
      `Could not delete table ${name}, which this step created: ${sentence(errorMessage(err))} Delete it by hand: ${byHand(name, protectedTable, deletion.cliOptions)}`,
      { cause: err },
    )
  }
  if (await goneBy(name, deletion, deadline)) {
    core.info(`Deleted table ${name} (created by this step).`)
  } else {
    core.warning(
      `Table ${name} (created by this step) is still being deleted after ${MAX_DELETE_WAIT_MS / 1000} s: DynamoDB goes on deleting it after the job.`,
    )
  }
}

function alreadyGone(name: string): void {
  core.info(`Table ${name} (created by this step) is already gone: nothing to delete.`)
}

/**
 * Sends DeleteTable, again while the table is in use (still CREATING or UPDATING, such as just
 * after its deletion protection was turned off) until the deadline. False when it is not found.
 */
async function requestDelete(name: string, deletion: Deletion, deadline: number): Promise<boolean> {
  for (;;) {
    try {
      await deletion.client.send(new DeleteTableCommand({ TableName: name }))
      return true
    } catch (err) {
      const error = errorName(err)
      if (error === 'ResourceNotFoundException') return false
      if (error !== 'ResourceInUseException' || deletion.clock.now() >= deadline) {
        throw new ActionError(describeAwsError(err, 'DeleteTable', name), { cause: err })
      }
      await deletion.clock.sleep(DELETE_POLL_MS)
    }
  }
}

/** Whether the table is gone by the deadline, looking every DELETE_POLL_MS. */
async function goneBy(name: string, deletion: Deletion, deadline: number): Promise<boolean> {
  for (;;) {
    // Once DeleteTable is accepted the table goes in any case: a failure to look is no failure.
    const found = await describe(deletion.client, name).catch(() => ({}))
    if (!found) return true
    if (deletion.clock.now() >= deadline) return false
    await deletion.clock.sleep(DELETE_POLL_MS)
  }
}

/** The table's description, or undefined when it does not exist. */
async function describe(
  client: DynamoDBClient,
  name: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined
    throw new ActionError(describeAwsError(err, 'DescribeTable', name), { cause: err })
  }
}

/** The AWS CLI commands that delete the table by hand. */
function byHand(name: string, protectedTable: boolean, options: string): string {
  const deleteTable = `aws dynamodb delete-table --table-name ${name}${options}`
  if (!protectedTable) return deleteTable
  return `aws dynamodb update-table --table-name ${name} --no-deletion-protection-enabled${options}, then ${deleteTable}`
}

/**
 * ` --region … --endpoint-url …` as the post step connects. An endpoint's user and password, if
 * it holds any, are left out: the message goes to the log.
 */
export function cliOptions(connection: ConnectionSettings): string {
  let options = connection.region ? ` --region ${connection.region}` : ''
  if (connection.dynamodbEndpoint) {
    const url = new URL(connection.dynamodbEndpoint)
    const endpoint =
      url.username || url.password
        ? `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`
        : connection.dynamodbEndpoint
    options += ` --endpoint-url ${endpoint}`
  }
  return options
}

/** The text with a full stop at its end, for a message that goes on after it. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}
