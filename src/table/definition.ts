/**
 * The parameters of a table the action creates: CreateTable's input for the stream engine and
 * ImportTable's TableCreationParameters for the native engine (docs/import-rules.md §2).
 *
 * They come either from key-schema and billing-mode, or from a table-definition file written in
 * the API's own field names, so a definition can be pasted from the AWS docs. The file is checked
 * here, every field, before any network call; each problem names the file, the field's path and
 * the value found (table settings, not item data, so showing them is safe).
 */
import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
  OnDemandThroughput,
  Projection,
  ProvisionedThroughput,
  SSESpecification,
  TableCreationParameters,
} from '@aws-sdk/client-dynamodb'
import { LineCounter, parseDocument } from 'yaml'
import { isJsonObject, type JsonObject } from '../json.js'
import type { KeyAttribute } from './key-schema.js'

/** Throughput for PROVISIONED tables created from key-schema alone. */
const DEFAULT_PROVISIONED_UNITS = 5
/** Table and index names: 3-255 characters of [a-zA-Z0-9_.-] [doc NR]. */
const INDEX_NAME = /^[a-zA-Z0-9_.-]{3,255}$/
/** Key attribute names in AttributeDefinitions: 1-255 characters [API]. */
const MAX_KEY_NAME_CHARS = 255
/** Projection.NonKeyAttributes of one index: 1-20 names [API]. */
const MAX_NON_KEY_ATTRIBUTES = 20
/** User-specified projected attributes over all of a table's secondary indexes [doc SQ]. */
const MAX_PROJECTED_ATTRIBUTES_PER_TABLE = 100
/** Found values longer than this are cut in messages. */
const MAX_SHOWN_CHARS = 80

const ATTRIBUTE_TYPES = ['S', 'N', 'B'] as const
/** The billing modes CreateTable and ImportTable's TableCreationParameters take. */
export const BILLING_MODES = ['PAY_PER_REQUEST', 'PROVISIONED'] as const
export type BillingMode = (typeof BILLING_MODES)[number]
const PROJECTION_TYPES = ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const
const SSE_TYPES = ['AES256', 'KMS'] as const

const TABLE_FIELDS = [
  'TableName',
  'AttributeDefinitions',
  'KeySchema',
  'BillingMode',
  'ProvisionedThroughput',
  'OnDemandThroughput',
  'SSESpecification',
  'GlobalSecondaryIndexes',
] as const
const ATTRIBUTE_DEFINITION_FIELDS = ['AttributeName', 'AttributeType'] as const
const KEY_ELEMENT_FIELDS = ['AttributeName', 'KeyType'] as const
const PROVISIONED_FIELDS = ['ReadCapacityUnits', 'WriteCapacityUnits'] as const
const ON_DEMAND_FIELDS = ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const
const SSE_FIELDS = ['Enabled', 'SSEType', 'KMSMasterKeyId'] as const
const INDEX_FIELDS = [
  'IndexName',
  'KeySchema',
  'Projection',
  'ProvisionedThroughput',
  'OnDemandThroughput',
] as const
const PROJECTION_FIELDS = ['ProjectionType', 'NonKeyAttributes'] as const

/**
 * Fields of CreateTable (and CloudFormation) that ImportTable cannot create, each with why and
 * what to do instead: named as such rather than as unknown fields.
 */
const TABLE_ONLY_AFTER_IMPORT: Record<string, string> = {
  LocalSecondaryIndexes:
    'ImportTable cannot create local secondary indexes, and no table can get one after it is ' +
    'created: use GlobalSecondaryIndexes instead',
  StreamSpecification: 'ImportTable cannot create it; add it after the import with UpdateTable',
  Tags: 'ImportTable cannot create them; add them after the import with TagResource',
  TableClass: 'ImportTable cannot set it; change it after the import with UpdateTable',
  DeletionProtectionEnabled:
    'ImportTable cannot set it; turn it on after the import with UpdateTable',
  WarmThroughput: 'ImportTable cannot set it; set it after the import with UpdateTable',
  TimeToLiveSpecification:
    'ImportTable cannot set it; turn it on after the import with UpdateTimeToLive',
  PointInTimeRecoverySpecification:
    'ImportTable cannot set it; turn it on after the import with UpdateContinuousBackups',
  ContributorInsightsSpecification:
    'ImportTable cannot set it; turn it on after the import with UpdateContributorInsights',
  KinesisStreamSpecification:
    'ImportTable cannot set it; add it after the import with EnableKinesisStreamingDestination',
  ResourcePolicy: 'ImportTable cannot set it; add it after the import with PutResourcePolicy',
}
/** Table fields that need more than this action does. */
const TABLE_SPECIAL: Record<string, string> = {
  ...TABLE_ONLY_AFTER_IMPORT,
  VectorIndexes: 'this action does not create vector indexes',
}
/** Index fields that need more than this action does. */
const INDEX_SPECIAL: Record<string, string> = {
  WarmThroughput: 'this action does not set it; set it after the import with UpdateTable',
}

