import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import { renderSummary } from '../../src/report/summary.js'
import type { StepRecord } from '../../src/steps.js'
import { result } from '../support/results.js'

afterEach(() => {
  core.summary.emptyBuffer()
})

describe('renderSummary', () => {
  const steps: StepRecord[] = [
    { name: 'start', result: 'stream: table t exists', ok: true, startedAt: 0, endedAt: 0.2 },
    { name: 'validate', result: '12 records, 2 rejected', ok: false, startedAt: 0.2, endedAt: 1.5 },
  ]

  it('shows the status, the engine and why, each step with its time, and the counts', () => {
    renderSummary(result(), steps, [])
    const html = core.summary.stringify()
    expect(html).toContain('DynamoDB S3 import: COMPLETED')
    expect(html).toContain('Engine: <b>stream</b>. Table t exists')
    expect(html).toContain('<td>✅ start</td><td>stream: table t exists</td><td>0.0–0.2 s</td>')
    expect(html).toContain('<td>❌ validate</td>')
    expect(html).toContain('<td>Items/s</td><td>5</td>')
    expect(html).not.toContain('Rejected records</h3>')
  })

  it('lists the first rejected records and counts the rest, escaping what it shows', () => {
    const samples = Array.from({ length: 10 }, (_, i) => ({
      kind: 'invalid' as const,
      location: `s3://b/k.json:${i + 1}`,
      reason: 'invalid JSON at column 3 <b>',
      records: 1,
    }))
    renderSummary(
      result({
        status: 'FAILED',
        errorCount: 25,
        rejectedFile: '/tmp/rejected.jsonl',
        rejections: { samples, byKind: { invalid: 25 } },
      }),
      steps,
      ['25 records were rejected'],
    )
    const html = core.summary.stringify()
    expect(html).toContain('DynamoDB S3 import: FAILED')
    expect(html).toContain('<td>s3://b/k.json:10</td><td>invalid JSON at column 3 &lt;b&gt;</td>')
    expect(html).toContain('invalid record: 25')
    expect(html).toContain('…and 15 more. All of them are in <code>/tmp/rejected.jsonl</code>.')
    expect(html).toContain('The step failed.')
  })

  it('says the import did not start when there is no result', () => {
    renderSummary(undefined, [], ['Table t does not exist'])
    expect(core.summary.stringify()).toContain('did not start')
  })
})
