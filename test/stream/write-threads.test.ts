import { once } from 'node:events'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { isRetryable } from '../../src/stream/batch-writer.js'
import { encodeBody } from '../../src/stream/batch-body.js'
import {
  AUTO_THREADS_MIN_BYTES,
  AUTO_THREADS_MIN_CORES,
  autoWriteThreads,
  copyError,
  MAX_AUTO_THREADS,
  restoreError,
  writeThreadCount,
  WriteThreads,
} from '../../src/stream/write-threads.js'

/**
 * A DynamoDB endpoint that answers each BatchWriteItem by the first table name in its body:
 * `ok` all processed, `back` one item unprocessed, `capacity` with the capacity consumed (as
 * ReturnConsumedCapacity asks), and the names of errors with their status.
 */
const ERRORS: Record<string, [number, string]> = {
  invalid: [400, 'ValidationException'],
  throttled: [400, 'ProvisionedThroughputExceededException'],
  broken: [500, 'InternalServerError'],
}
/** An item unprocessed, with what a structured copy could lose: bytes and 38-digit numbers. */
const UNPROCESSED =
  '{"pk":{"S":"a"},"b":{"B":"AAEC/w=="},"n":{"N":"12345678901234567890123456789012345678"}}'

const received: Buffer[] = []
let server: http.Server
let endpoint: string

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      received.push(body)
      const table = /"RequestItems":\{"([^"]*)"/.exec(body.toString())?.[1] ?? ''
      const error = ERRORS[table]
      const [status, text] = error
        ? [
            error[0],
            JSON.stringify({
              __type: `com.amazonaws.dynamodb.v20120810#${error[1]}`,
              message: `${table}!`,
            }),
          ]
        : [
            200,
            table === 'back'
              ? `{"UnprocessedItems":{"back":[{"PutRequest":{"Item":${UNPROCESSED}}}]}}`
              : table === 'capacity'
                ? '{"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"capacity","CapacityUnits":2.5}]}'
                : '{"UnprocessedItems":{}}',
          ]
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': 'r1',
      })
      res.end(text)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => server.close())

const config = (at: string) => ({
  region: 'us-east-1',
  endpoint: at,
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  maxAttempts: 1,
})
const body = (table: string) =>
  encodeBody(`{"RequestItems":{"${table}":[{"PutRequest":{"Item":{"pk":{"S":"é"}}}}]}}`)

describe('write threads', () => {
  it('send each body as it is and return the answer, unprocessed items exact', async () => {
    const threads = new WriteThreads(2, config(endpoint))
    try {
      received.length = 0
      const answers = await Promise.all(
        ['ok', 'back', 'ok', 'ok'].map((t) => threads.send(t, body(t))),
      )
      expect(received.map(String).sort()).toEqual(
        ['ok', 'back', 'ok', 'ok'].map((t) => Buffer.from(body(t)).toString()).sort(),
      )
      expect(answers[0]).toEqual({ UnprocessedItems: {} })
      expect(await threads.send('capacity', body('capacity'))).toEqual({
        UnprocessedItems: {},
        ConsumedCapacity: [{ TableName: 'capacity', CapacityUnits: 2.5 }],
      })
      expect(answers[1]?.UnprocessedItems).toEqual({
        back: [
          {
            PutRequest: {
              Item: {
                pk: { S: 'a' },
                b: { B: new Uint8Array([0, 1, 2, 255]) },
                n: { N: '12345678901234567890123456789012345678' },
              },
            },
          },
        ],
      })
    } finally {
      await threads.close()
    }
  })

  it("give back the SDK's errors with what the writer tells them by", async () => {
    const threads = new WriteThreads(1, config(endpoint))
    try {
      const failure = (t: string) =>
        threads.send(t, body(t)).then(
          () => undefined,
          (e: unknown) => e,
        )
      const invalid = (await failure('invalid')) as Record<string, unknown>
      expect(invalid).toBeInstanceOf(Error)
      expect(invalid).toMatchObject({
        name: 'ValidationException',
        message: 'invalid!',
        $fault: 'client',
        $metadata: { httpStatusCode: 400, requestId: 'r1' },
      })
      expect(isRetryable(invalid)).toBe(false)
      expect(isRetryable(await failure('throttled'))).toBe(true)
      expect(await failure('broken')).toMatchObject({
        name: 'InternalServerError',
        $fault: 'server',
      })
      expect(isRetryable(await failure('broken'))).toBe(true)
    } finally {
      await threads.close()
    }
  })

  it('abort a call the writer abandons, closing its connection', async () => {
    let received = 0
    let closed = 0
    const silent = http.createServer((req) => {
      received++
      req.socket.on('close', () => closed++)
    })
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    const threads = new WriteThreads(
      1,
      config(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`),
    )
    try {
      const abandon = new AbortController()
      const sent = threads.send('ok', body('ok'), abandon.signal).catch((e: unknown) => e)
      await vi.waitFor(() => expect(received).toBe(1), { timeout: 10_000 })
      expect(closed).toBe(0)
      abandon.abort()
      expect(await sent).toMatchObject({ name: 'AbortError' })
      await vi.waitFor(() => expect(closed).toBe(1))
    } finally {
      await threads.close()
      silent.close()
    }
  })

  it('give back a refused connection as retryable, its Node error code kept', async () => {
    const closed = http.createServer()
    closed.listen(0, '127.0.0.1')
    await once(closed, 'listening')
    const port = (closed.address() as AddressInfo).port
    closed.close()
    const threads = new WriteThreads(1, config(`http://127.0.0.1:${port}`))
    try {
      const err = await threads.send('ok', body('ok')).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'ECONNREFUSED' })
      expect(isRetryable(err)).toBe(true)
    } finally {
      await threads.close()
    }
  })

  it('fail the calls of a thread that died, and every call once none is left', async () => {
    const crashing = new URL('../support/crashing-write-thread.mjs', import.meta.url)
    const threads = new WriteThreads(1, config(endpoint), crashing)
    await expect(threads.send('ok', body('ok'))).rejects.toThrow(
      'a write thread stopped: exit code 3',
    )
    await expect(threads.send('ok', body('ok'))).rejects.toThrow('a write thread stopped')
    await threads.close()
  })

  it('refuse calls once closed, instead of holding them', async () => {
    const threads = new WriteThreads(1, config(endpoint))
    await threads.close()
    await expect(threads.send('ok', body('ok'))).rejects.toThrow('closed')
  })
})

