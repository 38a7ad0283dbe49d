import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import type { TableCreationParameters } from '@aws-sdk/client-dynamodb'
import { errorMessage } from './errors.js'
import { Input, type InputName } from './names.js'
import type { KeyAttribute } from './table/key-schema.js'
import {
  parseTemplateParameters,
  readDefinitionFile,
  type DefinedTable,
} from './table/definitions.js'
import { BILLING_MODES, fromKeySchema, type BillingMode } from './table/definition.js'
import type { ConnectionSettings } from './clients.js'
import {
  IMPORT_TABLE_FORMATS,
  INPUT_FORMATS,
  isImportTableFormat,
  type FormatSettings,
} from './formats/input-format.js'
import { DEFAULT_TIMEOUT_MINUTES, type NativeSettings } from './native/settings.js'
import {
  DEFAULT_VERIFY_SAMPLE_SIZE,
  VERIFY_INPUTS,
  type VerifySettings,
} from './verify/settings.js'
import type { Limits } from './result.js'
import { COMPRESSIONS } from './sources/decompress.js'
import { isGlob, selectionProblem, workspaceRoot, workspaceSelection } from './sources/local.js'
import { MAX_SHARDS, parseShard, type Shard } from './sources/shard.js'
import type { SourceInput } from './sources/source.js'
import {
  DEFAULT_STALL_TIMEOUT_SECONDS,
  DEFAULT_WRITE_CONCURRENCY,
  MAX_WRITE_CONCURRENCY,
  MAX_WRITE_THREADS,
  type WriteSettings,
} from './stream/settings.js'

export const MODES = ['auto', 'native', 'stream', 'verify'] as const
/**
 * create-table: auto creates a missing table from key-schema or table-definition once no existing
 * table has a close name (a typo in table); true creates it without that check; false never.
 */
export const CREATE_TABLE = ['auto', 'true', 'false'] as const

export type Mode = (typeof MODES)[number]
export type CreateTable = (typeof CREATE_TABLE)[number]

/** ImportTable's CsvOptions.Delimiter allows exactly these characters. */
const CSV_DELIMITERS: Record<string, string> = {
  ',': ',',
  ';': ';',
  ':': ':',
  '|': '|',
  tab: '\t',
  space: ' ',
}

/** auto: below 1 GiB, creating the table and streaming beats ImportTable's minutes of start-up. */
export const DEFAULT_NATIVE_MIN_BYTES = 2 ** 30
/** DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-]. */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([a-zA-Z0-9_.-]{3,255})$/
/** S3 bucket names as ImportTable's S3BucketSource.S3Bucket accepts them. */
const BUCKET_NAME = /^[a-z0-9A-Z]+[.\-\w]*[a-z0-9A-Z]+$/
/** ImportTable's S3KeyPrefix is at most 1024 characters. */
const MAX_PREFIX_LENGTH = 1024

export interface TableRef {
  /** What the user gave: a name or an ARN; either works for DescribeTable and BatchWriteItem. */
  id: string
  name: string
}

/**
 * Every input of action.yml, read and checked once: each engine's own settings, and what the
 * start step decides with. Only main.ts and plan/ read it; the engines get their part in the job
 * the plan makes (plan/job.ts).
 */
export interface Inputs
  extends
    FormatSettings,
    WriteSettings,
    NativeSettings,
    ConnectionSettings,
    Limits,
    VerifySettings {
  /**
   * The one table to load; undefined when the files name their tables (a NoSQL Workbench model,
   * request-items files, a template's tables): the start step then loads each of them.
   */
  table?: TableRef
  source: SourceInput
  mode: Mode
  /**
   * The table the action creates when it is missing, from table-definition or else key-schema
   * and billing-mode; undefined when neither is given.
   */
  tableCreation?: TableCreationParameters
  /** Where the creation parameters came from, for messages. */
  tableCreationSource?: string
  /**
   * The tables table-definition defines (a template may define several); with `table`, the one
   * it names. The first holds what tableCreation was made from.
   */
  definitions?: DefinedTable[]
  /** key-schema: also for the one table a file names when `table` is not given. */
  keySchema?: KeyAttribute[]
  billingMode: BillingMode
  createTable: CreateTable
  dryRun: boolean
  /** auto: a missing table is imported natively when the source holds at least this many bytes. */
  nativeMinBytes: number
  /** This job's part of the objects, in a matrix of jobs. */
  shard?: Shard
  /** stream: delete every item of the existing table first. */
  truncate: boolean
  rejectedFile: string
  /** The post step deletes the tables this step created (read here too, so a typo fails early). */
  deleteCreatedTables: boolean
}

