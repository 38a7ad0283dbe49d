import { describe, expect, it } from 'vitest'
import { notRead } from '../../src/stream/outcome.js'

describe('notRead', () => {
  const s3 = ['a', 'b', 'c', 'd', 'e'].map((k) => ({ url: `s3://b/${k}.json`, key: `${k}.json` }))

  it('names where reading stopped and up to three objects not read at all', () => {
    expect(notRead(s3, { index: 0, line: 12 })).toBe(
      's3://b/a.json after line 12; 4 objects not at all (s3://b/b.json, s3://b/c.json, s3://b/d.json and 1 more)',
    )
    expect(notRead(s3, { index: 4, line: 3 })).toBe('s3://b/e.json after line 3')
    expect(notRead(s3, undefined)).toBe('nothing: every object was read')
  })

  it('shows workspace files by their workspace path, as their annotations do', () => {
    const files = [
      { url: '/home/runner/work/app/app/fixtures/users.jsonl', key: 'fixtures/users.jsonl' },
      { url: '/home/runner/work/app/app/fixtures/orders.jsonl', key: 'fixtures/orders.jsonl' },
    ]
    expect(notRead(files, { index: 0, line: 3800 })).toBe(
      'fixtures/users.jsonl after line 3800; 1 object not at all (fixtures/orders.jsonl)',
    )
  })
})
