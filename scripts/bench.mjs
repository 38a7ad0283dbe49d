// npm run bench: the stream engine's targets as ratios taken in one run on this machine (absolute
// times are noisy here; ratios of runs taken in turn are not), each row naming the setting it
// measures. Starts its own emulators and sink. Prints a table, then one JSON line with every figure.
//
//   node scripts/bench.mjs [--quick] [--runs 3] [--items 100000] [--sink-items 200000]
//     [--parse-items 100000] [--verify-items 50000] [--job-runs 5] [--rss-mb 1024]
//     [--only sink,local,job,parse,verify,rss]
//     [--dist path/to/index.js]
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createGunzip, gzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { benchItem as item } from './bench-items.mjs'
import { NOT_AVAILABLE, batchGetLoop, verifyAvailable, verifyRate } from './bench-verify.mjs'
import {
  besideNeighbour,
  load,
  log,
  median,
  mib,
  root,
  round,
  runAction,
  runProcess,
  sdkLoop,
  startSink,
} from './bench-lib.mjs'
import {
  createSampleTable,
  localClientConfig,
  s3ClientConfig,
  startEmulators,
} from './emulators.mjs'

const SECTIONS = ['sink', 'local', 'job', 'parse', 'verify', 'rss']
const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    'sink-items': { type: 'string', default: '200000' },
    'parse-items': { type: 'string', default: '100000' },
    'verify-items': { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    'job-runs': { type: 'string', default: '5' },
    'rss-mb': { type: 'string', default: '1024' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: SECTIONS.join(',') },
    dist: { type: 'string', default: path.join(root, 'dist', 'index.js') },
  },
})
const quick = args.quick
const ITEMS = quick ? 5_000 : Number(args.items)
const SINK_ITEMS = quick ? 20_000 : Number(args['sink-items'])
const PARSE_ITEMS = quick ? 10_000 : Number(args['parse-items'])
const VERIFY_ITEMS = quick ? 5_000 : Number(args['verify-items'])
const RUNS = quick ? 1 : Number(args.runs)
const JOB_RUNS = quick ? 2 : Number(args['job-runs'])
const RSS_BYTES = (quick ? 32 : Number(args['rss-mb'])) * 2 ** 20
const ONLY = new Set(args.only.split(','))
const DIST = path.resolve(args.dist)
/** The most common job: this many fixture items from one workspace file. */
const JOB_ITEMS = 300
const OBJECTS = 8

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamodb-s3-import-bench-'))
const action = (inputs, options = {}) =>
  runAction(inputs, { dist: DIST, workspace: work, ...options })

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
/** `n` items as gzip DYNAMODB_JSON in OBJECTS parts: yields [name, body]. */
function* parts(n) {
  const per = Math.ceil(n / OBJECTS)
  for (let o = 0; o < OBJECTS; o++)
    yield [`part-${o}.json.gz`, gzipSync(text(jsonLine, o * per, Math.min(n, (o + 1) * per)))]
}

/**
 * Against the sink (an endpoint in its own process that takes every write at once): the action
 * with default settings (write-threads auto, which starts no thread against a custom endpoint)
 * and the plain SDK loop (pre-built items, BatchWriteItemCommand, 25 per call, 16 in flight) in
 * turn; the same pair beside one CPU-bound process; and write-threads 1, for what a thread costs
 * and gains. The action's rate is items over its whole process's wall time, start included.
 */