/** Other spellings of a field (CloudFormation's among them), for "did you mean" hints. */
const ALIASES: Record<string, string> = { SSEEnabled: 'Enabled' }

type Mapping = JsonObject
type Result = { ok: true; parameters: TableCreationParameters } | { ok: false; problems: string[] }

/** From key-schema and billing-mode: the simple case. PROVISIONED gets 5 RCU / 5 WCU. */
export function fromKeySchema(
  tableName: string,
  keys: KeyAttribute[],
  billingMode: BillingMode,
): TableCreationParameters {
  return {
    TableName: tableName,
    AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    BillingMode: billingMode,
    ...(billingMode === 'PROVISIONED' && {
      ProvisionedThroughput: {
        ReadCapacityUnits: DEFAULT_PROVISIONED_UNITS,
        WriteCapacityUnits: DEFAULT_PROVISIONED_UNITS,
      },
    }),
  }
}

/** The table's key attributes with their types, hash key first. */
export function keyAttributes(parameters: TableCreationParameters): KeyAttribute[] {
  const types = new Map(
    (parameters.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]),
  )
  const keys = [...(parameters.KeySchema ?? [])].sort(
    (a, b) => Number(a.KeyType === 'RANGE') - Number(b.KeyType === 'RANGE'),
  )
  return keys.map((k) => {
    const type = types.get(k.AttributeName)
    if (type !== 'S' && type !== 'N' && type !== 'B') {
      throw new Error(`key attribute ${String(k.AttributeName)} has no S, N or B definition`)
    }
    return { name: k.AttributeName ?? '', type }
  })
}

/**
 * Reads and validates a table-definition file (JSON or YAML: parse with the `yaml` package, which
 * also reads JSON), returning the parameters or a list of problems. `file` is the path as the user
 * gave it (used in messages); `text` is its content (the caller reads the file).
 */
export function parseTableDefinition(file: string, text: string, tableName: string): Result {
  const prefix = `table-definition (${file}): `
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true })
  const syntaxError = doc.errors[0]
  if (syntaxError) {
    const at = position(syntaxError.linePos?.[0])
    return fail(`${prefix}expected YAML or JSON, got a syntax error${at}: ${reason(syntaxError)}`)
  }
  const contents = doc.contents
  if (contents === null) {
    return fail(`${prefix}expected a mapping of TableCreationParameters fields, got an empty file`)
  }
  let value: unknown
  try {
    value = doc.toJS()
  } catch (err) {
    return fail(`${prefix}expected YAML or JSON, got ${err instanceof Error ? err.message : err}`)
  }
  if (!isJsonObject(value)) {
    const at = position(contents.range ? lineCounter.linePos(contents.range[0]) : undefined)
    return fail(
      `${prefix}expected a mapping of TableCreationParameters fields (AttributeDefinitions, ` +
        `KeySchema, ...) at the top level, got ${show(value)}${at}`,
    )
  }

  const c = new Checker(prefix)
  for (const warning of doc.warnings) {
    if (warning.code !== 'TAG_RESOLVE_FAILED') continue
    c.problems.push(
      `${prefix}expected plain YAML or JSON values, got ${tagOf(warning)}` +
        position(warning.linePos?.[0]) +
        ' (CloudFormation functions such as !Ref are not evaluated)',
    )
  }
  const parameters = checkTable(c, value, tableName)
  return c.problems.length > 0 || !parameters
    ? { ok: false, problems: c.problems }
    : { ok: true, parameters }
}

function fail(problem: string): Result {
  return { ok: false, problems: [problem] }
}

/** `the tag !Ref` from an unresolved-tag warning. */
function tagOf(warning: Error): string {
  const tag = /Unresolved tag: (\S+)/.exec(warning.message)?.[1]
  return tag === undefined ? reason(warning) : `the tag ${tag}`
}

function position(where: { line: number; col: number } | undefined): string {
  return where ? ` at line ${where.line}, column ${where.col}` : ''
}

