import { ActionError } from '../errors.js'
import { formatBytes } from '../words.js'
import { isImportTableFormat, type ImportTableFormat } from '../formats/input-format.js'
import type { TableInputs } from './targets.js'

export type Engine = 'native' | 'stream'

export interface ModeChoice {
  mode: Engine
  /** One sentence: the rule that decided. */
  reason: string
  /** stream: the table is missing and the engine creates it first. */
  createTable: boolean
  /**
   * A table is about to be created (by CreateTable or ImportTable) under create-table auto: look
   * for existing tables with a close name first, the sign of a typo in table.
   */
  checkNearNames: boolean
}

/** What is known before the choice: whether the table exists, and the source's stored bytes. */
export interface Situation {
  /** The table exists and is in the way: not one still CREATING, nor one an import still fills. */
  tableExists: boolean
  /** DescribeTable found the table, in whatever status; tableExists when not given. */
  tableFound?: boolean
  /** Known when auto needed it: an S3 source, a missing table, no custom endpoint. */
  sourceBytes?: number
  /**
   * input-format auto, where ImportTable could run: how the first object reads, and the
   * ImportTable format that reads it (none for plain JSON, DynamoDB JSON without the Item
   * wrapper, request items).
   */
  firstObject?: FirstObject
}

/** The first object of an S3 source as input-format auto recognised it. */
export interface FirstObject {
  url: string
  /** `a JSON array of plain documents (input-format auto: from its first bytes)` */
  readAs: string
  format: ImportTableFormat | undefined
}

/**
 * Decides which engine runs, whether the stream engine creates the table first, and whether the
 * names of existing tables are checked before a table is created. Pure, so that every rule is
 * tested without a service.
 */
export function chooseMode(inputs: TableInputs, situation: Situation): ModeChoice {
  const found = situation.tableFound ?? situation.tableExists
  // Before any engine is chosen: mode auto must not fall back on ImportTable, which creates.
  if (!found && inputs.createTable === 'false') throw missingTable(inputs)
  const choice =
    inputs.mode === 'native'
      ? nativeRequested(inputs, situation)
      : inputs.mode === 'stream'
        ? streamRequested(inputs, situation.tableExists)
        : chooseAuto(inputs, situation)
  const creates = choice.mode === 'native' || choice.createTable
  return { ...choice, checkNearNames: creates && !found && inputs.createTable === 'auto' }
}

/** create-table false and no table: where it was looked for, and the ways on. */
function missingTable(inputs: TableInputs): ActionError {
  return new ActionError(
    `Table ${inputs.table.name} does not exist${where(inputs)} and create-table is false, so the action does not create it: ` +
      'check table, region and dynamodb-endpoint, or create the table first, or set create-table: auto (the default) ' +
      'with key-schema (for example pk:S) or table-definition to have the action create it.',
  )
}

type Choice = Omit<ModeChoice, 'checkNearNames'>

/** mode: native, which ImportTable can only honour by creating a new table. */
function nativeRequested(inputs: TableInputs, situation: Situation): Choice {
  const notImportable = notForImportTable(situation.firstObject)
  if (notImportable) {
    throw new ActionError(
      `mode: native, and ${notImportable}. Set mode: stream or auto to read it with BatchWriteItem, or set input-format if the objects are in fact ${IMPORT_TABLE_FORMAT_NAMES}.`,
    )
  }
  if (situation.tableExists) {
    throw new ActionError(
      `Table ${inputs.table.name} already exists${where(inputs)}, and ImportTable only creates new tables: ` +
        'use mode: stream (or auto) to write into it, or choose a new table name.',
    )
  }
  requireCreation(inputs, 'ImportTable creates it')
  return { mode: 'native', reason: 'mode: native was requested.', createTable: false }
}

/** mode: stream, which writes into the table, or creates it first (create-table is not false). */
function streamRequested(inputs: TableInputs, tableExists: boolean): Choice {
  return streaming(inputs, tableExists, 'mode: stream was requested.')
}

/**
 * mode: auto. ImportTable runs only where it can: a new table, one job, an S3 source on AWS; and
 * only when the source is big enough to be worth its minutes of start-up.
 */
