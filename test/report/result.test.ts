import { describe, expect, it } from 'vitest'
import { checkResult } from '../../src/report/result.js'
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
