/**
 * The tables one step loads. Usually the one the `table` input names; without it, the tables the
 * files name: a NoSQL Workbench model's, a request-items file's, a template's. Each table gets its
 * own objects (those that hold its data) and how to create it when it is missing.
 */
import * as core from '@actions/core'
import { ActionError } from '../errors.js'
import { tablesInObject, type TablesInObject } from '../formats/tables-in-object.js'
import { billingWarning } from '../formats/workbench.js'
import type { Inputs, TableRef } from '../inputs.js'
import { shownName, type Source, type SourceObject } from '../sources/source.js'
import type { DefinedTable } from '../table/definitions.js'
import { counted } from '../words.js'
import { nearNames } from './near-names.js'

/** The input-formats whose files name the tables their data is for. */
const FORMATS_NAMING_TABLES: readonly string[] = ['REQUEST_ITEMS', 'NOSQL_WORKBENCH']

/**
 * The inputs as one table's start step reads them: the table is known, and its definition when
 * it came from a file (a template's extras, TTL and warnings go with it).
 */
export type TableInputs = Inputs & { table: TableRef; definition?: DefinedTable }

/** What one object says of the tables its data is for. */
export interface ObjectTables {
  object: SourceObject
  /** The tables it names, in file order; none for the formats that name no table. */
  names: string[]
  /** The tables it defines (a NoSQL Workbench model's). */
  definitions?: DefinedTable[]
}

/** One table of the step: its name, its data, and how it is created when missing. */
export interface TableTarget {
  table: TableRef
  objects: SourceObject[]
  /**
   * The table as multi-table files name it, whose records are this table's; undefined: every
   * record of the objects (one table's files, or a file whose one table is loaded into `table`).
   */
  fileTable?: string
  definition?: DefinedTable
  /** The start step read its objects for the tables they name: the engine need not again. */
  tablesRead?: boolean
}

/**
 * The step's tables: the objects are read ahead for the tables they name where that can matter
 * (no `table`, a format that names tables, a workspace source or a small prefix under auto).
 */
export async function tableTargets(
  inputs: Inputs,
  source: Source,
  objects: SourceObject[],
): Promise<TableTarget[]> {
  // Under auto with `table` an S3 prefix is one table's data: its objects are read once, by
  // the engine, which routes a file naming several tables itself (stream/read.ts).
  const readAhead =
    !inputs.table ||
    FORMATS_NAMING_TABLES.includes(inputs.format) ||
    (inputs.format === 'auto' && inputs.source.kind === 'local')
  const found: ObjectTables[] = []
  for (const object of objects) {
    const tables = readAhead ? await namedIn(source, object, inputs) : { kind: 'none' as const }
    if (tables.kind === 'request-items') found.push({ object, names: tables.names })
    else if (tables.kind === 'workbench') {
      found.push({
        object,
        names: tables.tables.map((t) => t.name),
        definitions: tables.tables.map((t) => {
          const billing = billingWarning(shownName(object), t, inputs.billingMode)
          return {
            name: t.name,
            creation: t.parameters,
            warnings: billing ? [billing] : [],
            source: `the NoSQL Workbench model ${shownName(object)}`,
          }
        }),
      })
    } else found.push({ object, names: [] })
  }
  const { tableCreation: creation, definitions = [] } = inputs
  // A template's table named by its logical id is created under its TableName.
  const byId = inputs.table && definitions[0]?.logicalId === inputs.table.name
  const table =
    byId && definitions[0] ? { id: definitions[0].name, name: definitions[0].name } : inputs.table
  // With `table`, table-definition gave its one table; key-schema is a definition too.
  const given =
    table && creation
      ? (definitions[0] ?? {
          name: table.name,
          creation,
          warnings: [],
          source: inputs.tableCreationSource ?? 'key-schema',
        })
      : undefined
  const assigned = assignTables(table, given, table ? [] : definitions, found)
  const targets = readAhead ? assigned.map((t) => ({ ...t, tablesRead: true })) : assigned
  const picked = table && targets[0]?.fileTable
  const [only] = namesInOrder(found)
  if (table && !picked && only !== undefined && only !== table.name) {
    core.info(`${only} in the file → table ${table.name}`)
  }
  if (picked) {
    for (const { object, names } of found) {
      const others = names.filter((n) => n !== picked)
      if (others.length === 0 || others.length === names.length) continue
      core.info(
        `${shownName(object)} names ${names.length} tables (${names.map((n) => JSON.stringify(n)).join(', ')}): ` +
          `only ${picked}, the table input, is loaded; ${others.map((n) => JSON.stringify(n)).join(', ')} skipped`,
      )
    }
  }
  return targets
}

/**
 * The tables an object names. A read that fails here (a cut or corrupt object) is the engine's
 * to report, at its place, as for any other object; a model that is not valid fails the step.
 */