describe('error copies', () => {
  it('keep name, message, code, status, throttling flag and causes', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    const original = Object.assign(new Error('slow down', { cause }), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'x', attempts: 1 },
      $retryable: { throttling: true },
      $response: { body: 'not copied' },
    })
    const copy = restoreError(structuredClone(copyError(original)))
    expect(copy).toBeInstanceOf(Error)
    expect(copy).toMatchObject({
      name: 'ThrottlingException',
      message: 'slow down',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'x', attempts: 1 },
      $retryable: { throttling: true },
    })
    expect(copy).not.toHaveProperty('$response')
    expect(copy.cause).toMatchObject({
      name: 'Error',
      message: 'socket hang up',
      code: 'ECONNRESET',
    })
  })

  it('classify as the originals do', () => {
    const errors: unknown[] = [
      Object.assign(new Error('x'), {
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      }),
      Object.assign(new Error('x'), { name: 'ResourceNotFoundException' }),
      Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }),
      Object.assign(new Error('x'), { $metadata: { httpStatusCode: 429 } }),
      Object.assign(new Error('x'), { code: 'ETIMEDOUT' }),
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
      'a string',
    ]
    for (const err of errors) {
      expect(isRetryable(restoreError(copyError(err)))).toBe(isRetryable(err))
    }
    expect(errors.map((e) => isRetryable(restoreError(copyError(e))))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      false,
    ])
  })

  it('stop at ten causes, as deep as the classification looks', () => {
    let err: Error = new Error('root')
    for (let i = 0; i < 20; i++) err = new Error(`level ${i}`, { cause: err })
    let depth = 0
    for (let copy = copyError(err); copy.cause; copy = copy.cause) depth++
    expect(depth).toBe(10)
  })
})

describe('writeThreadCount', () => {
  const aws = { storedBytes: AUTO_THREADS_MIN_BYTES, cores: 4, customEndpoint: false }

  it('takes a number as given, wherever the calls go', () => {
    expect(writeThreadCount(0, { ...aws, storedBytes: 10 ** 9, cores: 8 })).toBe(0)
    expect(writeThreadCount(5, { ...aws, storedBytes: 0, cores: 2 })).toBe(5)
    expect(writeThreadCount(2, { ...aws, customEndpoint: true })).toBe(2)
  })

  it('auto against AWS: a core for each but the reading one, up to three', () => {
    expect(writeThreadCount('auto', { ...aws, cores: AUTO_THREADS_MIN_CORES })).toBe(2)
    expect(writeThreadCount('auto', aws)).toBe(3)
    expect(writeThreadCount('auto', { ...aws, cores: 16 })).toBe(MAX_AUTO_THREADS)
    expect(autoWriteThreads({ ...aws, storedBytes: 5 * 1024 * 1024 })).toEqual({
      count: 3,
      why: '4 cores, 5 MiB to read',
    })
  })

  it('auto against a custom endpoint (DynamoDB Local): none, however large and many cores', () => {
    expect(autoWriteThreads({ storedBytes: 10 ** 12, cores: 64, customEndpoint: true })).toEqual({
      count: 0,
      why: 'a custom dynamodb-endpoint, not this runner, is the limit',
    })
  })

  it('auto on two cores or fewer: none', () => {
    expect(autoWriteThreads({ ...aws, storedBytes: 10 ** 12, cores: 2 })).toEqual({
      count: 0,
      why: "2 cores: a thread would take the reading's CPU",
    })
    expect(writeThreadCount('auto', { ...aws, cores: 1 })).toBe(0)
  })

  it("auto for a source too small to outlast a thread's start: none", () => {
    expect(autoWriteThreads({ ...aws, storedBytes: AUTO_THREADS_MIN_BYTES - 1 })).toEqual({
      count: 0,
      why: 'under 1 MiB to read: written before a thread would start',
    })
  })
})
