/**
 * input-format NOSQL_WORKBENCH: a data model as NoSQL Workbench for DynamoDB saves and exports it
 * (`{"ModelName", "ModelMetadata", "DataModel": [table, …]}`), every table with its key
 * attributes, global secondary indexes and sample items. Each table becomes CreateTable's
 * parameters and its items: those at table level (`TableData`) and those of every facet
 * (`TableFacets[].TableData`), because some models keep all their items in facets.
 *
 * The model is one JSON document, parsed whole (see MAX_WORKBENCH_MODEL_BYTES). Problems of the
 * model's structure are collected, all of them, with the file and the path of each; an item that
 * is not valid DynamoDB JSON is a rejected record like any other format's, located by its path and
 * the line it starts on, with the same reasons as DynamoDB JSON files give.
 */
import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
  Projection,
  TableCreationParameters,
} from '@aws-sdk/client-dynamodb'
import { isJsonObject, jsonKind } from '../json.js'
import type { BillingMode } from '../table/definition.js'
import { convertItem } from './dynamodb-json.js'
import { elementLines } from './json-locations.js'
import type { ParsedRecord } from './record.js'

/**
 * Models are small (Workbench keeps them in memory and its sample data is for viewing): the
 * whole file is read and parsed. Beyond this a file is refused rather than risk the runner's
 * memory; the integration checks the object's size against it before reading.
 */
export const MAX_WORKBENCH_MODEL_BYTES = 64 * 1024 * 1024
/** Throughput of PROVISIONED tables and their indexes (the model's own settings are not used). */
const DEFAULT_PROVISIONED_UNITS = 5
/** Table and index names: 3-255 characters of [a-zA-Z0-9_.-] (CreateTable API reference). */
const NAME = /^[a-zA-Z0-9_.-]{3,255}$/
/** Projection.NonKeyAttributes of one index: 1-20 names (CreateTable API reference). */
const MAX_NON_KEY_ATTRIBUTES = 20
/** How far into a file the recogniser looks for the model's top-level members. */
const RECOGNISE_CHARS = 4096
const KEY_TYPES = ['S', 'N', 'B'] as const
const PROJECTION_TYPES = ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const
/** Where items sit: DataModel[i].TableData[j] and DataModel[i].TableFacets[k].TableData[j]. */
const ITEM_PATH = /^DataModel\[\d+\](?:\.TableFacets\[\d+\])?\.TableData\[\d+\]$/
/** The depth of the deepest ITEM_PATH element. */
const ITEM_DEPTH = 6

/** One item of a model: where it is, and what parsing made of it. */
export interface WorkbenchRecord extends ParsedRecord {
  /** `DataModel[0].TableFacets[1].TableData[3]`. */
  path: string
}

/** One table of the model: how to create it, and its items in file order, table level first. */
export interface WorkbenchTable {
  name: string
  /** `DataModel[0]`. */
  path: string
  parameters: TableCreationParameters
  /** The table's TableData, then each facet's in the order of TableFacets. */
  records: WorkbenchRecord[]
  /**
   * The model's own BillingMode (Workbench writes one per table), which the parameters do not
   * follow: the caller's billing applies, and it may say so when they differ.
   */
  billingInModel: string | undefined
  /** The facets, by name, with how many items each holds (for the log). */
  facets: Array<{ name: string; items: number }>
}

export type WorkbenchModel =
  | { ok: true; modelName: string | undefined; tables: WorkbenchTable[] }
  | { ok: false; problems: string[] }

/**
 * Does this head of a file look like a Workbench model: an object whose first members (within
 * the first few KB) include `"DataModel"` and `"ModelName"` or `"ModelMetadata"`? Cheap, for
 * input-format auto; a model whose ModelName comes late still reads with NOSQL_WORKBENCH.
 */
