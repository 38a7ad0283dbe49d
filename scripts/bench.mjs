// npm run bench: how fast the stream engine writes and parses, and how much memory it holds,
// as ratios taken in one run on this machine (absolute times are noisy here; ratios are not).
// Starts its own emulators. Prints a table, then one JSON line with every figure.
//
//   node scripts/bench.mjs [--items 200000] [--sweep-items 50000] [--runs 3] [--rss-mb 1024] [--quick]
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createGunzip, gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { BatchWriteItemCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { inputEnv, readOutputs, runnerFiles } from './action-env.mjs'
import { benchItem as item } from './bench-items.mjs'
import {
  createSampleTable,
  localClientConfig,
  s3ClientConfig,
  startEmulators,
} from './emulators.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '200000' },
    'sweep-items': { type: 'string', default: '50000' },
    'parse-items': { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
    'rss-mb': { type: 'string', default: '1024' },
    quick: { type: 'boolean', default: false },
    'sink-items': { type: 'string', default: '300000' },
    only: { type: 'string', default: '' },
  },
})
const quick = args.quick
const ITEMS = quick ? 20_000 : Number(args.items)
const SWEEP_ITEMS = quick ? 10_000 : Number(args['sweep-items'])
const PARSE_ITEMS = quick ? 50_000 : Number(args['parse-items'])
const RUNS = quick ? 1 : Number(args.runs)
const RSS_BYTES = (quick ? 64 : Number(args['rss-mb'])) * 2 ** 20
const SINK_ITEMS = quick ? 50_000 : Number(args['sink-items'])
const OBJECTS = 8
const DEFAULT_CONCURRENCY = 16
const SWEEP = [1, 4, 8, 16, 32]
/** write-threads of the sink sweep: 0 sends every call on the main thread. */
const SINK_THREADS = [0, 1, 2, 3]
const BATCH = 25

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamodb-s3-import-bench-'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const log = (m) => process.stderr.write(`${m}\n`)

const jsonLine = (i) => JSON.stringify({ Item: item(i) })
const csvHeader = 'pk,sk,name,score,payload'
const csvLine = (i) => {
  const it = item(i)
  return [it.pk.S, it.sk.N, it.name.S, it.score.N, it.payload.S].join(',')
}
/** The same item as a DynamoDB export writes it in Ion text. */
const ionLine = (i) => {
  const it = item(i)
  const num = (n) => (n.includes('.') ? n : `${n}.`)
  return (
    `$ion_1_0 {Item:{pk:"${it.pk.S}",sk:${num(it.sk.N)},name:"${it.name.S}",score:${num(it.score.N)},` +
    `tags:$dynamodb_SS::["bench","t${i % 13}"],active:${it.active.BOOL},` +
    `address:{city:"${it.address.M.city.S}",zip:${num(it.address.M.zip.N)}},history:[${num(it.history.L[0].N)},"created"],` +
    `payload:"${it.payload.S}"}}`
  )
}

/** The same item as a plain JSON document (input-format JSON), numbers written out exactly. */
const docLine = (i) => {
  const it = item(i)
  return (
    `{"pk":"${it.pk.S}","sk":${it.sk.N},"name":"${it.name.S}","score":${it.score.N},` +
    `"tags":["bench","t${i % 13}"],"active":${it.active.BOOL},` +
    `"address":{"city":"${it.address.M.city.S}","zip":${it.address.M.zip.N}},` +
    `"history":[${it.history.L[0].N},"created"],"payload":"${it.payload.S}"}`
  )
}
/** One JSON array of documents, one per line (a pretty-printed array's shape). */
function jsonArray(from, to) {
  const docs = []
  for (let i = from; i < to; i++) docs.push(docLine(i))
  return `[\n${docs.join(',\n')}\n]\n`
}

function text(lineOf, from, to, header) {
  const lines = header ? [header] : []
  for (let i = from; i < to; i++) lines.push(lineOf(i))
  return lines.join('\n') + '\n'
}