/** A YAML error's own text, without the position and source excerpt prettyErrors appends. */
function reason(error: Error): string {
  const line = error.message.split('\n')[0] ?? ''
  return line.replace(/ at line \d+, column \d+:?$/, '')
}

/** Collects every problem of the file, so one run shows all of them. */
class Checker {
  readonly problems: string[] = []

  constructor(private readonly prefix: string) {}

  /** `<path>: expected <expected>, got <found>`, where `found` is already described. */
  fail(path: string, expected: string, found: string): void {
    this.problems.push(`${this.prefix}${path}: expected ${expected}, got ${found}`)
  }

  /** As fail, showing the value found (or "nothing" when the field is absent). */
  bad(path: string, expected: string, value: unknown): void {
    this.fail(path, expected, show(value))
  }

  /**
   * The value as a mapping; undefined (and a problem) when it is not one. Each field not in
   * `fields` is a problem of its own: one `special` explains, or an unknown one (with a "did you
   * mean" when one of `fields` is close).
   */
  mapping(
    path: string,
    value: unknown,
    expected: string,
    fields: readonly string[],
    special: Record<string, string> = {},
  ): Mapping | undefined {
    if (!isJsonObject(value)) {
      this.bad(path, expected, value)
      return undefined
    }
    for (const [field, fieldValue] of Object.entries(value)) {
      if (fields.includes(field)) continue
      const why = special[field]
      if (why !== undefined) {
        this.bad(join(path, field), `no ${field} (${why})`, fieldValue)
        continue
      }
      const guess = suggestion(field, fields)
      const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`
      this.fail(join(path, field), `one of ${fields.join(', ')}${hint}`, 'an unknown field')
    }
    return value
  }

  list(path: string, value: unknown, expected: string): unknown[] | undefined {
    if (Array.isArray(value)) return value
    this.bad(path, expected, value)
    return undefined
  }

  oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
    const match = allowed.find((a) => a === value)
    if (match === undefined) this.bad(path, orList(allowed), value)
    return match
  }

  /** A whole number of at least 1; with `unlimited`, -1 too. */
  units(path: string, value: unknown, unlimited: boolean): number | undefined {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      if (value >= 1 || (unlimited && value === -1)) return value
    }
    const expected = unlimited
      ? 'a whole number of at least 1, or -1 for no limit'
      : 'a whole number of at least 1'
    this.bad(path, expected, value)
    return undefined
  }
}

/** Where an attribute is defined, and whether a key schema uses it. */
interface Definitions {
  /** Every name AttributeDefinitions gives, valid or not (so a bad one is reported once). */
  defined: Set<string>
  /** Each valid name of AttributeDefinitions with its position. */
  named: Array<[number, string]>
  used: Set<string>
  /** False when a key schema could not be read: then "unused" cannot be told. */
  complete: boolean
}

function checkTable(
  c: Checker,
  top: Mapping,
  tableName: string,
): TableCreationParameters | undefined {
  c.mapping('', top, 'a mapping', TABLE_FIELDS, TABLE_SPECIAL)

  if (top['TableName'] !== undefined && top['TableName'] !== tableName) {
    c.bad(
      'TableName',
      `${JSON.stringify(tableName)} (the table input; or leave TableName out)`,
      top['TableName'],
    )
  }

  const defs: Definitions = { defined: new Set(), named: [], used: new Set(), complete: true }
  const attributeDefinitions = checkAttributeDefinitions(c, top['AttributeDefinitions'], defs)
  const keySchema = checkKeySchema(c, 'KeySchema', top['KeySchema'], defs)

  let billingMode: BillingMode | undefined = 'PAY_PER_REQUEST'
  if (top['BillingMode'] !== undefined) {
    billingMode = c.oneOf('BillingMode', top['BillingMode'], BILLING_MODES)
  }
  const billing = { mode: billingMode, defaulted: top['BillingMode'] === undefined }
  const throughput = checkThroughput(c, '', top, billing)
  const sse =
    top['SSESpecification'] === undefined
      ? undefined
      : checkSse(c, 'SSESpecification', top['SSESpecification'])
  const indexes =
    top['GlobalSecondaryIndexes'] === undefined
      ? []
      : checkIndexes(c, top['GlobalSecondaryIndexes'], defs, billing)

  if (defs.complete) {
    for (const [i, name] of defs.named) {
      if (defs.used.has(name)) continue
      c.bad(
        `AttributeDefinitions[${i}].AttributeName`,
        'an attribute that the KeySchema of the table or of a global secondary index uses ' +
          '(DynamoDB rejects attribute definitions that no key uses)',
        name,
      )
    }
  }

  if (!attributeDefinitions || !keySchema || billingMode === undefined || !indexes) return undefined
  return {
    TableName: tableName,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: keySchema,
    BillingMode: billingMode,
    ...throughput,
    ...(sse && { SSESpecification: sse }),
    ...(indexes.length > 0 && { GlobalSecondaryIndexes: indexes }),
  }
}

function checkAttributeDefinitions(
  c: Checker,
  value: unknown,
  defs: Definitions,
): AttributeDefinition[] | undefined {
  const expected = 'a non-empty list of {AttributeName, AttributeType}'
  const list = c.list('AttributeDefinitions', value, expected)
  if (!list) return undefined
  if (list.length === 0) {
    c.bad('AttributeDefinitions', expected, value)
    return undefined
  }
  const first = new Map<string, number>()
  const result: AttributeDefinition[] = []
  let ok = true
  list.forEach((item, i) => {
    const path = `AttributeDefinitions[${i}]`
    const def = c.mapping(path, item, '{AttributeName, AttributeType}', ATTRIBUTE_DEFINITION_FIELDS)
    if (!def) {
      ok = false
      return
    }
    const name = checkAttributeName(c, `${path}.AttributeName`, def['AttributeName'])
    const type = c.oneOf(`${path}.AttributeType`, def['AttributeType'], ATTRIBUTE_TYPES)
    if (typeof def['AttributeName'] === 'string') defs.defined.add(def['AttributeName'])
    if (name !== undefined) {
      defs.named.push([i, name])
      const before = first.get(name)
      if (before === undefined) first.set(name, i)
      else {
        c.bad(
          `${path}.AttributeName`,
          `a name not defined before (AttributeDefinitions[${before}] defines it)`,
          name,
        )
        ok = false
      }
    }
    if (name === undefined || type === undefined) ok = false
    else result.push({ AttributeName: name, AttributeType: type })
  })
  return ok ? result : undefined
}

function checkAttributeName(c: Checker, path: string, value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0 && [...value].length <= MAX_KEY_NAME_CHARS) {
    return value
  }
  c.bad(path, `a name of 1 to ${MAX_KEY_NAME_CHARS} characters`, value)
  return undefined
}

/** A table's or an index's KeySchema: HASH, then an optional RANGE, both defined attributes. */
function checkKeySchema(
  c: Checker,
  path: string,
  value: unknown,
  defs: Definitions,
): KeySchemaElement[] | undefined {
  const expected = 'a list of 1 or 2 elements {AttributeName, KeyType}: HASH, then optional RANGE'
  const list = c.list(path, value, expected)
  if (!list) {
    defs.complete = false
    return undefined
  }
  if (list.length < 1 || list.length > 2) {
    c.bad(path, expected, value)
    defs.complete = false
    return undefined
  }
  const result: KeySchemaElement[] = []
  let ok = true
  list.forEach((item, i) => {
    const itemPath = `${path}[${i}]`
    const element = c.mapping(itemPath, item, '{AttributeName, KeyType}', KEY_ELEMENT_FIELDS)
    if (!element) {
      ok = false
      defs.complete = false
      return
    }
    const keyType = i === 0 ? 'HASH' : 'RANGE'
    if (element['KeyType'] !== keyType) {
      const which = i === 0 ? 'the first element' : 'the second element'
      c.bad(`${itemPath}.KeyType`, `${keyType} (${which} of a KeySchema)`, element['KeyType'])
      ok = false
    }
    const name = element['AttributeName']
    const namePath = `${itemPath}.AttributeName`
    if (typeof name !== 'string' || name === '') {
      c.bad(namePath, 'the name of an attribute in AttributeDefinitions', name)
      ok = false
      defs.complete = false
      return
    }
    defs.used.add(name)
    if (i === 1 && isJsonObject(list[0]) && list[0]['AttributeName'] === name) {
      c.bad(namePath, `an attribute other than the HASH key`, name)
      ok = false
    } else if (!defs.defined.has(name)) {
      c.bad(namePath, 'an attribute defined in AttributeDefinitions', name)
      ok = false
    }
    result.push({ AttributeName: name, KeyType: keyType })
  })
  return ok ? result : undefined
}

interface Billing {
  mode: BillingMode | undefined
  /** BillingMode was absent, so PAY_PER_REQUEST applies by default. */
  defaulted: boolean
}

type Throughput = Pick<GlobalSecondaryIndex, 'ProvisionedThroughput' | 'OnDemandThroughput'>

/** ProvisionedThroughput and OnDemandThroughput of the table or of an index. */
function checkThroughput(c: Checker, path: string, owner: Mapping, billing: Billing): Throughput {
  const provisionedPath = join(path, 'ProvisionedThroughput')
  const onDemandPath = join(path, 'OnDemandThroughput')
  const provisioned = owner['ProvisionedThroughput']
  const onDemand = owner['OnDemandThroughput']
  const mode = billing.defaulted ? 'PAY_PER_REQUEST (the default)' : billing.mode
  const result: Throughput = {}

  if (provisioned === undefined) {
    if (billing.mode === 'PROVISIONED') {
      c.fail(
        provisionedPath,
        '{ReadCapacityUnits, WriteCapacityUnits} (BillingMode PROVISIONED requires it)',
        'nothing',
      )
    }
  } else if (billing.mode === 'PAY_PER_REQUEST') {
    c.bad(
      provisionedPath,
      `no ProvisionedThroughput with BillingMode ${mode} (only PROVISIONED takes it)`,
      provisioned,
    )
  } else {
    const checked = checkProvisioned(c, provisionedPath, provisioned)
    if (checked) result.ProvisionedThroughput = checked
  }

  if (onDemand !== undefined) {
    if (billing.mode === 'PROVISIONED') {
      c.bad(
        onDemandPath,
        'no OnDemandThroughput with BillingMode PROVISIONED (only PAY_PER_REQUEST takes it)',
        onDemand,
      )
    } else {
      const checked = checkOnDemand(c, onDemandPath, onDemand)
      if (checked) result.OnDemandThroughput = checked
    }
  }
  return result
}

function checkProvisioned(
  c: Checker,
  path: string,
  value: unknown,
): ProvisionedThroughput | undefined {
  const expected = '{ReadCapacityUnits, WriteCapacityUnits}'
  const m = c.mapping(path, value, expected, PROVISIONED_FIELDS)
  if (!m) return undefined
  const read = c.units(`${path}.ReadCapacityUnits`, m['ReadCapacityUnits'], false)
  const write = c.units(`${path}.WriteCapacityUnits`, m['WriteCapacityUnits'], false)
  if (read === undefined || write === undefined) return undefined
  return { ReadCapacityUnits: read, WriteCapacityUnits: write }
}

function checkOnDemand(c: Checker, path: string, value: unknown): OnDemandThroughput | undefined {
  const expected = '{MaxReadRequestUnits, MaxWriteRequestUnits}'
  const m = c.mapping(path, value, expected, ON_DEMAND_FIELDS)
  if (!m) return undefined
  if (m['MaxReadRequestUnits'] === undefined && m['MaxWriteRequestUnits'] === undefined) {
    c.bad(path, `at least one of MaxReadRequestUnits, MaxWriteRequestUnits`, value)
    return undefined
  }
  const result: OnDemandThroughput = {}
  let ok = true
  for (const field of ON_DEMAND_FIELDS) {
    if (m[field] === undefined) continue
    const units = c.units(`${path}.${field}`, m[field], true)
    if (units === undefined) ok = false
    else result[field] = units
  }
  return ok ? result : undefined
}

function checkSse(c: Checker, path: string, value: unknown): SSESpecification | undefined {
  const m = c.mapping(path, value, '{Enabled, SSEType, KMSMasterKeyId}', SSE_FIELDS)
  if (!m) return undefined
  const result: SSESpecification = {}
  let ok = true
  if (m['Enabled'] !== undefined) {
    if (typeof m['Enabled'] === 'boolean') result.Enabled = m['Enabled']
    else {
      c.bad(`${path}.Enabled`, 'true or false', m['Enabled'])
      ok = false
    }
  }
  if (m['SSEType'] !== undefined) {
    const type = c.oneOf(`${path}.SSEType`, m['SSEType'], SSE_TYPES)
    if (type === undefined) ok = false
    else result.SSEType = type
  }
  const key = m['KMSMasterKeyId']
  if (key !== undefined) {
    if (m['SSEType'] !== 'KMS') {
      c.bad(`${path}.KMSMasterKeyId`, 'no KMSMasterKeyId unless SSEType is KMS', key)
      ok = false
    } else if (typeof key !== 'string' || key.trim() === '') {
      c.bad(`${path}.KMSMasterKeyId`, 'a KMS key id, key ARN, alias name or alias ARN', key)
      ok = false
    } else result.KMSMasterKeyId = key
  }
  return ok ? result : undefined
}

function checkIndexes(
  c: Checker,
  value: unknown,
  defs: Definitions,
  billing: Billing,
): GlobalSecondaryIndex[] | undefined {
  const list = c.list('GlobalSecondaryIndexes', value, 'a list of global secondary indexes')
  if (!list) {
    defs.complete = false
    return undefined
  }
  const first = new Map<string, number>()
  const result: GlobalSecondaryIndex[] = []
  let projected = 0
  let ok = true
  list.forEach((item, i) => {
    const path = `GlobalSecondaryIndexes[${i}]`
    const expected = '{IndexName, KeySchema, Projection, ...}'
    const index = c.mapping(path, item, expected, INDEX_FIELDS, INDEX_SPECIAL)
    if (!index) {
      ok = false
      defs.complete = false
      return
    }
    const name = index['IndexName']
    if (typeof name !== 'string' || !INDEX_NAME.test(name)) {
      c.bad(`${path}.IndexName`, 'an index name (3-255 of a-z A-Z 0-9 _ . -)', name)
      ok = false
    } else if (first.has(name)) {
      const before = `GlobalSecondaryIndexes[${first.get(name)}]`
      c.bad(`${path}.IndexName`, `a name not used before (${before} has it)`, name)
      ok = false
    } else first.set(name, i)
    const keySchema = checkKeySchema(c, `${path}.KeySchema`, index['KeySchema'], defs)
    const projection = checkProjection(c, `${path}.Projection`, index['Projection'])
    projected += projection?.NonKeyAttributes?.length ?? 0
    const throughput = checkThroughput(c, path, index, billing)
    if (typeof name !== 'string' || !keySchema || !projection) ok = false
    else
      result.push({ IndexName: name, KeySchema: keySchema, Projection: projection, ...throughput })
  })
  if (projected > MAX_PROJECTED_ATTRIBUTES_PER_TABLE) {
    c.fail(
      'GlobalSecondaryIndexes',
      `at most ${MAX_PROJECTED_ATTRIBUTES_PER_TABLE} NonKeyAttributes over all indexes together`,
      String(projected),
    )
    ok = false
  }
  return ok ? result : undefined
}

function checkProjection(c: Checker, path: string, value: unknown): Projection | undefined {
  const expected = '{ProjectionType: ALL, KEYS_ONLY or INCLUDE, NonKeyAttributes for INCLUDE}'
  const m = c.mapping(path, value, expected, PROJECTION_FIELDS)
  if (!m) return undefined
  const type = c.oneOf(`${path}.ProjectionType`, m['ProjectionType'], PROJECTION_TYPES)
  const names = m['NonKeyAttributes']
  const namesPath = `${path}.NonKeyAttributes`
  if (type === undefined) return undefined
  if (type !== 'INCLUDE') {
    if (names === undefined) return { ProjectionType: type }
    c.bad(
      namesPath,
      `no NonKeyAttributes with ProjectionType ${type} (only INCLUDE takes them)`,
      names,
    )
    return undefined
  }
  const namesExpected =
    `a list of 1 to ${MAX_NON_KEY_ATTRIBUTES} attribute names ` +
    '(ProjectionType INCLUDE requires it)'
  const list = c.list(namesPath, names, namesExpected)
  if (!list) return undefined
  if (list.length < 1 || list.length > MAX_NON_KEY_ATTRIBUTES) {
    c.bad(namesPath, namesExpected, names)
    return undefined
  }
  const result: string[] = []
  list.forEach((name, i) => {
    const checked = checkAttributeName(c, `${namesPath}[${i}]`, name)
    if (checked === undefined) return
    if (result.includes(checked)) c.bad(`${namesPath}[${i}]`, 'a name not listed before', checked)
    else result.push(checked)
  })
  return result.length === list.length
    ? { ProjectionType: type, NonKeyAttributes: result }
    : undefined
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`
}

function orList(values: readonly string[]): string {
  if (values.length <= 1) return values.join('')
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`
}

/** A found value as the user would recognise it: JSON, cut when long; "nothing" when absent. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text
}

/** The allowed field the user most likely meant: same letters ignoring case, or a typo away. */
function suggestion(field: string, allowed: readonly string[]): string | undefined {
  const alias = ALIASES[field]
  if (alias !== undefined && allowed.includes(alias)) return alias
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(field.length / 4)) + 1
  for (const candidate of allowed) {
    const distance = editDistance(field.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