/** Thrown with every bad input at once, so one run shows all of them. */
export class InputError extends Error {
  override name = 'InputError'
}

/** Collects problems while each input is read, so they are reported together. */
class Reader {
  readonly problems: string[] = []

  raw(name: InputName): string {
    return core.getInput(name)
  }

  fail(name: InputName, value: string, allowed: string): void {
    this.problems.push(`${name}: expected ${allowed}, got "${value}"`)
  }

  required(name: InputName): string {
    const value = this.raw(name)
    if (value === '') this.problems.push(`${name}: is required`)
    return value
  }

  optional(name: InputName): string | undefined {
    const value = this.raw(name)
    return value === '' ? undefined : value
  }

  enumOf<T extends string>(name: InputName, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name)
    if (value === '') return fallback
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase())
    if (match === undefined) this.fail(name, value, `one of ${allowed.join(', ')}`)
    return match ?? fallback
  }

  bool(name: InputName, fallback: boolean): boolean {
    const value = this.raw(name).toLowerCase()
    if (value === '') return fallback
    if (value === 'true') return true
    if (value === 'false') return false
    this.fail(name, this.raw(name), 'true or false')
    return fallback
  }

  /** A size in bytes: a whole number, optionally with KiB, MiB, GiB or TiB. */
  bytes(name: InputName, fallback: number): number {
    const value = this.raw(name)
    if (value === '') return fallback
    const match = /^(\d+)\s*(KiB|MiB|GiB|TiB)?$/i.exec(value)
    const units: Record<string, number> = { kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 }
    const n = match ? Number(match[1]) * (match[2] ? (units[match[2].toLowerCase()] ?? 1) : 1) : NaN
    if (!Number.isSafeInteger(n)) {
      this.fail(name, value, 'a number of bytes, such as 1073741824 or 1GiB')
      return fallback
    }
    return n
  }

  int(name: InputName, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.raw(name)
    if (value === '') return fallback
    const n = /^\d+$/.test(value) ? Number(value) : NaN
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`
      this.fail(name, value, `a whole number ${range}`)
      return fallback
    }
    return n
  }

  url(name: InputName): string | undefined {
    const value = this.optional(name)
    if (value === undefined) return undefined
    try {
      const url = new URL(value)
      if (url.protocol === 'http:' || url.protocol === 'https:') return value
    } catch {
      // reported below
    }
    this.fail(name, value, 'an http:// or https:// URL, such as http://localhost:8000')
    return undefined
  }
}

export function parseTable(value: string): TableRef | undefined {
  const arn = TABLE_ARN.exec(value)
  if (arn?.[1]) return { id: value, name: arn[1] }
  if (TABLE_NAME.test(value)) return { id: value, name: value }
  return undefined
}

/**
 * `s3://bucket/prefix`, or what a workspace value selects (a path, or glob patterns). Undefined
 * for another scheme, a bad bucket, too long a prefix, or an S3 value with glob syntax (readSource
 * says why).
 */
export function parseSource(value: string): SourceInput | undefined {
  if (!value.startsWith('s3://')) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined
    return { kind: 'local', ...workspaceSelection(value) }
  }
  if (isGlob(value)) return undefined
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(value)
  const bucket = match?.[1]
  if (!bucket || !BUCKET_NAME.test(bucket)) return undefined
  const prefix = match[2] ?? ''
  if (prefix.length > MAX_PREFIX_LENGTH) return undefined
  return { kind: 's3', bucket, prefix }
}

