/**
 * Table definitions from the CloudFormation or SAM template an application already keeps: every
 * `AWS::DynamoDB::Table` and `AWS::Serverless::SimpleTable` of its Resources, as CreateTable's
 * input. The key schema, attribute definitions, billing, global indexes and SSE go through the
 * checks of our own table-definition files (definition.ts), so both shapes are held to the same
 * rules and name the same fields; what only a template has (local indexes, stream, tags, TTL,
 * deletion protection, table class) is checked here.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-simpletable.html
 */
import type {
  CreateTableCommandInput,
  LocalSecondaryIndex,
  StreamSpecification,
  TableClass,
  TableCreationParameters,
  Tag,
} from '@aws-sdk/client-dynamodb'
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import { isJsonObject, type JsonObject } from '../json.js'
import {
  CFN_YAML_TAGS,
  evaluate,
  namedCondition,
  NO_VALUE,
  type Scope,
  Unresolved,
} from './cfn-intrinsics.js'
import { parseTableDefinition } from './definition.js'

const DYNAMODB_TABLE = 'AWS::DynamoDB::Table'
const SIMPLE_TABLE = 'AWS::Serverless::SimpleTable'
/** Local secondary indexes per table [doc SQ]. */
const MAX_LOCAL_INDEXES = 5
/** Tags per resource, and the length of a key and of a value [doc tagging]. */
const MAX_TAGS = 50
const MAX_TAG_KEY_CHARS = 128
const MAX_TAG_VALUE_CHARS = 256
/** Found values longer than this are cut in messages. */
const MAX_SHOWN_CHARS = 80

const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const
const TABLE_CLASSES = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const
const SIMPLE_KEY_TYPES: Record<string, 'S' | 'N' | 'B'> = { String: 'S', Number: 'N', Binary: 'B' }

/** Properties handed to the checks of our own definition files, as they are. */
const CHECKED_AS_DEFINITION = [
  'AttributeDefinitions',
  'KeySchema',
  'BillingMode',
  'ProvisionedThroughput',
  'OnDemandThroughput',
] as const
/** Properties this module reads itself. */
const READ_HERE = [
  'TableName',
  'SSESpecification',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'StreamSpecification',
  'Tags',
  'TimeToLiveSpecification',
  'DeletionProtectionEnabled',
  'TableClass',
] as const
/** Properties a template may have that this action does not apply, each with what to do. */
const NOT_APPLIED: Record<string, string> = {
  PointInTimeRecoverySpecification: 'turn it on after creation with UpdateContinuousBackups',
  ContributorInsightsSpecification: 'turn it on after creation with UpdateContributorInsights',
  KinesisStreamSpecification: 'add it after creation with EnableKinesisStreamingDestination',
  ImportSourceSpecification: 'this action loads the data itself',
  ResourcePolicy: 'add it after creation with PutResourcePolicy',
  WarmThroughput: 'set it after creation with UpdateTable',
}
const TABLE_PROPERTIES = [...CHECKED_AS_DEFINITION, ...READ_HERE, ...Object.keys(NOT_APPLIED)]
const SIMPLE_TABLE_PROPERTIES = [
  'TableName',
  'PrimaryKey',
  'ProvisionedThroughput',
  'SSESpecification',
  'Tags',
  'PointInTimeRecoverySpecification',
]
/** Fields of a global index in a template that CreateTable's index does not take. */
const INDEX_NOT_APPLIED = ['ContributorInsightsSpecification', 'WarmThroughput']

/** One table of a template. */
export interface TemplateTable {
  /** The resource's key under Resources. */
  logicalId: string
  /** TableName as written or resolved; the logical id when the template gives none. */
  tableName: string
  /** CreateTable's input, TableName included. */
  create: CreateTableCommandInput
  /** Time to live, set with UpdateTimeToLive once the table exists (CreateTable cannot). */
  ttl?: { attribute: string }
  /** Properties of the template this action does not apply, each `Name: what to do instead`. */
  unsupportedHere?: string[]
}

/** Values for the template's parameters and pseudo parameters, e.g. `{ Stage: 'test' }`. */
export type TemplateNames = Readonly<Record<string, string>>

export type TemplateResult =
  { kind: 'not-a-template' } | { kind: 'template'; tables: TemplateTable[]; problems: string[] }

