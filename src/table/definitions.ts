/**
 * The one reader of a table-definition file: our own shape (definition.ts, one table) or a
 * CloudFormation or SAM template (template.ts, every table it defines), each table given as what
 * CreateTable needs, what ImportTable can take, and what is left for after the creation (TTL)
 * or for a warning (what this action does not apply).
 */
import type {
  CreateTableCommandInput,
  KeySchemaElement,
  TableCreationParameters,
  TableDescription,
} from '@aws-sdk/client-dynamodb'
import { parseDocument } from 'yaml'
import { isJsonObject } from '../json.js'
import { Input } from '../names.js'
import { parseTableDefinition, type BillingMode } from './definition.js'
import {
  forImportTable,
  matchTemplateTable,
  parseTemplate,
  type TemplateNames,
  type TemplateTable,
} from './template.js'

/** A parameter's or pseudo parameter's name: `Stage`, `AWS::StackName`. */
const PARAMETER_NAME = /^(AWS::)?[A-Za-z0-9]+$/
/** DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-]. */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/
/** The pseudo parameter that names the region, given the action's own unless the input sets it. */
const REGION_PARAMETER = 'AWS::Region'

/** One table of a table-definition file, ready to create. */
export interface DefinedTable {
  /** TableName as resolved; for our own shape, the table input's name (or the file's TableName). */
  name: string
  /** A template's resource key. */
  logicalId?: string
  /** For CreateTable (with `extras`) and for ImportTable's TableCreationParameters. */
  creation: TableCreationParameters
  /**
   * CreateTable members beyond TableCreationParameters: LocalSecondaryIndexes,
   * StreamSpecification, Tags, TableClass, DeletionProtectionEnabled.
   */
  extras?: Partial<CreateTableCommandInput>
  /** Time to live, turned on with UpdateTimeToLive once the table is ACTIVE. */
  ttl?: { attribute: string }
  /** What this action does not apply, worded for a core.warning. */
  warnings: string[]
  /** Where it comes from, for messages: `table-definition infra/template.yaml (OrdersTable)`. */
  source: string
}

export interface DefinitionOptions {
  /** The table input, when given: the one table to take from the file. */
  table?: string
  /** Values for the template's parameters (the template-parameters input). */
  names: TemplateNames
  /**
   * The billing-mode input. Not used: a table-definition file says its own billing (our shape
   * PAY_PER_REQUEST when it says none, a template CloudFormation's PROVISIONED), as the README
   * says table-definition overrides billing-mode.
   */
  billingMode: BillingMode
  /** The action's region: the value of AWS::Region unless `names` gives one. */
  region?: string
}

export type DefinitionResult =
  { ok: true; tables: DefinedTable[] } | { ok: false; problems: string[] }

/**
 * Reads a table-definition file. A template gives every table it defines, or with `table` only
 * the one it names (by TableName or logical id). Our own shape gives one table, named by the table
 * input, or without it by the file's TableName. `file` is the path as the user gave it; `text`
 * its content (the caller reads the file). Every problem is collected, none is an item value.
 */
export function readDefinitionFile(
  file: string,
  text: string,
  options: DefinitionOptions,
): DefinitionResult {
  const names =
    options.region === undefined || options.names[REGION_PARAMETER] !== undefined
      ? options.names
      : { ...options.names, [REGION_PARAMETER]: options.region }
  const result = read(file, text, options.table, names)
  if (!result.ok) return result
  const problems = result.tables
    .filter((t) => !TABLE_NAME.test(t.name))
    .map((t) => {
      const path = t.logicalId === undefined ? '' : `Resources.${t.logicalId}.Properties.`
      return (
        `${Input.TableDefinition} (${file}): ${path}TableName: expected a table name (3-255 ` +
        `characters of a-z A-Z 0-9 _ . -), got ${JSON.stringify(t.name)}`
      )
    })
  return problems.length > 0 ? { ok: false, problems } : result
}

