// An HTTP proxy in front of DynamoDB Local or s3rver that injects faults by rule: throttling
// and server errors, UnprocessedItems for part of a BatchWriteItem, delays, dropped connections
// and bodies cut or stalled after N bytes. Everything else is forwarded unchanged (neither
// emulator checks signatures, so a modified body is fine), and every request is logged with the
// fault it got.
//
// Faults are chosen by a seeded PRNG: the same seed and the same sequence of requests give the
// same faults, so a failing seed can be re-run. Concurrent requests are matched in the order
// they arrive, which is only deterministic when the client sends them in a deterministic order.
import * as http from 'node:http'
import { crc32 } from 'node:zlib'
import { randomInt, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'

export type DynamoDBErrorName =
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  | 'RequestLimitExceeded'
  | 'InternalServerError'
  | 'ServiceUnavailable'
  | 'AccessDeniedException'

export type Fault =
  /**
   * BatchWriteItem: forward (1 - fraction) of the write requests (puts and deletes, over all
   * tables; round(fraction × count) withheld, but never all unless fraction is 1, chosen by the
   * seeded PRNG) and answer the others
   * as UnprocessedItems, merged into the real response (with its ConsumedCapacity).
   */
  | { kind: 'unprocessed'; fraction: number }
  /**
   * A DynamoDB JSON error (`__type` …#name): HTTP 400 for the throttling names, 500 for
   * InternalServerError, 503 for ServiceUnavailable, unless `status` is given. Not forwarded.
   */
  | { kind: 'error'; name: DynamoDBErrorName; status?: number }
  /** S3: the status with an S3 XML error (500 InternalError, 503 SlowDown). Not forwarded. */
  | { kind: 'status'; status: 500 | 503 }
  /**
   * Forwarded once the proxy's `wait` for this many milliseconds ends: a real timer, unless the
   * test gave the proxy its own `wait` (FaultProxyOptions) to hold the request as long as it likes.
   */
  | { kind: 'delay'; ms: number }
  /** The client's socket is destroyed without an answer; nothing is forwarded. */
  | { kind: 'drop' }
  /**
   * Forwarded; the client gets the status and headers (the full Content-Length) and the first
   * `afterBytes` bytes of the body, then its socket is destroyed.
   */
  | { kind: 'cut'; afterBytes: number }
  /**
   * Forwarded; the client gets the status and headers (the full Content-Length) and the first
   * `afterBytes` bytes of the body, then nothing more while its socket stays open, until the
   * client closes it or the proxy closes. The proxy stops reading the target's answer.
   */
  | { kind: 'stall'; afterBytes: number }

export interface FaultRule {
  /**
   * DynamoDB: the x-amz-target operation (e.g. 'BatchWriteItem'). S3: 'GetObject' (GET of an
   * object key, with or without Range), 'ListObjectsV2' (GET on the bucket with list-type=2),
   * 'PutObject', 'HeadObject', 'CreateBucket', … (the SDK's `x-id` when it sends one).
   * '*' matches every request.
   */
  operation: string
  fault: Fault
  /** How many matching requests it applies to (default 1); Infinity for all. */
  times?: number
  /**
   * Applies to each matching request with this probability (seeded PRNG); default 1. A request
   * it does not apply to uses none of its `times` and goes on to the next rules.
   */
  probability?: number
  /**
   * Applies only while the proxy's clock (FaultProxyOptions.now) is below this many milliseconds:
   * "every write refused for the first 75 s" on the test's injected clock.
   */
  until?: number
}

/** One request that reached the proxy. */
export interface RequestRecord {
  /** 0, 1, 2, … in order of arrival. */
  seq: number
  service: 'dynamodb' | 's3'
  operation: string
  method: string
  /** Path and query as received. */
  url: string
  /** Every request header as received (lower-case names). */
  headers: http.IncomingHttpHeaders
  /** Where it was (or would have been) forwarded. */
  target: string
  /** The fault applied, if any. */
  fault?: Fault
  /** `unprocessed`: how many write requests were answered as UnprocessedItems. */
  unprocessed?: number
  /** `cut`: how many body bytes the client got before its socket was destroyed. */
  bytesSent?: number
  /**
   * `stall`: true once the first `afterBytes` body bytes were handed to the client's socket and
   * the silence began (bytesSent then says how many).
   */
  stalled?: boolean
  /** The status sent to the client; absent when it got none (drop, upstream unreachable). */
  status?: number
  /** Why forwarding failed (upstream unreachable, upstream connection broken). */
  error?: string
}

export interface FaultProxy {
  endpoint: string
  /** The seed in use (the one given, or a random one): print it to re-run a failure. */
  readonly seed: number
  /** Points the proxy at another target (DynamoDB Local restarted on another port). */
  retarget(target: string): void
  /** Adds a fault rule; rules are checked in order, the first matching one with uses left applies. */
  inject(rule: FaultRule): void
  /** Removes every rule (the log stays). */
  clear(): void
  /** What passed through: one entry per request (operation, faults applied, status). */
  log(): RequestRecord[]
  close(): Promise<void>
}

export interface FaultProxyOptions {
  /** http://127.0.0.1:PORT of DynamoDB Local or s3rver. */
  target: string
  /** PRNG seed (default: random, see FaultProxy.seed). */
  seed?: number
  /**
   * How a `delay` fault waits: the request is forwarded when the promise resolves. Called with the
   * fault's `ms` and the request's record (operation, url, headers, seq). Default: a real timer
   * of `ms`. A test passes its own to hold a request until something it controls happens (and to
   * do things meanwhile: stop a server, change an object), so that nothing depends on time.
   * A rejected promise drops the connection, as a `drop` fault does.
   */
  wait?: (ms: number, record: Readonly<RequestRecord>) => Promise<void>
  /** The clock of rules with `until` (default Date.now): the test's injected clock. */
  now?: () => number
}

/** mulberry32: a small, fast, seedable PRNG giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DYNAMODB_ERROR_STATUS: Record<DynamoDBErrorName, number> = {
  ProvisionedThroughputExceededException: 400,
  ThrottlingException: 400,
  RequestLimitExceeded: 400,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  AccessDeniedException: 400,
}

const DYNAMODB_ERROR_MESSAGE: Record<DynamoDBErrorName, string> = {
  ProvisionedThroughputExceededException:
    'The level of configured provisioned throughput for the table was exceeded.',
  ThrottlingException: 'Rate of requests exceeds the allowed throughput.',
  RequestLimitExceeded: 'Throughput exceeds the current throughput limit for your account.',
  InternalServerError: 'Internal server error',
  ServiceUnavailable: 'Service unavailable',
  AccessDeniedException: 'User is not authorized to perform this action',
}

const S3_STATUS_ERROR: Record<number, { code: string; message: string }> = {
  500: { code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  503: { code: 'SlowDown', message: 'Please reduce your request rate.' },
}

/** Headers about one connection, not the message: never passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
])

type WriteRequest = Record<string, unknown>
interface BatchWriteInput {
  RequestItems?: Record<string, WriteRequest[]>
  ReturnConsumedCapacity?: string
  [key: string]: unknown
}
interface BatchWriteOutput {
  UnprocessedItems?: Record<string, WriteRequest[]>
  ConsumedCapacity?: Record<string, unknown>[]
  [key: string]: unknown
}

interface RuleState {
  rule: FaultRule
  left: number
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  // Timers are captured here so that a test's fake timers do not freeze delays.
  const realSetTimeout = globalThis.setTimeout
  const realClearTimeout = globalThis.clearTimeout
  const seed = options.seed ?? randomInt(0x1_0000_0000)
  // Separate streams: choosing UnprocessedItems does not shift later probability draws.
  const chance = mulberry32(seed)
  const pick = mulberry32(seed ^ 0x9e3779b9)
  let target = parseTarget(options.target)
  const rules: RuleState[] = []
  const records: RequestRecord[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const realWait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = realSetTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })
  const wait = options.wait ?? realWait
  const now = options.now ?? Date.now
  // A new connection per forwarded request: a pooled one the target is just closing (idle
  // timeout, restart) would fail with ECONNRESET, a fault nobody injected.
  const agent = new http.Agent({ keepAlive: false })
  let closed = false

  function faultFor(operation: string): Fault | undefined {
    for (const state of rules) {
      if (state.left <= 0) continue
      if (state.rule.operation !== '*' && state.rule.operation !== operation) continue
      if (state.rule.until !== undefined && now() >= state.rule.until) continue
      const probability = state.rule.probability ?? 1
      if (probability < 1 && chance() >= probability) continue
      state.left--
      return { ...state.rule.fault }
    }
    return undefined
  }

  const server = http.createServer((req, res) => {
    const dynamodbTarget = req.headers['x-amz-target']
    const service = typeof dynamodbTarget === 'string' ? 'dynamodb' : 's3'
    const record: RequestRecord = {
      seq: records.length,
      service,
      operation:
        typeof dynamodbTarget === 'string'
          ? dynamodbTarget.slice(dynamodbTarget.indexOf('.') + 1)
          : s3Operation(req.method ?? 'GET', req.url ?? '/', req.headers),
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: { ...req.headers },
      target: target.origin,
    }
    records.push(record)
    // Chosen now, in order of arrival, so that the PRNG sequence follows the request sequence.
    const fault = faultFor(record.operation)
    if (fault) record.fault = fault
    handle(req, res, record, fault).catch((err: unknown) => {
      record.error = err instanceof Error ? err.message : String(err)
      req.socket.destroy()
    })
  })
  // Longer than any client keep-alive here: the SDK must not reuse a socket the proxy just closed.
  server.keepAliveTimeout = 60_000

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    fault: Fault | undefined,
  ): Promise<void> {
    if (fault?.kind === 'drop') {
      req.socket.destroy()
      return
    }
    // DynamoDB bodies are small JSON and read whole; S3 bodies are streamed.
    const body = record.service === 'dynamodb' ? await readBody(req) : undefined
    switch (fault?.kind) {
      case 'error':
        return answerError(req, res, record, fault.name, fault.status)
      case 'status':
        if (record.service === 'dynamodb') {
          const name = fault.status === 503 ? 'ServiceUnavailable' : 'InternalServerError'
          return answerError(req, res, record, name, fault.status)
        }
        return answerS3Error(req, res, record, fault.status)
      case 'delay':
        await wait(fault.ms, record)
        if (closed || res.destroyed) return
        return forward(req, res, record, body)
      case 'unprocessed':
        return unprocessed(req, res, record, body ?? Buffer.alloc(0), fault.fraction)
      case 'cut':
        return forward(req, res, record, body, fault.afterBytes)
      case 'stall':
        return stall(req, res, record, fault.afterBytes)
      default:
        return forward(req, res, record, body)
    }
  }

  function answerError(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    name: DynamoDBErrorName,
    status = DYNAMODB_ERROR_STATUS[name],
  ) {
    if (record.service === 's3') {
      return answerXml(req, res, record, status, name, DYNAMODB_ERROR_MESSAGE[name])
    }
    const text = JSON.stringify({
      __type: `com.amazonaws.dynamodb.v20120810#${name}`,
      message: `${DYNAMODB_ERROR_MESSAGE[name]} (injected by the fault proxy)`,
    })
    answerJson(res, record, status, Buffer.from(text))
  }

  function answerS3Error(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    status: number,
  ) {
    const known = S3_STATUS_ERROR[status] ?? S3_STATUS_ERROR[500]
    answerXml(req, res, record, status, known?.code ?? 'InternalError', known?.message ?? '')
  }

  function answerXml(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    status: number,
    code: string,
    message: string,
  ) {
    const requestId = randomUUID()
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>${message} (injected by the fault proxy)</Message>` +
      `<RequestId>${requestId}</RequestId><HostId>fault-proxy</HostId></Error>`
    const bytes = req.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(xml)
    req.resume() // an unread request body (PutObject) is discarded
    record.status = status
    res.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': bytes.length,
      'x-amz-request-id': requestId,
    })
    res.end(bytes)
  }

  function answerJson(
    res: http.ServerResponse,
    record: RequestRecord,
    status: number,
    bytes: Buffer,
    upstreamHeaders: string[] = [],
  ) {
    const headers = withoutHeaders(upstreamHeaders, [
      'content-length',
      'content-type',
      'x-amz-crc32',
      'x-amzn-requestid',
    ])
    const requestId = headerValue(upstreamHeaders, 'x-amzn-requestid') ?? randomUUID()
    headers.push(
      'content-type',
      'application/x-amz-json-1.0',
      'content-length',
      String(bytes.length),
      'x-amzn-requestid',
      requestId,
      'x-amz-crc32',
      String(crc32(bytes)),
    )
    record.status = status
    res.writeHead(status, headers)
    res.end(bytes)
  }

  /** Sends the request on to the target; `response` gets the target's answer. */
  function upstream(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    body: Buffer | undefined,
    response: (answer: http.IncomingMessage) => void,
  ) {
    const headers: http.OutgoingHttpHeaders = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value
    }
    headers['host'] = target.host
    if (body) headers['content-length'] = String(body.length)
    record.target = target.origin
    const out = http.request(
      {
        agent,
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
      },
      response,
    )
    out.on('error', (err) => {
      record.error ??= err.message
      // As if the target itself were unreachable or had broken the connection.
      req.socket.destroy()
    })
    // The client gave up: so does the proxy.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy()
    })
    if (body) out.end(body)
    else req.pipe(out)
  }

  function forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    body: Buffer | undefined,
    cutAfter?: number,
  ) {
    upstream(req, res, record, body, (answer) => {
      const status = answer.statusCode ?? 502
      record.status = status
      res.writeHead(status, answer.statusMessage, withoutHeaders(answer.rawHeaders, []))
      answer.on('error', (err) => {
        record.error ??= err.message
        req.socket.destroy()
      })
      if (cutAfter === undefined) {
        answer.pipe(res)
        return
      }
      let sent = 0
      record.bytesSent = 0
      const cut = () => {
        answer.removeAllListeners('data')
        answer.destroy()
        const socket = req.socket
        socket.write(Buffer.alloc(0), () => socket.destroy())
      }
      if (cutAfter === 0) {
        res.flushHeaders()
        cut()
        return
      }
      answer.on('data', (chunk: Buffer) => {
        const part = chunk.subarray(0, cutAfter - sent)
        sent += part.length
        record.bytesSent = sent
        if (sent < cutAfter) {
          if (!res.write(part)) {
            answer.pause()
            res.once('drain', () => answer.resume())
          }
          return
        }
        answer.removeAllListeners('data')
        answer.destroy()
        res.write(part, () => req.socket.destroy())
      })
      // A body no longer than afterBytes: nothing to cut.
      answer.on('end', () => res.end())
    })
  }

  /** Forwards the answer's first `afterBytes` body bytes, then holds the client's socket open. */
  function stall(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    afterBytes: number,
  ) {
    upstream(req, res, record, undefined, (answer) => {
      const status = answer.statusCode ?? 502
      record.status = status
      res.writeHead(status, answer.statusMessage, withoutHeaders(answer.rawHeaders, []))
      record.bytesSent = 0
      let sent = 0
      const silence = () => {
        answer.removeAllListeners('data')
        answer.removeAllListeners('end')
        answer.destroy()
        record.stalled = true
      }
      answer.on('error', (err) => {
        record.error ??= err.message
      })
      if (afterBytes === 0) {
        res.flushHeaders()
        silence()
        return
      }
      answer.on('data', (chunk: Buffer) => {
        const part = chunk.subarray(0, afterBytes - sent)
        sent += part.length
        record.bytesSent = sent
        if (sent < afterBytes) {
          if (!res.write(part)) {
            answer.pause()
            res.once('drain', () => answer.resume())
          }
          return
        }
        answer.removeAllListeners('data')
        res.write(part, silence)
      })
      // A body no longer than afterBytes: nothing to hold back.
      answer.on('end', () => res.end())
    })
  }

  function unprocessed(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    body: Buffer,
    fraction: number,
  ) {
    let input: BatchWriteInput
    try {
      input = JSON.parse(body.toString('utf8')) as BatchWriteInput
    } catch {
      return forward(req, res, record, body) // let the target answer the malformed request
    }
    const requestItems = input.RequestItems ?? {}
    const all = Object.entries(requestItems).flatMap(([table, writes]) =>
      writes.map((write, index) => ({ table, index, write })),
    )
    // Below 1, at least one request goes through, as a throttled partition still takes some.
    const count =
      fraction >= 1 ? all.length : Math.min(all.length - 1, Math.round(fraction * all.length))
    // A partial Fisher-Yates shuffle: the first `count` are a seeded random sample.
    const order = all.map((_, i) => i)
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(pick() * (order.length - i))
      ;[order[i], order[j]] = [order[j] as number, order[i] as number]
    }
    const withheldSet = new Set(order.slice(0, count))
    record.unprocessed = count
    if (count === 0) return forward(req, res, record, body)

    const kept: Record<string, WriteRequest[]> = {}
    const withheld: Record<string, WriteRequest[]> = {}
    all.forEach(({ table, write }, i) => {
      const into = withheldSet.has(i) ? withheld : kept
      ;(into[table] ??= []).push(write)
    })
    const capacity =
      input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES'
    const zeroCapacity = (tables: string[]) =>
      tables.map((table) => ({
        TableName: table,
        CapacityUnits: 0,
        ...(input.ReturnConsumedCapacity === 'INDEXES' && { Table: { CapacityUnits: 0 } }),
      }))

    if (Object.keys(kept).length === 0) {
      const output: BatchWriteOutput = {
        UnprocessedItems: withheld,
        ...(capacity && { ConsumedCapacity: zeroCapacity(Object.keys(withheld)) }),
      }
      return answerJson(res, record, 200, Buffer.from(JSON.stringify(output)))
    }

    const modified = Buffer.from(JSON.stringify({ ...input, RequestItems: kept }))
    upstream(req, res, record, modified, (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('error', (err) => {
        record.error ??= err.message
        req.socket.destroy()
      })
      answer.on('end', () => {
        const text = Buffer.concat(chunks)
        const status = answer.statusCode ?? 502
        if (status !== 200) return answerJson(res, record, status, text, answer.rawHeaders)
        const real = JSON.parse(text.toString('utf8')) as BatchWriteOutput
        const merged: Record<string, WriteRequest[]> = { ...real.UnprocessedItems }
        for (const [table, writes] of Object.entries(withheld)) {
          merged[table] = [...(merged[table] ?? []), ...writes]
        }
        const output: BatchWriteOutput = { ...real, UnprocessedItems: merged }
        if (capacity) {
          const counted = new Set((real.ConsumedCapacity ?? []).map((c) => c['TableName']))
          output.ConsumedCapacity = [
            ...(real.ConsumedCapacity ?? []),
            ...zeroCapacity(Object.keys(withheld).filter((t) => !counted.has(t))),
          ]
        }
        answerJson(res, record, 200, Buffer.from(JSON.stringify(output)), answer.rawHeaders)
      })
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${port}`,
    seed,
    retarget(next) {
      target = parseTarget(next)
    },
    inject(rule) {
      validate(rule)
      rules.push({ rule: { ...rule, fault: { ...rule.fault } }, left: rule.times ?? 1 })
    },
    clear() {
      rules.length = 0
    },
    log() {
      return records.map((record) => ({ ...record, headers: { ...record.headers } }))
    },
    async close() {
      closed = true
      for (const timer of timers) realClearTimeout(timer)
      timers.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      agent.destroy()
    },
  }
}

function parseTarget(text: string): URL {
  const url = new URL(text)
  if (url.protocol !== 'http:') throw new Error(`fault proxy: only http:// targets, not ${text}`)
  return url
}

function validate(rule: FaultRule) {
  const problem = (what: string) => new Error(`fault proxy: ${what} in ${JSON.stringify(rule)}`)
  const { fault } = rule
  if (!rule.operation) throw problem('no operation')
  if (rule.times !== undefined && !(rule.times >= 0)) throw problem('times must be ≥ 0')
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
    throw problem('probability must be in [0, 1]')
  switch (fault.kind) {
    case 'unprocessed':
      if (rule.operation !== 'BatchWriteItem') throw problem('unprocessed is for BatchWriteItem')
      if (!(fault.fraction >= 0 && fault.fraction <= 1)) throw problem('fraction must be in [0, 1]')
      break
    case 'error':
      if (!(fault.name in DYNAMODB_ERROR_STATUS)) throw problem('unknown error name')
      if (fault.status !== undefined && !(fault.status >= 400 && fault.status <= 599))
        throw problem('status must be 4xx or 5xx')
      break
    case 'status':
      if (fault.status !== 500 && fault.status !== 503) throw problem('status must be 500 or 503')
      break
    case 'delay':
      if (!(fault.ms >= 0 && Number.isFinite(fault.ms))) throw problem('ms must be ≥ 0')
      break
    case 'cut':
    case 'stall':
      if (!(Number.isInteger(fault.afterBytes) && fault.afterBytes >= 0))
        throw problem('afterBytes must be an integer ≥ 0')
      break
    case 'drop':
      break
    default:
      throw problem('unknown fault kind')
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** A flat raw header list without the hop-by-hop headers and the named ones. */
function withoutHeaders(raw: string[], names: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase()
    if (!HOP_BY_HOP.has(name) && !names.includes(name))
      out.push(raw[i] as string, raw[i + 1] as string)
  }
  return out
}

function headerValue(raw: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === name) return raw[i + 1]
  }
  return undefined
}

