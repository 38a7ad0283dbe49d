import { spawn, type ChildProcess } from 'node:child_process'
import * as http from 'node:http'
import * as net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { parseDynamoDBJsonLine } from '../../src/formats/dynamodb-json.js'
import { batchWriteBody, encodeBody } from '../../src/stream/batch-body.js'
import { isRetryable } from '../../src/stream/batch-writer.js'
import {
  callsOn,
  CONNECT_TIMEOUT_MS,
  createWriteClient,
  REQUEST_TIMEOUT_MS,
  writeClientConfig,
} from '../../src/stream/write-calls.js'
import { copyError, restoreError } from '../../src/stream/write-threads.js'

const servers: http.Server[] = []
const clients: DynamoDBClient[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  )
})

/** A real HTTP server on loopback; `answer` decides what each request gets. */
async function serve(
  answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void,
) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => answer(req, Buffer.concat(chunks).toString(), res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const plain = (endpoint: string) => ({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
})

/** The write client at `endpoint`, with short timeouts: no test waits for the real ones. */
function client(endpoint: string, timeouts = { connectMs: 200, requestMs: 200 }) {
  const made = createWriteClient(writeClientConfig(plain(endpoint), 4, timeouts))
  clients.push(made)
  return made
}

const body = () => encodeBody('{"RequestItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}')
const failure = (c: DynamoDBClient) =>
  callsOn(c)
    .send('t', body())
    .then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    )

/**
 * A listening port whose connections never open: a process that listens with a queue of one and
 * never accepts (its event loop blocked), the queue filled first, so that the kernel drops every
 * further SYN, as a black-holed address does, without leaving this machine.
 */
async function blackHole(): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer()
       s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
         process.stdout.write(s.address().port + '\\n')
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
       })`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  const port = Number(
    await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d)))),
  )
  // Open connections until one stays unopened: the queue is full from then on.
  for (let i = 0; i < 10; i++) {
    const socket = net.connect(port, '127.0.0.1')
    socket.on('error', () => {})
    const opened = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true))
      setTimeout(() => resolve(false), 100)
    })
    if (!opened) return `http://127.0.0.1:${port}`
  }
  throw new Error('the black hole accepted every connection')
}

describe('writeClientConfig', () => {
  it('gives the SDK’s handler keep-alive connections sized to the concurrency and both timeouts, as plain data for threads', () => {
    const config = writeClientConfig(plain('http://e'), 7)
    expect(config).toMatchObject({
      ...plain('http://e'),
      maxAttempts: 1,
      cacheMiddleware: true,
      requestHandler: {
        httpAgent: { keepAlive: true, maxSockets: 7 },
        httpsAgent: { keepAlive: true, maxSockets: 7 },
        connectionTimeout: CONNECT_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      },
    })
    // A write thread is given it through postMessage: it must survive a structured copy.
    expect(structuredClone(config)).toEqual(config)
  })

  it('makes a client whose handler opens at most `concurrency` connections, kept alive', async () => {
    let open = 0
    let most = 0
    let opened = 0
    const endpoint = await serve((_req, _body, res) => {
      // Answer once several calls wait, so that they are all in flight at once.
      setTimeout(() => res.end('{"UnprocessedItems":{}}'), 20)
    })
    servers[0]!.on('connection', (socket) => {
      opened++
      most = Math.max(most, ++open)
      socket.on('close', () => open--)
    })
    const calls = callsOn(client(endpoint))
    await Promise.all(Array.from({ length: 12 }, () => calls.send('t', body())))
    await Promise.all(Array.from({ length: 12 }, () => calls.send('t', body())))
    expect(most).toBe(4)
    // The second round reused the first round's connections.
    expect(opened).toBe(4)
  })
})

describe('the write client', () => {
  it('fails a call that is never answered within the request timeout, as one the writer retries', async () => {
    const endpoint = await serve(() => {})
    const err = await failure(client(endpoint))
    expect(err).toMatchObject({ name: 'TimeoutError' })
    expect(err?.message).toMatch(/200 ms requestTimeout/)
    expect(isRetryable(err)).toBe(true)
    // From a write thread, the writer sees the copy of the error.
    expect(isRetryable(restoreError(copyError(err)))).toBe(true)
  })

  it('closes the connection of a call the writer abandons, long before the request timeout', async () => {
    let received = 0
    let closed = 0
    const endpoint = await serve((req) => {
      received++
      req.socket.on('close', () => closed++)
    })
    const abandon = new AbortController()
    const sent = callsOn(client(endpoint, { connectMs: 200, requestMs: 60_000 }))
      .send('t', body(), abandon.signal)
      .catch((e: unknown) => e as Error)
    await vi.waitFor(() => expect(received).toBe(1))
    expect(closed).toBe(0)
    abandon.abort()
    expect(await sent).toMatchObject({ name: 'AbortError' })
    await vi.waitFor(() => expect(closed).toBe(1))
  })

  it('fails a connection that does not open within the connect timeout, as one the writer retries', async () => {
    const err = await failure(client(await blackHole(), { connectMs: 200, requestMs: 60_000 }))
    expect(err).toMatchObject({ name: 'TimeoutError' })
    expect(err?.message).toMatch(/did not establish a connection .* 200 ms/)
    expect(isRetryable(err)).toBe(true)
    expect(isRetryable(restoreError(copyError(err)))).toBe(true)
  })

  it('reports a connection that breaks before the answer as one the writer retries', async () => {
    const endpoint = await serve((req) => req.socket.destroy())
    const err = await failure(client(endpoint))
    expect(err).toMatchObject({ code: 'ECONNRESET' })
    expect(isRetryable(err)).toBe(true)
  })

  it('puts on the wire what the SDK’s own client sends for the same items, signed the same way', async () => {
    const seen: { body: unknown; headers: http.IncomingHttpHeaders }[] = []
    const endpoint = await serve((req, body, res) => {
      seen.push({ body: JSON.parse(body), headers: req.headers })
      res.setHeader('content-type', 'application/x-amz-json-1.0')
      res.end('{"UnprocessedItems":{}}')
    })
    const line =
      '{"Item":{"pk":{"S":"a"},"n":{"N":"0.10000000000000000000000000000000000001"},"b":{"B":"AAEC"}}}'
    const parsed = parseDynamoDBJsonLine(line)
    if (!parsed.ok) throw new Error(parsed.reason)

    const sdk = new DynamoDBClient({ ...plain(endpoint), maxAttempts: 1 })
    await sdk.send(
      new BatchWriteItemCommand({ RequestItems: { t: [{ PutRequest: { Item: parsed.item } }] } }),
    )
    sdk.destroy()
    const answer = await callsOn(client(endpoint)).send(
      't',
      encodeBody(batchWriteBody('t', [{ item: parsed.item }], false)),
    )

    expect(answer.UnprocessedItems).toEqual({})
    const [theirs, mine] = seen as [(typeof seen)[0], (typeof seen)[0]]
    expect(mine.body).toEqual(theirs.body)
    for (const name of ['x-amz-target', 'content-type', 'content-length']) {
      expect(mine.headers[name]).toBe(theirs.headers[name])
    }
    const signedHeaders = (h: http.IncomingHttpHeaders) =>
      /SignedHeaders=([^,]+)/.exec(String(h.authorization))?.[1]
    expect(signedHeaders(mine.headers)).toBe(signedHeaders(theirs.headers))
    expect(mine.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=k\//)
  })
})
