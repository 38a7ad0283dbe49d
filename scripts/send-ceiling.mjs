// What the SDK's transport alone can do on this machine (npm run bench, the sink figure): THREADS
// worker threads that only send pre-encoded BatchWriteItem bodies through a DynamoDBClient (the
// body put in place by a build-step middleware before signing, the middleware stack resolved
// once), nothing read, parsed or validated. The action cannot go faster than this; how close it
// comes shows what reading and validating cost on top.
//
//   node scripts/send-ceiling.mjs ENDPOINT ITEMS THREADS   → prints {"itemsPerSecond": N}
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { benchItem } from './bench-items.mjs'
import { localClientConfig } from './emulators.mjs'

const CONCURRENCY = 16
const BATCH = 25

if (isMainThread) {
  const [endpoint, items, threads] = process.argv.slice(2)
  const per = Math.ceil(Number(items) / Number(threads))
  const workers = Array.from({ length: Number(threads) }, (_, t) => {
    const from = t * per
    const to = Math.min(Number(items), from + per)
    return new Worker(new URL(import.meta.url), {
      workerData: { endpoint, from, to, concurrency: CONCURRENCY / Number(threads) },
    })
  })
  // Each thread encodes its bodies first, then waits for the start: only the sending is timed.
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))))
  const started = process.hrtime.bigint()
  for (const w of workers) w.postMessage('go')
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  console.log(JSON.stringify({ itemsPerSecond: Math.round(Number(items) / seconds) }))
} else {
  const { endpoint, from, to, concurrency } = workerData
  const client = new DynamoDBClient({
    ...localClientConfig(endpoint),
    maxAttempts: 1,
    cacheMiddleware: true,
  })
  const bodies = new WeakMap()
  client.middlewareStack.add(
    (next) => async (args) => {
      const body = bodies.get(args.input)
      args.request.body = body
      args.request.headers['content-length'] = String(body.byteLength)
      return next(args)
    },
    { step: 'build', priority: 'high' },
  )
  const encoder = new TextEncoder()
  const batches = []
  for (let i = from; i < to; i += BATCH) {
    const requests = []
    for (let j = i; j < Math.min(to, i + BATCH); j++)
      requests.push({ PutRequest: { Item: benchItem(j) } })
    batches.push(encoder.encode(JSON.stringify({ RequestItems: { sink: requests } })))
  }
  parentPort.postMessage('ready')
  await new Promise((resolve) => parentPort.once('message', resolve))
  let next = 0
  const send = async () => {
    while (next < batches.length) {
      const input = { RequestItems: { sink: [] } }
      bodies.set(input, batches[next++])
      await client.send(new BatchWriteItemCommand(input))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, send))
  client.destroy()
  parentPort.close()
}