async function namedIn(
  source: Source,
  object: SourceObject,
  inputs: Inputs,
): Promise<TablesInObject> {
  try {
    return await tablesInObject(source, object, inputs, inputs.billingMode)
  } catch (err) {
    if (err instanceof ActionError) throw err
    return { kind: 'none' }
  }
}

/**
 * The tables of the step, in the order the files name them and then the definitions' order (a
 * template's tables that no file holds data for are created empty: the application needs them).
 * With `table`, only that table: a file naming one table is loaded into it, as today; of a file
 * naming several, its records. Pure: the objects were read for their names by the caller.
 */
export function assignTables(
  table: TableRef | undefined,
  given: DefinedTable | undefined,
  templateTables: readonly DefinedTable[],
  objects: readonly ObjectTables[],
): TableTarget[] {
  const named = namesInOrder(objects)
  const unnamed = objects.filter((o) => o.names.length === 0).map((o) => o.object)
  const modelled = objects.flatMap((o) => o.definitions ?? [])
  if (table) return [oneTable(table, given, modelled, named, objects, unnamed)]
  const targets: TableTarget[] = named.map((name) => {
    const definition = matching(templateTables, name) ?? modelled.find((d) => d.name === name)
    const actual = definition?.name ?? name
    return {
      table: { id: actual, name: actual },
      objects: objects.filter((o) => o.names.includes(name)).map((o) => o.object),
      fileTable: name,
      ...(definition && { definition }),
    }
  })
  for (const definition of templateTables) {
    if (targets.some((t) => t.definition === definition)) continue
    targets.push({ table: { id: definition.name, name: definition.name }, objects: [], definition })
  }
  return withUnnamed(targets, unnamed, objects.length)
}

/** The one table `table` names, and its part of the data. */
function oneTable(
  table: TableRef,
  given: DefinedTable | undefined,
  modelled: readonly DefinedTable[],
  named: string[],
  objects: readonly ObjectTables[],
  unnamed: SourceObject[],
): TableTarget {
  if (named.length <= 1) {
    // One table's files: loaded into `table` whatever name they give it (a copy for another stage).
    const model = modelled.length === 1 ? modelled[0] : undefined
    const definition =
      given ??
      (model && {
        ...model,
        name: table.name,
        creation: { ...model.creation, TableName: table.name },
      })
    return { table, objects: objects.map((o) => o.object), ...(definition && { definition }) }
  }
  const fileTable = named.find((name) => name === table.name)
  if (fileTable === undefined) {
    const [near] = nearNames(table.name, named)
    throw new ActionError(
      `table: expected one of the ${named.length} tables the source names (${named.join(', ')}), got "${table.name}"` +
        `${near ? ` (did you mean ${near}?)` : ''}: give one of them, or leave table out to load every one.`,
    )
  }
  const definition = given ?? modelled.find((d) => d.name === fileTable)
  return {
    table,
    objects: [
      ...objects.filter((o) => o.names.includes(fileTable)).map((o) => o.object),
      ...unnamed,
    ],
    fileTable,
    ...(definition && { definition }),
  }
}

/** A template's table that the files name by its TableName or its logical id. */
function matching(definitions: readonly DefinedTable[], name: string): DefinedTable | undefined {
  return definitions.find((d) => d.name === name) ?? definitions.find((d) => d.logicalId === name)
}

/** Every name the objects give, once, in the order of the objects and then of each file. */
function namesInOrder(objects: readonly ObjectTables[]): string[] {
  const names: string[] = []
  for (const o of objects) for (const name of o.names) if (!names.includes(name)) names.push(name)
  return names
}

/**
 * The objects that name no table (CSV, JSON, DynamoDB JSON): they belong to the step's one table.
 * With several tables, which one is the user's to say.
 */
function withUnnamed(
  targets: TableTarget[],
  unnamed: SourceObject[],
  objectCount: number,
): TableTarget[] {
  if (targets.length === 0) {
    throw new ActionError(
      objectCount === 0
        ? 'table: is required: the source holds no object that names a table, and table-definition defines none.'
        : `table: is required: ${objectCount === 1 ? 'the one object of the source names' : `the ${objectCount} objects of the source name`} no table (only a NoSQL Workbench model, a request-items file and a CloudFormation or SAM template in table-definition do). Give the table to load.`,
    )
  }
  if (unnamed.length === 0) return targets
  const first = targets[0]
  if (targets.length === 1 && first) return [{ ...first, objects: [...first.objects, ...unnamed] }]
  const shown = unnamed.slice(0, 3).map(shownName)
  throw new ActionError(
    `table: is required: ${counted(unnamed.length, 'object')} of the source (${shown.join(', ')}${unnamed.length > 3 ? ', …' : ''}) ` +
      `${unnamed.length === 1 ? 'names' : 'name'} no table, and the step loads ${targets.length} (${targets.map((t) => t.table.name).join(', ')}): ` +
      'give table to say which one they are for, or load them in a step of their own.',
  )
}
