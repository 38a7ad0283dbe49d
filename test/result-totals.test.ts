import { describe, expect, it } from 'vitest'
import { combineResults } from '../src/result-totals.js'
import { result } from './support/results.js'

const sample = (location: string) => ({
  kind: 'invalid' as const,
  location,
  reason: 'bad',
  records: 1,
})

describe('combineResults', () => {
  it('gives one table its own result, with the tables output', () => {
    const one = result({
      table: 'orders',
      tableArn: 'arn:t/orders',
      tableCreatedFrom: 'key-schema',
    })
    expect(combineResults([one])).toEqual({
      ...one,
      tables: [
        {
          table: 'orders',
          status: 'COMPLETED',
          tableArn: 'arn:t/orders',
          imported: 10,
          rejected: 0,
          created: true,
        },
      ],
    })
  })

  it('sums the counts of several, keeps the worst status with its failure, and lists each table', () => {
    const orders = result({
      table: 'orders',
      tableArn: 'arn:t/orders',
      tableCreatedFrom: 'the model m.json',
      durationSeconds: 1,
      perObject: [{ url: '/ws/m.json', records: 10, rejected: 0 }],
      rejections: { samples: [sample('/ws/m.json:3')], byKind: { invalid: 1 } },
      errorCount: 1,
      processedItemCount: 11,
    })
    const audit = result({
      table: 'audit',
      status: 'FAILED',
      failureCode: 'ItemValidationError',
      failureMessage: '2 records rejected.',
      durationSeconds: 3,
      importedItemCount: 5,
      errorCount: 2,
      perObject: [{ url: '/ws/m.json', records: 7, rejected: 2 }],
      rejections: { samples: [sample('/ws/m.json:9')], byKind: { invalid: 1, mismatch: 1 } },
      consumedWriteCapacity: 5,
    })
    const total = combineResults([orders, audit])
    expect(total).toMatchObject({
      status: 'FAILED',
      failureCode: 'ItemValidationError',
      failureMessage: 'audit: 2 records rejected.',
      processedItemCount: 21,
      importedItemCount: 15,
      errorCount: 3,
      consumedWriteCapacity: 15,
      durationSeconds: 3,
      objects: 1,
      table: 'orders, audit',
      tableCreatedFrom: 'the model m.json',
      rejections: { byKind: { invalid: 2, mismatch: 1 } },
    })
    expect(total.tableArn).toBeUndefined()
    expect(total.rejections.samples.map((s) => s.location)).toEqual([
      '/ws/m.json:3',
      '/ws/m.json:9',
    ])
    expect(total.tables).toEqual([
      {
        table: 'orders',
        status: 'COMPLETED',
        tableArn: 'arn:t/orders',
        imported: 10,
        rejected: 1,
        created: true,
      },
      {
        table: 'audit',
        status: 'FAILED',
        failureCode: 'ItemValidationError',
        imported: 5,
        rejected: 2,
        created: false,
      },
    ])
  })

  it('says CANCELLED over COMPLETED, and FAILED over CANCELLED', () => {
    const done = result({ table: 'a' })
    const cancelled = result({ table: 'b', status: 'CANCELLED', failureCode: 'Cancelled' })
    expect(combineResults([done, cancelled]).status).toBe('CANCELLED')
    const failed = result({ table: 'c', status: 'FAILED', failureCode: 'SourceNotRead' })
    expect(combineResults([done, cancelled, failed])).toMatchObject({
      status: 'FAILED',
      failureCode: 'SourceNotRead',
    })
  })

  it("sums the tables' checks, and keeps why a check did not run", () => {
    const report = (missing: number, extra?: number) => ({
      level: 'exact' as const,
      checked: 5,
      equal: 5 - missing,
      missing,
      different: 0,
      ...(extra !== undefined && { extra }),
      readUnits: 7,
      seconds: 1,
      samples: missing ? [{ kind: 'missing' as const, location: 's3://b/k:1' }] : [],
    })
    const total = combineResults([
      result({ table: 'a', verification: report(1, 2) }),
      result({ table: 'b', verification: report(0, 0) }),
    ])
    expect(total.verification).toEqual({
      level: 'exact',
      checked: 10,
      equal: 9,
      missing: 1,
      different: 0,
      extra: 2,
      readUnits: 14,
      seconds: 2,
      samples: [{ kind: 'missing', location: 's3://b/k:1' }],
    })
    const notRun = { level: 'full' as const, why: 'a dry run plans it', items: 3 }
    expect(
      combineResults([result({ table: 'a', verifyNotRun: notRun }), result({ table: 'b' })]),
    ).toMatchObject({ verifyNotRun: notRun })
  })
})