/** Key attribute names: 1-255 bytes (the API's KeySchemaElement.AttributeName). */
const MAX_KEY_NAME_BYTES = 255
/** A table key has a partition key and, optionally, a sort key. */
const MAX_KEY_PARTS = 2
/**
 * key-schema's own separators: in a name they are nearly always a mistyped separator
 * (`pk:S;sk:N` would create a key named `pk:S;sk`), so they are refused there.
 */
const KEY_SCHEMA_SEPARATORS = [':', ',', ';']

/**
 * `pk:S` or `pk:S,sk:N` into the key attributes of a table to create; otherwise what is wrong,
 * in words, for the input's error.
 */
export function parseKeySchema(value: string): KeyAttribute[] | string {
  const parts = value.split(',')
  if (parts.length > MAX_KEY_PARTS) {
    return `${parts.length} keys, but a table has a partition key and at most one sort key`
  }
  const keys: KeyAttribute[] = []
  for (const part of parts.map((p) => p.trim())) {
    const colon = part.lastIndexOf(':')
    if (colon === -1) return `"${part}" has no :TYPE`
    const name = part.slice(0, colon)
    const type = part
      .slice(colon + 1)
      .trim()
      .toUpperCase()
    const problem = keyNameProblem(name)
    if (problem) return problem
    if (type !== 'S' && type !== 'N' && type !== 'B') {
      return `the type of ${name} is "${part.slice(colon + 1)}", not S, N or B`
    }
    keys.push({ name, type })
  }
  if (keys.length === 2 && keys[0]?.name === keys[1]?.name) {
    return `both keys are named ${keys[0]?.name}`
  }
  return keys
}

function keyNameProblem(name: string): string | undefined {
  if (name === '') return 'a key has no name before its :TYPE'
  const separators = KEY_SCHEMA_SEPARATORS.filter((c) => name.includes(c))
  if (separators.length > 0) {
    return `the name "${name}" holds ${separators.map((c) => `"${c}"`).join(' and ')}`
  }
  if (name.trim() !== name) return `the name "${name}" has spaces around it`
  if (Buffer.byteLength(name) > MAX_KEY_NAME_BYTES) {
    return `the name ${name.slice(0, 20)}… is longer than ${MAX_KEY_NAME_BYTES} bytes`
  }
  return undefined
}

/** ImportTable's HeaderList: 1-255 names of printable ASCII without `"` and `,`. */
export function parseCsvHeader(value: string): string[] | undefined {
  const names = value.split(',').map((n) => n.trim())
  const valid = /^[\x20-\x21\x23-\x2B\x2D-\x7E]{1,65536}$/
  if (names.length > 255 || names.some((n) => !valid.test(n))) return undefined
  if (new Set(names).size !== names.length) return undefined
  return names
}

function defaultRejectedFile(): string {
  const dir = process.env['RUNNER_TEMP'] || process.env['TMPDIR'] || '/tmp'
  const run = [process.env['GITHUB_RUN_ID'], process.env['GITHUB_RUN_ATTEMPT'], process.pid]
  return path.join(dir, `dynamodb-s3-import-rejected-${run.filter(Boolean).join('-')}.jsonl`)
}

/**
 * Reads every input once, before any network call. Throws an InputError naming each bad input,
 * its value and what is allowed.
 */
