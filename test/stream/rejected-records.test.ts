import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { MAX_REJECTION_SAMPLES } from '../../src/result.js'
import { MAX_LOGGED_REJECTIONS, RejectedRecords } from '../../src/stream/rejected-records.js'

describe('RejectedRecords', () => {
  it('writes every record to the file, keeps samples, counts by kind, and logs a bounded number', async () => {
    const lines: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l.startsWith('rejected:')),
      )
      return true
    })
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-rejected-')), 'r.jsonl')
    const rejected = new RejectedRecords(file)
    const n = MAX_LOGGED_REJECTIONS + 5
    for (let i = 0; i < n; i++) {
      await rejected.add(
        {
          kind: i % 2 ? 'invalid' : 'mismatch',
          location: `s3://b/k:${i + 1}`,
          reason: 'why',
          records: 1,
        },
        `{"secret": ${i}}`,
      )
    }
    expect(await rejected.close()).toBe(file)
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(n)
    expect(rejected.samples).toHaveLength(MAX_REJECTION_SAMPLES)
    expect(rejected.byKind).toEqual({ mismatch: 53, invalid: 52 })
    expect(lines).toHaveLength(MAX_LOGGED_REJECTIONS + 1)
    expect(lines[0]).toBe('rejected: s3://b/k:1: why')
    expect(lines.at(-1)).toBe(
      `rejected: more than ${MAX_LOGGED_REJECTIONS} records; every one is in ${file}`,
    )
    // The log has the reason, never the record.
    expect(lines.join('\n')).not.toContain('secret')
  })
})
