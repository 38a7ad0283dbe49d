import { afterEach, describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../scripts/action-env.mjs'
import { readInputs } from '../src/inputs.js'
import { chooseMode } from '../src/mode.js'

function inputs(overrides: Record<string, string> = {}) {
  const all = { table: 'orders', source: 's3://bkt/p', region: 'us-east-1', ...overrides }
  for (const [name, value] of Object.entries(inputEnv(all))) vi.stubEnv(name, value)
  return readInputs()
}

afterEach(() => vi.unstubAllEnvs())

describe('chooseMode', () => {
  it('streams into an existing table, because ImportTable only creates tables', () => {
    const choice = chooseMode(inputs(), true)
    expect(choice).toMatchObject({ mode: 'stream', createTable: false })
    expect(choice.reason).toContain('Table orders exists')
  })

  it('streams against a custom endpoint, creating the table from key-schema', () => {
    const choice = chooseMode(
      inputs({ 'dynamodb-endpoint': 'http://localhost:8000', 'key-schema': 'pk:S' }),
      false,
    )
    expect(choice).toMatchObject({ mode: 'stream', createTable: true })
    expect(choice.reason).toContain('no ImportTable')
  })

  it('needs key-schema to create a missing table', () => {
    expect(() => chooseMode(inputs(), false)).toThrow(
      /Table orders does not exist \(region us-east-1\).*set key-schema/,
    )
  })

  it('in stream mode creates a missing table only with create-table', () => {
    expect(() => chooseMode(inputs({ mode: 'stream', 'key-schema': 'pk:S' }), false)).toThrow(
      'set create-table: true',
    )
    const choice = chooseMode(
      inputs({ mode: 'stream', 'key-schema': 'pk:S', 'create-table': 'true' }),
      false,
    )
    expect(choice).toMatchObject({
      mode: 'stream',
      createTable: true,
      reason: 'mode: stream was requested.',
    })
  })
})
