// The state the main step leaves for its post step: written to the GITHUB_STATE file as the
// runner reads it, and read back from STATE_<name> as the runner gives it to the post step.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { readOutputs } from '../scripts/action-env.mjs'

type Module = typeof import('../src/created-tables.js')

/** A fresh module (its list of created tables empty) and a fresh GITHUB_STATE file. */
let created: Module
let stateFile: string
beforeEach(async () => {
  vi.resetModules()
  created = await import('../src/created-tables.js')
  stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-state-')), 'github-state')
  fs.writeFileSync(stateFile, '')
  vi.stubEnv('GITHUB_STATE', stateFile)
  vi.stubEnv('STATE_isPost', '')
  vi.stubEnv('STATE_createdTables', '')
})

/** What the runner would give the post step, from the file as it is now. */
const saved = () => readOutputs(stateFile)

describe('recordCreatedTable', () => {
  it('saves the whole list each time, so that each save alone holds every table so far', () => {
    created.recordCreatedTable('orders', 'arn:aws:dynamodb:us-east-1:123456789012:table/orders')
    expect(JSON.parse(saved()['createdTables'] ?? '')).toEqual([
      { name: 'orders', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' },
    ])
    created.recordCreatedTable('customers')
    expect(JSON.parse(saved()['createdTables'] ?? '')).toEqual([
      { name: 'orders', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' },
      { name: 'customers' },
    ])
  })

  it('keeps a table recorded twice once', () => {
    created.recordCreatedTable('orders')
    created.recordCreatedTable('orders')
    expect(JSON.parse(saved()['createdTables'] ?? '')).toEqual([{ name: 'orders' }])
  })
})

describe('createdTables', () => {
  it('reads what the main step saved, as the runner gives it back', () => {
    created.recordCreatedTable('orders', 'arn:aws:dynamodb:us-east-1:123456789012:table/orders')
    created.recordCreatedTable('customers')
    vi.stubEnv('STATE_createdTables', saved()['createdTables'] ?? '')
    expect(created.createdTables()).toEqual([
      { name: 'orders', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' },
      { name: 'customers' },
    ])
  })

  it('is empty when the step created no table', () => {
    expect(created.createdTables()).toEqual([])
  })

  it('keeps only entries of the shape it saves', () => {
    vi.stubEnv(
      'STATE_createdTables',
      JSON.stringify([{ name: 'orders' }, { name: 3 }, null, 'x', { name: 'a-table', arn: 1 }]),
    )
    expect(created.createdTables()).toEqual([{ name: 'orders' }])
    vi.stubEnv('STATE_createdTables', '{"name": "orders"}')
    expect(created.createdTables()).toEqual([])
  })
})

describe('the post step', () => {
  it('is told apart by the state the main step saved first', () => {
    expect(created.isPostStep()).toBe(false)
    created.markMainStep()
    expect(saved()).toEqual({ isPost: 'true' })
    vi.stubEnv('STATE_isPost', saved()['isPost'] ?? '')
    expect(created.isPostStep()).toBe(true)
  })
})