async function sinkFigures() {
  const sink = await startSink()
  try {
    const dir = path.join(work, 'sink')
    fs.mkdirSync(dir, { recursive: true })
    for (const [name, body] of parts(SINK_ITEMS)) fs.writeFileSync(path.join(dir, name), body)
    const client = new DynamoDBClient({ ...localClientConfig(sink.endpoint), maxAttempts: 1 })
    const run = async (threads) => {
      const r = await action({
        table: 'sink',
        source: 'sink/',
        region: 'us-east-1',
        'dynamodb-endpoint': sink.endpoint,
        ...(threads !== undefined && { 'write-threads': String(threads) }),
      })
      if (r.outputs['imported-item-count'] !== String(SINK_ITEMS))
        throw new Error(`the action imported ${r.outputs['imported-item-count']} of ${SINK_ITEMS}`)
      return { rate: SINK_ITEMS / r.seconds, cpu: r.cpuMicros / SINK_ITEMS, rss: r.peakRss }
    }
    const loop = () => sdkLoop(client, 'sink', SINK_ITEMS)
    await loop() // warm-up
    const idle = { loop: [], action: [], cpu: [], rss: [] }
    const busy = { loop: [], action: [], cpu: [] }
    const thread = { rate: [], cpu: [], rss: [] }
    for (let r = 0; r < RUNS; r++) {
      idle.loop.push(await loop())
      const a = await run()
      idle.action.push(a.rate)
      idle.cpu.push(a.cpu)
      idle.rss.push(a.rss)
      const t = await run(1)
      thread.rate.push(t.rate)
      thread.cpu.push(t.cpu)
      thread.rss.push(t.rss)
      log(
        `sink run ${r + 1} (load ${load()}): SDK loop ${Math.round(idle.loop.at(-1))} items/s, action (threads auto = 0) ${Math.round(a.rate)} items/s ${a.cpu.toFixed(1)} µs CPU/item ${mib(a.rss)} MiB, write-threads 1 ${Math.round(t.rate)} items/s ${mib(t.rss)} MiB`,
      )
      await besideNeighbour(async () => {
        busy.loop.push(await loop())
        const b = await run()
        busy.action.push(b.rate)
        busy.cpu.push(b.cpu)
      })
      log(
        `sink run ${r + 1} beside a CPU-bound process (load ${load()}): SDK loop ${Math.round(busy.loop.at(-1))} items/s, action ${Math.round(busy.action.at(-1))} items/s`,
      )
    }
    client.destroy()
    return {
      items: SINK_ITEMS,
      cores: os.availableParallelism(),
      idle: {
        sdkLoopItemsPerSecond: Math.round(median(idle.loop)),
        actionItemsPerSecond: Math.round(median(idle.action)),
        actionToSdkLoop: round(median(idle.action) / median(idle.loop)),
        actionCpuMicrosPerItem: round(median(idle.cpu), 1),
        actionPeakRssMiB: mib(median(idle.rss)),
      },
      neighbour: {
        sdkLoopItemsPerSecond: Math.round(median(busy.loop)),
        actionItemsPerSecond: Math.round(median(busy.action)),
        actionToSdkLoop: round(median(busy.action) / median(busy.loop)),
        actionCpuMicrosPerItem: round(median(busy.cpu), 1),
      },
      oneThread: {
        itemsPerSecond: Math.round(median(thread.rate)),
        toNoThread: round(median(thread.rate) / median(idle.action)),
        cpuMicrosPerItem: round(median(thread.cpu), 1),
        peakRssMiB: mib(median(thread.rss)),
        extraMiB: mib(median(thread.rss) - median(idle.rss)),
      },
      load: load(),
    }
  } finally {
    await sink.stop()
  }
}

