/**
 * The HTTP client of the write calls: undici, the HTTP/1.1 client that Node's own fetch is built
 * on, given to the SDK's DynamoDB client as its `requestHandler`. The SDK's default handler makes
 * a node:http request and five timers per call; undici keeps a pool of connections per endpoint
 * and costs about a fifth less CPU per BatchWriteItem call (measured: 370 → 300 µs). The SDK still
 * does everything but carrying the bytes: it resolves the endpoint, signs, and parses the answer.
 *
 * What the SDK's error classification (and so the writer's retrying) looks at is kept: a broken
 * connection is an ECONNRESET, a timeout a TimeoutError, as from the SDK's own handler.
 */
import { Pool, type Dispatcher } from 'undici'
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types'

/** Connections per endpoint: as many as the SDK's default handler allows (its agent's maxSockets). */
const MAX_CONNECTIONS = 50

/** undici's codes of a connection that broke or never answered in time. */
const BROKEN = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const TIMED_OUT = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

/**
 * undici's error as the SDK's handler would have raised it, the original as its cause: the SDK
 * retries on ECONNRESET and on TimeoutError, and does not know undici's codes.
 */
export function asSdkError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return err
  const message = err instanceof Error ? err.message : String(err)
  if (BROKEN.has(code))
    return Object.assign(new Error(message, { cause: err }), { code: 'ECONNRESET' })
  if (TIMED_OUT.has(code)) {
    return Object.assign(new Error(message, { cause: err }), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    })
  }
  return err
}

/** A response's headers as the SDK's handler gives them: lower-case names, one string each. */
function headersOf(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

/**
 * DynamoDB's JSON protocol sends every call as a POST to the endpoint's path, without a query;
 * a query here would be a request this handler was not made for.
 */
function pathOf(request: HttpRequest): string {
  if (Object.keys(request.query ?? {}).length > 0) {
    throw new Error(
      `the write client sends no query strings, but a request to ${request.path} has one`,
    )
  }
  return request.path
}

export class UndiciHttpHandler implements RequestHandler<
  HttpRequest,
  HttpResponse,
  HttpHandlerOptions
> {
  readonly metadata = { handlerProtocol: 'http/1.1' }
  private readonly pools = new Map<string, Pool>()

  async handle(
    request: HttpRequest,
    { abortSignal, requestTimeout }: HttpHandlerOptions = {},
  ): Promise<{ response: HttpResponse }> {
    try {
      const answer = await this.poolFor(request).request({
        method: request.method as Dispatcher.HttpMethod,
        path: pathOf(request),
        headers: request.headers,
        body: (request.body as string | Uint8Array | undefined) ?? null,
        ...(abortSignal instanceof AbortSignal && { signal: abortSignal }),
        ...(requestTimeout && { headersTimeout: requestTimeout, bodyTimeout: requestTimeout }),
      })
      // Read here, so that a connection that breaks mid-answer is reported as one: the SDK would
      // read it whole too, before it parses it.
      const body = new Uint8Array(await answer.body.arrayBuffer())
      return {
        response: { statusCode: answer.statusCode, headers: headersOf(answer.headers), body },
      }
    } catch (err) {
      throw asSdkError(err)
    }
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {}
  }

  /** Ends the connections; every call has been answered by then. */
  destroy(): void {
    for (const pool of this.pools.values()) void pool.destroy()
    this.pools.clear()
  }

  private poolFor(request: HttpRequest): Pool {
    const port = request.port ? `:${request.port}` : ''
    const origin = `${request.protocol}//${request.hostname}${port}`
    let pool = this.pools.get(origin)
    if (!pool) {
      pool = new Pool(origin, { connections: MAX_CONNECTIONS })
      this.pools.set(origin, pool)
    }
    return pool
  }
}