export function readInputs(): Inputs {
  const r = new Reader()
  const table = readTable(r)
  const { source, sourceValue } = readSource(r)
  const billingMode = r.enumOf(Input.BillingMode, BILLING_MODES, 'PAY_PER_REQUEST')
  const keySchema = readKeySchema(r)
  const connection = readConnection(r)
  const inputs: Inputs = {
    ...optional('table', table),
    source: source ?? { kind: 'local', path: '' },
    mode: r.enumOf(Input.Mode, MODES, 'auto'),
    ...readFormat(r),
    billingMode,
    ...tableCreation(r, table?.name, keySchema, billingMode, connection.region),
    ...optional('keySchema', keySchema),
    createTable: r.enumOf(Input.CreateTable, CREATE_TABLE, 'auto'),
    ...readWrite(r),
    ...readLimits(r),
    dryRun: r.bool(Input.DryRun, false),
    ...readNative(r),
    nativeMinBytes: r.bytes(Input.NativeMinBytes, DEFAULT_NATIVE_MIN_BYTES),
    ...optional('shard', readShard(r)),
    truncate: r.bool(Input.Truncate, false),
    ...connection,
    rejectedFile: rejectedFile(r),
    deleteCreatedTables: r.bool(Input.DeleteCreatedTables, false),
    ...readVerify(r),
  }
  conflicts(inputs, r)
  if (inputs.mode === 'native' && inputs.format !== 'auto' && !isImportTableFormat(inputs.format)) {
    r.fail(
      Input.InputFormat,
      inputs.format,
      `${IMPORT_TABLE_FORMATS.join(', ')} with mode native: ImportTable takes only these; ${inputs.format} is read by the stream engine (mode stream or auto)`,
    )
  }
  if (inputs.mode === 'native' && inputs.source.kind === 'local') {
    r.fail(
      Input.Source,
      sourceValue,
      's3://bucket/prefix with mode native: ImportTable reads only S3',
    )
  }
  if (r.problems.length > 0) {
    throw new InputError(`Invalid inputs:\n- ${r.problems.join('\n- ')}`)
  }
  return inputs
}

/** The table input: optional, since files that name their tables need none (plan/targets.ts). */
function readTable(r: Reader): TableRef | undefined {
  const value = r.optional(Input.Table)
  if (value === undefined) return undefined
  const ref = parseTable(value)
  if (!ref) r.fail(Input.Table, value, 'a table name (3-255 of a-z A-Z 0-9 _ . -) or a table ARN')
  return ref
}

function readSource(r: Reader): { source: SourceInput | undefined; sourceValue: string } {
  const sourceValue = r.required(Input.Source)
  const source = parseSource(sourceValue)
  if (sourceValue.startsWith('s3://') && isGlob(sourceValue)) {
    r.fail(
      Input.Source,
      sourceValue,
      "s3://bucket/prefix: an S3 source is a key prefix, as ImportTable's S3KeyPrefix, without wildcards or several lines (every object whose key starts with it is imported)",
    )
  } else if (sourceValue && !source) {
    r.fail(Input.Source, sourceValue, 's3://bucket/prefix or a path inside the workspace')
  }
  if (source?.kind === 'local') {
    const problem = selectionProblem(workspaceRoot(), source)
    if (problem) r.fail(Input.Source, problem.got, problem.expected)
  }
  return { source, sourceValue }
}

/** input-format, input-compression and the CSV options. */
function readFormat(r: Reader): FormatSettings {
  const format = r.enumOf(Input.InputFormat, INPUT_FORMATS, 'auto')
  const compression = r.enumOf(Input.InputCompression, COMPRESSIONS, 'auto')
  const delimiterValue = r.raw(Input.CsvDelimiter) || ','
  const csvDelimiter = CSV_DELIMITERS[delimiterValue.toLowerCase()]
  if (csvDelimiter === undefined) {
    r.fail(Input.CsvDelimiter, delimiterValue, 'one of , ; : | tab space')
  }
  const headerValue = r.optional(Input.CsvHeader)
  const csvHeader = headerValue === undefined ? undefined : parseCsvHeader(headerValue)
  if (headerValue !== undefined && !csvHeader) {
    r.fail(
      Input.CsvHeader,
      headerValue,
      'comma-separated unique names of printable ASCII, no quotes',
    )
  }
  return { format, compression, csvDelimiter: csvDelimiter ?? ',', ...(csvHeader && { csvHeader }) }
}