/** Runs dist/index.js as a runner does; resolves with its wall time, outputs and peak RSS. */
function runAction(inputs, env) {
  const dir = fs.mkdtempSync(path.join(work, 'run-'))
  const files = runnerFiles(dir)
  const cpuFile = path.join(dir, 'cpu.json')
  const started = process.hrtime.bigint()
  const preload = path.join(root, 'scripts', 'cpu-report.mjs')
  const child = spawn(
    process.execPath,
    ['--import', preload, path.join(root, 'dist', 'index.js')],
    {
      env: {
        ...process.env,
        ...files,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        GITHUB_WORKSPACE: work,
        DSI_CPU_REPORT: cpuFile,
        ...env,
        ...inputEnv(inputs),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  let peak = 0
  const watch = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
      peak = Math.max(peak, kb * 1024)
    } catch {
      // the process has ended
    }
  }, 50)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => {
      clearInterval(watch)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const outputs = readOutputs(files.GITHUB_OUTPUT)
      if (code !== 0)
        return reject(new Error(`the action exited ${code}: ${JSON.stringify(outputs)}`))
      const cpu = fs.existsSync(cpuFile) ? JSON.parse(fs.readFileSync(cpuFile, 'utf8')) : undefined
      resolve({
        seconds,
        outputs,
        peakRss: peak,
        cpuMicros: cpu ? cpu.user + cpu.system : undefined,
      })
    })
  })
}

/** Threads of the transport-only ceiling: one per core. */
const CEILING_THREADS = os.availableParallelism()

/** scripts/send-ceiling.mjs in its own process: the SDK's transport alone, pre-encoded bodies. */
function sendCeiling(endpoint) {
  const script = path.join(root, 'scripts', 'send-ceiling.mjs')
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [script, endpoint, String(SINK_ITEMS), String(CEILING_THREADS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out).itemsPerSecond)
        : reject(new Error(`send-ceiling exited ${code}`)),
    )
  })
}

/**
 * The engine's own ceiling: the action and a tight SDK loop against a sink (an endpoint in its own
 * process that takes every write at once), interleaved, medians of RUNS. The loop sends pre-built
 * items with BatchWriteItemCommand, 25 per call, 16 calls in flight: what a user could write.
 */
async function sinkFigures() {
  const sink = spawn(process.execPath, [path.join(root, 'scripts', 'sink-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise((resolve, reject) => {
    sink.stdout.once('data', (d) => resolve(JSON.parse(String(d)).port))
    sink.once('error', reject)
  })
  const endpoint = `http://127.0.0.1:${port}`
  try {
    const dir = path.join(work, 'sink')
    fs.mkdirSync(dir, { recursive: true })
    const per = Math.ceil(SINK_ITEMS / OBJECTS)
    for (let o = 0; o < OBJECTS; o++) {
      const body = text(jsonLine, o * per, Math.min(SINK_ITEMS, (o + 1) * per))
      fs.writeFileSync(path.join(dir, `part-${o}.json.gz`), gzipSync(body))
    }
    const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 })
    const loop = async () => {
      const batches = []
      for (let i = 0; i < SINK_ITEMS; i += BATCH) {
        batches.push(
          Array.from({ length: Math.min(BATCH, SINK_ITEMS - i) }, (_, j) => ({
            PutRequest: { Item: item(i + j) },
          })),
        )
      }
      const started = process.hrtime.bigint()
      let next = 0
      const worker = async () => {
        while (next < batches.length) {
          const requests = batches[next++]
          await client.send(new BatchWriteItemCommand({ RequestItems: { sink: requests } }))
        }
      }
      await Promise.all(Array.from({ length: DEFAULT_CONCURRENCY }, worker))
      return SINK_ITEMS / (Number(process.hrtime.bigint() - started) / 1e9)
    }
    // write-threads auto (what a user gets: one thread per core but one), then the sweep.
    const settings = ['auto', ...SINK_THREADS.map(String)]
    const loops = []
    const ceilings = []
    const actions = Object.fromEntries(settings.map((t) => [t, []]))
    const cpu = Object.fromEntries(settings.map((t) => [t, []]))
    await loop() // warm-up
    for (let r = 0; r < RUNS; r++) {
      loops.push(await loop())
      ceilings.push(await sendCeiling(endpoint))
      log(
        `sink run ${r + 1}: SDK transport alone on ${CEILING_THREADS} threads ${Math.round(ceilings.at(-1))} items/s`,
      )
      for (const threads of settings) {
        const run = await runAction({
          table: 'sink',
          source: 'sink/',
          region: 'us-east-1',
          'dynamodb-endpoint': endpoint,
          'write-concurrency': String(DEFAULT_CONCURRENCY),
          'write-threads': threads,
        })
        if (run.outputs['imported-item-count'] !== String(SINK_ITEMS))
          throw new Error(
            `the action imported ${run.outputs['imported-item-count']} of ${SINK_ITEMS}`,
          )
        actions[threads].push(SINK_ITEMS / run.seconds)
        cpu[threads].push(run.cpuMicros / SINK_ITEMS)
        log(
          `sink run ${r + 1}, write-threads ${threads}: SDK loop ${Math.round(loops.at(-1))} items/s, action ${Math.round(actions[threads].at(-1))} items/s, ${cpu[threads].at(-1).toFixed(1)} µs CPU/item`,
        )
      }
    }
    client.destroy()
    const loopRate = median(loops)
    const figure = (t) => ({
      itemsPerSecond: Math.round(median(actions[t])),
      toSdkLoop: Number((median(actions[t]) / loopRate).toFixed(3)),
      cpuMicrosPerItem: Number(median(cpu[t]).toFixed(1)),
    })
    const auto = figure('auto')
    return {
      items: SINK_ITEMS,
      cores: os.availableParallelism(),
      sdkLoopItemsPerSecond: Math.round(loopRate),
      actionItemsPerSecond: auto.itemsPerSecond,
      actionToSdkLoop: auto.toSdkLoop,
      actionCpuMicrosPerItem: auto.cpuMicrosPerItem,
      sendCeilingItemsPerSecond: Math.round(median(ceilings)),
      sendCeilingToSdkLoop: Number((median(ceilings) / loopRate).toFixed(3)),
      threads: Object.fromEntries(SINK_THREADS.map((t) => [t, figure(String(t))])),
    }
  } finally {
    sink.kill('SIGTERM')
  }
}