/**
 * Reads `text` as a CloudFormation or SAM template (YAML with short-form tags, or JSON): a
 * mapping whose `Resources` is a mapping. Anything else is `not-a-template`, for the caller to
 * read as a definition of our own shape (whose messages then say what is wrong with it). `file`
 * is the path as the user gave it (used in messages). Every problem of every table is collected.
 */
export function parseTemplate(
  file: string,
  text: string,
  names: TemplateNames = {},
): TemplateResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { customTags: CFN_YAML_TAGS, uniqueKeys: true, lineCounter })
  if (doc.errors.length > 0) return { kind: 'not-a-template' }
  let top: unknown
  try {
    top = doc.toJS()
  } catch {
    return { kind: 'not-a-template' }
  }
  if (!isJsonObject(top) || !isJsonObject(top['Resources'])) return { kind: 'not-a-template' }

  const prefix = `table-definition (${file}): `
  const scope: Scope = {
    names,
    parameters: section(top, 'Parameters'),
    conditions: section(top, 'Conditions'),
    mappings: section(top, 'Mappings'),
  }
  const tables: TemplateTable[] = []
  const problems: string[] = []
  const others: string[] = []
  const conditionedOut: string[] = []
  for (const [logicalId, resource] of Object.entries(top['Resources'])) {
    const type = isJsonObject(resource) ? resource['Type'] : undefined
    if (type !== DYNAMODB_TABLE && type !== SIMPLE_TABLE) {
      others.push(typeof type === 'string' ? type : '(no Type)')
      continue
    }
    const r = resource as JsonObject
    const at = new Place(`${prefix}Resources.${logicalId}`)
    if (!included(r, scope, at)) {
      problems.push(...at.problems)
      if (at.problems.length === 0) conditionedOut.push(logicalId)
      continue
    }
    const table =
      type === SIMPLE_TABLE
        ? readSimpleTable(file, logicalId, r['Properties'], scope, at)
        : readTable(file, logicalId, r['Properties'], scope, at)
    problems.push(...at.problems)
    if (table && at.problems.length === 0) tables.push(table)
  }
  if (tables.length === 0 && problems.length === 0) {
    const kinds = [...new Set(others)].join(', ')
    const found = [
      ...(conditionedOut.length > 0
        ? [`tables whose Condition is false (${conditionedOut.join(', ')})`]
        : []),
      ...(others.length > 0
        ? [`${others.length} other resource${others.length === 1 ? '' : 's'} (${kinds})`]
        : []),
    ]
    problems.push(
      `${prefix}Resources: expected at least one resource of Type ${DYNAMODB_TABLE} or ` +
        `${SIMPLE_TABLE}, got ${found.join(' and ') || 'no resources'} (give the template ` +
        'that defines the tables, or values in template-parameters that make their Condition true)',
    )
  }
  checkUniqueNames(prefix, tables, problems)
  // In the order of the file, as the user reads it (the sort is stable within a line).
  const located = problems
    .map((problem) => withLine(problem, prefix, file, doc, lineCounter))
    .sort((a, b) => a.line - b.line)
    .map((p) => p.text)
  return { kind: 'template', tables, problems: located }
}

/**
 * The problem with the line of the template it is about: `table-definition (file:12): path: ...`,
 * and that line.
 * The line is that of the field the path names, or of the nearest field around it that the
 * template has (a missing field is reported at its parent).
 */
function withLine(
  problem: string,
  prefix: string,
  file: string,
  doc: Document.Parsed,
  lineCounter: LineCounter,
): { line: number; text: string } {
  const rest = problem.slice(prefix.length)
  const end = rest.search(/:( |$)/)
  const path = end < 0 ? rest : rest.slice(0, end)
  const segments = path
    .split(/\.|(?=\[)/)
    .map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part))
  for (let n = segments.length; n > 0; n--) {
    const start = startOf(doc, segments.slice(0, n))
    if (start !== undefined) {
      const { line } = lineCounter.linePos(start)
      return { line, text: `table-definition (${file}:${line}): ${rest}` }
    }
  }
  return { line: 0, text: problem }
}

/** Where the field at `path` starts: its key in a mapping, its item in a list. */
function startOf(doc: Document.Parsed, path: Array<string | number>): number | undefined {
  const parent: unknown = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)
  const last = path[path.length - 1]
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last)
    return isNode(pair?.key) ? pair.key.range?.[0] : undefined
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item: unknown = parent.items[last]
    return isNode(item) ? item.range?.[0] : undefined
  }
  return undefined
}