/** Peak RSS of a real (not dry) import of one RSS_BYTES file into the sink, and of a dry run. */
async function rssFigures() {
  const sink = await startSink()
  const dir = path.join(work, 'rss')
  try {
    fs.mkdirSync(dir)
    await writeLargeFile(path.join(dir, 'big.json'), RSS_BYTES)
    const figures = {}
    for (const dryRun of [false, true]) {
      const r = await action({
        table: 'sink',
        source: 'rss/',
        region: 'us-east-1',
        'dynamodb-endpoint': sink.endpoint,
        'dry-run': String(dryRun),
      })
      const name = dryRun ? 'dry' : 'real'
      figures[name] = {
        peakRssMiB: mib(r.peakRss),
        items: Number(r.outputs['processed-item-count']),
        seconds: round(r.seconds, 1),
      }
      log(`rss ${name} (load ${load()}): ${JSON.stringify(figures[name])}`)
    }
    return { objectMiB: mib(RSS_BYTES), ...figures, load: load() }
  } finally {
    await sink.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Sections that need DynamoDB Local and the S3 server. */
async function emulatorFigures() {
  const emulators = await startEmulators()
  const endpoint = emulators.dynamodbEndpoint
  const ddb = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 10 })
  const s3 = new S3Client(s3ClientConfig(emulators.s3Endpoint))
  const local = {
    region: 'us-east-1',
    'dynamodb-endpoint': endpoint,
    's3-endpoint': emulators.s3Endpoint,
  }
  let tableNumber = 0
  const freshTable = async () => {
    const name = `bench-${++tableNumber}`
    await createSampleTable(endpoint, name)
    return name
  }
  const dropTable = (name) => ddb.send(new DeleteTableCommand({ TableName: name }))
  const figures = {}
  try {
    log('warming up DynamoDB Local (JIT)…')
    const warm = await freshTable()
    await sdkLoop(ddb, warm, Math.min(20_000, ITEMS))
    await dropTable(warm)

    if (ONLY.has('local')) {
      // The action against the raw BatchWriteItem bound (the plain loop at the same concurrency),
      // in turn, each on a fresh table: gzip DYNAMODB_JSON in 8 objects from the S3 server.
      await s3.send(new CreateBucketCommand({ Bucket: 'bench' }))
      for (const [name, body] of parts(ITEMS))
        await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `full/${name}`, Body: body }))
      const bound = []
      const full = []
      for (let r = 0; r < RUNS; r++) {
        let table = await freshTable()
        bound.push(await sdkLoop(ddb, table, ITEMS))
        await dropTable(table)
        table = await freshTable()
        const run = await action({ ...local, table, source: 's3://bench/full/' })
        if (run.outputs['imported-item-count'] !== String(ITEMS))
          throw new Error(`imported ${run.outputs['imported-item-count']} of ${ITEMS}`)
        full.push(ITEMS / run.seconds)
        await dropTable(table)
        log(
          `local run ${r + 1} (load ${load()}): raw bound ${Math.round(bound.at(-1))} items/s, action ${Math.round(full.at(-1))} items/s`,
        )
      }
      figures.local = {
        items: ITEMS,
        boundItemsPerSecond: Math.round(median(bound)),
        actionItemsPerSecond: Math.round(median(full)),
        actionToBound: round(median(full) / median(bound)),
        load: load(),
      }
    }

    if (ONLY.has('job')) figures.job = await jobFigures(endpoint, freshTable)
    if (ONLY.has('parse')) figures.parse = await parseFigures(local, await freshTable())
    if (ONLY.has('verify')) figures.verify = await verifyFigures(local, ddb, freshTable, dropTable)
  } finally {
    ddb.destroy()
    s3.destroy()
    await emulators.stop()
  }
  return figures
}

/**
 * The most common job: JOB_ITEMS fixture items from a workspace file into DynamoDB Local, the
 * whole process of the action against the whole process of a plain SDK script
 * (scripts/bench-sdk-script.mjs) that reads the same file and sends the same calls of 25.
 */