/** The stream engine's inputs. */
function readWrite(r: Reader): WriteSettings {
  return {
    writeConcurrency: r.int(
      Input.WriteConcurrency,
      DEFAULT_WRITE_CONCURRENCY,
      1,
      MAX_WRITE_CONCURRENCY,
    ),
    writeThreads: readWriteThreads(r),
    maxWriteCapacity: r.int(Input.MaxWriteCapacity, 0, 0),
    stallTimeoutSeconds: r.int(Input.StallTimeoutSeconds, DEFAULT_STALL_TIMEOUT_SECONDS, 1),
  }
}

/** The native engine's inputs (client-token is read with the connection, where it is checked). */
function readNative(r: Reader): Omit<NativeSettings, 'clientToken'> {
  return {
    wait: r.bool(Input.Wait, true),
    timeoutMinutes: r.int(Input.TimeoutMinutes, DEFAULT_TIMEOUT_MINUTES, 1),
  }
}

/** max-errors and min-items. */
/** verify, its sample size and read cap; mode verify compares at full unless verify says. */
function readVerify(r: Reader): VerifySettings {
  const verifyMode = r.raw(Input.Mode).toLowerCase() === 'verify'
  const verify = r.enumOf(Input.Verify, VERIFY_INPUTS, verifyMode ? 'full' : 'none')
  if (verifyMode && verify === 'none') {
    r.fail(
      Input.Verify,
      r.raw(Input.Verify),
      'sample, full or exact with mode verify, which only compares',
    )
  }
  return {
    verify,
    verifySampleSize: r.int(Input.VerifySampleSize, DEFAULT_VERIFY_SAMPLE_SIZE, 1),
    maxReadCapacity: r.int(Input.MaxReadCapacity, 0, 0),
  }
}

function readLimits(r: Reader): Limits {
  return { maxErrors: r.int(Input.MaxErrors, 0, 0), minItems: r.int(Input.MinItems, 0, 0) }
}

function readKeySchema(r: Reader): KeyAttribute[] | undefined {
  const value = r.optional(Input.KeySchema)
  if (value === undefined) return undefined
  const keySchema = parseKeySchema(value)
  if (typeof keySchema !== 'string') return keySchema
  r.problems.push(
    `${Input.KeySchema}: expected name:TYPE or name:TYPE,name:TYPE with TYPE S, N or B (separate the two keys with a comma), got "${value}": ${keySchema}`,
  )
  return undefined
}

function readShard(r: Reader): Shard | undefined {
  const value = r.optional(Input.Shard)
  const shard = value === undefined ? undefined : parseShard(value)
  if (value !== undefined && !shard) {
    r.fail(Input.Shard, value, `i/n with 1 <= i <= n <= ${MAX_SHARDS}, such as 2/4`)
  }
  return shard
}

/** Where and how the action connects: region, endpoints, the bucket's owner, the client token. */
function readConnection(r: Reader): ConnectionSettings & Pick<NativeSettings, 'clientToken'> {
  const dynamodbEndpoint = r.url(Input.DynamoDBEndpoint)
  const s3Endpoint = r.url(Input.S3Endpoint)
  const bucketOwner = r.optional(Input.BucketOwner)
  if (bucketOwner !== undefined && !/^\d{12}$/.test(bucketOwner)) {
    r.fail(Input.BucketOwner, bucketOwner, 'a 12-digit AWS account id')
  }
  const clientToken = r.optional(Input.ClientToken)
  if (clientToken !== undefined && clientToken.includes('$')) {
    r.fail(Input.ClientToken, clientToken, 'a token without "$" (ImportTable refuses it)')
  }
  const region =
    r.optional(Input.Region) ?? (process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'])
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    r.fail(Input.Region, region, 'an AWS region such as us-east-1')
  }
  if (region === undefined && dynamodbEndpoint === undefined) {
    r.problems.push(
      `${Input.Region}: is required: set it, or AWS_REGION (aws-actions/configure-aws-credentials does)`,
    )
  }
  return {
    ...optional('clientToken', clientToken),
    ...optional('region', region),
    ...optional('dynamodbEndpoint', dynamodbEndpoint),
    ...optional('s3Endpoint', s3Endpoint),
    s3ForcePathStyle: r.bool(Input.S3ForcePathStyle, s3Endpoint !== undefined),
    ...optional('bucketOwner', bucketOwner),
  }
}

