// The writer against real DynamoDB Local. DynamoDB Local never throttles nor returns
// UnprocessedItems, so those faults come from a middleware on a real client that reads the
// body the writer built, and forwards the rest for real.
import { DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb'
import { afterAll, describe, expect, it } from 'vitest'
import { localClientConfig } from '../../scripts/emulators.mjs'
import type { Item } from '../../src/table/attribute-value.js'
import { BatchWriter, type PendingWrite } from '../../src/stream/batch-writer.js'
import { callsOn } from '../../src/stream/write-calls.js'
import { dynamodb, scanAll, tableWith } from '../support/helpers.js'
import { inject } from 'vitest'

const real = dynamodb()
afterAll(() => real.destroy())

type Fault = 'unprocessed-half' | 'throttle' | 'none'

interface Call {
  table: string
  requests: WriteRequest[]
  returnConsumedCapacity: string | undefined
  /** Sends these requests instead of the call's (the body is rebuilt from them). */
  send(requests: WriteRequest[]): void
}

/**
 * A real client to DynamoDB Local whose BatchWriteItem calls pass through `around` first, with
 * the requests as the writer put them in the body (after it was built, before it is signed).
 */
function intercepted(around: (call: Call, next: () => Promise<unknown>) => Promise<unknown>) {
  const client = new DynamoDBClient(localClientConfig(inject('dynamodbEndpoint')))
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body: Uint8Array | string; headers: Record<string, string> }
      const body = JSON.parse(Buffer.from(request.body).toString()) as {
        RequestItems: Record<string, WriteRequest[]>
        ReturnConsumedCapacity?: string
      }
      const [table, requests] = Object.entries(body.RequestItems)[0] as [string, WriteRequest[]]
      const call: Call = {
        table,
        requests,
        returnConsumedCapacity: body.ReturnConsumedCapacity,
        send(kept) {
          request.body = JSON.stringify({ ...body, RequestItems: { [table]: kept } })
          request.headers['content-length'] = String(Buffer.byteLength(request.body))
        },
      }
      return around(call, () => next(args)) as ReturnType<typeof next>
    },
    { step: 'build', priority: 'low', name: 'testIntercept' },
  )
  return client
}

/** Forwards to DynamoDB Local, injecting one fault per call from the script (then none). */
function faulty(script: Fault[], onCall: (requests: WriteRequest[]) => void = () => {}) {
  let calls = 0
  const client = intercepted(async (call, next) => {
    const fault = script[calls++] ?? 'none'
    onCall(call.requests)
    if (fault === 'throttle') {
      throw Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      })
    }
    const keep =
      fault === 'unprocessed-half' ? Math.ceil(call.requests.length / 2) : call.requests.length
    const rest = call.requests.slice(keep)
    call.send(call.requests.slice(0, keep))
    const result = (await next()) as { output: { UnprocessedItems?: unknown } }
    if (rest.length) result.output.UnprocessedItems = { [call.table]: rest }
    return result
  })
  afterAll(() => client.destroy())
  return { client, calls: () => calls }
}

function put(item: Item, key: string): PendingWrite {
  return { key, item, wireBytes: 100, units: 1, records: 1, url: `s3://b/k`, line: 1 }
}

const items = (n: number, value = 'v') =>
  Array.from({ length: n }, (_, i): Item => ({ pk: { S: `item-${i}` }, value: { S: value } }))

async function writeAll(
  table: string,
  client: DynamoDBClient,
  all: Item[],
  concurrency = 4,
  stallMs = 60_000,
) {
  // The items' own pk as the key: one test sends an item whose key the schema would refuse.
  const key = (item: Item) => JSON.stringify(item['pk'])
  const refused: string[] = []
  const unwritten: string[] = []
  const delays: number[] = []
  // A virtual clock: a pause moves it on at once, so nothing really waits.
  let time = 0
  const clock = {
    now: () => time,
    sleep: async (ms: number) => {
      delays.push(ms)
      time += ms
    },
  }
  const writer = new BatchWriter({
    calls: callsOn(client),
    table,
    concurrency,
    reportedCapacity: true,
    keyOf: key,
    pacing: { baseDelayMs: 100, maxDelayMs: 1000, stallMs },
    clock,
    random: () => 0.5,
    events: {
      onRefused: (p, reason) => void refused.push(`${JSON.stringify(p.item['pk'])} ${reason}`),
      onUnwritten: (p) => void unwritten.push(JSON.stringify(p.item['pk'])),
    },
  })
  let stopped: unknown
  try {
    for (const item of all) await writer.add(put(item, key(item)))
  } catch (err) {
    stopped = err
  }
  const summary = await writer.finish()
  return { summary, refused, unwritten, delays, stopped, failure: writer.failure, time }
}