async function jobFigures(endpoint, freshTable) {
  const table = await freshTable()
  const dir = path.join(work, 'job')
  fs.mkdirSync(dir)
  const file = path.join(dir, 'fixture.json')
  fs.writeFileSync(file, text(jsonLine, 0, JOB_ITEMS))
  const script = path.join(root, 'scripts', 'bench-sdk-script.mjs')
  const credentials = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }
  const runScript = async () => {
    const r = await runProcess(script, [file, table, endpoint], { env: credentials })
    if (r.code !== 0) throw new Error(`the SDK script exited ${r.code}`)
    return r
  }
  const runTheAction = async () => {
    const r = await action({
      table,
      source: 'job/fixture.json',
      region: 'us-east-1',
      'dynamodb-endpoint': endpoint,
    })
    if (r.outputs['imported-item-count'] !== String(JOB_ITEMS))
      throw new Error(`imported ${r.outputs['imported-item-count']} of ${JOB_ITEMS}`)
    return r
  }
  await runTheAction() // warm-up of both: the file cache, DynamoDB Local's JIT
  await runScript()
  const a = { seconds: [], rss: [] }
  const s = { seconds: [], rss: [] }
  for (let r = 0; r < JOB_RUNS; r++) {
    for (const [side, run] of [
      [a, runTheAction],
      [s, runScript],
    ]) {
      const x = await run()
      side.seconds.push(x.seconds)
      side.rss.push(x.peakRss)
    }
    log(
      `job run ${r + 1} (load ${load()}): action ${a.seconds.at(-1).toFixed(3)} s ${mib(a.rss.at(-1))} MiB, SDK script ${s.seconds.at(-1).toFixed(3)} s ${mib(s.rss.at(-1))} MiB`,
    )
  }
  return {
    items: JOB_ITEMS,
    runs: JOB_RUNS,
    actionSeconds: round(median(a.seconds)),
    scriptSeconds: round(median(s.seconds)),
    actionToScript: round(median(a.seconds) / median(s.seconds)),
    actionPeakRssMiB: mib(median(a.rss)),
    scriptPeakRssMiB: mib(median(s.rss)),
    load: load(),
  }
}

/**
 * The read-back: the action with `mode: verify` (`verify: full`) over VERIFY_ITEMS bench items
 * loaded first, its source the same items as gzip DYNAMODB_JSON in 8 workspace files, against
 * the plain BatchGetItem loop over the same keys (100 a call, consistent reads, 16 in flight), in
 * turn on the same table. The action's rate is over its whole process's wall time: its start and
 * the reading and parsing of the source are in it, which the loop does not do. Where the build
 * has no `mode: verify` (action.yml has no `verify` input), the loop alone, and a line saying so.
 */
async function verifyFigures(local, ddb, freshTable, dropTable) {
  const table = await freshTable()
  await sdkLoop(ddb, table, VERIFY_ITEMS)
  const loop = () => batchGetLoop(ddb, table, VERIFY_ITEMS)
  const available = verifyAvailable()
  const verify = async () => {
    const run = await action({ ...local, table, source: 'verify/', mode: 'verify', verify: 'full' })
    return verifyRate(run, VERIFY_ITEMS)
  }
  if (available) {
    const dir = path.join(work, 'verify')
    fs.mkdirSync(dir, { recursive: true })
    for (const [name, body] of parts(VERIFY_ITEMS)) fs.writeFileSync(path.join(dir, name), body)
    await verify() // warm-up: the file cache, DynamoDB Local's JIT for reads
  } else {
    log(NOT_AVAILABLE)
  }
  await loop()
  const rates = { loop: [], action: [] }
  for (let r = 0; r < RUNS; r++) {
    rates.loop.push(await loop())
    let line = `verify run ${r + 1} (load ${load()}): BatchGetItem loop ${Math.round(rates.loop.at(-1))} items/s`
    if (available) {
      rates.action.push(await verify())
      line += `, action (mode verify, verify full) ${Math.round(rates.action.at(-1))} items/s`
    }
    log(line)
  }
  await dropTable(table)
  const loopRate = median(rates.loop)
  return {
    items: VERIFY_ITEMS,
    available,
    batchGetLoopItemsPerSecond: Math.round(loopRate),
    ...(available && {
      actionItemsPerSecond: Math.round(median(rates.action)),
      actionToBatchGetLoop: round(median(rates.action) / loopRate),
    }),
    load: load(),
  }
}