export function looksLikeWorkbenchModel(head: Uint8Array | string): boolean {
  const text =
    typeof head === 'string'
      ? head.slice(0, RECOGNISE_CHARS)
      : new TextDecoder('utf-8').decode(head.subarray(0, RECOGNISE_CHARS))
  if (!/^\uFEFF?\s*\{/.test(text)) return false
  return /"DataModel"\s*:\s*\[/.test(text) && /"(?:ModelName|ModelMetadata)"\s*:/.test(text)
}

/**
 * Reads a Workbench model: `file` names it in problems (the path as the user gave it or the
 * object's URL), `text` is its content, `billingMode` the billing the inputs give (PROVISIONED:
 * 5 RCU / 5 WCU for the table and each index, as key-schema tables get).
 */
export function parseWorkbenchModel(
  file: string,
  text: string,
  billingMode: BillingMode,
): WorkbenchModel {
  const prefix = `${file}: `
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_WORKBENCH_MODEL_BYTES) {
    return fail(
      `${prefix}the model is ${bytes} bytes, more than the ${MAX_WORKBENCH_MODEL_BYTES} a NoSQL Workbench model is read whole up to: split its tables into request-items files`,
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text)
  } catch {
    return fail(
      `${prefix}expected a NoSQL Workbench data model (one JSON document), found text that is not valid JSON: check the file is the model as Workbench exports it (File > Export)`,
    )
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed['DataModel'])) {
    const found = isJsonObject(parsed) ? `an object without a "DataModel" array` : jsonKind(parsed)
    return fail(
      `${prefix}expected a NoSQL Workbench data model, {"ModelName": …, "DataModel": [tables]}, found ${found}`,
    )
  }
  const problems: string[] = []
  const lines = elementLines(text, ITEM_DEPTH, (path) => ITEM_PATH.test(path))
  const tables: WorkbenchTable[] = []
  const names = new Map<string, string>()
  parsed['DataModel'].forEach((entry: unknown, i) => {
    const path = `DataModel[${i}]`
    const table = readTable(new Problems(prefix, problems), path, entry, billingMode, lines)
    if (table === undefined) return
    const first = names.get(table.name)
    if (first !== undefined) {
      problems.push(
        `${prefix}${path}.TableName: expected a name no other table of the model has, found ${JSON.stringify(table.name)}, as ${first} has`,
      )
      return
    }
    names.set(table.name, path)
    tables.push(table)
  })
  if (problems.length > 0) return { ok: false, problems }
  if (tables.length === 0) {
    return fail(`${prefix}DataModel: expected at least one table, found an empty array`)
  }
  const modelName = parsed['ModelName']
  return { ok: true, modelName: typeof modelName === 'string' ? modelName : undefined, tables }
}

function fail(problem: string): WorkbenchModel {
  return { ok: false, problems: [problem] }
}

/** Collects the problems of a model: `<file>: <path>: expected …, found …`. */
class Problems {
  constructor(
    private readonly prefix: string,
    readonly list: string[],
  ) {}

  bad(path: string, expected: string, found: unknown): void {
    this.list.push(`${this.prefix}${path}: expected ${expected}, found ${show(found)}`)
  }
}

/** A value as a problem shows it: table settings, not item data, so shown (cut when long). */
function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return jsonKind(value)
}

interface Key {
  name: string
  type: (typeof KEY_TYPES)[number]
}

function readTable(
  p: Problems,
  path: string,
  entry: unknown,
  billingMode: BillingMode,
  lines: Map<string, number>,
): WorkbenchTable | undefined {
  if (!isJsonObject(entry)) {
    p.bad(path, 'a table, {"TableName", "KeyAttributes", …}', entry)
    return undefined
  }
  const before = p.list.length
  const name = entry['TableName']
  if (typeof name !== 'string' || !NAME.test(name)) {
    p.bad(`${path}.TableName`, 'a table name of 3-255 characters a-z, A-Z, 0-9, _ . -', name)
  }
  const definitions = new Definitions(p, path)
  const keys = readKeys(p, `${path}.KeyAttributes`, entry['KeyAttributes'], definitions)
  const indexes = readIndexes(p, path, entry['GlobalSecondaryIndexes'], definitions, billingMode)
  const records: WorkbenchRecord[] = readItems(p, `${path}.TableData`, entry['TableData'], lines)
  const facets: WorkbenchTable['facets'] = []
  const facetList = entry['TableFacets']
  if (facetList !== undefined && !Array.isArray(facetList)) {
    p.bad(`${path}.TableFacets`, 'an array of facets', facetList)
  }
  if (Array.isArray(facetList)) {
    facetList.forEach((facet: unknown, k) => {
      const facetPath = `${path}.TableFacets[${k}]`
      if (!isJsonObject(facet)) {
        p.bad(facetPath, 'a facet, {"FacetName", "TableData", …}', facet)
        return
      }
      const items = readItems(p, `${facetPath}.TableData`, facet['TableData'], lines)
      const facetName = facet['FacetName']
      facets.push({
        name: typeof facetName === 'string' ? facetName : facetPath,
        items: items.length,
      })
      records.push(...items)
    })
  }
  if (p.list.length > before || typeof name !== 'string' || keys === undefined) return undefined
  const parameters: TableCreationParameters = {
    TableName: name,
    AttributeDefinitions: definitions.list(),
    KeySchema: keySchema(keys),
    ...billing(billingMode),
    ...(indexes.length > 0 && { GlobalSecondaryIndexes: indexes }),
  }
  const billingInModel = typeof entry['BillingMode'] === 'string' ? entry['BillingMode'] : undefined
  return { name, path, parameters, records, facets, billingInModel }
}

