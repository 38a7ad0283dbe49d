import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../scripts/action-env.mjs'
import { createClients, onFirstUse } from '../src/clients.js'
import { readInputs } from '../src/inputs.js'

function inputs(overrides: Record<string, string> = {}) {
  const all = { table: 'orders', source: 's3://bkt/p', region: 'eu-west-1', ...overrides }
  for (const [name, value] of Object.entries(inputEnv(all))) vi.stubEnv(name, value)
  return readInputs()
}

describe('createClients', () => {
  it('follows S3 region redirects, for a bucket in another region than the table', async () => {
    const clients = createClients(inputs(), {})
    try {
      const s3 = await clients.s3()
      expect(s3.config.followRegionRedirects).toBe(true)
      expect(await s3.config.region()).toBe('eu-west-1')
      expect(await clients.dynamodb.config.region()).toBe('eu-west-1')
      // The writer's client leaves retries to the writer.
      expect(await clients.writeClient.config.maxAttempts()).toBe(1)
    } finally {
      clients.destroy()
    }
  })

  it('gives the write threads the write client configuration as plain data', async () => {
    const clients = createClients(inputs({ 'dynamodb-endpoint': 'http://localhost:8000' }), {})
    try {
      // Copied to each thread with the structured clone: no functions, no class instances.
      const copy = structuredClone(clients.writeConfig)
      expect(copy).toEqual(clients.writeConfig)
      expect(copy).toMatchObject({
        region: 'eu-west-1',
        endpoint: 'http://localhost:8000',
        maxAttempts: 1,
        cacheMiddleware: true,
        credentials: { accessKeyId: 'local' },
      })
      expect(await clients.writeClient.config.endpoint?.()).toMatchObject({ hostname: 'localhost' })
    } finally {
      clients.destroy()
    }
  })

  it('makes the S3 and CloudWatch Logs clients only when first asked for, once', async () => {
    const clients = createClients(inputs(), {})
    try {
      const [logs, again] = await Promise.all([clients.logs(), clients.logs()])
      expect(again).toBe(logs)
      expect(await clients.logs()).toBe(logs)
      expect(await logs.config.region()).toBe('eu-west-1')
      expect(await clients.s3()).toBe(await clients.s3())
    } finally {
      clients.destroy()
    }
  })

  it('destroys the clients made, one still being made too, and makes no other', async () => {
    const s3Destroyed = vi.spyOn(S3Client.prototype, 'destroy')
    const logsDestroyed = vi.spyOn(CloudWatchLogsClient.prototype, 'destroy')
    const unused = createClients(inputs(), {})
    unused.destroy()
    const clients = createClients(inputs(), {})
    await clients.logs()
    const making = clients.s3()
    clients.destroy()
    await making
    await vi.waitFor(() => {
      expect(logsDestroyed).toHaveBeenCalledOnce()
      expect(s3Destroyed).toHaveBeenCalledOnce()
    })
  })

  it('takes a client that could not be made for nothing to destroy', async () => {
    const unhandled: unknown[] = []
    const record = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', record)
    try {
      const make = vi.fn(() => Promise.reject<{ destroy(): void }>(new Error('no module')))
      const failing = onFirstUse(make)
      await expect(failing.get()).rejects.toThrow('no module')
      expect(() => failing.destroy()).not.toThrow()
      // Node reports an unhandled rejection after the microtasks of the turn: one turn later.
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
      // Destroying neither makes the client again nor makes one never asked for.
      expect(make).toHaveBeenCalledOnce()
      const unused = vi.fn(() => Promise.resolve({ destroy: vi.fn() }))
      onFirstUse(unused).destroy()
      expect(unused).not.toHaveBeenCalled()
    } finally {
      process.off('unhandledRejection', record)
    }
  })

  it('signs for custom endpoints with placeholder credentials only when none are configured', async () => {
    const local = inputs({
      'dynamodb-endpoint': 'http://localhost:8000',
      's3-endpoint': 'http://localhost:9000',
    })
    const placeholder = createClients(local, {})
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example')
    const configured = createClients(local, process.env)
    try {
      const credentials = await placeholder.dynamodb.config.credentials()
      expect(credentials.accessKeyId).toBe('local')
      expect((await placeholder.s3()).config.forcePathStyle).toBe(true)
      // With credentials in the environment, the default chain is used, not the placeholder.
      expect(configured.dynamodb.config.credentials).not.toBe(
        placeholder.dynamodb.config.credentials,
      )
      await expect(configured.dynamodb.config.credentials()).resolves.not.toMatchObject({
        accessKeyId: 'local',
      })
    } finally {
      placeholder.destroy()
      configured.destroy()
    }
  })
})
