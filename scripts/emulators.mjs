#!/usr/bin/env node
// Local AWS emulators for tests, the demo and CI: DynamoDB Local (Java) and s3rver (Node).
//
// Library:  import { startEmulators } from './emulators.mjs'
// CLI:      node scripts/emulators.mjs start | stop | status
//
// Plain ESM with no TypeScript so it runs unchanged on Node 20 and 24; types live in emulators.d.mts.
import { spawn, execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, closeSync, openSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

const SCRIPTS_DIR = dirname(fileURLToPath(import.meta.url))
const REPO_ROOT = resolve(SCRIPTS_DIR, '..')
const CACHE_DIR = join(REPO_ROOT, '.cache')
const STATE_FILE = join(CACHE_DIR, 'emulators.json')
const S3RVER_RUNNER = join(SCRIPTS_DIR, 's3rver-process.mjs')

// amplify-dynamodb-simulator ships DynamoDB Local (1.25.1 in this version) inside the npm
// package: the only way to get the jar here, since the only reachable hosts are registries.
const SIMULATOR_PACKAGE = 'amplify-dynamodb-simulator'
const SIMULATOR_VERSION = '2.9.30'
const DYNAMODB_LOCAL_DIR = join(CACHE_DIR, 'dynamodb-local', SIMULATOR_VERSION)

const READY_POLL_MS = 200
const READY_TIMEOUT_MS = 60_000
// A single readiness probe must not hang on a half-open socket and eat the whole budget.
const PROBE_TIMEOUT_MS = 2_000
const STOP_GRACE_MS = 5_000
const STDERR_TAIL_BYTES = 4_000

// ---------------------------------------------------------------------------------------------
// Client configuration shared by tests, the demo and the readiness probes
// ---------------------------------------------------------------------------------------------

/** Config for any AWS SDK v3 client talking to a local emulator (fake credentials, fixed region). */
export function localClientConfig(endpoint) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }
}

/**
 * Config for an S3Client talking to s3rver.
 * - forcePathStyle: with virtual-hosted style the SDK would call `bucket.127.0.0.1`.
 * - WHEN_REQUIRED checksums: with the SDK defaults a streamed PutObject is sent aws-chunked and
 *   s3rver silently stores the chunk framing as part of the object.
 */
export function s3ClientConfig(endpoint) {
  return {
    ...localClientConfig(endpoint),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }
}

// ---------------------------------------------------------------------------------------------
// DynamoDB Local jar, fetched once from the npm registry
// ---------------------------------------------------------------------------------------------

/** Returns the directory holding DynamoDBLocal.jar and DynamoDBLocal_lib/, fetching it if needed. */
/**
 * Creates an on-demand table keyed `pk` (S) and `sk` (N), the shape of the sample and bench items,
 * in the DynamoDB Local at `endpoint`, and waits until it is ACTIVE.
 */
export async function createSampleTable(endpoint, name) {
  const { CreateTableCommand, DynamoDBClient, waitUntilTableExists } =
    await import('@aws-sdk/client-dynamodb')
  const client = new DynamoDBClient(localClientConfig(endpoint))
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name })
  } finally {
    client.destroy()
  }
}