/**
 * The table of the template that `requested` names: the one whose TableName it is, else the
 * one whose logical id it is. Otherwise a problem listing the tables there are.
 */
export function matchTemplateTable(
  file: string,
  tables: readonly TemplateTable[],
  requested: string,
): { ok: true; table: TemplateTable } | { ok: false; problem: string } {
  const table =
    tables.find((t) => t.tableName === requested) ?? tables.find((t) => t.logicalId === requested)
  if (table) return { ok: true, table }
  const known = tables.map((t) =>
    t.tableName === t.logicalId ? t.logicalId : `${t.tableName} (${t.logicalId})`,
  )
  return {
    ok: false,
    problem:
      `table-definition (${file}): expected a table named ${JSON.stringify(requested)} by its ` +
      `TableName or logical id, got only ${known.join(', ') || 'no tables'} (fix the table ` +
      'input, or the values in template-parameters that build TableName)',
  }
}

function section(top: JsonObject, name: string): JsonObject {
  const value = top[name]
  return isJsonObject(value) ? value : {}
}

/** Where problems of one resource are located, and the problems found there. */
class Place {
  readonly problems: string[] = []

  constructor(private readonly base: string) {}

  /** `<base>.<path>: expected <expected>, got <found>`. */
  fail(path: string, expected: string, found: string): void {
    this.problems.push(
      `${this.base}${path === '' ? '' : `.${path}`}: expected ${expected}, got ${found}`,
    )
  }

  bad(path: string, expected: string, value: unknown): void {
    this.fail(path, expected, show(value))
  }

  /** A value with its functions evaluated; undefined (and a problem) when one cannot be. */
  evaluate(path: string, value: unknown, scope: Scope): { value: unknown } | undefined {
    try {
      return { value: evaluate(value, scope) }
    } catch (err) {
      if (!(err instanceof Unresolved)) throw err
      this.unresolved(path, err)
      return undefined
    }
  }

  /** A function that cannot be evaluated, at `path`. */
  unresolved(path: string, err: Unresolved): void {
    this.problems.push(`${this.base}.${path}: ${err.why}`)
  }
}

/** False when the resource's Condition is false: CloudFormation would not create it. */
function included(resource: JsonObject, scope: Scope, at: Place): boolean {
  const name = resource['Condition']
  if (name === undefined) return true
  if (typeof name !== 'string') {
    at.bad('Condition', 'the name of a condition under Conditions', name)
    return false
  }
  try {
    return namedCondition(name, scope)
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err
    at.unresolved('Condition', err)
    return false
  }
}

/** The resource's Properties with every function evaluated, or undefined (problems recorded). */
function properties(raw: unknown, scope: Scope, at: Place, allowed: readonly string[]) {
  if (!isJsonObject(raw)) {
    at.bad('Properties', 'a mapping of the table’s properties', raw)
    return undefined
  }
  const result: JsonObject = {}
  let ok = true
  for (const [name, value] of Object.entries(raw)) {
    if (!allowed.includes(name)) {
      at.fail(`Properties.${name}`, `one of ${allowed.join(', ')}`, 'an unknown property')
      ok = false
      continue
    }
    const evaluated = at.evaluate(`Properties.${name}`, value, scope)
    if (!evaluated) ok = false
    else if (evaluated.value !== undefined && evaluated.value !== NO_VALUE) {
      result[name] = evaluated.value
    }
  }
  return ok ? result : undefined
}