async function main() {
  if (args.only === 'sink') {
    const sink = await sinkFigures()
    log(
      `SDK transport alone: ${sink.sendCeilingItemsPerSecond} items/s, ${sink.sendCeilingToSdkLoop} of the SDK loop`,
    )
    for (const [t, v] of Object.entries(sink.threads))
      log(
        `write-threads ${t}: ${v.itemsPerSecond} items/s, ${v.toSdkLoop} of the SDK loop, ${v.cpuMicrosPerItem} µs CPU/item`,
      )
    console.log(JSON.stringify({ sink }))
    fs.rmSync(work, { recursive: true, force: true })
    return
  }
  const sink = await sinkFigures()
  log(`sink: ${JSON.stringify(sink)}`)
  log(
    `bench: ${ITEMS} items (sweep ${SWEEP_ITEMS}, parse ${PARSE_ITEMS}), ${RUNS} runs, work dir ${work}`,
  )
  const emulators = await startEmulators()
  const ddb = new DynamoDBClient({
    ...localClientConfig(emulators.dynamodbEndpoint),
    maxAttempts: 10,
  })
  const s3 = new S3Client(s3ClientConfig(emulators.s3Endpoint))
  const local = {
    region: 'us-east-1',
    'dynamodb-endpoint': emulators.dynamodbEndpoint,
    's3-endpoint': emulators.s3Endpoint,
  }
  let tableNumber = 0
  const freshTable = async () => {
    const name = `bench-${++tableNumber}`
    await createSampleTable(emulators.dynamodbEndpoint, name)
    return name
  }
  const dropTable = (name) => ddb.send(new DeleteTableCommand({ TableName: name }))

  try {
    // The data: gzip DYNAMODB_JSON in 8 objects, for the full import and for the sweep.
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }))
    const upload = async (prefix, n) => {
      const per = Math.ceil(n / OBJECTS)
      for (let o = 0; o < OBJECTS; o++) {
        const body = gzipSync(text(jsonLine, o * per, Math.min(n, (o + 1) * per)))
        await s3.send(
          new PutObjectCommand({ Bucket: 'bench', Key: `${prefix}/part-${o}.json.gz`, Body: body }),
        )
      }
    }
    await upload('full', ITEMS)
    await upload('sweep', SWEEP_ITEMS)
    const batchesOf = (n) => {
      const batches = []
      for (let i = 0; i < n; i += BATCH) {
        batches.push(
          Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => ({
            PutRequest: { Item: item(i + j) },
          })),
        )
      }
      return batches
    }

    /** The upper bound: pre-built 25-item batches, `concurrency` calls in flight, nothing else. */
    const upperBound = async (n, concurrency) => {
      const table = await freshTable()
      const batches = batchesOf(n)
      const started = process.hrtime.bigint()
      let next = 0
      const worker = async () => {
        while (next < batches.length) {
          let requests = batches[next++]
          while (requests.length > 0) {
            const out = await ddb.send(
              new BatchWriteItemCommand({ RequestItems: { [table]: requests } }),
            )
            requests = out.UnprocessedItems?.[table] ?? []
          }
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      await dropTable(table)
      return n / seconds
    }
    const action = async (prefix, n, concurrency) => {
      const table = await freshTable()
      const run = await runAction({
        ...local,
        table,
        source: `s3://bench/${prefix}/`,
        'write-concurrency': String(concurrency),
      })
      if (run.outputs['imported-item-count'] !== String(n))
        throw new Error(`imported ${run.outputs['imported-item-count']} of ${n}`)
      await dropTable(table)
      return n / run.seconds
    }

    log('warming up DynamoDB Local (JIT)…')
    await upperBound(Math.min(20_000, ITEMS), DEFAULT_CONCURRENCY)

    // 1-3: the action against the upper bound, at the default concurrency, alternating.
    const bound = []
    const full = []
    for (let r = 0; r < RUNS; r++) {
      bound.push(await upperBound(ITEMS, DEFAULT_CONCURRENCY))
      full.push(await action('full', ITEMS, DEFAULT_CONCURRENCY))
      log(
        `run ${r + 1}: upper bound ${Math.round(bound.at(-1))} items/s, action ${Math.round(full.at(-1))} items/s`,
      )
    }

    // 4: parse-only through the dry-run path, from workspace files, beside bare baselines.
    const parse = {}
    const formats = {
      DYNAMODB_JSON: { body: () => text(jsonLine, 0, PARSE_ITEMS) },
      CSV: { body: () => text(csvLine, 0, PARSE_ITEMS, csvHeader) },
      ION: { body: () => text(ionLine, 0, PARSE_ITEMS) },
      'JSON array': { format: 'JSON', body: () => jsonArray(0, PARSE_ITEMS) },
      'JSON lines': { format: 'JSON', body: () => text(docLine, 0, PARSE_ITEMS) },
    }
    const parseTable = await freshTable()
    for (const [name, spec] of Object.entries(formats)) {
      const format = name
      const body = spec.body()
      for (const compression of ['NONE', 'GZIP']) {
        const dir = path.join(work, `parse-${format.replace(' ', '-')}-${compression}`)
        fs.mkdirSync(dir, { recursive: true })
        const file = path.join(dir, 'data')
        fs.writeFileSync(file, compression === 'GZIP' ? gzipSync(body) : body)
        const rates = []
        const baselines = []
        for (let r = 0; r < RUNS; r++) {
          const run = await runAction({
            ...local,
            table: parseTable,
            source: path.relative(work, dir) + '/',
            'input-format': spec.format ?? format,
            'dry-run': 'true',
          })
          const seconds = Number(run.outputs['duration-seconds'])
          rates.push(PARSE_ITEMS / seconds)
          if (format === 'DYNAMODB_JSON')
            baselines.push(PARSE_ITEMS / (await bareJson(file, compression === 'GZIP')))
        }
        const bytes = Buffer.byteLength(body)
        parse[`${format}/${compression}`] = {
          recordsPerSecond: Math.round(median(rates)),
          mbPerSecond: Number(((median(rates) * bytes) / PARSE_ITEMS / 1e6).toFixed(1)),
          ...(baselines.length && { baselineRecordsPerSecond: Math.round(median(baselines)) }),
        }
        log(`parse ${format}/${compression}: ${JSON.stringify(parse[`${format}/${compression}`])}`)
      }
    }

    // 5: peak RSS of a dry run over one large object, generated here and deleted after: DynamoDB
    // JSON lines, and one plain JSON array (input-format JSON), which is streamed element by element.
    const rss = {}
    for (const [name, format, shape] of [
      ['DYNAMODB_JSON', 'DYNAMODB_JSON', 'lines'],
      ['JSON array', 'JSON', 'array'],
    ]) {
      const rssDir = path.join(work, 'rss')
      fs.mkdirSync(rssDir)
      await writeLargeFile(path.join(rssDir, 'big.json'), RSS_BYTES, shape)
      const peaks = []
      for (let r = 0; r < RUNS; r++) {
        const run = await runAction({
          ...local,
          table: parseTable,
          source: 'rss/',
          'input-format': format,
          'dry-run': 'true',
        })
        peaks.push(run.peakRss)
        log(
          `rss ${name} run ${r + 1}: ${(run.peakRss / 2 ** 20).toFixed(0)} MiB over ${run.outputs['processed-size-bytes']} bytes, ${run.outputs['processed-item-count']} records`,
        )
      }
      rss[name] = Math.round(median(peaks) / 2 ** 20)
      fs.rmSync(rssDir, { recursive: true })
    }

    // 6: the concurrency sweep, the action against the upper bound at each concurrency.
    const sweep = {}
    for (const c of SWEEP) {
      const b = []
      const a = []
      for (let r = 0; r < RUNS; r++) {
        b.push(await upperBound(SWEEP_ITEMS, c))
        a.push(await action('sweep', SWEEP_ITEMS, c))
      }
      sweep[c] = {
        upperBound: Math.round(median(b)),
        action: Math.round(median(a)),
        ratio: Number((median(a) / median(b)).toFixed(3)),
      }
      log(`sweep ${c}: ${JSON.stringify(sweep[c])}`)
    }

    const json = parse['DYNAMODB_JSON/NONE']
    const jsonGz = parse['DYNAMODB_JSON/GZIP']
    const figures = {
      sink,
      items: ITEMS,
      runs: RUNS,
      upperBoundItemsPerSecond: Math.round(median(bound)),
      actionItemsPerSecond: Math.round(median(full)),
      actionToUpperBound: Number((median(full) / median(bound)).toFixed(3)),
      parse,
      parseToBaseline: {
        plain: Number((json.recordsPerSecond / json.baselineRecordsPerSecond).toFixed(3)),
        gzip: Number((jsonGz.recordsPerSecond / jsonGz.baselineRecordsPerSecond).toFixed(3)),
      },
      ionToJson: Number((parse['ION/NONE'].recordsPerSecond / json.recordsPerSecond).toFixed(3)),
      csvToJson: Number((parse['CSV/NONE'].recordsPerSecond / json.recordsPerSecond).toFixed(3)),
      peakRssMiB: rss['DYNAMODB_JSON'],
      peakRssJsonArrayMiB: rss['JSON array'],
      jsonArrayToJson: Number(
        (parse['JSON array/NONE'].recordsPerSecond / json.recordsPerSecond).toFixed(3),
      ),
      rssObjectMiB: Math.round(RSS_BYTES / 2 ** 20),
      sweep,
      bestConcurrency: Number(
        Object.entries(sweep).sort((x, y) => y[1].action - x[1].action)[0][0],
      ),
    }
    printTable(figures)
    console.log(JSON.stringify(figures))
  } finally {
    ddb.destroy()
    s3.destroy()
    await emulators.stop()
    fs.rmSync(work, { recursive: true, force: true })
  }
}

