import { ActionError } from '../errors.js'
import type { Inputs } from '../inputs.js'

export type Engine = 'native' | 'stream'

export interface ModeChoice {
  mode: Engine
  /** One sentence: the rule that decided. */
  reason: string
  /** stream: the table is missing and the engine creates it first. */
  createTable: boolean
}

/** What is known before the choice: whether the table exists, and the source's stored bytes. */
export interface Situation {
  tableExists: boolean
  /** Known when auto needed it: an S3 source, a missing table, no custom endpoint. */
  sourceBytes?: number
}

/**
 * Decides which engine runs, and whether the stream engine creates the table first. Pure, so that
 * every rule is tested without a service.
 */
export function chooseMode(inputs: Inputs, situation: Situation): ModeChoice {
  const table = inputs.table.name
  const { tableExists } = situation
  if (inputs.mode === 'native') {
    if (tableExists) {
      throw new ActionError(
        `Table ${table} already exists${where(inputs)}, and ImportTable only creates new tables: ` +
          'use mode: stream (or auto) to write into it, or choose a new table name.',
      )
    }
    requireCreation(inputs, 'ImportTable creates it')
    return { mode: 'native', reason: 'mode: native was requested.', createTable: false }
  }
  if (inputs.mode === 'stream') {
    if (!tableExists && !inputs.createTable) {
      throw new ActionError(
        `Table ${table} does not exist${where(inputs)}. Create it first, or set create-table: true ` +
          'and key-schema (for example pk:S) or table-definition so that the action creates it.',
      )
    }
    return streaming(inputs, tableExists, 'mode: stream was requested.')
  }
  if (inputs.dynamodbEndpoint) {
    return streaming(
      inputs,
      tableExists,
      'dynamodb-endpoint is set, and emulators such as DynamoDB Local have no ImportTable, so the stream engine writes with BatchWriteItem.',
    )
  }
  if (tableExists) {
    return streaming(
      inputs,
      true,
      `Table ${table} exists, and ImportTable only creates new tables, so the stream engine writes into it with BatchWriteItem.`,
    )
  }
  if ((inputs.shard?.count ?? 1) > 1) {
    return streaming(
      inputs,
      false,
      `Table ${table} does not exist, and shard splits the objects over several jobs, which ImportTable cannot, so the stream engine creates the table and writes with BatchWriteItem.`,
    )
  }
  if (inputs.source.kind === 'local') {
    return streaming(
      inputs,
      false,
      `Table ${table} does not exist, and the source is a workspace path, which ImportTable cannot read, so the stream engine creates the table and writes with BatchWriteItem.`,
    )
  }
  const bytes = situation.sourceBytes ?? 0
  const size = `${formatBytes(bytes)} (native-min-bytes is ${formatBytes(inputs.nativeMinBytes)})`
  if (bytes >= inputs.nativeMinBytes) {
    requireCreation(inputs, 'ImportTable creates it')
    return {
      mode: 'native',
      reason: `Table ${table} does not exist and the source holds ${size}, so ImportTable creates and loads it, using no write capacity.`,
      createTable: false,
    }
  }
  return streaming(
    inputs,
    false,
    `Table ${table} does not exist and the source holds only ${size}, so the stream engine creates the table and writes with BatchWriteItem, sooner than ImportTable's minutes of start-up.`,
  )
}

function streaming(inputs: Inputs, tableExists: boolean, reason: string): ModeChoice {
  if (!tableExists) requireCreation(inputs, 'the action can create it')
  return { mode: 'stream', reason, createTable: !tableExists }
}

function requireCreation(inputs: Inputs, purpose: string): void {
  if (inputs.tableCreation) return
  throw new ActionError(
    `Table ${inputs.table.name} does not exist${where(inputs)}, and neither key-schema nor ` +
      `table-definition says how to create it: set key-schema (for example pk:S or pk:S,sk:N) or table-definition so that ${purpose}.`,
  )
}

function where(inputs: Inputs): string {
  const known = [
    inputs.region && `region ${inputs.region}`,
    inputs.dynamodbEndpoint && `endpoint ${inputs.dynamodbEndpoint}`,
  ].filter(Boolean)
  return known.length > 0 ? ` (${known.join(', ')})` : ''
}

/** 1536 → "1.5 KiB": sizes in messages people read. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`
}