/**
 * The creation parameters of a missing table: table-definition wins over key-schema and
 * billing-mode. The file (our own shape, or a CloudFormation or SAM template) is read here, so
 * that its problems are reported with the other inputs'. With `table`, its one table; without,
 * every table the file defines.
 */
function tableCreation(
  r: Reader,
  tableName: string | undefined,
  keySchema: KeyAttribute[] | undefined,
  billingMode: BillingMode,
  region: string | undefined,
): Pick<Inputs, 'tableCreation' | 'tableCreationSource' | 'definitions'> {
  const file = r.optional(Input.TableDefinition)
  const parameters = r.optional(Input.TemplateParameters)
  const names = parameters === undefined ? {} : parseTemplateParameters(parameters)
  if (typeof names === 'string') r.problems.push(names)
  if (file !== undefined) {
    let text: string
    try {
      text = fs.readFileSync(path.resolve(workspaceRoot(), file), 'utf8')
    } catch (err) {
      r.fail(Input.TableDefinition, file, `a readable JSON or YAML file (${errorMessage(err)})`)
      return {}
    }
    const read = readDefinitionFile(file, text, {
      ...optional('table', tableName),
      names: typeof names === 'string' ? {} : names,
      billingMode,
      ...optional('region', region),
    })
    if (!read.ok) {
      r.problems.push(...read.problems)
      return {}
    }
    const [one] = read.tables
    return {
      definitions: read.tables,
      ...(tableName !== undefined &&
        one && { tableCreation: one.creation, tableCreationSource: one.source }),
    }
  }
  if (parameters !== undefined) {
    r.fail(
      Input.TemplateParameters,
      parameters,
      'nothing without a template in table-definition (the values are for its parameters)',
    )
  }
  if (keySchema && tableName) {
    return {
      tableCreation: fromKeySchema(tableName, keySchema, billingMode),
      tableCreationSource: 'key-schema',
    }
  }
  return {}
}

/** Inputs that cannot go together: refused, with the way out. */
function conflicts(inputs: Inputs, r: Reader): void {
  const sharded = (inputs.shard?.count ?? 1) > 1
  if (sharded && inputs.mode === 'native') {
    r.problems.push(
      `${Input.Shard}: ImportTable imports a prefix in one job; use mode stream (or auto) to shard`,
    )
  }
  if (inputs.createTable === 'false' && inputs.mode === 'native') {
    r.fail(
      Input.CreateTable,
      r.raw(Input.CreateTable),
      'auto or true with mode native: ImportTable always creates a new table; to write into an existing table use mode stream (or auto)',
    )
  }
  if (inputs.truncate && inputs.mode === 'native') {
    r.problems.push(
      `${Input.Truncate}: ImportTable always creates a new, empty table; use it with mode stream`,
    )
  }
  if (inputs.deleteCreatedTables && sharded) {
    r.problems.push(
      `${Input.DeleteCreatedTables}: with shard, the job that creates the table would delete it at its end while the other jobs may still write to it; create the table before the matrix, or delete it in a job after the matrix`,
    )
  }
  if (inputs.truncate && sharded) {
    r.problems.push(
      `${Input.Truncate}: with shard, each job would delete what the others wrote; truncate in a job of its own before the matrix (shard empty)`,
    )
  }
}

/** write-threads: auto (the default), or how many; 0 sends the calls on the main thread. */
function readWriteThreads(r: Reader): number | 'auto' {
  const value = r.raw(Input.WriteThreads)
  if (value === '' || value === 'auto') return 'auto'
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (n <= MAX_WRITE_THREADS) return n
  r.fail(Input.WriteThreads, value, `auto or a whole number from 0 to ${MAX_WRITE_THREADS}`)
  return 'auto'
}