/** The bare baseline: split lines and JSON.parse each, nothing else. Returns seconds. */
async function bareJson(file, gzip) {
  const started = process.hrtime.bigint()
  let stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 })
  if (gzip) stream = stream.pipe(createGunzip())
  let rest = ''
  let n = 0
  for await (const chunk of stream) {
    const lines = (rest + chunk.toString()).split('\n')
    rest = lines.pop()
    for (const l of lines) {
      if (!l) continue
      JSON.parse(l)
      n++
    }
  }
  if (rest) JSON.parse(rest)
  if (n === 0) throw new Error(`the baseline parsed nothing in ${file}`)
  return Number(process.hrtime.bigint() - started) / 1e9
}

/** About `bytes` of DynamoDB JSON lines, or of one JSON array of documents. */
async function writeLargeFile(file, bytes, shape = 'lines') {
  const out = fs.createWriteStream(file)
  const write = async (chunk) => {
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve))
    return Buffer.byteLength(chunk)
  }
  let written = shape === 'array' ? await write('[\n') : 0
  for (let i = 0; written < bytes; i++) {
    const from = i * 1000
    const chunk =
      shape === 'array'
        ? (i > 0 ? ',\n' : '') +
          Array.from({ length: 1000 }, (_, k) => docLine(from + k)).join(',\n')
        : text(jsonLine, from, from + 1000)
    written += await write(chunk)
  }
  if (shape === 'array') await write('\n]\n')
  await new Promise((resolve) => out.end(resolve))
}

