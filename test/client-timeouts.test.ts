// The control-plane DynamoDB client and the CloudWatch Logs client end a call that gets no
// answer: against a server that takes the connection and never says a word. The SDK's handler
// times out on timers, which are fake here: the clock is moved on, nothing really waits.
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import * as net from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../scripts/action-env.mjs'
import { CONTROL_PLANE_HTTP, createClients, LOGS_HTTP } from '../src/clients.js'
import { readInputs } from '../src/inputs.js'
import { DEFAULT_WRITE_CONCURRENCY } from '../src/stream/settings.js'
import { writeClientConfig } from '../src/stream/write-calls.js'

const servers: net.Server[] = []
const sockets: net.Socket[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const socket of sockets.splice(0)) socket.destroy()
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A server that reads requests and never answers; `requests` resolves at the first bytes. */
async function silentServer() {
  let heard: () => void = () => {}
  const requested = new Promise<void>((resolve) => (heard = resolve))
  const server = net.createServer((socket) => {
    sockets.push(socket)
    socket.on('data', () => heard())
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return { endpoint: `http://127.0.0.1:${port}`, requested }
}

function clientsFor(dynamodbEndpoint: string) {
  const inputs = {
    table: 'orders',
    source: 's3://bkt/p',
    region: 'us-east-1',
    'dynamodb-endpoint': dynamodbEndpoint,
  }
  for (const [name, value] of Object.entries(inputEnv(inputs))) vi.stubEnv(name, value)
  // One attempt: the SDK's retries would wait on the fake timers too.
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1')
  return createClients(readInputs(), {})
}

/** What the call rejected with, once the fake clock has moved on by `ms` after the request. */
async function silenceFor<T>(call: Promise<T>, requested: Promise<void>, ms: number) {
  const outcome = call.then(
    () => 'answered',
    (err: unknown) => err as Error,
  )
  await requested
  await vi.advanceTimersByTimeAsync(ms - 1)
  let settled = false
  void outcome.then(() => (settled = true))
  await new Promise((resolve) => setImmediate(resolve))
  expect(settled, 'ended before its timeout').toBe(false)
  await vi.advanceTimersByTimeAsync(1)
  return outcome
}

describe('control-plane and CloudWatch Logs timeouts', () => {
  it('DynamoDB (DescribeTable): a call with no answer ends at the request timeout, as a TimeoutError', async () => {
    const { endpoint, requested } = await silentServer()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const clients = clientsFor(endpoint)
    try {
      const err = await silenceFor(
        clients.dynamodb.send(new DescribeTableCommand({ TableName: 't' })),
        requested,
        CONTROL_PLANE_HTTP.requestTimeout,
      )
      expect(err).toMatchObject({ name: 'TimeoutError' })
      expect((err as Error).message).toContain(
        `${CONTROL_PLANE_HTTP.requestTimeout} ms requestTimeout`,
      )
    } finally {
      clients.destroy()
    }
  })

  it('CloudWatch Logs: a call with no answer ends at its request timeout, as a TimeoutError', async () => {
    const { endpoint, requested } = await silentServer()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', endpoint)
    // No placeholder credentials for this client (it has no endpoint input).
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local')
    const clients = clientsFor(endpoint)
    try {
      const logs = await clients.logs()
      const err = await silenceFor(
        logs.send(new DescribeLogGroupsCommand({})),
        requested,
        LOGS_HTTP.requestTimeout,
      )
      expect(err).toMatchObject({ name: 'TimeoutError' })
    } finally {
      clients.destroy()
    }
  })

  it('leaves the write client to its own handler options and the writer’s deadline', () => {
    const clients = clientsFor('http://127.0.0.1:1')
    try {
      expect(clients.writeConfig.requestHandler).toEqual(
        writeClientConfig({}, DEFAULT_WRITE_CONCURRENCY).requestHandler,
      )
      expect(clients.writeConfig.requestHandler).not.toEqual(CONTROL_PLANE_HTTP)
    } finally {
      clients.destroy()
    }
  })
})
