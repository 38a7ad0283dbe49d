// Shared by the integration tests: real emulators (started by global-setup.ts), real INPUT_*
// environment, real GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  paginateScan,
  waitUntilTableExists,
  type AttributeDefinition,
  type AttributeValue,
  type CreateTableCommandInput,
  type TableCreationParameters,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import * as core from '@actions/core'
import { expect, inject, vi } from 'vitest'
import YAML from 'yaml'
import { inputEnv, readOutputs, runnerFiles } from '../../scripts/action-env.mjs'
import { localClientConfig, s3ClientConfig } from '../../scripts/emulators.mjs'

export type Item = Record<string, AttributeValue>

/**
 * A name no other test uses: test files run in parallel against the same emulators. The random
 * part is 16 hex digits (64 bits), not 8: before creating a table the action fails when another
 * table's name is within two edits of it, and among 400 names of 8 random digits two differ in at
 * most two places in about one run in eight (the birthday paradox: 80,000 pairs); with 16 digits,
 * in fewer than one run in a billion.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`
}

export function dynamodb(): DynamoDBClient {
  return new DynamoDBClient(localClientConfig(inject('dynamodbEndpoint')))
}

/** `fn` with a client of DynamoDB Local (changes made as another job or tool would), destroyed after. */
export async function withDynamoDB<T>(fn: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const client = dynamodb()
  try {
    return await fn(client)
  } finally {
    client.destroy()
  }
}

/** The table as DynamoDB Local describes it, or undefined when it does not exist. */
export function describedTable(table: string): Promise<TableDescription | undefined> {
  return withDynamoDB(async (client) => {
    try {
      return (await client.send(new DescribeTableCommand({ TableName: table }))).Table
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return undefined
      throw err
    }
  })
}

export function s3(): S3Client {
  return new S3Client(s3ClientConfig(inject('s3Endpoint')))
}

const UPLOAD_CONCURRENCY = 8

/** Creates a bucket holding the given objects. */
export async function bucketWith(objects: Record<string, string | Uint8Array>): Promise<string> {
  const bucket = uniqueName('bucket')
  const client = s3()
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
    const entries = Object.entries(objects)
    const upload = async () => {
      for (let next = entries.pop(); next; next = entries.pop()) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: next[0], Body: next[1] }))
      }
    }
    await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, upload))
  } finally {
    client.destroy()
  }
  return bucket
}

type KeyType = 'S' | 'N' | 'B'

/**
 * The key-schema input of the tables the sample items (scripts/make-examples.mjs) go into: what
 * `tableWith('S', 'N')` creates, for the runs that let the action create the table.
 */
export const SAMPLE_KEY_SCHEMA = 'pk:S,sk:N'

/** The parameters of an on-demand table keyed `pk` (and `sk` when given), named `name`. */
export function tableParameters(
  name: string,
  pk: KeyType,
  sk?: KeyType,
): TableCreationParameters & { TableName: string; AttributeDefinitions: AttributeDefinition[] } {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: pk },
      ...(sk ? [{ AttributeName: 'sk', AttributeType: sk }] : []),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      ...(sk ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
    ],
    BillingMode: 'PAY_PER_REQUEST',
  }
}

/**
 * Creates an on-demand table keyed `pk` (and `sk` when given), with optional extra parameters
 * (its name too: a unique one by default).
 */
export async function tableWith(
  pk: KeyType,
  sk?: KeyType,
  extra: Partial<CreateTableCommandInput> = {},
): Promise<string> {
  const parameters = tableParameters(extra.TableName ?? uniqueName('table'), pk, sk)
  const client = dynamodb()
  try {
    await client.send(
      new CreateTableCommand({
        ...parameters,
        AttributeDefinitions: [
          ...parameters.AttributeDefinitions,
          ...(extra.AttributeDefinitions ?? []),
        ],
        ...(extra.GlobalSecondaryIndexes && {
          GlobalSecondaryIndexes: extra.GlobalSecondaryIndexes,
        }),
      }),
    )
    await waitUntilTableExists(
      { client, maxWaitTime: 30, minDelay: 1 },
      { TableName: parameters.TableName },
    )
  } finally {
    client.destroy()
  }
  return parameters.TableName
}

