// An object not read to its end, in every place it is reported: the failure, the outputs'
// failure code, the annotations and the job summary.
import * as core from '@actions/core'
import { describe, expect, it, vi } from 'vitest'
import { annotate, MAX_ANNOTATIONS_PER_KIND } from '../../src/report/outputs.js'
import { renderSummary } from '../../src/report/summary.js'
import { checkResult } from '../../src/report/verdict.js'
import {
  describeUnread,
  SOURCE_NOT_READ,
  unreadAmount,
  type UnreadObject,
} from '../../src/result.js'
import { emptyOutcome } from '../../src/stream/outcome.js'
import { RejectedRecords } from '../../src/stream/rejected-records.js'
import { fromStream } from '../../src/stream/result.js'
import { result } from '../support/results.js'

const brokenArray: UnreadObject = {
  location: 's3://b/orders.json:4',
  shown: 's3://b/orders.json:4',
  offset: 51,
  after: 'document[1]',
  reason: 'expected "," or "]", found "{"',
  format: 'JSON',
  recordsRead: 2,
  totalBytes: 122,
  notReadBytes: 71,
  measure: 'uncompressed',
  cause: 'content',
}

const failedRead: UnreadObject = {
  location: '/w/fixtures/a.json.gz:81',
  shown: 'fixtures/a.json.gz:81',
  offset: 9000,
  after: 'line 80',
  reason: 'the object could not be read: socket hang up',
  format: 'DYNAMODB_JSON',
  recordsRead: 80,
  totalBytes: 4000,
  notReadBytes: 1500,
  measure: 'stored',
  cause: 'read',
}

/** The workflow commands printed while `run` runs. */
function commands(run: () => void): string[] {
  const lines: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('::')),
    )
    return true
  })
  run()
  return lines
}

describe('describeUnread', () => {
  it('says where reading stopped, why, what was and was not read, and what to do', () => {
    expect(describeUnread(brokenArray)).toBe(
      's3://b/orders.json:4: reading stopped at byte 51 after document[1]: expected "," or "]", found "{" (input-format JSON); 2 documents read, 71 of 122 bytes not read. Fix the file; max-errors does not apply to a file that cannot be read to its end.',
    )
    expect(describeUnread(failedRead)).toBe(
      'fixtures/a.json.gz:81: reading stopped at byte 9000 after line 80: the object could not be read: socket hang up (input-format DYNAMODB_JSON); 80 records read, 1500 of 4000 stored bytes not read. Check the object and re-run the import; max-errors does not apply to an object that cannot be read to its end.',
    )
    const { after: _after, ...rest } = brokenArray
    const header = { ...rest, offset: 0, recordsRead: 1 }
    expect(describeUnread({ ...header, format: 'REQUEST_ITEMS' })).toContain(
      'reading stopped at byte 0: expected',
    )
    expect(describeUnread({ ...header, format: 'REQUEST_ITEMS' })).toContain('1 request read')
  })

  it('says when every stored byte arrived but their data did not decode', () => {
    expect(unreadAmount({ ...failedRead, notReadBytes: 0 })).toBe(
      'all 4000 stored bytes received, their data not read past that point',
    )
    expect(unreadAmount({ ...brokenArray, notReadBytes: 0 })).toBe('0 of 122 bytes not read')
  })
})

describe('an object not read to its end', () => {
  const job = {
    table: { TableName: 't' },
    dryRun: false,
    customEndpoint: false,
    maxWriteCapacity: 0,
    importTableCouldRead: true,
  }
  const outcome = (unread: UnreadObject[], errors = 0) => ({
    ...emptyOutcome([{ size: 10 }], new RejectedRecords('/tmp/unused.jsonl')),
    processed: 10,
    imported: 10 - errors,
    errors,
    unread,
  })

  it(`fails the step with ${SOURCE_NOT_READ} whatever max-errors is`, () => {
    const r = { ...result(), ...fromStream(outcome([brokenArray]), job) }
    expect(r).toMatchObject({
      status: 'FAILED',
      failureCode: 'SourceNotRead',
      failureMessage: '1 object could not be read to the end; see the annotations.',
      errorCount: 0,
    })
    expect(checkResult(r, { maxErrors: 1_000_000, minItems: 0 })).toEqual([
      describeUnread(brokenArray),
    ])
  })

  it('takes precedence over rejected records, and names at most 5 objects', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      ...brokenArray,
      location: `s3://b/${i}.json:4`,
      shown: `s3://b/${i}.json:4`,
    }))
    const r = { ...result(), ...fromStream(outcome(many, 2), job) }
    expect(r.failureCode).toBe('SourceNotRead')
    expect(r.failureMessage).toBe(
      '7 objects could not be read to the end and 2 records were rejected; see the annotations.',
    )
    const failures = checkResult(r, { maxErrors: 5, minItems: 0 })
    expect(failures).toHaveLength(6)
    expect(failures[4]).toContain('s3://b/4.json:4: reading stopped')
    expect(failures[5]).toBe('…and 2 more objects not read to their end (see the log).')
  })

  it('is an error annotation on the file and line of a workspace file, on the object otherwise', () => {
    const r = result({
      status: 'FAILED',
      failureCode: 'SourceNotRead',
      unread: [brokenArray, failedRead],
      errorCount: 1,
      rejections: {
        samples: [{ kind: 'invalid', location: 's3://b/x.json:1', reason: 'bad', records: 1 }],
        byKind: { invalid: 1 },
      },
    })
    const printed = commands(() =>
      annotate(r, ['the verdict'], { maxErrors: 5, minItems: 0 }, '/w'),
    )
    expect(printed).toEqual([
      '::error::the verdict',
      `::error title=Source not read to its end::${describeUnread(brokenArray)}`,
      `::error title=Source not read to its end,file=fixtures/a.json.gz,line=81::${describeUnread(failedRead, 'fixtures/a.json.gz:81')}`,
      // The rejection max-errors accepts stays a warning.
      '::warning title=Rejected record%3A invalid record::s3://b/x.json:1: bad',
    ])
  })

  it(`leaves the verdict its room within GitHub's ${MAX_ANNOTATIONS_PER_KIND} errors`, () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      ...brokenArray,
      location: `s3://b/${i}.json:4`,
      shown: `s3://b/${i}.json:4`,
    }))
    const r = result({
      status: 'FAILED',
      unread: many,
      errorCount: 3,
      rejections: {
        samples: [{ kind: 'invalid', location: 's3://b/x.json:1', reason: 'bad', records: 3 }],
        byKind: { invalid: 3 },
      },
    })
    const printed = commands(() => annotate(r, ['v'], { maxErrors: 0, minItems: 0 }, '/w'))
    expect(printed.filter((l) => l.startsWith('::error'))).toHaveLength(MAX_ANNOTATIONS_PER_KIND)
    expect(printed.filter((l) => l.includes('Source not read'))).toHaveLength(9)
  })

  it('has its own section in the summary: where, why, and how much was not read', () => {
    renderSummary(result({ status: 'FAILED', unread: [brokenArray] }), [], ['x'])
    const text = core.summary.stringify()
    expect(text).toContain('### Not read to the end')
    expect(text).toContain(
      '| s3://b/orders.json:4 | byte 51, after document[1] | expected "," or "]", found "{" | 71 of 122 bytes (2 documents read) |',
    )
    core.summary.emptyBuffer()
    renderSummary(result({ status: 'FAILED' }), [], ['x'])
    expect(core.summary.stringify()).not.toContain('Not read to the end')
  })
})
