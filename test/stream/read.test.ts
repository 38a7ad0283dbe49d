// readObject's choice of the table read from a file that names several, and how an object read
// whole (a model, a scan output) that cannot be read is reported.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ParsedRecord } from '../../src/formats/record.js'
import type { Source, SourceObject } from '../../src/sources/source.js'
import { emptyOutcome } from '../../src/stream/outcome.js'
import { readObject, type ReadContext } from '../../src/stream/read.js'
import { RejectedRecords } from '../../src/stream/rejected-records.js'
import type { Validator } from '../../src/stream/validate.js'

function context(
  text: string,
  extra: Partial<ReadContext['format']> = {},
  check?: ReadContext['checkRequestTables'],
) {
  const object: SourceObject = { key: 'seed.json', url: 's3://b/seed.json', size: text.length }
  const source: Source = {
    description: 's3://b/',
    list: () => Promise.resolve([object]),
    open: () =>
      Promise.resolve(
        (async function* () {
          yield Buffer.from(text)
        })(),
      ),
  }
  const taken: ParsedRecord[] = []
  const validator = {
    wireLines: false,
    take(record: ParsedRecord) {
      taken.push(record)
      return undefined
    },
  } as unknown as Validator
  const ctx: ReadContext = {
    format: {
      format: 'auto',
      compression: 'NONE',
      csvDelimiter: ',',
      schema: { tableName: 'T', partitionKey: { name: 'pk', type: 'S' }, indexKeys: [] },
      ...extra,
    },
    source,
    outcome: emptyOutcome([object], new RejectedRecords('/dev/null')),
    validator,
    ...(check && { checkRequestTables: check }),
  }
  return { object, ctx, taken }
}

const keys = (records: ParsedRecord[]) =>
  records.map((r) => (r.result.ok ? r.result.item['pk']?.S : 'rejected'))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('readObject: one table of a file that names several', () => {
  const requests = JSON.stringify({
    A: [{ PutRequest: { Item: { pk: { S: 'a1' } } } }],
    B: [
      { PutRequest: { Item: { pk: { S: 'b1' } } } },
      { DeleteRequest: { Key: { pk: { S: 'b0' } } } },
    ],
  })

  it('reads the requests of the table the job names, without the one-table check', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const check = vi.fn(() => Promise.resolve(undefined))
    const { object, ctx, taken } = context(requests, { fileTable: 'B' }, check)
    await readObject(object, ctx)
    expect(check).not.toHaveBeenCalled()
    expect(keys(taken)).toEqual(['b1', 'b0'])
    expect(taken[1]?.result.ok && taken[1].result.delete).toBe(true)
  })

  it('under auto, reads the table the check chose, or every request when it chose none', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const chosen = context(requests, {}, () => Promise.resolve('A'))
    await readObject(chosen.object, chosen.ctx)
    expect(keys(chosen.taken)).toEqual(['a1'])
    const all = context(requests, {}, () => Promise.resolve(undefined))
    await readObject(all.object, all.ctx)
    expect(keys(all.taken)).toEqual(['a1', 'b1', 'b0'])
  })

  it("reads a model's table named as the destination, and reports a model it cannot choose in", async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const table = (name: string, pk: string) => ({
      TableName: name,
      KeyAttributes: { PartitionKey: { AttributeName: 'pk', AttributeType: 'S' } },
      TableData: [{ pk: { S: pk } }],
    })
    const model = JSON.stringify({
      ModelName: 'M',
      DataModel: [table('Ones', '1'), table('Twos', '2')],
    })
    const named = context(model, { destination: 'Twos' })
    await readObject(named.object, named.ctx)
    expect(keys(named.taken)).toEqual(['2'])
    const none = context(model, { destination: 'Threes' })
    await readObject(none.object, none.ctx)
    expect(none.taken).toEqual([])
    expect(none.ctx.outcome.unread).toEqual([
      expect.objectContaining({
        location: 's3://b/seed.json:1',
        reason:
          'the NoSQL Workbench model holds 2 tables ("Ones", "Twos") and this step loads one: set the table input to one of them',
        format: 'NOSQL_WORKBENCH',
        readAs: 'auto, read as a NoSQL Workbench data model',
        offset: 0,
        cause: 'content',
      }),
    ])
  })

  it('reports a scan output it cannot read as an object not read, with how it was read', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const text = Buffer.concat([
      Buffer.from('{"Items": [{"pk": {"S": "'),
      Buffer.from([0xff]),
      Buffer.from('"}}], "Count": 1}'),
    ]).toString('latin1')
    const { object, ctx } = context(text)
    ctx.source.open = () =>
      Promise.resolve(
        (async function* () {
          yield Buffer.from(text, 'latin1')
        })(),
      )
    await readObject(object, ctx)
    expect(ctx.outcome.unread).toEqual([
      expect.objectContaining({
        reason: 'the file is not valid UTF-8 text',
        format: 'JSON',
        readAs: 'auto, read as the output of aws dynamodb scan',
      }),
    ])
  })
})