/** Every item of the table. */
export async function scanAll(table: string): Promise<Item[]> {
  const client = dynamodb()
  const items: Item[] = []
  try {
    for await (const page of paginateScan({ client }, { TableName: table }))
      items.push(...(page.Items ?? []))
  } finally {
    client.destroy()
  }
  return items
}

/**
 * Puts an item into a canonical, comparable form: numbers as exact decimal strings normalised
 * (1, 1.0 and 10E-1 alike), sets sorted, binary as hex.
 */
export function canonical(value: AttributeValue | Item): unknown {
  if (!isAttributeValue(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    )
  }
  if (value.S !== undefined) return { S: value.S }
  if (value.N !== undefined) return { N: decimal(value.N) }
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('hex') }
  if (value.BOOL !== undefined) return { BOOL: value.BOOL }
  if (value.NULL !== undefined) return { NULL: value.NULL }
  if (value.SS !== undefined) return { SS: [...value.SS].sort() }
  if (value.NS !== undefined) return { NS: value.NS.map(decimal).sort() }
  if (value.BS !== undefined)
    return { BS: value.BS.map((b) => Buffer.from(b).toString('hex')).sort() }
  if (value.L !== undefined) return { L: value.L.map(canonical) }
  if (value.M !== undefined) return { M: canonical(value.M) }
  throw new Error(`unknown attribute value ${JSON.stringify(value)}`)
}

function isAttributeValue(value: AttributeValue | Item): value is AttributeValue {
  const keys = Object.keys(value)
  return (
    keys.length === 1 &&
    ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'].includes(keys[0] as string)
  )
}

/** An exact decimal as sign, digits and exponent: two spellings of one number compare equal. */
export function decimal(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!match) throw new Error(`not a number: ${text}`)
  const [, sign = '', int = '', frac = '', exp = '0'] = match
  let digits = (int + frac).replace(/^0+/, '')
  let exponent = Number(exp) - frac.length
  if (digits === '') return '0'
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1)
    exponent++
  }
  return `${sign === '-' ? '-' : ''}${digits}e${exponent}`
}

/** Items of DynamoDB JSON (B/BS base64) decoded into SDK form, for comparing with a scan. */
export function fromDynamoDBJson(value: unknown): AttributeValue | Item {
  const v = value as Record<string, unknown>
  if ('B' in v && Object.keys(v).length === 1) return { B: Buffer.from(v['B'] as string, 'base64') }
  if ('BS' in v && Object.keys(v).length === 1)
    return { BS: (v['BS'] as string[]).map((b) => Buffer.from(b, 'base64')) }
  if ('L' in v && Object.keys(v).length === 1)
    return { L: (v['L'] as unknown[]).map((x) => fromDynamoDBJson(x) as AttributeValue) }
  if ('M' in v && Object.keys(v).length === 1) return { M: fromDynamoDBJson(v['M']) as Item }
  const keys = Object.keys(v)
  if (keys.length === 1 && ['S', 'N', 'BOOL', 'NULL', 'SS', 'NS'].includes(keys[0] as string))
    return v as unknown as AttributeValue
  return Object.fromEntries(keys.map((k) => [k, fromDynamoDBJson(v[k])])) as Item
}

/** Sorts canonical items by their keys so that a scan compares with an expected list. */
export function sortedCanonical(items: Item[], ...keys: string[]): unknown[] {
  const keyOf = (item: Item) =>
    JSON.stringify(keys.map((k) => canonical(item[k] as AttributeValue)))
  return [...items]
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
    .map(canonical)
}

export interface Runner {
  dir: string
  outputs(): Record<string, string>
  summary(): string
  /** Everything written to stdout: log lines and workflow commands (annotations). */
  stdout(): string
}

/**
 * Sets the inputs as a runner does (action.yml defaults for the rest), output and summary files,
 * and captures stdout, for a run() in this process.
 */
export function useRunner(
  inputs: Record<string, string>,
  onStdout: (text: string) => void = () => {},
): Runner {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-test-'))
  const files = runnerFiles(dir)
  const env = {
    ...files,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...inputEnv(inputs),
  }
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value)
  // core.summary remembers the first GITHUB_STEP_SUMMARY it saw; each run here has its own.
  core.summary.emptyBuffer()
  ;(core.summary as unknown as { _filePath?: string | undefined })._filePath = undefined
  let out = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    out += text
    onStdout(text)
    return true
  })
  return {
    dir,
    outputs: () => readOutputs(files.GITHUB_OUTPUT),
    summary: () => fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    stdout: () => out,
  }
}