function readTable(
  file: string,
  logicalId: string,
  raw: unknown,
  scope: Scope,
  at: Place,
): TemplateTable | undefined {
  const p = properties(raw, scope, at, TABLE_PROPERTIES)
  if (!p) return undefined
  const tableName = readTableName(p, logicalId, at)
  const unsupportedHere = Object.keys(NOT_APPLIED)
    .filter((name) => p[name] !== undefined && !switchedOff(p[name]))
    .map((name) => `${name}: ${NOT_APPLIED[name]}`)

  const definition: JsonObject = {}
  for (const name of CHECKED_AS_DEFINITION) {
    if (p[name] !== undefined) definition[name] = numbersIn(name, p[name])
  }
  // CloudFormation's default, unlike CreateTable's: a template without BillingMode provisions.
  const billingDefaulted = p['BillingMode'] === undefined
  if (billingDefaulted) definition['BillingMode'] = 'PROVISIONED'
  const sse = p['SSESpecification']
  if (sse !== undefined) definition['SSESpecification'] = apiSse(sse)

  const globals = Array.isArray(p['GlobalSecondaryIndexes']) ? p['GlobalSecondaryIndexes'] : []
  if (p['GlobalSecondaryIndexes'] !== undefined && !Array.isArray(p['GlobalSecondaryIndexes'])) {
    at.bad(
      'Properties.GlobalSecondaryIndexes',
      'a list of global secondary indexes',
      p['GlobalSecondaryIndexes'],
    )
  }
  const locals = readLocalIndexes(p, at)
  const indexes = [
    ...globals.map((index, i) => globalIndex(index, i, unsupportedHere)),
    // Local indexes go through the checks of global ones (name, key schema against
    // AttributeDefinitions, projection, the projected attributes limit of all indexes); a local
    // index shares the table's throughput, so it is given the table's to pass them.
    ...locals.map((index) =>
      isJsonObject(index) && definition['ProvisionedThroughput'] !== undefined
        ? { ...index, ProvisionedThroughput: definition['ProvisionedThroughput'] }
        : index,
    ),
  ]
  if (indexes.length > 0) definition['GlobalSecondaryIndexes'] = numbersIn('', indexes)

  const marker = `\u0000${logicalId}`
  // The template's own fields first, so that every problem of the table shows in one run.
  const extra: Partial<CreateTableCommandInput> = {}
  const stream = readStream(p, at, unsupportedHere)
  if (stream) extra.StreamSpecification = stream
  const tags = readTags(p['Tags'], at)
  if (tags && tags.length > 0) extra.Tags = tags
  const protection = readBoolean(
    'Properties.DeletionProtectionEnabled',
    p['DeletionProtectionEnabled'],
    at,
  )
  if (protection !== undefined) extra.DeletionProtectionEnabled = protection
  if (p['TableClass'] !== undefined) {
    const tableClass = TABLE_CLASSES.find((c) => c === p['TableClass'])
    if (tableClass === undefined) {
      at.bad('Properties.TableClass', 'STANDARD or STANDARD_INFREQUENT_ACCESS', p['TableClass'])
    } else extra.TableClass = tableClass satisfies TableClass
  }
  const ttl = readTtl(p['TimeToLiveSpecification'], at)

  const checked = parseTableDefinition(marker, JSON.stringify(definition), tableName)
  if (!checked.ok) {
    for (const problem of checked.problems) {
      at.problems.push(relocate(problem, marker, file, logicalId, globals.length, billingDefaulted))
    }
    return undefined
  }
  const parameters = checked.parameters
  const all = parameters.GlobalSecondaryIndexes ?? []
  const create: CreateTableCommandInput = { ...parameters, TableName: tableName }
  delete create.GlobalSecondaryIndexes
  if (globals.length > 0) create.GlobalSecondaryIndexes = all.slice(0, globals.length)
  const localIndexes = all.slice(globals.length).map((index): LocalSecondaryIndex => ({
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection,
  }))
  checkLocalKeys(localIndexes, parameters.KeySchema?.[0]?.AttributeName, at)
  if (localIndexes.length > 0) create.LocalSecondaryIndexes = localIndexes
  Object.assign(create, extra)
  return {
    logicalId,
    tableName,
    create,
    ...(ttl && { ttl }),
    ...(unsupportedHere.length > 0 && { unsupportedHere }),
  }
}

/**
 * A specification the template turns off (`PointInTimeRecoveryEnabled: false`, often through
 * `!If` on the stage): what the table gets anyway, so not worth a warning.
 */
function switchedOff(value: unknown): boolean {
  if (!isJsonObject(value)) return false
  const flags = Object.entries(value).filter(([field]) => /Enabled$/.test(field))
  return flags.length > 0 && flags.every(([, flag]) => booleanOf(flag) === false)
}

function readTableName(p: JsonObject, logicalId: string, at: Place): string {
  const name = p['TableName']
  if (name === undefined) return logicalId
  if (typeof name === 'string' && name !== '') return name
  at.bad('Properties.TableName', 'a table name', name)
  return logicalId
}

/**
 * A problem of definition.ts, located in the template: its prefix names the resource's
 * Properties, and paths that differ in the template are given as the template writes them.
 */