function printTable(f) {
  const rows = [
    [`sink: SDK loop, ${f.sink.items} items, items/s`, f.sink.sdkLoopItemsPerSecond, ''],
    [
      `sink: the action (dist/index.js, write-threads auto), items/s`,
      f.sink.actionItemsPerSecond,
      `${f.sink.cores} cores`,
    ],
    ['sink: action / SDK loop', f.sink.actionToSdkLoop, 'target ≥ 1.5'],
    [
      `sink: SDK transport alone, ${f.sink.cores} threads, pre-encoded bodies, items/s`,
      `${f.sink.sendCeilingItemsPerSecond} (${f.sink.sendCeilingToSdkLoop} of the loop)`,
      'no reading or validating',
    ],
    ['sink: the action, CPU µs per item (user + system)', f.sink.actionCpuMicrosPerItem, ''],
    ...Object.entries(f.sink.threads).map(([t, v]) => [
      `sink: write-threads ${t}: items/s, / SDK loop, CPU µs/item`,
      `${v.itemsPerSecond}, ${v.toSdkLoop}, ${v.cpuMicrosPerItem}`,
      '',
    ]),
    ['upper bound (BatchWriteItem loop), items/s', f.upperBoundItemsPerSecond, ''],
    ['the action (dist/index.js), items/s', f.actionItemsPerSecond, ''],
    ['action / upper bound', f.actionToUpperBound, 'target ≥ 0.9'],
    ...Object.entries(f.parse).map(([k, v]) => [
      `parse ${k}, records/s (MB/s)`,
      `${v.recordsPerSecond} (${v.mbPerSecond})`,
      v.baselineRecordsPerSecond ? `bare JSON.parse ${v.baselineRecordsPerSecond}` : '',
    ]),
    ['parse DYNAMODB_JSON / bare, plain', f.parseToBaseline.plain, 'target ≥ 0.7'],
    ['parse DYNAMODB_JSON / bare, gzip', f.parseToBaseline.gzip, 'target ≥ 0.7'],
    ['parse ION / DYNAMODB_JSON', f.ionToJson, 'target ≥ 0.25'],
    ['parse CSV / DYNAMODB_JSON', f.csvToJson, 'target ≥ 0.5'],
    ['parse JSON array / DYNAMODB_JSON', f.jsonArrayToJson, ''],
    [`peak RSS, dry run of one ${f.rssObjectMiB} MiB object, MiB`, f.peakRssMiB, 'target < 300'],
    [`peak RSS, the same as one JSON array, MiB`, f.peakRssJsonArrayMiB, 'as DYNAMODB_JSON'],
    ...Object.entries(f.sweep).map(([c, v]) => [
      `concurrency ${c}: action / upper bound, items/s`,
      `${v.action} / ${v.upperBound} (${v.ratio})`,
      '',
    ]),
    ['best concurrency of the sweep', f.bestConcurrency, `default ${DEFAULT_CONCURRENCY}`],
  ]
  const width = Math.max(...rows.map((r) => r[0].length))
  console.log(`\nmedians of ${f.runs} runs, ${f.items} items\n`)
  for (const [name, value, note] of rows)
    console.log(`${name.padEnd(width)}  ${String(value).padEnd(24)} ${note}`)
  console.log()
}

await main()