/** Inputs that point the action at the emulators. */
export function localInputs(): Record<string, string> {
  return {
    region: 'us-east-1',
    'dynamodb-endpoint': inject('dynamodbEndpoint'),
    's3-endpoint': inject('s3Endpoint'),
  }
}

/** DynamoDB JSON lines for items. */
export function jsonLines(items: unknown[], eol = '\n'): string {
  return items.map((item) => JSON.stringify({ Item: item })).join(eol) + eol
}

export interface ProcessRun {
  code: number | null
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null
  stdout: string
  outputs: Record<string, string>
  summary: string
  /** The process's peak resident memory (VmHWM), in bytes. */
  peakRss: number
  /** The INPUT_* variables the action read (test/support/record-inputs.mjs). */
  inputsRead: string[]
  /** What the step saved for its post step (core.saveState), by name. */
  state: Record<string, string>
}

/** Preload that records which INPUT_* variables the bundle reads. */
const RECORD_INPUTS = pathToFileURL(path.join(import.meta.dirname, 'record-inputs.mjs')).href

/** A run of the bundle in progress: the process, and its stdout as it comes. */
export interface DistProcess {
  child: ChildProcess
  /** Resolves with the first stdout line that matches (at once if one already has). */
  line(pattern: RegExp): Promise<string>
  /** Resolves once the process has exited, with all it left. */
  done: Promise<ProcessRun>
}

/**
 * Starts the committed bundle as a child process, exactly as a runner runs it: only the given
 * environment, INPUT_* from action.yml's defaults, output and summary files. For the tests that
 * act on the running process (send it a signal); the others use runDist.
 */
export function spawnDist(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  node = process.execPath,
  nodeArgs: string[] = [],
): DistProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-dist-'))
  const files = runnerFiles(dir)
  const reads = path.join(dir, 'input-reads.json')
  const env = {
    PATH: process.env['PATH'] ?? '',
    ...files,
    ...inputEnv(inputs),
    DSI_INPUT_READS: reads,
    ...extraEnv,
  }
  const args = [...nodeArgs, '--import', RECORD_INPUTS, 'dist/index.js']
  const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  const waiting: Array<{ pattern: RegExp; resolve: (line: string) => void }> = []
  const firstMatch = (pattern: RegExp) => stdout.split('\n').find((l) => pattern.test(l))
  const onData = (d: Buffer) => {
    stdout += d.toString()
    for (const w of [...waiting]) {
      const found = firstMatch(w.pattern)
      if (found !== undefined) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve(found)
      }
    }
  }
  const done = new Promise<ProcessRun>((resolve, reject) => {
    let peakRss = 0
    const watch = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
        peakRss = Math.max(peakRss, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024)
      } catch {
        // the process has ended
      }
    }, 25)
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearInterval(watch)
      resolve({
        code,
        signal,
        stdout,
        outputs: readOutputs(files.GITHUB_OUTPUT),
        summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        peakRss,
        inputsRead: fs.existsSync(reads)
          ? (JSON.parse(fs.readFileSync(reads, 'utf8')) as string[])
          : [],
        state: readOutputs(files.GITHUB_STATE),
      })
    })
  })
  return {
    child,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const found = firstMatch(pattern)
        if (found !== undefined) return resolve(found)
        waiting.push({ pattern, resolve })
        // The process ended without the line: the test fails with what it wrote instead.
        void done.then((run) =>
          reject(
            new Error(
              `the action ended (code ${run.code}) without a line matching ${pattern}:\n${run.stdout}`,
            ),
          ),
        )
      }),
    done,
  }
}

/** Runs the committed bundle to its end (see spawnDist). */
export function runDist(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  node = process.execPath,
  nodeArgs: string[] = [],
): Promise<ProcessRun> {
  return spawnDist(inputs, extraEnv, node, nodeArgs).done
}

/**
 * The environment the runner gives a step's post step: each value the step saved as STATE_<name>.
 * Pass it to runDist with the step's inputs to run the post step as the runner does.
 */
export function stateEnv(state: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
}

