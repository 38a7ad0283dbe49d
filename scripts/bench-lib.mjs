// What npm run bench and scripts/bench-handlers.mjs share: running the built action as a runner
// does (wall time, CPU time and peak RSS of the whole process), the sink, the plain SDK loop, and
// a CPU-bound neighbour.
import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb'
import { inputEnv, readOutputs, runnerFiles } from './action-env.mjs'
import { benchItem } from './bench-items.mjs'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const BATCH = 25
/** The action's default write-concurrency, and the plain loops' calls in flight. */
export const DEFAULT_CONCURRENCY = 16

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
export const log = (m) => process.stderr.write(`${m}\n`)
export const round = (x, digits = 3) => Number(x.toFixed(digits))
export const mib = (bytes) => Math.round(bytes / 2 ** 20)

/** The machine's load average (1, 5, 15 min) as `uptime` prints it: quoted beside each figure. */
export function load() {
  const text = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')
  return text.slice(0, 3).join(' ')
}

/** Whether `taskset` (util-linux) is there to pin a process to one core. */
export const hasTaskset = spawnSync('taskset', ['--version']).status === 0

/**
 * Runs `node [--import bench-report] script args` as a whole process and resolves with its wall
 * time, its CPU time (user + system, every thread, µs) and its peak RSS (the kernel's maxrss),
 * which the preload writes when the process exits. `pin` runs it under `taskset -c pin`.
 */
export function runProcess(script, args, { env = {}, pin, stdout = 'ignore' } = {}) {
  const report = path.join(
    fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'bench-report-')),
    'report.json',
  )
  const nodeArgs = ['--import', path.join(root, 'scripts', 'bench-report.mjs'), script, ...args]
  const [command, commandArgs] =
    pin === undefined
      ? [process.execPath, nodeArgs]
      : ['taskset', ['-c', String(pin), process.execPath, ...nodeArgs]]
  const started = process.hrtime.bigint()
  const child = spawn(command, commandArgs, {
    env: { ...process.env, ...env, DSI_BENCH_REPORT: report },
    stdio: ['ignore', stdout, 'inherit'],
  })
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const figures = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {}
      fs.rmSync(path.dirname(report), { recursive: true, force: true })
      resolve({
        code,
        seconds,
        out,
        cpuMicros: figures.cpuMicros,
        peakRss: figures.maxRssKiB * 1024,
      })
    })
  })
}

/**
 * Runs the built action (`dist`, dist/index.js by default) as a runner does, in `workspace`;
 * resolves with its outputs and runProcess's figures; rejects when it fails.
 */
export async function runAction(inputs, { dist, workspace, env = {}, pin } = {}) {
  const dir = fs.mkdtempSync(path.join(workspace, 'run-'))
  const files = runnerFiles(dir)
  const run = await runProcess(dist ?? path.join(root, 'dist', 'index.js'), [], {
    pin,
    env: {
      ...files,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      GITHUB_WORKSPACE: workspace,
      ...env,
      ...inputEnv(inputs),
    },
  })
  const outputs = readOutputs(files.GITHUB_OUTPUT)
  fs.rmSync(dir, { recursive: true, force: true })
  if (run.code !== 0) throw new Error(`the action exited ${run.code}: ${JSON.stringify(outputs)}`)
  return { ...run, outputs }
}

/** The sink (scripts/sink-server.mjs) in its own process; resolves with its endpoint and stop(). */
export async function startSink() {
  const sink = spawn(process.execPath, [path.join(root, 'scripts', 'sink-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise((resolve, reject) => {
    sink.stdout.once('data', (d) => resolve(JSON.parse(String(d)).port))
    sink.once('error', reject)
  })
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        sink.once('exit', resolve)
        sink.kill('SIGTERM')
      }),
  }
}

/** `n` bench items in BatchWriteItem-sized batches of PutRequests. */
export function batchesOf(n, from = 0) {
  const batches = []
  for (let i = from; i < from + n; i += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, from + n - i) }, (_, j) => ({
        PutRequest: { Item: benchItem(i + j) },
      })),
    )
  }
  return batches
}

/**
 * The plain SDK loop: pre-built 25-item batches, `concurrency` calls in flight on `client`,
 * unprocessed items sent again; resolves with items per second (the sending only).
 */
export async function sdkLoop(client, table, n, concurrency = DEFAULT_CONCURRENCY) {
  const batches = batchesOf(n)
  const started = process.hrtime.bigint()
  let next = 0
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++]
      while (requests.length > 0) {
        const out = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: requests } }),
        )
        requests = out.UnprocessedItems?.[table] ?? []
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return n / (Number(process.hrtime.bigint() - started) / 1e9)
}

/**
 * One CPU-bound process beside the measured ones (`node -e "for(;;){}"`), as on a shared runner;
 * resolves once it runs, with its stop().
 */
export async function startNeighbour() {
  const child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' })
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  return () =>
    new Promise((resolve) => {
      child.once('exit', resolve)
      child.kill('SIGKILL')
    })
}

/** `fn` with one CPU-bound neighbour running from before it starts until after it ends. */
export async function besideNeighbour(fn) {
  const stop = await startNeighbour()
  try {
    return await fn()
  } finally {
    await stop()
  }
}