function read(
  file: string,
  text: string,
  table: string | undefined,
  names: TemplateNames,
): DefinitionResult {
  const template = parseTemplate(file, text, names)
  if (template.kind === 'not-a-template') return readOwnShape(file, text, table)
  if (table !== undefined) {
    const match = matchTemplateTable(file, template.tables, table)
    // Problems of the other tables do not matter then; the requested one may be among them.
    if (match.ok) return { ok: true, tables: [fromTemplate(file, match.table)] }
    return { ok: false, problems: [...template.problems, match.problem] }
  }
  if (template.problems.length > 0) return { ok: false, problems: template.problems }
  return { ok: true, tables: template.tables.map((t) => fromTemplate(file, t)) }
}

function fromTemplate(file: string, table: TemplateTable): DefinedTable {
  const { parameters } = forImportTable(table)
  const { LocalSecondaryIndexes, StreamSpecification, Tags, TableClass } = table.create
  const protection = table.create.DeletionProtectionEnabled
  const extras: Partial<CreateTableCommandInput> = {
    ...(LocalSecondaryIndexes && { LocalSecondaryIndexes }),
    ...(StreamSpecification && { StreamSpecification }),
    ...(Tags && { Tags }),
    ...(TableClass && { TableClass }),
    ...(protection !== undefined && { DeletionProtectionEnabled: protection }),
  }
  const source = `${Input.TableDefinition} ${file} (${table.logicalId})`
  return {
    name: table.tableName,
    logicalId: table.logicalId,
    creation: parameters,
    ...(Object.keys(extras).length > 0 && { extras }),
    ...(table.ttl && { ttl: table.ttl }),
    warnings: (table.unsupportedHere ?? []).map((entry) => notApplied(source, entry)),
    source,
  }
}

/** `Field: what to do` as a warning: `<source>: Field is not applied (what to do).` */
function notApplied(source: string, entry: string): string {
  const colon = entry.indexOf(': ')
  const field = entry.slice(0, colon)
  const why = entry.slice(colon + 2)
  return `${source}: ${field} is not applied by this action (${why}).`
}

/** Our own shape: one table, named by the table input or else by the file's TableName. */
function readOwnShape(file: string, text: string, table: string | undefined): DefinitionResult {
  const source = `${Input.TableDefinition} ${file}`
  const one = (name: string, parameters: TableCreationParameters): DefinitionResult => ({
    ok: true,
    tables: [{ name, creation: parameters, warnings: [], source }],
  })
  if (table !== undefined) {
    const parsed = parseTableDefinition(file, text, table)
    return parsed.ok ? one(table, parsed.parameters) : parsed
  }
  // The checks run under a stand-in name when the file names no table, so that its other
  // problems show in the same run; only the TableName problem could show the stand-in.
  const standIn = '-'
  const top = topLevel(text)
  const named = top?.['TableName']
  const name = typeof named === 'string' && named !== '' ? named : undefined
  const parsed = parseTableDefinition(file, text, name ?? standIn)
  if (top === undefined || (name !== undefined && !TABLE_NAME.test(name))) {
    // A file that does not parse says so; a bad TableName is named by the check of every table.
    return parsed.ok ? one(name ?? standIn, parsed.parameters) : parsed
  }
  if (name !== undefined) return parsed.ok ? one(name, parsed.parameters) : parsed
  const namePrefix = `${Input.TableDefinition} (${file}): TableName:`
  const others = parsed.ok ? [] : parsed.problems.filter((p) => !p.startsWith(namePrefix))
  return {
    ok: false,
    problems: [
      `${namePrefix} expected the name of the table to create, got ` +
        `${named === undefined ? 'nothing' : JSON.stringify(named)} ` +
        `(give the ${Input.Table} input, or TableName in the file)`,
      ...others,
    ],
  }
}

function topLevel(text: string): Record<string, unknown> | undefined {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) return undefined
  let value: unknown
  try {
    value = doc.toJS()
  } catch {
    return undefined
  }
  return isJsonObject(value) ? value : undefined
}