/** ListObjects (v1) parameters, which may be sent empty (`?prefix=`). */
const LIST_PARAMS = new Set(['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'])

/** 'versioning' → 'Versioning', 'object-lock' → 'ObjectLock'. */
const capitalized = (word: string) =>
  word
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')

/** The S3 operation of a path-style request: the SDK's `x-id` when present, else from its shape. */
export function s3Operation(
  method: string,
  url: string,
  headers: http.IncomingHttpHeaders,
): string {
  const parsed = new URL(url, 'http://s3.local')
  const query = parsed.searchParams
  const xid = query.get('x-id')
  if (xid) return xid
  const [, bucket = '', ...key] = parsed.pathname.split('/')
  const has = (name: string) => query.has(name)
  // A subresource is a query parameter without a value: ?location, ?versioning, ?tagging…
  const sub = [...query.entries()].find(
    ([name, value]) => value === '' && !LIST_PARAMS.has(name),
  )?.[0]
  if (!bucket) return method === 'GET' ? 'ListBuckets' : `${method} /`
  if (key.join('/') === '') {
    switch (method) {
      case 'GET':
        if (query.get('list-type') === '2') return 'ListObjectsV2'
        if (has('uploads')) return 'ListMultipartUploads'
        if (has('versions')) return 'ListObjectVersions'
        return sub ? `GetBucket${capitalized(sub)}` : 'ListObjects'
      case 'PUT':
        return sub ? `PutBucket${capitalized(sub)}` : 'CreateBucket'
      case 'DELETE':
        return sub ? `DeleteBucket${capitalized(sub)}` : 'DeleteBucket'
      case 'HEAD':
        return 'HeadBucket'
      case 'POST':
        return has('delete') ? 'DeleteObjects' : `POST bucket`
      default:
        return `${method} bucket`
    }
  }
  const copy = headers['x-amz-copy-source'] !== undefined
  switch (method) {
    case 'GET':
      if (has('uploadId')) return 'ListParts'
      if (has('tagging')) return 'GetObjectTagging'
      if (has('acl')) return 'GetObjectAcl'
      if (has('attributes')) return 'GetObjectAttributes'
      return 'GetObject'
    case 'HEAD':
      return 'HeadObject'
    case 'PUT':
      if (has('uploadId')) return copy ? 'UploadPartCopy' : 'UploadPart'
      if (has('tagging')) return 'PutObjectTagging'
      if (has('acl')) return 'PutObjectAcl'
      return copy ? 'CopyObject' : 'PutObject'
    case 'DELETE':
      if (has('uploadId')) return 'AbortMultipartUpload'
      if (has('tagging')) return 'DeleteObjectTagging'
      return 'DeleteObject'
    case 'POST':
      if (has('uploads')) return 'CreateMultipartUpload'
      if (has('uploadId')) return 'CompleteMultipartUpload'
      if (has('select')) return 'SelectObjectContent'
      if (has('restore')) return 'RestoreObject'
      return 'POST object'
    default:
      return `${method} object`
  }
}
