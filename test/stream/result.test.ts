import { describe, expect, it } from 'vitest'
import { emptyOutcome } from '../../src/stream/outcome.js'
import { RejectedRecords } from '../../src/stream/rejected-records.js'
import { checkResult } from '../../src/report/verdict.js'
import { fromStream, type ResultContext } from '../../src/stream/result.js'
import { result } from '../support/results.js'

describe('fromStream', () => {
  const table = { TableName: 't', TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t' }
  const job: ResultContext = {
    table,
    dryRun: false,
    customEndpoint: false,
    maxWriteCapacity: 0,
    importTableCouldRead: true,
  }
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
    const r = fromStream(outcome(2, 1), job)
    expect(r).toMatchObject({ status: 'FAILED', failureCode: 'ItemValidationError' })
  })

  it('says ItemsNotWritten when every rejection is a valid item DynamoDB never took', () => {
    const r = fromStream(outcome(3, 3), job)
    expect(r).toMatchObject({ status: 'FAILED', failureCode: 'ItemsNotWritten', errorCount: 3 })
    expect(checkResult({ ...result(), ...r }, { maxErrors: 10, minItems: 0 })).toEqual([
      expect.stringContaining('3 valid items were NOT written'),
    ])
  })

  it('completes without a failure code when nothing was rejected', () => {
    const r = fromStream(outcome(0, 0), job)
    expect(r.status).toBe('COMPLETED')
    expect(r.failureCode).toBeUndefined()
  })
})

describe('fromStream: what the summary shows of an endpoint', () => {
  const table = { TableName: 't' }
  const outcome = emptyOutcome([{ size: 10 }], new RejectedRecords('/tmp/unused.jsonl'))
  const dry = { table, dryRun: true, maxWriteCapacity: 0, customEndpoint: false }

  it('estimates both engines for an S3 source against DynamoDB', () => {
    const r = fromStream(outcome, { ...dry, importTableCouldRead: true })
    expect(r.estimates?.map((e) => e.engine)).toEqual(['native', 'stream'])
    expect(r.customEndpoint).toBeUndefined()
  })

  it('leaves ImportTable out for a workspace source, which it cannot read', () => {
    const r = fromStream(outcome, { ...dry, importTableCouldRead: false })
    expect(r.estimates?.map((e) => e.engine)).toEqual(['stream'])
  })

  it('estimates no cost against an emulator, and says it is one', () => {
    const r = fromStream(outcome, { ...dry, customEndpoint: true, importTableCouldRead: false })
    expect(r.estimates).toBeUndefined()
    expect(r.customEndpoint).toBe(true)
  })
})