/**
 * CreateTable's input for a table: its creation parameters and the extras only CreateTable takes.
 */
export function createTableInput(defined: DefinedTable): CreateTableCommandInput {
  return { ...defined.creation, ...defined.extras, TableName: defined.name }
}

/**
 * The table as DescribeTable will show it once created, for what records are checked against
 * before it exists (a dry run, or the plan): its keys and the keys of its global and local
 * secondary indexes, whose attributes an item must give with the defined type.
 */
export function plannedDescription(defined: DefinedTable): TableDescription {
  const keysOf = (
    indexes: Array<{ IndexName: string | undefined; KeySchema: KeySchemaElement[] | undefined }>,
  ) => indexes.map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema }))
  const globals = defined.creation.GlobalSecondaryIndexes
  const locals = defined.extras?.LocalSecondaryIndexes
  return {
    TableName: defined.name,
    AttributeDefinitions: defined.creation.AttributeDefinitions ?? [],
    KeySchema: defined.creation.KeySchema ?? [],
    ...(globals && { GlobalSecondaryIndexes: keysOf(globals) }),
    ...(locals && { LocalSecondaryIndexes: keysOf(locals) }),
  }
}

/**
 * For the native engine (ImportTable creates the table): its TableCreationParameters, and a
 * warning for each extra ImportTable cannot take (stream, tags, table class, deletion protection,
 * TTL: each can be added after the import). Local secondary indexes are refused: no table can get
 * one after it is created, so ImportTable would make a table the template does not describe.
 */
export function forNativeImport(
  defined: DefinedTable,
):
  | { ok: true; parameters: TableCreationParameters; warnings: string[] }
  | { ok: false; problem: string } {
  const { notByImportTable } = forImportTable({
    logicalId: defined.logicalId ?? defined.name,
    tableName: defined.name,
    create: createTableInput(defined),
  })
  const refused = notByImportTable.find((entry) => entry.startsWith('LocalSecondaryIndexes:'))
  if (refused !== undefined) {
    return {
      ok: false,
      problem: `${Input.Mode}: native cannot create table ${defined.name} of ${defined.source}: ${refused}`,
    }
  }
  const warnings = notByImportTable.map((entry) => notApplied(defined.source, entry))
  if (defined.ttl) {
    warnings.push(
      notApplied(
        defined.source,
        `TimeToLiveSpecification: ImportTable cannot set it; turn it on after the import with ` +
          `UpdateTimeToLive (attribute ${defined.ttl.attribute})`,
      ),
    )
  }
  return { ok: true, parameters: { ...defined.creation, TableName: defined.name }, warnings }
}

/**
 * The template-parameters input: `Name=value` pairs separated by commas, or one per line (then a
 * value may hold commas). Returns the names, or the problem, worded as the other inputs' are.
 */
export function parseTemplateParameters(value: string): TemplateNames | string {
  const expected =
    'Name=value pairs, separated by commas or one per line (such as Stage=test,AWS::StackName=ci)'
  const problem = (why: string) =>
    `${Input.TemplateParameters}: expected ${expected}, got ${JSON.stringify(value)}: ${why}`
  const entries = (value.includes('\n') ? value.split(/\r?\n/) : value.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  const names: Record<string, string> = {}
  for (const entry of entries) {
    const equals = entry.indexOf('=')
    if (equals < 0) return problem(`${JSON.stringify(entry)} has no =`)
    const name = entry.slice(0, equals).trim()
    if (!PARAMETER_NAME.test(name)) {
      return problem(
        `${JSON.stringify(name)} is not a parameter name (letters and digits, or AWS:: and a ` +
          'pseudo parameter such as AWS::StackName)',
      )
    }
    if (Object.hasOwn(names, name)) return problem(`${name} is given twice`)
    names[name] = entry.slice(equals + 1).trim()
  }
  return names
}