/** The attributes the keys of the table and its indexes use, each with one type. */
class Definitions {
  private readonly types = new Map<string, { type: Key['type']; where: string }>()

  constructor(
    private readonly p: Problems,
    private readonly table: string,
  ) {}

  add(key: Key, where: string): void {
    const known = this.types.get(key.name)
    if (known === undefined) {
      this.types.set(key.name, { type: key.type, where })
    } else if (known.type !== key.type) {
      this.p.bad(
        `${where}.AttributeType`,
        `${known.type}, the type ${known.where} gives ${JSON.stringify(key.name)} (an attribute has one type in ${this.table})`,
        key.type,
      )
    }
  }

  list(): AttributeDefinition[] {
    return [...this.types].map(([name, { type }]) => ({ AttributeName: name, AttributeType: type }))
  }
}

/** `{"PartitionKey": {"AttributeName", "AttributeType"}, "SortKey"?: {…}}`. */
function readKeys(
  p: Problems,
  path: string,
  value: unknown,
  definitions: Definitions,
): Key[] | undefined {
  if (!isJsonObject(value)) {
    p.bad(path, '{"PartitionKey": {"AttributeName", "AttributeType"}, "SortKey"?: …}', value)
    return undefined
  }
  const partition = readKey(p, `${path}.PartitionKey`, value['PartitionKey'])
  const sort =
    value['SortKey'] === undefined ? undefined : readKey(p, `${path}.SortKey`, value['SortKey'])
  if (partition === undefined || (value['SortKey'] !== undefined && sort === undefined)) {
    return undefined
  }
  if (sort !== undefined && sort.name === partition.name) {
    p.bad(`${path}.SortKey.AttributeName`, 'a name other than the partition key', sort.name)
    return undefined
  }
  definitions.add(partition, `${path}.PartitionKey`)
  if (sort !== undefined) definitions.add(sort, `${path}.SortKey`)
  return sort === undefined ? [partition] : [partition, sort]
}

function readKey(p: Problems, path: string, value: unknown): Key | undefined {
  if (!isJsonObject(value)) {
    p.bad(path, '{"AttributeName", "AttributeType"}', value)
    return undefined
  }
  const name = value['AttributeName']
  const type = value['AttributeType']
  const nameOk = typeof name === 'string' && name.length >= 1 && name.length <= 255
  if (!nameOk) p.bad(`${path}.AttributeName`, 'a name of 1-255 characters', name)
  const typeOk = KEY_TYPES.some((t) => t === type)
  if (!typeOk) {
    p.bad(
      `${path}.AttributeType`,
      'S, N or B (a key attribute is a string, number or binary)',
      type,
    )
  }
  return nameOk && typeOk ? { name, type: type as Key['type'] } : undefined
}

function keySchema(keys: Key[]): KeySchemaElement[] {
  return keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' }))
}

function billing(
  mode: BillingMode,
): Pick<TableCreationParameters, 'BillingMode' | 'ProvisionedThroughput'> {
  return mode === 'PROVISIONED'
    ? { BillingMode: mode, ProvisionedThroughput: provisioned() }
    : { BillingMode: mode }
}

function provisioned() {
  return {
    ReadCapacityUnits: DEFAULT_PROVISIONED_UNITS,
    WriteCapacityUnits: DEFAULT_PROVISIONED_UNITS,
  }
}

