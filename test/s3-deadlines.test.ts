// The S3 client's deadlines: a response whose headers never come fails after
// S3_RESPONSE_TIMEOUT_MS, a long body is never cut by it. Against a local HTTP server, on vitest's
// fake timers (the SDK's handler times with setTimeout): nothing really waits.
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../scripts/action-env.mjs'
import { createClients, S3_CONNECTION_TIMEOUT_MS, S3_RESPONSE_TIMEOUT_MS } from '../src/clients.js'
import { readInputs } from '../src/inputs.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  vi.useRealTimers()
  for (let next = cleanups.pop(); next; next = cleanups.pop()) await next()
})

/** A server that answers each request as `answer` says; `arrived` resolves at the first. */
async function server(answer: (res: http.ServerResponse) => void) {
  let first: () => void = () => {}
  const arrived = new Promise<void>((resolve) => (first = resolve))
  const s = http.createServer((req, res) => {
    req.resume()
    answer(res)
    first()
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        s.close(() => resolve())
        s.closeAllConnections()
      }),
  )
  return {
    endpoint: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    arrived,
  }
}

async function s3Through(endpoint: string) {
  const values = {
    table: 'orders',
    source: 's3://bkt/p',
    region: 'us-east-1',
    's3-endpoint': endpoint,
    's3-force-path-style': 'true',
  }
  for (const [name, value] of Object.entries(inputEnv(values))) vi.stubEnv(name, value)
  // One attempt: the SDK's retries would back off on the same timers.
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1')
  const clients = createClients(readInputs(), {})
  cleanups.push(() => clients.destroy())
  return clients.s3()
}

/** A promise's state without waiting for it. */
function track(promise: Promise<unknown>) {
  const state: { settled: boolean; error?: unknown; value?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  )
  return state
}

/** Lets real I/O and the promises after it run, while the fake clock stands. */
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

describe('the S3 client', () => {
  it('sets its connection and response timeouts, and no socket idle timeout', async () => {
    const s3 = await s3Through('http://127.0.0.1:9')
    const handler = s3.config.requestHandler as unknown as { configProvider: Promise<object> }
    expect(await handler.configProvider).toMatchObject({
      connectionTimeout: S3_CONNECTION_TIMEOUT_MS,
      requestTimeout: S3_RESPONSE_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      socketTimeout: undefined,
    })
  })

  it('fails a call whose response never comes after S3_RESPONSE_TIMEOUT_MS', async () => {
    const s = await server(() => {}) // never answers, connection left open
    const s3 = await s3Through(s.endpoint)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const call = track(s3.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'k' })))
    await s.arrived
    await vi.advanceTimersByTimeAsync(S3_RESPONSE_TIMEOUT_MS - 1)
    await turns()
    expect(call.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await vi.waitFor(() => expect(call.settled).toBe(true))
    expect(call.error).toMatchObject({
      name: 'TimeoutError',
      message: expect.stringContaining(`${S3_RESPONSE_TIMEOUT_MS} ms requestTimeout`),
    })
  })

  it('does not cut a body that takes longer than S3_RESPONSE_TIMEOUT_MS to arrive', async () => {
    let response: http.ServerResponse | undefined
    const s = await server((res) => {
      res.writeHead(200, { 'content-length': '6', 'content-type': 'application/octet-stream' })
      res.write('abc')
      response = res
    })
    const s3 = await s3Through(s.endpoint)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const got = await s3.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'k' }))
    const text = track(got.Body?.transformToString() ?? Promise.resolve(''))
    await vi.advanceTimersByTimeAsync(3 * S3_RESPONSE_TIMEOUT_MS)
    await turns()
    expect(text.settled).toBe(false)
    response?.end('def')
    await vi.waitFor(() => expect(text.settled).toBe(true))
    expect(text).toMatchObject({ value: 'abcdef' })
  })
})
