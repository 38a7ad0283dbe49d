// A DynamoDB Local that is not up yet, as a service container often is when the job's steps begin.
import * as net from 'node:net'
import { describe, expect, inject, it } from 'vitest'
import { run } from '../../src/main.js'
import {
  bucketWith,
  jsonLines,
  scanAll,
  tableWith,
  useRunner,
  virtualClock,
} from '../support/helpers.js'
import { sampleItem } from '../../scripts/make-examples.mjs'

/** A loopback port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Starts forwarding `port` to DynamoDB Local: the emulator "comes up" there. */
async function forward(port: number): Promise<net.Server> {
  const target = new URL(inject('dynamodbEndpoint'))
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port), target.hostname)
    socket.pipe(upstream).pipe(socket)
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

describe('a dynamodb-endpoint that is not up yet', () => {
  it('is waited for, with a log line, and the import then runs', async () => {
    const port = await freePort()
    const endpoint = `http://127.0.0.1:${port}`
    const bucket = await bucketWith({ 'a.json': jsonLines([sampleItem(1), sampleItem(2)]) })
    const table = await tableWith('S', 'N')
    const clock = virtualClock()
    let sleeps = 0
    let up: net.Server | undefined
    const sleep = async (ms: number) => {
      await clock.sleep(ms)
      if (++sleeps === 3) up = await forward(port)
    }
    const runner = useRunner({
      table,
      source: `s3://${bucket}/`,
      region: 'us-east-1',
      'dynamodb-endpoint': endpoint,
      's3-endpoint': inject('s3Endpoint'),
    })
    try {
      await run({ now: clock.now, sleep })
    } finally {
      up?.close()
    }
    expect(process.exitCode, runner.stdout()).toBeUndefined()
    expect(runner.stdout()).toContain(`Waiting for DynamoDB at ${endpoint} to answer (`)
    expect(clock.elapsed()).toBe(3_000)
    expect(await scanAll(table)).toHaveLength(2)
  })

  it('fails after the time limit, saying what was tried', async () => {
    const port = await freePort()
    const endpoint = `http://127.0.0.1:${port}`
    const clock = virtualClock()
    const runner = useRunner({
      table: 'orders',
      source: 's3://bucket/',
      region: 'us-east-1',
      'dynamodb-endpoint': endpoint,
      's3-endpoint': inject('s3Endpoint'),
    })
    await run(clock)
    expect(process.exitCode).toBe(1)
    expect(clock.elapsed()).toBe(60_000)
    expect(runner.stdout()).toMatch(
      new RegExp(
        `::error::DynamoDB at ${endpoint} did not answer within 60 s \\(tried every 1 s; last: .*ECONNREFUSED.*\\)\\. Start it before this step \\(a service container with a health check: see "A health check for DynamoDB Local" in the README\\), or check dynamodb-endpoint\\.`,
      ),
    )
  })
})