function relocate(
  problem: string,
  marker: string,
  file: string,
  logicalId: string,
  globalCount: number,
  billingDefaulted: boolean,
): string {
  let rest = problem.slice(`table-definition (${marker}): `.length)
  rest = rest.replace(/^GlobalSecondaryIndexes\[(\d+)\]/, (whole, i: string) =>
    Number(i) < globalCount ? whole : `LocalSecondaryIndexes[${Number(i) - globalCount}]`,
  )
  rest = rest.replace(/^SSESpecification\.Enabled/, 'SSESpecification.SSEEnabled')
  if (
    billingDefaulted &&
    /^(GlobalSecondaryIndexes\[\d+\]\.)?ProvisionedThroughput: .*PROVISIONED requires it/.test(rest)
  ) {
    rest +=
      ' (a template without BillingMode is PROVISIONED: set BillingMode: PAY_PER_REQUEST, or ' +
      'give ProvisionedThroughput)'
  }
  return `table-definition (${file}): Resources.${logicalId}.Properties${rest.startsWith(':') ? '' : '.'}${rest}`
}

/** CloudFormation writes units as numbers or as strings of digits; CreateTable takes numbers. */
function numbersIn(key: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => numbersIn(key, v))
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbersIn(k, v)]))
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value) && /Units$/.test(key)) return Number(value)
  return value
}

/** The template's `SSEEnabled` is CreateTable's `Enabled`. */
function apiSse(value: unknown): unknown {
  if (!isJsonObject(value)) return value
  const { SSEEnabled, ...rest } = value
  return SSEEnabled === undefined ? rest : { Enabled: booleanOf(SSEEnabled), ...rest }
}

/** A global index without the fields CreateTable's index does not take (named as unsupported). */
function globalIndex(index: unknown, i: number, unsupportedHere: string[]): unknown {
  if (!isJsonObject(index)) return index
  const result: JsonObject = {}
  for (const [field, value] of Object.entries(index)) {
    if (INDEX_NOT_APPLIED.includes(field)) {
      unsupportedHere.push(`GlobalSecondaryIndexes[${i}].${field}: ${NOT_APPLIED[field]}`)
    } else result[field] = value
  }
  return result
}

function readLocalIndexes(p: JsonObject, at: Place): unknown[] {
  const value = p['LocalSecondaryIndexes']
  if (value === undefined) return []
  const path = 'Properties.LocalSecondaryIndexes'
  if (!Array.isArray(value)) {
    at.bad(path, 'a list of local secondary indexes', value)
    return []
  }
  if (value.length > MAX_LOCAL_INDEXES) {
    at.fail(path, `at most ${MAX_LOCAL_INDEXES} local secondary indexes`, String(value.length))
  }
  value.forEach((index, i) => {
    if (isJsonObject(index) && index['ProvisionedThroughput'] !== undefined) {
      at.bad(
        `${path}[${i}].ProvisionedThroughput`,
        'no ProvisionedThroughput (a local secondary index uses the table’s)',
        index['ProvisionedThroughput'],
      )
    }
  })
  return value
}

/** A local index has the table's partition key, and a sort key of its own. */
function checkLocalKeys(indexes: LocalSecondaryIndex[], hashKey: string | undefined, at: Place) {
  indexes.forEach((index, i) => {
    const path = `Properties.LocalSecondaryIndexes[${i}].KeySchema`
    const [hash, range] = index.KeySchema ?? []
    if (hash?.AttributeName !== hashKey) {
      at.bad(
        `${path}[0].AttributeName`,
        `the table’s HASH key ${JSON.stringify(hashKey)}`,
        hash?.AttributeName,
      )
    }
    if (range === undefined) {
      at.fail(path, 'HASH and RANGE (a local secondary index has a sort key)', 'HASH only')
    }
  })
}

function readStream(
  p: JsonObject,
  at: Place,
  unsupportedHere: string[],
): StreamSpecification | undefined {
  const value = p['StreamSpecification']
  if (value === undefined) return undefined
  const path = 'Properties.StreamSpecification'
  if (!isJsonObject(value)) {
    at.bad(path, '{StreamViewType}', value)
    return undefined
  }
  if (value['ResourcePolicy'] !== undefined) {
    unsupportedHere.push(`StreamSpecification.ResourcePolicy: ${NOT_APPLIED['ResourcePolicy']}`)
  }
  const type = STREAM_VIEW_TYPES.find((t) => t === value['StreamViewType'])
  if (type === undefined) {
    at.bad(`${path}.StreamViewType`, STREAM_VIEW_TYPES.join(', '), value['StreamViewType'])
    return undefined
  }
  return { StreamEnabled: true, StreamViewType: type }
}