export async function ensureDynamoDBLocal() {
  // The cache directory only ever appears through an atomic rename, so its jar means it is whole.
  if (existsSync(join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar'))) return DYNAMODB_LOCAL_DIR

  const parent = dirname(DYNAMODB_LOCAL_DIR)
  await mkdir(parent, { recursive: true })
  // Stage next to the destination: rename(2) is only atomic within one file system.
  const staging = await mkdtemp(join(parent, `.staging-${SIMULATOR_VERSION}-`))
  try {
    // `npm pack` downloads the tarball only, without the ~355 MB of Amplify dependencies.
    await execFileAsync(
      npmCommand(),
      [
        'pack',
        `${SIMULATOR_PACKAGE}@${SIMULATOR_VERSION}`,
        '--pack-destination',
        staging,
        '--silent',
      ],
      { cwd: staging, maxBuffer: 16 * 1024 * 1024 },
    )
    const tarball = (await readdir(staging)).find((name) => name.endsWith('.tgz'))
    if (!tarball) throw new Error(`npm pack ${SIMULATOR_PACKAGE} produced no .tgz in ${staging}`)
    await execFileAsync('tar', ['-xzf', join(staging, tarball), '-C', staging, 'package/emulator'])

    try {
      await rename(join(staging, 'package', 'emulator'), DYNAMODB_LOCAL_DIR)
    } catch (err) {
      // Another process won the race and renamed its complete copy first: use that one.
      const lostRace = err.code === 'ENOTEMPTY' || err.code === 'EEXIST'
      if (!lostRace || !existsSync(join(DYNAMODB_LOCAL_DIR, 'DynamoDBLocal.jar'))) throw err
    }
  } catch (err) {
    throw new Error(
      `Could not fetch DynamoDB Local from ${SIMULATOR_PACKAGE}@${SIMULATOR_VERSION}: ${err.message}`,
      { cause: err },
    )
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
  return DYNAMODB_LOCAL_DIR
}

function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm'
}

// ---------------------------------------------------------------------------------------------
// Starting and stopping
// ---------------------------------------------------------------------------------------------

/**
 * Starts DynamoDB Local and s3rver on free loopback ports and waits until both answer.
 * @param {{ dbPath?: string, log?: (msg: string) => void, logDir?: string, detach?: boolean }} [options]
 *   dbPath: persist DynamoDB tables there instead of in memory.
 *   logDir: where the children's stdout/stderr go (default: a temp dir removed by stop()).
 *   detach: let the emulators outlive this process (the CLI's `start`).
 */
export async function startEmulators(options = {}) {
  const log = options.log ?? (() => {})
  const started = Date.now()
  const emulatorDir = await ensureDynamoDBLocal()
  const ownLogDir = !options.logDir
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'emulators-logs-')))
  await mkdir(logDir, { recursive: true })

  const [dynamodbPort, s3Port] = await Promise.all([freePort(), freePort()])
  const dynamodbEndpoint = `http://127.0.0.1:${dynamodbPort}`
  const s3Endpoint = `http://127.0.0.1:${s3Port}`
  const children = []

  // A crashing test runner must not leave detached JVMs behind; process.kill is synchronous,
  // so it is safe in an 'exit' handler. (Nothing can help against SIGKILL of this process.)
  const killOnExit = () => children.forEach((child) => child.killNow('SIGKILL'))
  if (!options.detach) process.on('exit', killOnExit)
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()))
    process.removeListener('exit', killOnExit)
    if (ownLogDir) await rm(logDir, { recursive: true, force: true })
  }

  try {
    children.push(
      spawnLogged({
        name: 'dynamodb-local',
        command: 'java',
        args: dynamodbLocalArgs(emulatorDir, dynamodbPort, options.dbPath),
        cwd: emulatorDir,
        logDir,
        detach: options.detach,
      }),
    )
    children.push(
      spawnLogged({
        name: 's3rver',
        command: process.execPath,
        args: [
          S3RVER_RUNNER,
          '--port',
          String(s3Port),
          ...(options.detach ? [] : ['--watch-parent']),
        ],
        // s3rver signs continuation tokens with DES, which OpenSSL 3 only has in its legacy
        // provider: without this ListObjectsV2's second page is an HTTP 500.
        env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim() },
        logDir,
        detach: options.detach,
      }),
    )
    if (options.dbPath) await mkdir(options.dbPath, { recursive: true })

    log(`waiting for DynamoDB Local at ${dynamodbEndpoint} and s3rver at ${s3Endpoint}`)
    await waitUntilReady(children, [
      () => probeDynamoDB(dynamodbEndpoint),
      () => probeS3(s3Endpoint),
    ])
    log(`emulators ready in ${Date.now() - started} ms`)
  } catch (err) {
    await stop()
    throw err
  }

  return {
    dynamodbEndpoint,
    s3Endpoint,
    pids: { dynamodb: children[0].pid, s3: children[1].pid },
    logDir,
    stop,
  }
}

