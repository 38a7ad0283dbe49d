import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HttpRequest } from '@smithy/types'
import { afterEach, describe, expect, it } from 'vitest'
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { parseDynamoDBJsonLine } from '../../src/formats/dynamodb-json.js'
import { batchWriteBody, encodeBody } from '../../src/stream/batch-body.js'
import { isRetryable } from '../../src/stream/batch-writer.js'
import { callsOn, createWriteClient } from '../../src/stream/write-calls.js'
import { asSdkError, UndiciHttpHandler } from '../../src/stream/http-handler.js'

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
  return (server.address() as AddressInfo).port
}

const servers: http.Server[] = []
const handlers: UndiciHttpHandler[] = []
afterEach(async () => {
  for (const handler of handlers.splice(0)) handler.destroy()
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  )
})

function handler() {
  const made = new UndiciHttpHandler()
  handlers.push(made)
  return made
}

const request = (port: number, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'POST',
  protocol: 'http:',
  hostname: '127.0.0.1',
  port,
  path: '/',
  query: {},
  headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': '2' },
  body: new TextEncoder().encode('{}'),
  ...extra,
})

describe('the write calls’ HTTP handler', () => {
  it('sends the request as the SDK made it and returns the answer as the SDK’s handler does', async () => {
    const seen: Record<string, string | undefined>[] = []
    const port = await serve((req, body, res) => {
      seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], body })
      res.setHeader('X-Amzn-RequestId', 'r-1')
      res.setHeader('Set-Cookie', ['a=1', 'b=2'])
      res.end('{"UnprocessedItems":{}}')
    })
    const { response } = await handler().handle(request(port, { path: '/prefix' }))
    expect(seen).toEqual([
      { method: 'POST', url: '/prefix', type: 'application/x-amz-json-1.0', body: '{}' },
    ])
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-amzn-requestid']).toBe('r-1')
    expect(response.headers['set-cookie']).toBe('a=1, b=2')
    expect(Buffer.from(response.body as Uint8Array).toString()).toBe('{"UnprocessedItems":{}}')
  })

  it('reports a connection that breaks before the answer as one the writer retries', async () => {
    const port = await serve((req) => req.socket.destroy())
    const err = await handler()
      .handle(request(port))
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ECONNRESET' })
    expect(isRetryable(err)).toBe(true)
  })

  it('reports an endpoint that refuses connections as one the writer retries', async () => {
    const port = await serve((_req, _body, res) => res.end())
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
    const err = await handler()
      .handle(request(port))
      .catch((e: unknown) => e)
    expect(isRetryable(err)).toBe(true)
  })

  it('refuses a request with a query string, which DynamoDB’s JSON protocol never sends', async () => {
    await expect(handler().handle(request(1, { query: { a: 'b' } }))).rejects.toThrow(
      /no query strings/,
    )
  })

  it('ends its connections when destroyed', async () => {
    let closed = 0
    let onClose = () => {}
    const closing = new Promise<void>((resolve) => (onClose = resolve))
    const port = await serve((req, _body, res) => {
      req.socket.on('close', () => {
        closed++
        onClose()
      })
      // Keep-alive for longer than any test runs, on both ends: only destroy() can end it.
      res.setHeader('keep-alive', 'timeout=600')
      res.end('{}')
    })
    servers.forEach((s) => (s.keepAliveTimeout = 600_000))
    const h = handler()
    await h.handle(request(port))
    await new Promise((resolve) => setImmediate(resolve))
    expect(closed).toBe(0)
    h.destroy()
    // Without destroy() the connection stays open for ten minutes, and the test times out.
    await closing
    expect(closed).toBe(1)
  })
})

describe('the write client', () => {
  it('puts on the wire what the SDK’s own client sends for the same items, signed the same way', async () => {
    const seen: { body: unknown; headers: http.IncomingHttpHeaders }[] = []
    const port = await serve((req, body, res) => {
      seen.push({ body: JSON.parse(body), headers: req.headers })
      res.setHeader('content-type', 'application/x-amz-json-1.0')
      res.end('{"UnprocessedItems":{}}')
    })
    const config = {
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      maxAttempts: 1,
    }
    const line =
      '{"Item":{"pk":{"S":"a"},"n":{"N":"0.10000000000000000000000000000000000001"},"b":{"B":"AAEC"}}}'
    const parsed = parseDynamoDBJsonLine(line)
    if (!parsed.ok) throw new Error(parsed.reason)

    const sdk = new DynamoDBClient(config)
    await sdk.send(
      new BatchWriteItemCommand({ RequestItems: { t: [{ PutRequest: { Item: parsed.item } }] } }),
    )
    sdk.destroy()
    const ours = createWriteClient(config)
    const answer = await callsOn(ours).send(
      't',
      encodeBody(batchWriteBody('t', [{ item: parsed.item }], false)),
    )
    ours.destroy()

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

describe('asSdkError', () => {
  it('turns undici’s broken connections into ECONNRESET and its timeouts into TimeoutError', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })
    expect(asSdkError(socket)).toMatchObject({ code: 'ECONNRESET', cause: socket })
    for (const code of [
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
      'UND_ERR_CONNECT_TIMEOUT',
    ]) {
      const timeout = asSdkError(Object.assign(new Error('slow'), { code }))
      expect(timeout).toMatchObject({ name: 'TimeoutError', message: 'slow' })
      expect(isRetryable(timeout)).toBe(true)
    }
  })

  it('leaves every other error as it is', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    expect(asSdkError(refused)).toBe(refused)
    const invalid = Object.assign(new Error('bad header'), { code: 'UND_ERR_INVALID_ARG' })
    expect(asSdkError(invalid)).toBe(invalid)
    expect(isRetryable(asSdkError(invalid))).toBe(false)
    expect(asSdkError('text')).toBe('text')
  })
})
