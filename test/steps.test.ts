import { describe, expect, it } from 'vitest'
import { Steps } from '../src/steps.js'

describe('Steps.forTable', () => {
  it("adds each table's result to the step's, spanning the first start to the last end", () => {
    let now = 0
    const steps = new Steps(() => now)
    const a = steps.forTable('orders')
    a.start('read')
    now = 1000
    a.end('read', '1 object')
    const b = steps.forTable('audit')
    now = 2000
    b.start('read')
    now = 4000
    b.end('read', '2 objects', false)
    expect(steps.list()).toEqual([
      {
        name: 'read',
        result: 'orders: 1 object; audit: 2 objects',
        ok: false,
        startedAt: 0,
        endedAt: 4,
      },
    ])
  })

  it('leaves a step of one table as it was', () => {
    const steps = new Steps(() => 0)
    steps.start('write')
    steps.end('write', 'first')
    steps.end('write', 'second')
    expect(steps.list()).toEqual([
      { name: 'write', result: 'second', ok: true, startedAt: 0, endedAt: 0 },
    ])
  })
})
