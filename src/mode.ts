import type { Inputs } from './inputs.js'
import { ActionError } from './errors.js'

export interface ModeChoice {
  mode: 'stream'
  /** One sentence: the rule that decided. */
  reason: string
  /** The table is missing and the engine creates it first. */
  createTable: boolean
}

/**
 * Decides which engine runs, and whether the table is created first, from the inputs and
 * whether the table exists. Pure, so every rule is tested without a service.
 */
export function chooseMode(inputs: Inputs, tableExists: boolean): ModeChoice {
  const table = inputs.table.name
  if (inputs.mode === 'stream') {
    if (!tableExists && !inputs.createTable) {
      throw new ActionError(
        `Table ${table} does not exist${where(inputs)}. Create it first, or set create-table: true ` +
          'and key-schema (for example pk:S) so that the action creates it.',
      )
    }
    return creating(inputs, tableExists, 'mode: stream was requested.')
  }
  if (inputs.dynamodbEndpoint) {
    return creating(
      inputs,
      tableExists,
      `dynamodb-endpoint is set, and emulators such as DynamoDB Local have no ImportTable, so the stream engine writes with BatchWriteItem.`,
    )
  }
  if (tableExists) {
    return {
      mode: 'stream',
      reason: `Table ${table} exists, and ImportTable only creates new tables, so the stream engine writes into it with BatchWriteItem.`,
      createTable: false,
    }
  }
  return creating(
    inputs,
    false,
    `Table ${table} does not exist, and this version has no native engine yet, so the stream engine creates it and writes with BatchWriteItem.`,
  )
}

function creating(inputs: Inputs, tableExists: boolean, reason: string): ModeChoice {
  if (tableExists) return { mode: 'stream', reason, createTable: false }
  if (!inputs.keySchema) {
    throw new ActionError(
      `Table ${inputs.table.name} does not exist${where(inputs)}, and key-schema is empty: set ` +
        'key-schema (for example pk:S or pk:S,sk:N) so that the action can create it.',
    )
  }
  return { mode: 'stream', reason, createTable: true }
}

function where(inputs: Inputs): string {
  const parts = [
    inputs.region && `region ${inputs.region}`,
    inputs.dynamodbEndpoint && `endpoint ${inputs.dynamodbEndpoint}`,
  ]
  const known = parts.filter(Boolean)
  return known.length > 0 ? ` (${known.join(', ')})` : ''
}