/**
 * Appends one scenario's figures to the file SCENARIO_REPORT names, when it is set, for the
 * reliability table of the release notes (`SCENARIO_REPORT=/tmp/r.jsonl npx vitest run test/reliability.test.ts`).
 * A no-op in ordinary runs.
 */
export function recordScenario(row: {
  scenario: string
  faults: number | string
  expected: number
  written: number
  rejected: number
  outcome: string
  peakRssMiB?: number
}): void {
  const file = process.env['SCENARIO_REPORT']
  if (file) fs.appendFileSync(file, JSON.stringify(row) + '\n')
}

/** The names of the inputs and outputs action.yml declares, sorted. */
export function actionManifest(): { inputs: string[]; outputs: string[] } {
  const text = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8')
  const action = YAML.parse(text) as { inputs: object; outputs: object }
  return { inputs: Object.keys(action.inputs).sort(), outputs: Object.keys(action.outputs).sort() }
}

/** The variable the runner sets for an input: INPUT_ + the name, spaces as _, upper case. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * A clock for run({ now, sleep, every }) on which every pause ends at once and moves the time on by
 * its length: throttling that lasts minutes, and a stall, play out in milliseconds of real time.
 * Periodic timers (`every`) fire as the time passes their due times, in order.
 */
export function virtualClock(start = 0): {
  now: () => number
  sleep: (ms: number) => Promise<void>
  every: (ms: number, tick: () => void) => () => void
  /** Moves the time on by `ms`, firing the timers due on the way. */
  advance: (ms: number) => void
  /** Milliseconds since the start. */
  elapsed: () => number
} {
  let time = start
  const timers: Array<{ due: number; ms: number; tick: () => void; stopped: boolean }> = []
  const advance = (ms: number) => {
    const target = time + Math.max(0, ms)
    for (;;) {
      const next = timers
        .filter((t) => !t.stopped && t.due <= target)
        .sort((a, b) => a.due - b.due)[0]
      if (!next) break
      time = next.due
      next.due += next.ms
      next.tick()
    }
    time = target
  }
  return {
    now: () => time,
    sleep: async (ms) => advance(ms),
    every: (ms, tick) => {
      const timer = { due: time + ms, ms, tick, stopped: false }
      timers.push(timer)
      return () => {
        timer.stopped = true
      }
    },
    advance,
    elapsed: () => time - start,
  }
}

/**
 * A workspace holding the given files (paths relative to it, folders made as needed), by its real
 * path: the action resolves the symlinks of GITHUB_WORKSPACE before it compares paths.
 */
export function workspaceWith(files: Record<string, string | Uint8Array>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-workspace-')))
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), content)
  }
  return root
}

/** One record of a run's rejected-file, as the action writes it (one JSON object a line). */
export interface RejectedLine {
  kind: string
  reason: string
  records: number
  location?: string
}

/** The records of a rejected-file. */
export function rejectedLines(file: string): RejectedLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RejectedLine)
}

/** One real turn of the event loop: whatever the streams had to deliver is delivered. */
export const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Reads `source` in the background: its text so far, and how it ended. */
export function readInBackground(source: AsyncIterable<Uint8Array>) {
  const state = { text: '', done: false, error: undefined as Error | undefined }
  const finished = (async () => {
    try {
      for await (const chunk of source) state.text += Buffer.from(chunk).toString()
    } catch (err) {
      state.error = err as Error
    }
    state.done = true
  })()
  return { state, finished }
}

/**
 * What an import that stalled must show, whatever silenced DynamoDB: nothing imported, every
 * record read counted as unwritten and kept in rejected-file, for `reason`. Returns the records read.
 */
export function expectStalled(outputs: Record<string, string>, reason: RegExp): number {
  const read = Number(outputs['processed-item-count'])
  expect(read).toBeGreaterThan(0)
  expect(outputs).toMatchObject({
    status: 'FAILED',
    'failure-code': 'ItemsNotWritten',
    'imported-item-count': '0',
    'error-count': String(read),
  })
  const rejected = rejectedLines(outputs['rejected-file'] as string)
  expect(rejected.reduce((n, r) => n + r.records, 0)).toBe(read)
  expect(rejected.every((r) => r.kind === 'unwritten')).toBe(true)
  expect(rejected[0]?.reason).toMatch(reason)
  return read
}