describe('BatchWriter', () => {
  it('writes in calls of at most 25 items', async () => {
    const table = await tableWith('S')
    const sizes: number[] = []
    const { client } = faulty([], (r) => sizes.push(r.length))
    const { summary } = await writeAll(table, client, items(60))
    expect(sizes.sort((a, b) => b - a)).toEqual([25, 25, 10])
    expect(summary).toMatchObject({ written: 60, calls: 3, resent: 0, unwritten: 0, refused: 0 })
    expect(summary.consumedWriteCapacity).toBe(60)
    expect(await scanAll(table)).toHaveLength(60)
  })

  it('counts write units itself when it does not ask DynamoDB, one per started KB', async () => {
    const table = await tableWith('S')
    let sent: unknown
    const spy = intercepted(async (call, next) => {
      sent = call.returnConsumedCapacity
      return next()
    })
    const writer = new BatchWriter({
      calls: callsOn(spy),
      table,
      concurrency: 1,
      reportedCapacity: false,
      keyOf: (item) => JSON.stringify(item['pk']),
      events: { onRefused: () => {}, onUnwritten: () => {} },
    })
    await writer.add({ ...put({ pk: { S: 'a' } }, 'a'), units: 3 })
    await writer.add({ ...put({ pk: { S: 'b' } }, 'b'), units: 2 })
    expect((await writer.close()).consumedWriteCapacity).toBe(5)
    expect(sent).toBeUndefined()
  })

  it('sends UnprocessedItems and refused writes again in the next batches, pausing only after a refusal', async () => {
    const table = await tableWith('S')
    const { client, calls } = faulty([
      'unprocessed-half',
      'throttle',
      'unprocessed-half',
      'unprocessed-half',
    ])
    const { summary, delays } = await writeAll(table, client, items(25), 1)
    // 13 written, 12 back; 12 refused; 6 written, 6 back; 3 written, 3 back; 3 written.
    expect(summary).toMatchObject({ written: 25, resent: 33, unwritten: 0, calls: 5 })
    expect(calls()).toBe(5)
    // One pause, after the refusal: the base 100 ms, jittered to 75% by random() = 0.5.
    expect(delays).toEqual([75])
    expect(summary.pacing).toMatchObject({ throttled: 4 })
    expect(await scanAll(table)).toHaveLength(25)
  })

  it('gives up on a stall, once no write was accepted for the stall time, reporting every item', async () => {
    const table = await tableWith('S')
    const { client, calls } = faulty(Array(1000).fill('throttle'))
    const { summary, unwritten, failure, time, delays } = await writeAll(
      table,
      client,
      items(30),
      1,
      5_000,
    )
    expect(failure).toMatchObject({ name: 'WriterStalled' })
    expect((failure as Error).message).toContain('DynamoDB accepted no write for 5 s')
    expect(summary).toMatchObject({ written: 0, unwritten: 30 })
    expect(unwritten).toHaveLength(30)
    // Pauses double from 75 ms to the 750 ms cap; the stall is seen within one pause of 5 s.
    expect(delays.slice(0, 5)).toEqual([75, 150, 300, 600, 750])
    expect(time).toBeGreaterThanOrEqual(5_000)
    expect(time).toBeLessThan(5_000 + 750)
    expect(calls()).toBe(delays.length)
    expect(await scanAll(table)).toHaveLength(0)
  })

  it('narrows a batch DynamoDB refuses down to the one bad item and writes the others', async () => {
    const table = await tableWith('S')
    const all = items(25)
    all[13] = { pk: { N: '13' }, value: { S: 'wrong key type' } } // not validated before: the service refuses it
    const { client } = faulty([])
    const { summary, refused } = await writeAll(table, client, all)
    expect(summary).toMatchObject({ written: 24, refused: 1 })
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatch(/refused by DynamoDB: .*key/i)
    expect(await scanAll(table)).toHaveLength(24)
  })

  it('throws a fatal error, such as a missing table, from close', async () => {
    const { client } = faulty([])
    const writer = new BatchWriter({
      calls: callsOn(client),
      table: 'no-such-table-here',
      concurrency: 2,
      reportedCapacity: true,
      keyOf: (item) => JSON.stringify(item['pk']),
      events: { onRefused: () => {}, onUnwritten: () => {} },
    })
    await writer.add(put({ pk: { S: 'a' } }, 'a'))
    await expect(writer.close()).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
  })

  it('never has two writes of one key in a call or in flight, and the last record wins', async () => {
    const table = await tableWith('S')
    const inFlight = new Set<string>()
    let overlap = 0
    let batchesWithDuplicates = 0
    const client = intercepted(async (call, next) => {
      const keys = call.requests.map((r) => r.PutRequest?.Item?.['pk']?.S as string)
      if (new Set(keys).size !== keys.length) batchesWithDuplicates++
      for (const k of keys) if (inFlight.has(k)) overlap++
      keys.forEach((k) => inFlight.add(k))
      await new Promise((resolve) => setImmediate(resolve))
      try {
        return await next()
      } finally {
        keys.forEach((k) => inFlight.delete(k))
      }
    })
    const all: Item[] = []
    for (let i = 0; i < 300; i++) all.push({ pk: { S: `k${i % 7}` }, seq: { N: String(i) } })
    const { summary } = await writeAll(table, client, all, 8)
    expect(overlap).toBe(0)
    expect(batchesWithDuplicates).toBe(0)
    expect(summary.written).toBe(300)
    const scanned = await scanAll(table)
    expect(Object.fromEntries(scanned.map((i) => [i['pk']?.S, i['seq']?.N]))).toEqual({
      k0: '294',
      k1: '295',
      k2: '296',
      k3: '297',
      k4: '298',
      k5: '299',
      k6: '293',
    })
  })
})