function chooseAuto(inputs: TableInputs, situation: Situation): Choice {
  const reason = streamOnlyReason(inputs, situation.tableExists, situation.firstObject)
  if (reason !== undefined) return streaming(inputs, situation.tableExists, reason)
  return chooseBySize(inputs, situation.sourceBytes ?? 0)
}

/** The first auto rule that leaves only the stream engine, as the reason; undefined when none. */
function streamOnlyReason(
  inputs: TableInputs,
  tableExists: boolean,
  firstObject: FirstObject | undefined,
): string | undefined {
  const table = inputs.table.name
  if (inputs.dynamodbEndpoint) {
    return 'dynamodb-endpoint is set, and emulators such as DynamoDB Local have no ImportTable, so the stream engine writes with BatchWriteItem.'
  }
  if (tableExists) {
    return `Table ${table} exists, and ImportTable only creates new tables, so the stream engine writes into it with BatchWriteItem.`
  }
  const notImportable = notForImportTable(firstObject)
  if (notImportable) {
    return `Table ${table} does not exist, and ${notImportable}, so the stream engine creates the table and writes with BatchWriteItem.`
  }
  if (inputs.definition?.extras?.LocalSecondaryIndexes?.length) {
    return `Table ${table} does not exist, and ${inputs.definition.source} gives it local secondary indexes, which ImportTable cannot create (nor can any table get one later), so the stream engine creates the table and writes with BatchWriteItem.`
  }
  if (inputs.format !== 'auto' && !isImportTableFormat(inputs.format)) {
    const verb = tableExists ? 'writes into it' : 'creates the table and writes'
    return `input-format ${inputs.format} is read by the stream engine only (ImportTable takes DYNAMODB_JSON, ION or CSV), so the stream engine ${verb} with BatchWriteItem.`
  }
  if ((inputs.shard?.count ?? 1) > 1) {
    return `Table ${table} does not exist, and shard splits the objects over several jobs, which ImportTable cannot, so the stream engine creates the table and writes with BatchWriteItem.`
  }
  if (inputs.source.kind === 'local') {
    return `Table ${table} does not exist, and the source is a workspace path, which ImportTable cannot read, so the stream engine creates the table and writes with BatchWriteItem.`
  }
  return undefined
}

/** A missing table and an S3 source: ImportTable from native-min-bytes on, else the stream engine. */
function chooseBySize(inputs: TableInputs, bytes: number): Choice {
  const table = inputs.table.name
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

const IMPORT_TABLE_FORMAT_NAMES =
  'DYNAMODB_JSON (DynamoDB JSON lines with the Item wrapper), ION or CSV'

/** Why ImportTable cannot read the first object, or undefined when it can (or it is unknown). */
function notForImportTable(firstObject: FirstObject | undefined): string | undefined {
  if (!firstObject || firstObject.format !== undefined) return undefined
  return `the first object, ${firstObject.url}, reads as ${firstObject.readAs}, which ImportTable cannot take (it takes ${IMPORT_TABLE_FORMAT_NAMES})`
}

function streaming(inputs: TableInputs, tableExists: boolean, reason: string): Choice {
  if (!tableExists) requireCreation(inputs, 'the action can create it')
  return { mode: 'stream', reason, createTable: !tableExists }
}

function requireCreation(inputs: TableInputs, purpose: string): void {
  if (inputs.tableCreation) return
  throw new ActionError(
    `Table ${inputs.table.name} does not exist${where(inputs)}, and neither key-schema nor ` +
      `table-definition says how to create it: set key-schema (for example pk:S or pk:S,sk:N) or table-definition so that ${purpose}.`,
  )
}

/** ` (region …, endpoint …)`: where the table was looked for, for messages; '' when neither is set. */
export function where(inputs: TableInputs): string {
  const known = [
    inputs.region && `region ${inputs.region}`,
    inputs.dynamodbEndpoint && `endpoint ${inputs.dynamodbEndpoint}`,
  ].filter(Boolean)
  return known.length > 0 ? ` (${known.join(', ')})` : ''
}