/** rejected-file, or a file under RUNNER_TEMP; refused when it names a directory. */
function rejectedFile(r: Reader): string {
  const given = r.optional(Input.RejectedFile)
  if (given !== undefined && fs.existsSync(given) && fs.statSync(given).isDirectory()) {
    r.fail(Input.RejectedFile, given, 'a file path, not a directory')
  }
  return path.resolve(given ?? defaultRejectedFile())
}

/** `{ [key]: value }` when value is defined, `{}` otherwise: exactOptionalPropertyTypes-friendly. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V })
}

/** Inputs that have no effect in the mode that runs: each gets a warning naming the input. */
export function ignoredInputs(inputs: Inputs, mode: 'native' | 'stream'): string[] {
  const ignored: string[] = []
  if (inputs.source.kind === 'local') {
    if (inputs.s3Endpoint) ignored.push(`${Input.S3Endpoint} (the source is a workspace path)`)
    if (inputs.bucketOwner) ignored.push(`${Input.BucketOwner} (the source is a workspace path)`)
  }
  // Under auto any object may turn out to be CSV: the CSV options are not known to be unused.
  if (inputs.format !== 'CSV' && inputs.format !== 'auto') {
    if (inputs.csvDelimiter !== ',')
      ignored.push(`${Input.CsvDelimiter} (only for input-format CSV)`)
    if (inputs.csvHeader) ignored.push(`${Input.CsvHeader} (only for input-format CSV)`)
  }
  if (inputs.createTable === 'false' && inputs.tableCreationSource) {
    ignored.push(`${inputs.tableCreationSource} (create-table is false: no table is created)`)
  }
  if (inputs.mode !== 'auto' && inputs.nativeMinBytes !== DEFAULT_NATIVE_MIN_BYTES) {
    ignored.push(`${Input.NativeMinBytes} (only for mode auto)`)
  }
  if (mode === 'stream') {
    if (inputs.truncate && inputs.dryRun)
      ignored.push(`${Input.Truncate} (a dry run deletes nothing)`)
    if (!inputs.wait) ignored.push(`${Input.Wait} (only for mode native)`)
    if (inputs.clientToken) ignored.push(`${Input.ClientToken} (only for mode native)`)
    if (inputs.timeoutMinutes !== DEFAULT_TIMEOUT_MINUTES) {
      ignored.push(`${Input.TimeoutMinutes} (only for mode native)`)
    }
  } else {
    if (inputs.writeConcurrency !== DEFAULT_WRITE_CONCURRENCY)
      ignored.push(`${Input.WriteConcurrency} (only for mode stream)`)
    if (inputs.writeThreads !== 'auto') ignored.push(`${Input.WriteThreads} (only for mode stream)`)
    if (inputs.maxWriteCapacity > 0)
      ignored.push(`${Input.MaxWriteCapacity} (only for mode stream)`)
    if (inputs.stallTimeoutSeconds !== DEFAULT_STALL_TIMEOUT_SECONDS) {
      ignored.push(`${Input.StallTimeoutSeconds} (only for mode stream)`)
    }
  }
  return ignored
}

/** What the post step reads: whether to delete the tables the step created, and how to connect. */
export interface PostInputs extends ConnectionSettings {
  deleteCreatedTables: boolean
}

/**
 * The post step's inputs (the same as the main step's, which checked them already). Throws an
 * InputError naming each bad one, as readInputs does.
 */
export function readPostInputs(): PostInputs {
  const r = new Reader()
  const deleteCreatedTables = r.bool(Input.DeleteCreatedTables, false)
  const { clientToken: _, ...connection } = readConnection(r)
  if (r.problems.length > 0) {
    throw new InputError(`Invalid inputs:\n- ${r.problems.join('\n- ')}`)
  }
  return { deleteCreatedTables, ...connection }
}
