// Two builds of the action (two dist/index.js) taken in turn, A B A B …: items/s and CPU µs per
// item against the sink (idle, beside one CPU-bound process, and pinned to one core with taskset),
// and items/s against DynamoDB Local as a share of the raw BatchWriteItem bound. Made to decide the
// write client's HTTP handler by measurement; any two builds can be compared with it.
//
//   node scripts/bench-handlers.mjs --a A/index.js --b B/index.js [--sink-items 200000]
//     [--local-items 40000] [--runs 3]
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { benchItem } from './bench-items.mjs'
import {
  besideNeighbour,
  hasTaskset,
  load,
  log,
  median,
  round,
  runAction,
  sdkLoop,
  startSink,
} from './bench-lib.mjs'
import { createSampleTable, localClientConfig, startEmulators } from './emulators.mjs'

const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    'sink-items': { type: 'string', default: '200000' },
    'local-items': { type: 'string', default: '40000' },
    runs: { type: 'string', default: '3' },
  },
})
const BUILDS = { A: path.resolve(args.a), B: path.resolve(args.b) }
const SINK_ITEMS = Number(args['sink-items'])
const LOCAL_ITEMS = Number(args['local-items'])
const RUNS = Number(args.runs)
const OBJECTS = 8

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamodb-s3-import-handlers-'))
const lines = (from, to) =>
  Array.from({ length: to - from }, (_, i) => JSON.stringify({ Item: benchItem(from + i) })).join(
    '\n',
  ) + '\n'
function writeParts(dir, n) {
  fs.mkdirSync(path.join(work, dir), { recursive: true })
  const per = Math.ceil(n / OBJECTS)
  for (let o = 0; o < OBJECTS; o++)
    fs.writeFileSync(
      path.join(work, dir, `part-${o}.json.gz`),
      gzipSync(lines(o * per, Math.min(n, (o + 1) * per))),
    )
}

/** figures[condition][build] = { rate: [], cpu: [], load: [] } */
const figures = {}
function record(condition, build, n, run) {
  figures[condition] ??= { A: { rate: [], cpu: [], load: [] }, B: { rate: [], cpu: [], load: [] } }
  const f = figures[condition][build]
  f.rate.push(n / run.seconds)
  f.cpu.push(run.cpuMicros / n)
  f.load.push(load())
  log(
    `${condition} ${build}: ${Math.round(n / run.seconds)} items/s, ${(run.cpuMicros / n).toFixed(1)} µs CPU/item (load ${load()})`,
  )
}

async function main() {
  writeParts('sink', SINK_ITEMS)
  writeParts('local', LOCAL_ITEMS)
  const sink = await startSink()
  const emulators = await startEmulators()
  const endpoint = emulators.dynamodbEndpoint
  const ddb = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 10 })
  let tables = 0
  const freshTable = async () => {
    const name = `h-${++tables}`
    await createSampleTable(endpoint, name)
    return name
  }
  const toSink = async (build, options = {}) => {
    const run = await runAction(
      { table: 'sink', source: 'sink/', region: 'us-east-1', 'dynamodb-endpoint': sink.endpoint },
      { dist: BUILDS[build], workspace: work, ...options },
    )
    if (run.outputs['imported-item-count'] !== String(SINK_ITEMS))
      throw new Error(`imported ${run.outputs['imported-item-count']} of ${SINK_ITEMS}`)
    return run
  }
  const bound = []
  try {
    await toSink('A') // warm-up: the file cache
    const warm = await freshTable()
    await sdkLoop(ddb, warm, LOCAL_ITEMS)
    for (let r = 0; r < RUNS; r++) {
      // The order within a pair alternates from round to round too.
      const order = r % 2 === 0 ? ['A', 'B'] : ['B', 'A']
      for (const b of order) record('sink idle', b, SINK_ITEMS, await toSink(b))
      await besideNeighbour(async () => {
        for (const b of order)
          record('sink beside one CPU-bound process', b, SINK_ITEMS, await toSink(b))
      })
      if (hasTaskset)
        for (const b of order)
          record('sink pinned to one core', b, SINK_ITEMS, await toSink(b, { pin: 0 }))
      let table = await freshTable()
      bound.push(await sdkLoop(ddb, table, LOCAL_ITEMS))
      await ddb.send(new DeleteTableCommand({ TableName: table }))
      log(`DynamoDB Local raw bound: ${Math.round(bound.at(-1))} items/s`)
      for (const b of order) {
        table = await freshTable()
        const run = await runAction(
          { table, source: 'local/', region: 'us-east-1', 'dynamodb-endpoint': endpoint },
          { dist: BUILDS[b], workspace: work },
        )
        if (run.outputs['imported-item-count'] !== String(LOCAL_ITEMS))
          throw new Error(`imported ${run.outputs['imported-item-count']} of ${LOCAL_ITEMS}`)
        record('DynamoDB Local', b, LOCAL_ITEMS, run)
        await ddb.send(new DeleteTableCommand({ TableName: table }))
      }
    }
  } finally {
    ddb.destroy()
    await emulators.stop()
    await sink.stop()
    fs.rmSync(work, { recursive: true, force: true })
  }
  const out = { builds: BUILDS, cores: os.availableParallelism(), runs: RUNS, conditions: {} }
  console.log(`\nA = ${BUILDS.A}\nB = ${BUILDS.B}\n${out.cores} cores, medians of ${RUNS} pairs\n`)
  for (const [condition, f] of Object.entries(figures)) {
    const c = {
      A: {
        itemsPerSecond: Math.round(median(f.A.rate)),
        cpuMicrosPerItem: round(median(f.A.cpu), 1),
      },
      B: {
        itemsPerSecond: Math.round(median(f.B.rate)),
        cpuMicrosPerItem: round(median(f.B.cpu), 1),
      },
      rateAToB: round(median(f.A.rate) / median(f.B.rate)),
      loads: f.A.load,
    }
    if (condition === 'DynamoDB Local') {
      c.boundItemsPerSecond = Math.round(median(bound))
      c.A.toBound = round(median(f.A.rate) / median(bound))
      c.B.toBound = round(median(f.B.rate) / median(bound))
    }
    out.conditions[condition] = c
    console.log(
      `${condition}: A ${c.A.itemsPerSecond} items/s ${c.A.cpuMicrosPerItem} µs/item${c.A.toBound ? ` (${c.A.toBound} of the bound)` : ''} | B ${c.B.itemsPerSecond} items/s ${c.B.cpuMicrosPerItem} µs/item${c.B.toBound ? ` (${c.B.toBound} of the bound)` : ''} | A/B rate ${c.rateAToB} | load ${c.loads.join(' / ')}`,
    )
  }
  console.log(JSON.stringify(out))
}

await main()