/** Parse-only through the dry-run path, from workspace files, beside a bare JSON.parse baseline. */
async function parseFigures(local, table) {
  const parse = {}
  const formats = {
    DYNAMODB_JSON: { body: () => text(jsonLine, 0, PARSE_ITEMS) },
    CSV: { body: () => text(csvLine, 0, PARSE_ITEMS, csvHeader) },
    ION: { body: () => text(ionLine, 0, PARSE_ITEMS) },
    'JSON array': { format: 'JSON', body: () => jsonArray(0, PARSE_ITEMS) },
    'JSON lines': { format: 'JSON', body: () => text(docLine, 0, PARSE_ITEMS) },
  }
  for (const [format, spec] of Object.entries(formats)) {
    const body = spec.body()
    for (const compression of ['NONE', 'GZIP']) {
      const dir = path.join(work, `parse-${format.replace(' ', '-')}-${compression}`)
      fs.mkdirSync(dir, { recursive: true })
      const file = path.join(dir, 'data')
      fs.writeFileSync(file, compression === 'GZIP' ? gzipSync(body) : body)
      const rates = []
      const baselines = []
      for (let r = 0; r < RUNS; r++) {
        const run = await action({
          ...local,
          table,
          source: path.relative(work, dir) + '/',
          'input-format': spec.format ?? format,
          'dry-run': 'true',
        })
        rates.push(PARSE_ITEMS / Number(run.outputs['duration-seconds']))
        if (format === 'DYNAMODB_JSON')
          baselines.push(PARSE_ITEMS / (await bareJson(file, compression === 'GZIP')))
      }
      parse[`${format}/${compression}`] = {
        recordsPerSecond: Math.round(median(rates)),
        mbPerSecond: round((median(rates) * Buffer.byteLength(body)) / PARSE_ITEMS / 1e6, 1),
        ...(baselines.length && { baselineRecordsPerSecond: Math.round(median(baselines)) }),
      }
      fs.rmSync(dir, { recursive: true, force: true })
      log(
        `parse ${format}/${compression} (load ${load()}): ${JSON.stringify(parse[`${format}/${compression}`])}`,
      )
    }
  }
  const json = parse['DYNAMODB_JSON/NONE']
  const jsonGz = parse['DYNAMODB_JSON/GZIP']
  return {
    items: PARSE_ITEMS,
    formats: parse,
    toBaselinePlain: round(json.recordsPerSecond / json.baselineRecordsPerSecond),
    toBaselineGzip: round(jsonGz.recordsPerSecond / jsonGz.baselineRecordsPerSecond),
    ionToJson: round(parse['ION/NONE'].recordsPerSecond / json.recordsPerSecond),
    csvToJson: round(parse['CSV/NONE'].recordsPerSecond / json.recordsPerSecond),
    jsonArrayToJson: round(parse['JSON array/NONE'].recordsPerSecond / json.recordsPerSecond),
    load: load(),
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

/** About `bytes` of DynamoDB JSON lines. */
async function writeLargeFile(file, bytes) {
  const out = fs.createWriteStream(file)
  let written = 0
  for (let i = 0; written < bytes; i++) {
    const chunk = text(jsonLine, i * 1000, (i + 1) * 1000)
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve))
    written += Buffer.byteLength(chunk)
  }
  await new Promise((resolve) => out.end(resolve))
}