/** Tags as a list of {Key, Value} (DynamoDB::Table) or a mapping of key to value (SimpleTable). */
function readTags(value: unknown, at: Place): Tag[] | undefined {
  if (value === undefined) return undefined
  const path = 'Properties.Tags'
  const pairs: Array<[string, unknown, unknown]> = []
  if (Array.isArray(value)) {
    value.forEach((tag, i) => {
      if (isJsonObject(tag)) pairs.push([`${path}[${i}]`, tag['Key'], tag['Value']])
      else at.bad(`${path}[${i}]`, '{Key, Value}', tag)
    })
  } else if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) pairs.push([`${path}.${k}`, k, v])
  } else {
    at.bad(path, 'a list of {Key, Value}', value)
    return undefined
  }
  if (pairs.length > MAX_TAGS) at.fail(path, `at most ${MAX_TAGS} tags`, String(pairs.length))
  const tags: Tag[] = []
  for (const [where, key, tagValue] of pairs) {
    const keyOk = typeof key === 'string' && key !== '' && [...key].length <= MAX_TAG_KEY_CHARS
    if (!keyOk) at.bad(`${where}.Key`, `a key of 1 to ${MAX_TAG_KEY_CHARS} characters`, key)
    const text =
      typeof tagValue === 'number' || typeof tagValue === 'boolean' ? String(tagValue) : tagValue
    const valueOk = typeof text === 'string' && [...text].length <= MAX_TAG_VALUE_CHARS
    if (!valueOk)
      at.bad(`${where}.Value`, `a value of 0 to ${MAX_TAG_VALUE_CHARS} characters`, tagValue)
    if (keyOk && valueOk) tags.push({ Key: key, Value: text })
  }
  return tags
}

function readTtl(value: unknown, at: Place): { attribute: string } | undefined {
  if (value === undefined) return undefined
  const path = 'Properties.TimeToLiveSpecification'
  if (!isJsonObject(value)) {
    at.bad(path, '{AttributeName, Enabled}', value)
    return undefined
  }
  const enabled = readBoolean(`${path}.Enabled`, value['Enabled'], at)
  if (enabled === undefined && value['Enabled'] === undefined) {
    at.fail(`${path}.Enabled`, 'true or false', 'nothing')
  }
  if (enabled !== true) return undefined
  const name = value['AttributeName']
  if (typeof name !== 'string' || name === '') {
    at.bad(`${path}.AttributeName`, 'the name of the attribute that holds the expiry time', name)
    return undefined
  }
  return { attribute: name }
}

/** true or false; CloudFormation also takes them as strings. */
function booleanOf(value: unknown): unknown {
  if (value === 'true') return true
  if (value === 'false') return false
  return value
}

function readBoolean(path: string, value: unknown, at: Place): boolean | undefined {
  if (value === undefined) return undefined
  const b = booleanOf(value)
  if (typeof b === 'boolean') return b
  at.bad(path, 'true or false', value)
  return undefined
}

