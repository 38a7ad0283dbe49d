import { describe, expect, it } from 'vitest'
import { checkResult, emptyImportWarning } from '../../src/report/verdict.js'
import { result } from '../support/results.js'

describe('checkResult', () => {
  const limits = { maxErrors: 0, minItems: 0 }
  it('passes a clean import', () => {
    expect(checkResult(result(), limits)).toEqual([])
  })

  it('fails past max-errors, and passes at it', () => {
    const failed = result({ status: 'FAILED', failureCode: 'ItemValidationError', errorCount: 2 })
    expect(checkResult(failed, { maxErrors: 1, minItems: 0 })).toEqual([
      '2 records were rejected, more than max-errors (1). Fix the records, or raise max-errors to accept them.',
    ])
    expect(checkResult(failed, { maxErrors: 2, minItems: 0 })).toEqual([])
  })

  it('points at input-format when every record read was rejected', () => {
    const all = result({ processedItemCount: 4, importedItemCount: 0, errorCount: 4 })
    expect(checkResult(all, limits)).toEqual([
      '4 records were rejected, more than max-errors (0). Fix the records, or raise max-errors to accept them. Not one record became an item: if the objects are not what the log says they were read as, set input-format to their format.',
    ])
    const some = result({ processedItemCount: 5, importedItemCount: 1, errorCount: 4 })
    expect(checkResult(some, limits)[0]).not.toContain('input-format')
  })

  it('fails below min-items, and when items were not written whatever max-errors allows', () => {
    expect(
      checkResult(result({ importedItemCount: 3 }), { maxErrors: 0, minItems: 4 })[0],
    ).toContain('3 items imported, fewer than min-items (4)')
    const unwritten = result({ errorCount: 5, unwrittenItemCount: 5, rejectedFile: '/tmp/r.jsonl' })
    const failures = checkResult(unwritten, { maxErrors: 100, minItems: 0 })
    expect(failures).toHaveLength(1)
    expect(failures[0]).toContain('5 valid items were NOT written')
    expect(failures[0]).toContain('/tmp/r.jsonl')
  })
})

describe('emptyImportWarning', () => {
  const limits = { maxErrors: 0, minItems: 0 }
  const empty = result({
    source: 'test/fixtures/empty.json',
    processedItemCount: 0,
    importedItemCount: 0,
  })

  it('names source and min-items when no record was read', () => {
    expect(emptyImportWarning(empty, limits)).toBe(
      '0 items imported from test/fixtures/empty.json: the source holds no records. Check source, or set min-items: 1 to make an empty import fail the step.',
    )
    expect(emptyImportWarning({ ...empty, dryRun: true }, limits)).toMatch(
      /^0 items would be imported from test\/fixtures\/empty\.json: /,
    )
  })

  it('is silent when records were read, all rejected, min-items is set, or no object was listed', () => {
    expect(emptyImportWarning(result(), limits)).toBeUndefined()
    const rejected = { ...empty, processedItemCount: 2, errorCount: 2, status: 'FAILED' as const }
    expect(emptyImportWarning(rejected, limits)).toBeUndefined()
    expect(emptyImportWarning(empty, { maxErrors: 0, minItems: 1 })).toBeUndefined()
    // The start step warned of the empty listing already.
    expect(emptyImportWarning({ ...empty, objects: 0 }, limits)).toBeUndefined()
    // ImportTable still running: nothing is counted yet.
    expect(emptyImportWarning({ ...empty, status: 'IN_PROGRESS' }, limits)).toBeUndefined()
  })
})

describe('checkResult of a cancelled run', () => {
  const limits = { maxErrors: 0, minItems: 100 }
  const cancelled = result({
    status: 'CANCELLED',
    failureCode: 'Cancelled',
    processedItemCount: 130,
    importedItemCount: 100,
    errorCount: 30,
    unwrittenItemCount: 25,
    rejectedFile: '/tmp/rejected.jsonl',
    cancelled: {
      signal: 'SIGINT',
      notRead: 's3://b/part-1.json after line 125; 3 objects not at all (s3://b/part-2.json)',
    },
  })

  it('says what was written, what was read and not written, and where reading stopped', () => {
    expect(checkResult(cancelled, { maxErrors: 5, minItems: 1000 })).toEqual([
      'The import was cancelled (SIGINT): 100 items were written; 25 records were read and NOT written; each is in /tmp/rejected.jsonl; reading stopped at s3://b/part-1.json after line 125; 3 objects not at all (s3://b/part-2.json). Re-run the import to write the rest (writes of the same items are idempotent).',
    ])
  })

  it('measures only the records rejected on their own against max-errors', () => {
    expect(checkResult(cancelled, limits)[1]).toBe(
      '5 records were rejected, more than max-errors (0); each is in /tmp/rejected.jsonl. Fix the records, or raise max-errors to accept them.',
    )
  })

  it('says so when every object had been read', () => {
    const drained = result({ ...cancelled, cancelled: { signal: 'SIGTERM' } })
    expect(checkResult(drained, { maxErrors: 5, minItems: 0 })[0]).toMatch(
      /^The import was cancelled \(SIGTERM\): .*; every object was read\. Re-run/,
    )
  })

  it('a dry run says what it validated, not what it wrote', () => {
    const dry = result({ ...cancelled, dryRun: true, unwrittenItemCount: 0, errorCount: 0 })
    expect(checkResult(dry, { maxErrors: 5, minItems: 0 })).toEqual([
      'The dry run was cancelled (SIGINT): 100 items were validated; reading stopped at s3://b/part-1.json after line 125; 3 objects not at all (s3://b/part-2.json). Re-run it to validate the rest.',
    ])
  })

  it('native: the import goes on in AWS, and a re-run attaches to it', () => {
    const native = result({
      mode: 'native',
      status: 'IN_PROGRESS',
      failureCode: 'Cancelled',
      importArn: 'arn:aws:dynamodb:us-east-1:1:table/t/import/01',
      cancelled: { signal: 'SIGINT' },
    })
    expect(checkResult(native, limits)).toEqual([
      'The step was cancelled (SIGINT) while ImportTable was IN_PROGRESS: the import goes on in AWS as arn:aws:dynamodb:us-east-1:1:table/t/import/01; re-running this step attaches to it and waits for its end.',
    ])
  })
})