function printTable(f) {
  const rows = []
  const row = (name, value, target = '') => rows.push([name, String(value), target])
  const { sink, local, job, parse, verify, rss } = f
  if (local) {
    row(
      `DynamoDB Local, ${local.items} items, write-concurrency 16, write-threads auto (= 0 here): action / raw BatchWriteItem bound`,
      `${local.actionToBound} (${local.actionItemsPerSecond} / ${local.boundItemsPerSecond} items/s)`,
      '≥ 0.95',
    )
  }
  if (sink) {
    const { idle, neighbour, oneThread } = sink
    row(
      `sink, ${sink.items} items, default settings (write-threads auto = 0 threads here, concurrency 16): action / plain SDK loop`,
      `${idle.actionToSdkLoop} (${idle.actionItemsPerSecond} / ${idle.sdkLoopItemsPerSecond} items/s)`,
      '≥ 1.0',
    )
    row(
      `sink, the same pair beside one CPU-bound process: action / plain SDK loop`,
      `${neighbour.actionToSdkLoop} (${neighbour.actionItemsPerSecond} / ${neighbour.sdkLoopItemsPerSecond} items/s)`,
      '≥ 1.0',
    )
    row(
      `sink, default settings: the action's CPU µs per item (user + system)`,
      `${idle.actionCpuMicrosPerItem} (beside the CPU-bound process: ${neighbour.actionCpuMicrosPerItem})`,
    )
    row(
      `sink, write-threads 1 vs 0: items/s, peak RSS MiB`,
      `${oneThread.itemsPerSecond} vs ${idle.actionItemsPerSecond} (${oneThread.toNoThread}×), ${oneThread.peakRssMiB} vs ${idle.actionPeakRssMiB} MiB (+${oneThread.extraMiB})`,
    )
  }
  if (job) {
    row(
      `most common job: ${job.items} items from a workspace file into DynamoDB Local, whole process, default settings: action / plain SDK script, wall time`,
      `${job.actionToScript} (${job.actionSeconds} s / ${job.scriptSeconds} s)`,
      '≤ 1.2',
    )
    row(
      `most common job: peak RSS, action / SDK script, MiB`,
      `${job.actionPeakRssMiB} / ${job.scriptPeakRssMiB}`,
    )
  }
  if (verify) {
    const name = `verify, ${verify.items} items in DynamoDB Local, whole process: action (mode verify, verify full) / plain BatchGetItem loop (100 keys a call, consistent, 16 in flight)`
    if (verify.available) {
      row(
        name,
        `${verify.actionToBatchGetLoop} (${verify.actionItemsPerSecond} / ${verify.batchGetLoopItemsPerSecond} items/s)`,
        '≥ 0.9',
      )
    } else {
      row(name, `${NOT_AVAILABLE} (loop ${verify.batchGetLoopItemsPerSecond} items/s)`, '≥ 0.9')
    }
  }
  if (rss) {
    row(
      `peak RSS, REAL import of one ${rss.objectMiB} MiB file into the sink (${rss.real.items} items), MiB`,
      rss.real.peakRssMiB,
      '< 300',
    )
    row(`peak RSS, dry run of the same file, MiB`, rss.dry.peakRssMiB, '< 300')
  }
  if (parse) {
    for (const [k, v] of Object.entries(parse.formats))
      row(
        `parse ${k} (dry run, workspace file), records/s (MB/s)`,
        `${v.recordsPerSecond} (${v.mbPerSecond})` +
          (v.baselineRecordsPerSecond ? `, bare JSON.parse ${v.baselineRecordsPerSecond}` : ''),
      )
    row('parse DYNAMODB_JSON / bare JSON.parse, plain', parse.toBaselinePlain, '≥ 0.7')
    row('parse DYNAMODB_JSON / bare JSON.parse, gzip', parse.toBaselineGzip, '≥ 0.7')
    row('parse ION / DYNAMODB_JSON', parse.ionToJson, '≥ 0.25')
    row('parse CSV / DYNAMODB_JSON', parse.csvToJson, '≥ 0.5')
    row('parse JSON array / DYNAMODB_JSON', parse.jsonArrayToJson)
  }
  const width = Math.max(...rows.map((r) => r[0].length))
  const valueWidth = Math.max(...rows.map((r) => r[1].length))
  console.log(
    `\n${f.cores} cores, medians of ${f.runs} runs (the most common job: ${JOB_RUNS}), load average at the end ${f.load}\n`,
  )
  console.log(`${'figure'.padEnd(width)}  ${'value'.padEnd(valueWidth)}  target`)
  for (const [name, value, target] of rows)
    console.log(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${target}`)
  console.log()
}

async function main() {
  log(
    `bench: ${DIST}, sections ${[...ONLY].join(', ')}, ${RUNS} runs, work dir ${work}, load ${load()}`,
  )
  const started = Date.now()
  try {
    const figures = { cores: os.availableParallelism(), runs: RUNS }
    if (ONLY.has('sink')) figures.sink = await sinkFigures()
    if (['local', 'job', 'parse', 'verify'].some((section) => ONLY.has(section)))
      Object.assign(figures, await emulatorFigures())
    if (ONLY.has('rss')) figures.rss = await rssFigures()
    figures.load = load()
    figures.minutes = round((Date.now() - started) / 60_000, 1)
    printTable(figures)
    console.log(JSON.stringify(figures))
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

await main()
