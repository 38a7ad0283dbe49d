import { describe, expect, it } from 'vitest'
import type { Inputs } from '../../src/inputs.js'
import { checkResult, emptyImportWarning, fromStream } from '../../src/report/result.js'
import { emptyOutcome } from '../../src/stream/outcome.js'
import { RejectedRecords } from '../../src/stream/rejected-records.js'
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

describe('fromStream', () => {
  const table = { TableName: 't', TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t' }
  const inputs = { dryRun: false, maxWriteCapacity: 0 } as const
  function outcome(errors: number, unwritten: number) {
    return {
      ...emptyOutcome([{ size: 10 }], new RejectedRecords('/tmp/unused.jsonl')),
      processed: 10,
      imported: 10 - errors,
      errors,
      unwritten,
    }
  }

  it('says ItemValidationError when records were invalid, as ImportTable does', () => {
    const r = fromStream(outcome(2, 1), inputs as Inputs, table)
    expect(r).toMatchObject({ status: 'FAILED', failureCode: 'ItemValidationError' })
  })

  it('says ItemsNotWritten when every rejection is a valid item DynamoDB never took', () => {
    const r = fromStream(outcome(3, 3), inputs as Inputs, table)
    expect(r).toMatchObject({ status: 'FAILED', failureCode: 'ItemsNotWritten', errorCount: 3 })
    expect(checkResult({ ...result(), ...r }, { maxErrors: 10, minItems: 0 })).toEqual([
      expect.stringContaining('3 valid items were NOT written'),
    ])
  })

  it('completes without a failure code when nothing was rejected', () => {
    const r = fromStream(outcome(0, 0), inputs as Inputs, table)
    expect(r.status).toBe('COMPLETED')
    expect(r.failureCode).toBeUndefined()
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

describe('fromStream: what the summary shows of an endpoint', () => {
  const table = { TableName: 't' }
  const outcome = emptyOutcome([{ size: 10 }], new RejectedRecords('/tmp/unused.jsonl'))
  const dry = { dryRun: true, maxWriteCapacity: 0 }

  it('estimates both engines for an S3 source against DynamoDB', () => {
    const inputs = { ...dry, source: { kind: 's3', bucket: 'b', prefix: '' } }
    const r = fromStream(outcome, inputs as unknown as Inputs, table)
    expect(r.estimates?.map((e) => e.engine)).toEqual(['native', 'stream'])
    expect(r.customEndpoint).toBeUndefined()
  })

  it('leaves ImportTable out for a workspace source, which it cannot read', () => {
    const inputs = { ...dry, source: { kind: 'local', path: 'a.json' } }
    const r = fromStream(outcome, inputs as unknown as Inputs, table)
    expect(r.estimates?.map((e) => e.engine)).toEqual(['stream'])
  })

  it('estimates no cost against an emulator, and says it is one', () => {
    const inputs = {
      ...dry,
      dynamodbEndpoint: 'http://localhost:8000',
      source: { kind: 'local', path: 'a.json' },
    }
    const r = fromStream(outcome, inputs as unknown as Inputs, table)
    expect(r.estimates).toBeUndefined()
    expect(r.customEndpoint).toBe(true)
  })
})