function readIndexes(
  p: Problems,
  table: string,
  value: unknown,
  definitions: Definitions,
  billingMode: BillingMode,
): GlobalSecondaryIndex[] {
  const path = `${table}.GlobalSecondaryIndexes`
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    p.bad(path, 'an array of indexes', value)
    return []
  }
  const indexes: GlobalSecondaryIndex[] = []
  const seen = new Set<string>()
  value.forEach((index: unknown, i) => {
    const at = `${path}[${i}]`
    if (!isJsonObject(index)) {
      p.bad(at, 'an index, {"IndexName", "KeyAttributes", "Projection"}', index)
      return
    }
    const name = index['IndexName']
    const nameOk = typeof name === 'string' && NAME.test(name)
    if (!nameOk) {
      p.bad(`${at}.IndexName`, 'an index name of 3-255 characters a-z, A-Z, 0-9, _ . -', name)
    } else if (seen.has(name)) {
      p.bad(`${at}.IndexName`, 'a name no other index of the table has', name)
    }
    const keys = readKeys(p, `${at}.KeyAttributes`, index['KeyAttributes'], definitions)
    const projection = readProjection(p, `${at}.Projection`, index['Projection'])
    if (!nameOk || keys === undefined || projection === undefined) return
    seen.add(name)
    indexes.push({
      IndexName: name,
      KeySchema: keySchema(keys),
      Projection: projection,
      ...(billingMode === 'PROVISIONED' && { ProvisionedThroughput: provisioned() }),
    })
  })
  return indexes
}

/** Workbench writes `{"ProjectionType": "ALL"}`; INCLUDE names its attributes. Absent: ALL. */
function readProjection(p: Problems, path: string, value: unknown): Projection | undefined {
  if (value === undefined) return { ProjectionType: 'ALL' }
  if (!isJsonObject(value)) {
    p.bad(path, '{"ProjectionType": "ALL", "KEYS_ONLY" or "INCLUDE"}', value)
    return undefined
  }
  const type = PROJECTION_TYPES.find((t) => t === value['ProjectionType'])
  if (type === undefined) {
    p.bad(`${path}.ProjectionType`, 'ALL, KEYS_ONLY or INCLUDE', value['ProjectionType'])
    return undefined
  }
  const attributes = value['NonKeyAttributes']
  if (type !== 'INCLUDE') {
    if (attributes === undefined || (Array.isArray(attributes) && attributes.length === 0)) {
      return { ProjectionType: type }
    }
    p.bad(
      `${path}.NonKeyAttributes`,
      `nothing with ProjectionType ${type} (only INCLUDE names attributes)`,
      attributes,
    )
    return undefined
  }
  const names = Array.isArray(attributes) ? attributes : undefined
  const valid =
    names !== undefined &&
    names.length >= 1 &&
    names.length <= MAX_NON_KEY_ATTRIBUTES &&
    names.every((n) => typeof n === 'string' && n.length > 0)
  if (!valid) {
    p.bad(
      `${path}.NonKeyAttributes`,
      `an array of 1-${MAX_NON_KEY_ATTRIBUTES} attribute names with ProjectionType INCLUDE`,
      attributes,
    )
    return undefined
  }
  return { ProjectionType: type, NonKeyAttributes: names as string[] }
}

/** The items of one TableData array, each through the DynamoDB JSON item parser. */
function readItems(
  p: Problems,
  path: string,
  value: unknown,
  lines: Map<string, number>,
): WorkbenchRecord[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    p.bad(path, 'an array of items in DynamoDB JSON', value)
    return []
  }
  return value.map((item: unknown, j) => {
    const at = `${path}[${j}]`
    // The text for the rejected file is taken before the parser decodes B values in place.
    const raw = JSON.stringify(item) ?? ''
    const result = convertItem(item, 'item')
    return {
      path: at,
      line: lines.get(at) ?? 0,
      raw,
      bytes: Buffer.byteLength(raw),
      result: result.ok ? result : { ok: false, reason: `${at}: ${result.reason}` },
    }
  })
}

/**
 * The warning when the model's own BillingMode differs from the billing the table is created
 * with (the inputs' billing-mode applies, as for every table the action creates); undefined when
 * they agree or the model says none.
 */
export function billingWarning(
  file: string,
  table: Pick<WorkbenchTable, 'name' | 'path' | 'billingInModel'>,
  billingMode: BillingMode,
): string | undefined {
  if (table.billingInModel === undefined || table.billingInModel === billingMode) return undefined
  return `${file}: ${table.path} (${table.name}) says BillingMode ${JSON.stringify(table.billingInModel)}, but the table is created with billing-mode ${billingMode}, as the inputs give: set billing-mode to ${table.billingInModel} to follow the model`
}