function dynamodbLocalArgs(emulatorDir, port, dbPath) {
  return [
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(emulatorDir, 'DynamoDBLocal.jar'),
    // Without -sharedDb every access key + region pair sees a database of its own.
    '-sharedDb',
    // Otherwise it tries to phone home, which only slows startup here.
    '-disableTelemetry',
    '-port',
    String(port),
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
  ]
}

/** Asks the OS for a free loopback port. Racy in theory, but ports are not reused that fast. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

/**
 * Spawns a child in its own process group (detached) so that stopping it also stops anything it
 * started, with stdout/stderr in log files: files never fill up and block the child the way an
 * undrained pipe does, and they outlive a detached start.
 */
function spawnLogged({ name, command, args, cwd, env, logDir, detach }) {
  const stdoutPath = join(logDir, `${name}.out.log`)
  const stderrPath = join(logDir, `${name}.err.log`)
  const stdoutFd = openSync(stdoutPath, 'w')
  const stderrFd = openSync(stderrPath, 'w')
  let child
  try {
    child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', stdoutFd, stderrFd],
      detached: true,
    })
  } finally {
    // The child holds its own copies of the descriptors.
    closeSync(stdoutFd)
    closeSync(stderrFd)
  }
  if (detach) child.unref()

  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }))
    child.once('error', (error) => resolveExit({ error }))
  })
  const describeExit = async () => {
    const result = await exited
    const how = result.error
      ? result.error.code === 'ENOENT'
        ? `could not run "${command}": not found on PATH`
        : result.error.message
      : `exited early with ${result.signal ?? `code ${result.code}`}`
    const tail = (await fileTail(stderrPath)) || (await fileTail(stdoutPath))
    return `${name} ${how}${tail ? `\n--- ${name} output (tail) ---\n${tail}` : ''}`
  }

  return {
    name,
    pid: child.pid,
    exited,
    describeExit,
    killNow: (signal) => killGroup(child.pid, signal),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
      killGroup(child.pid, 'SIGTERM')
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Signals a whole process group; a group that is already gone is not an error. */
function killGroup(pid, signal) {
  if (!pid) return false
  try {
    process.kill(-pid, signal)
    return true
  } catch (err) {
    if (err.code === 'ESRCH') return false
    throw err
  }
}

async function fileTail(path) {
  try {
    const handle = await open(path, 'r')
    try {
      const { size } = await handle.stat()
      const length = Math.min(size, STDERR_TAIL_BYTES)
      const buffer = Buffer.alloc(length)
      await handle.read(buffer, 0, length, size - length)
      return buffer.toString('utf8').trim()
    } finally {
      await handle.close()
    }
  } catch {
    return ''
  }
}

/**
 * Polls every probe until each has answered once. Fails as soon as a child exits (with its
 * output), or after READY_TIMEOUT_MS.
 */
async function waitUntilReady(children, probes) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let settled = false
  const earlyExit = Promise.race(children.map((child) => child.exited.then(() => child))).then(
    async (child) => {
      if (!settled) throw new Error(await child.describeExit())
    },
  )

  const pollOne = async (probe) => {
    let lastError
    while (!settled && Date.now() < deadline) {
      try {
        await probe()
        return
      } catch (err) {
        lastError = err
      }
      await sleep(READY_POLL_MS)
    }
    if (!settled) {
      throw new Error(
        `emulators not ready after ${READY_TIMEOUT_MS / 1000} s: ${lastError?.name ?? ''} ${lastError?.message ?? ''}`.trim(),
      )
    }
  }

  try {
    await Promise.race([Promise.all(probes.map(pollOne)), earlyExit])
  } finally {
    settled = true
  }
}

async function probeDynamoDB(endpoint) {
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb')
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 })
  try {
    await client.send(new ListTablesCommand({}), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
  } finally {
    client.destroy()
  }
}