/** SAM's SimpleTable: a primary key of one attribute, `id` of type String unless given. */
function readSimpleTable(
  file: string,
  logicalId: string,
  raw: unknown,
  scope: Scope,
  at: Place,
): TemplateTable | undefined {
  const p = properties(raw ?? {}, scope, at, SIMPLE_TABLE_PROPERTIES)
  if (!p) return undefined
  const tableName = readTableName(p, logicalId, at)
  let key = { name: 'id', type: 'S' as 'S' | 'N' | 'B' }
  const primaryKey = p['PrimaryKey']
  if (primaryKey !== undefined) {
    const path = 'Properties.PrimaryKey'
    if (!isJsonObject(primaryKey)) at.bad(path, '{Name, Type}', primaryKey)
    else {
      const name = primaryKey['Name']
      const type = SIMPLE_KEY_TYPES[String(primaryKey['Type'])]
      if (typeof name !== 'string' || name === '') at.bad(`${path}.Name`, 'an attribute name', name)
      if (type === undefined) at.bad(`${path}.Type`, 'String, Number or Binary', primaryKey['Type'])
      if (typeof name === 'string' && name !== '' && type !== undefined) key = { name, type }
    }
  }
  // SAM makes a SimpleTable without ProvisionedThroughput on demand.
  const provisioned = p['ProvisionedThroughput']
  const definition: JsonObject = {
    AttributeDefinitions: [{ AttributeName: key.name, AttributeType: key.type }],
    KeySchema: [{ AttributeName: key.name, KeyType: 'HASH' }],
    BillingMode: provisioned === undefined ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...(provisioned !== undefined && { ProvisionedThroughput: numbersIn('', provisioned) }),
    ...(p['SSESpecification'] !== undefined && { SSESpecification: apiSse(p['SSESpecification']) }),
  }
  const marker = `\u0000${logicalId}`
  const checked = parseTableDefinition(marker, JSON.stringify(definition), tableName)
  if (!checked.ok) {
    for (const problem of checked.problems) {
      at.problems.push(relocate(problem, marker, file, logicalId, 0, false))
    }
    return undefined
  }
  const create: CreateTableCommandInput = { ...checked.parameters, TableName: tableName }
  const tags = readTags(p['Tags'], at)
  if (tags && tags.length > 0) create.Tags = tags
  const unsupportedHere =
    p['PointInTimeRecoverySpecification'] === undefined ||
    switchedOff(p['PointInTimeRecoverySpecification'])
      ? []
      : [`PointInTimeRecoverySpecification: ${NOT_APPLIED['PointInTimeRecoverySpecification']}`]
  return { logicalId, tableName, create, ...(unsupportedHere.length > 0 && { unsupportedHere }) }
}

/** Two resources creating one table name would collide at CreateTable. */
function checkUniqueNames(prefix: string, tables: TemplateTable[], problems: string[]): void {
  const seen = new Map<string, string>()
  for (const t of tables) {
    const before = seen.get(t.tableName)
    if (before === undefined) seen.set(t.tableName, t.logicalId)
    else {
      problems.push(
        `${prefix}Resources.${t.logicalId}.Properties.TableName: expected a name no other ` +
          `table of the template has, got ${JSON.stringify(t.tableName)} (as ${before} has)`,
      )
    }
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text
}

/**
 * Fields of CreateTable that ImportTable's TableCreationParameters cannot take, each with what
 * happens to it (docs/import-rules.md §2): the native engine creates the table from the rest.
 */
const NOT_BY_IMPORT_TABLE: Record<string, string> = {
  LocalSecondaryIndexes:
    'ImportTable cannot create local secondary indexes, and no table can get one after it is ' +
    'created: use the stream engine, or GlobalSecondaryIndexes',
  StreamSpecification: 'ImportTable cannot create it; add it after the import with UpdateTable',
  Tags: 'ImportTable cannot create them; add them after the import with TagResource',
  TableClass: 'ImportTable cannot set it; change it after the import with UpdateTable',
  DeletionProtectionEnabled:
    'ImportTable cannot set it; turn it on after the import with UpdateTable',
}

/**
 * For the native engine: the table's TableCreationParameters, and each field of `create` that
 * ImportTable cannot take (`Field: why and what to do`), for the caller to refuse or warn about.
 */
export function forImportTable(table: TemplateTable): {
  parameters: TableCreationParameters
  notByImportTable: string[]
} {
  const {
    TableName,
    AttributeDefinitions,
    KeySchema,
    BillingMode,
    ProvisionedThroughput,
    OnDemandThroughput,
    SSESpecification,
    GlobalSecondaryIndexes,
  } = table.create
  const parameters: TableCreationParameters = {
    TableName,
    AttributeDefinitions,
    KeySchema,
    BillingMode,
    ...(ProvisionedThroughput && { ProvisionedThroughput }),
    ...(OnDemandThroughput && { OnDemandThroughput }),
    ...(SSESpecification && { SSESpecification }),
    ...(GlobalSecondaryIndexes && { GlobalSecondaryIndexes }),
  }
  const notByImportTable = Object.entries(NOT_BY_IMPORT_TABLE)
    // DeletionProtectionEnabled: false is what ImportTable creates anyway.
    .filter(([field]) => {
      const value = table.create[field as keyof CreateTableCommandInput]
      return value !== undefined && value !== false
    })
    .map(([field, why]) => `${field}: ${why}`)
  return { parameters, notByImportTable }
}
