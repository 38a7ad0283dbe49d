import { afterEach, describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../scripts/action-env.mjs'
import { createClients } from '../src/clients.js'
import { readInputs } from '../src/inputs.js'

function inputs(overrides: Record<string, string> = {}) {
  const all = { table: 'orders', source: 's3://bkt/p', region: 'eu-west-1', ...overrides }
  for (const [name, value] of Object.entries(inputEnv(all))) vi.stubEnv(name, value)
  return readInputs()
}

afterEach(() => vi.unstubAllEnvs())

describe('createClients', () => {
  it('follows S3 region redirects, for a bucket in another region than the table', async () => {
    const clients = createClients(inputs(), {})
    try {
      expect(clients.s3.config.followRegionRedirects).toBe(true)
      expect(await clients.s3.config.region()).toBe('eu-west-1')
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

  it('makes the CloudWatch Logs client only when it is first asked for, once', async () => {
    const clients = createClients(inputs(), {})
    try {
      const logs = clients.logs()
      expect(clients.logs()).toBe(logs)
      expect(await logs.config.region()).toBe('eu-west-1')
    } finally {
      clients.destroy()
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
      expect(placeholder.s3.config.forcePathStyle).toBe(true)
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