async function probeS3(endpoint) {
  const { S3Client, ListBucketsCommand } = await import('@aws-sdk/client-s3')
  const client = new S3Client({ ...s3ClientConfig(endpoint), maxAttempts: 1 })
  try {
    await client.send(new ListBucketsCommand({}), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
  } finally {
    client.destroy()
  }
}

const sleep = (ms) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

/**
 * Stops emulators known only by PID (started by another process, e.g. `emulators.mjs start`):
 * SIGTERM to each process group, SIGKILL after 5 s, then waits until they are gone.
 * @param {{ dynamodb?: number, s3?: number }} pids
 */
export async function stopByPids(pids) {
  const all = Object.values(pids ?? {}).filter((pid) => Number.isInteger(pid) && pid > 0)
  await Promise.all(
    all.map(async (pid) => {
      if (!killGroup(pid, 'SIGTERM')) return
      const deadline = Date.now() + STOP_GRACE_MS
      while (isAlive(pid) && Date.now() < deadline) await sleep(100)
      if (isAlive(pid)) {
        killGroup(pid, 'SIGKILL')
        while (isAlive(pid)) await sleep(100)
      }
    }),
  )
}

/** True while the process exists and is not a zombie (an unreaped child of a PID 1 that never reaps). */
function isAlive(pid) {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return err.code === 'EPERM'
  }
  try {
    // /proc/<pid>/stat: "pid (comm) STATE ...": comm may contain spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (macOS): trust kill(0)
  }
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

async function readState() {
  try {
    return JSON.parse(await readFile(STATE_FILE, 'utf8'))
  } catch (err) {
    if (err.code === 'ENOENT') return undefined
    throw err
  }
}

function printEndpoints(state) {
  console.log(`DYNAMODB_ENDPOINT=${state.dynamodbEndpoint}`)
  console.log(`S3_ENDPOINT=${state.s3Endpoint}`)
}

async function cliStart(args) {
  const existing = await readState()
  if (existing && Object.values(existing.pids).every(isAlive)) {
    console.error(`emulators already running (pids ${JSON.stringify(existing.pids)})`)
    printEndpoints(existing)
    return
  }
  if (existing) await stopByPids(existing.pids) // half-dead leftovers of an earlier start

  const dbPathIndex = args.indexOf('--db-path')
  const dbPath = dbPathIndex >= 0 ? resolve(args[dbPathIndex + 1] ?? '') : undefined
  const emulators = await startEmulators({
    ...(dbPath ? { dbPath } : {}),
    logDir: CACHE_DIR,
    detach: true,
    log: (msg) => console.error(msg),
  })
  const state = {
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    s3Endpoint: emulators.s3Endpoint,
    pids: emulators.pids,
  }
  // Write then rename so a concurrent `status` never reads half a file.
  const tmp = `${STATE_FILE}.${randomBytes(4).toString('hex')}`
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`)
  await rename(tmp, STATE_FILE)
  console.error(`logs: ${join(CACHE_DIR, '*.log')}`)
  printEndpoints(state)
}

async function cliStop() {
  const state = await readState()
  if (!state) {
    console.error('emulators not running (no .cache/emulators.json)')
    return
  }
  await stopByPids(state.pids)
  await rm(STATE_FILE, { force: true })
  console.error(`stopped emulators (pids ${JSON.stringify(state.pids)})`)
}

async function cliStatus() {
  const state = await readState()
  if (!state) {
    console.log('emulators not running (no .cache/emulators.json)')
    process.exitCode = 1
    return
  }
  const alive = Object.fromEntries(
    Object.entries(state.pids).map(([name, pid]) => [name, isAlive(pid)]),
  )
  console.log(JSON.stringify({ ...state, alive }, null, 2))
  if (!Object.values(alive).every(Boolean)) process.exitCode = 1
}

async function main(argv) {
  const [command, ...args] = argv
  switch (command) {
    case 'start':
      return cliStart(args)
    case 'stop':
      return cliStop()
    case 'status':
      return cliStatus()
    default:
      console.error('usage: node scripts/emulators.mjs start [--db-path DIR] | stop | status')
      process.exitCode = 2
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message)
    process.exitCode = 1
  })
}
