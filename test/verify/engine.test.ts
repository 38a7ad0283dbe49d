// The read-back against a table held in memory: what the source expects (the collector), how the
// reads are retried and paced, and the report. The same against DynamoDB Local: engine.int.test.ts.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  BatchGetItemCommand,
  ScanCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import { describe, expect, it, vi } from 'vitest'
import { Cancelled } from '../../src/cancel.js'
import { ActionError } from '../../src/errors.js'
import { localSource } from '../../src/sources/local.js'
import { Steps } from '../../src/steps.js'
import type { StreamJob } from '../../src/stream/engine.js'
import type { Item } from '../../src/table/attribute-value.js'
import { keyOf, tableSchemaFrom } from '../../src/table/key-schema.js'
import { runVerify, type VerifyJob } from '../../src/verify/engine.js'
import { virtualClock } from '../support/helpers.js'

const TABLE: TableDescription = {
  TableName: 'verified',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
}
const schema = tableSchemaFrom(TABLE)

/** A DynamoDB JSON line. */
const line = (pk: string, sk: number | string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Item: { pk: { S: pk }, sk: { N: String(sk) }, ...extra } })
const item = (pk: string, sk: number | string, extra: Item = {}): Item => ({
  pk: { S: pk },
  sk: { N: String(sk) },
  ...extra,
})

interface Faults {
  /** The first BatchGetItem call is answered only once this promise is resolved. */
  holdFirst?: Promise<void>
  /** Scan calls fail with this. */
  scanError?: Error
  /** Scan calls throttled first. */
  scanThrottled?: number
  /** Calls answered with every key but the first unprocessed. */
  unprocessedCalls?: number
  /** Calls refused with a throttling error. */
  throttledCalls?: number
  /** Every call fails with this. */
  error?: Error
}

/** A table in memory answering BatchGetItem and Scan as DynamoDB does (ConsumedCapacity aside). */
function memoryTable(items: Item[], faults: Faults = {}) {
  const store = new Map(items.map((i) => [keyOf(i, schema), i]))
  const gets: Array<{ keys: number; consistent: boolean | undefined }> = []
  let unprocessed = faults.unprocessedCalls ?? 0
  let throttled = faults.throttledCalls ?? 0
  let scanThrottled = faults.scanThrottled ?? 0
  const send = vi.fn(async (command: unknown) => {
    if (faults.error) throw faults.error
    if (command instanceof BatchGetItemCommand) {
      const [[table, request]] = Object.entries(command.input.RequestItems ?? {}) as [
        [string, { Keys: Item[]; ConsistentRead?: boolean }],
      ]
      gets.push({ keys: request.Keys.length, consistent: request.ConsistentRead })
      if (gets.length === 1 && faults.holdFirst) await faults.holdFirst
      const names = new Set(request.Keys.map((k) => keyOf(k, schema)))
      if (names.size !== request.Keys.length) throw new Error('duplicate keys in one call')
      if (request.Keys.length > 100) throw new Error('too many keys')
      if (throttled > 0) {
        throttled--
        throw Object.assign(new Error('slow down'), {
          name: 'ProvisionedThroughputExceededException',
          $metadata: { httpStatusCode: 400 },
        })
      }
      let keys = request.Keys
      let rest: Item[] = []
      if (unprocessed > 0 && keys.length > 1) {
        unprocessed--
        rest = keys.slice(1)
        keys = keys.slice(0, 1)
      }
      const found = keys.flatMap((k) => {
        const got = store.get(keyOf(k, schema))
        return got ? [got] : []
      })
      return {
        Responses: { [table]: found },
        ...(rest.length > 0 && { UnprocessedKeys: { [table]: { Keys: rest } } }),
        ConsumedCapacity: [{ TableName: table, CapacityUnits: keys.length }],
      }
    }
    if (command instanceof ScanCommand) {
      if (faults.scanError) throw faults.scanError
      if (scanThrottled > 0) {
        scanThrottled--
        throw Object.assign(new Error('slow down'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        })
      }
      const segment = command.input.Segment ?? 0
      const all = [...store.values()].map((i) => ({ pk: i.pk, sk: i.sk }) as Item)
      // Two pages in segment 0, nothing elsewhere.
      const half = Math.ceil(all.length / 2)
      if (segment !== 0) return { Items: [], ConsumedCapacity: { CapacityUnits: 0.5 } }
      if (!command.input.ExclusiveStartKey)
        return {
          Items: all.slice(0, half),
          LastEvaluatedKey: { pk: { S: 'page' } },
          ConsumedCapacity: { CapacityUnits: 1 },
        }
      return { Items: all.slice(half), ConsumedCapacity: { CapacityUnits: 1 } }
    }
    throw new Error(`unexpected command ${String(command)}`)
  })
  return { store, gets, send, client: { send } as unknown as DynamoDBClient }
}

/** Files in a fresh workspace, read as the import reads them. */
function workspace(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-'))
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    fs.writeFileSync(path.join(root, name), text)
  }
  return root
}

function verifyJob(
  root: string,
  level: VerifyJob['level'],
  extra: Partial<VerifyJob> & { format?: StreamJob['format']['format']; custom?: boolean } = {},
): VerifyJob {
  const { format = 'DYNAMODB_JSON', custom = false, ...rest } = extra
  return {
    stream: {
      engine: 'stream',
      table: TABLE,
      tableId: 'verified',
      source: localSource(root, '.'),
      format: { format, compression: 'NONE', csvDelimiter: ',' },
      write: {
        writeConcurrency: 4,
        writeThreads: 0,
        maxWriteCapacity: 0,
        stallTimeoutSeconds: 120,
      },
      customEndpoint: custom,
      dryRun: false,
      rejectedFile: path.join(root, 'rejected.jsonl'),
      importTableCouldRead: false,
    },
    level,
    sampleSize: 1000,
    maxReadCapacity: 0,
    ...rest,
  }
}

function context(client: DynamoDBClient) {
  const clock = virtualClock()
  return {
    clock,
    context: {
      reads: client,
      clients: { writeClient: client },
      steps: new Steps(clock.now),
      now: clock.now,
      sleep: clock.sleep,
      every: clock.every,
    },
  }
}

describe('runVerify: what the source expects', () => {
  it('takes the last record of a key (the later line, the later object) and honours deletes; rejected records are not expected, nor written again', async () => {
    const root = workspace({
      'a.json': [
        line('a', 1, { v: { S: 'old' } }),
        line('a', 1, { v: { S: 'new' } }),
        line('b', 2),
        '{not json',
      ].join('\n'),
      'b.json': [line('b', 2, { v: { N: '2' } }), line('c', 3)].join('\n'),
      'c.json': JSON.stringify({
        verified: [{ DeleteRequest: { Key: { pk: { S: 'c' }, sk: { N: '3' } } } }],
      }),
    })
    const table = memoryTable([
      item('a', 1, { v: { S: 'new' } }),
      item('b', 2, { v: { N: '2.0' } }),
    ])
    const { context: ctx } = context(table.client)
    const job = verifyJob(root, 'full', { format: 'auto' })
    const lines: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(...String(chunk).split('\n'))
      return true
    })
    let report
    try {
      report = await runVerify(job, ctx)
    } finally {
      vi.restoreAllMocks()
    }
    // The import logged the rejected line; the read-back only counts it.
    expect(lines.filter((l) => l.startsWith('rejected:'))).toEqual([])
    expect(lines).toContain(
      "verify: 1 record of the source is rejected by the import's rules: not expected in the table",
    )
    expect(report).toMatchObject({
      level: 'full',
      checked: 3,
      equal: 3,
      missing: 0,
      different: 0,
      samples: [],
    })
    expect(report.extra).toBeUndefined()
    expect(fs.existsSync(job.stream.rejectedFile)).toBe(false)
    expect(table.gets.every((g) => g.consistent === true)).toBe(true)
    // Reported units: one a key read, as the table said.
    expect(report.readUnits).toBe(table.gets.reduce((t, g) => t + g.keys, 0))
  })

  it('reports each mismatch at its record: missing, different by attribute name, a deleted key still there', async () => {
    const root = workspace({
      'data.json': [
        line('a', 1, { v: { S: 'x' } }),
        line('b', 2, { v: { S: 'x' }, m: { M: { n: { N: '1' } } } }),
        line('c', 3),
        line('d', 4),
      ].join('\n'),
      'del.json': JSON.stringify({
        verified: [{ DeleteRequest: { Key: { pk: { S: 'd' }, sk: { N: '4' } } } }],
      }),
    })
    const table = memoryTable([
      item('a', 1, { v: { S: 'y' } }),
      item('b', 2, { v: { S: 'x' }, m: { M: { n: { N: '2' } } }, added: { BOOL: true } }),
      item('d', 4, { w: { S: 'kept' } }),
      item('z', 9),
    ])
    const { context: ctx } = context(table.client)
    const report = await runVerify(verifyJob(root, 'exact', { format: 'auto' }), ctx)
    const data = path.join(root, 'data.json')
    const del = path.join(root, 'del.json')
    expect(report).toMatchObject({ checked: 4, equal: 0, missing: 1, different: 3, extra: 1 })
    expect(report.samples).toEqual([
      { kind: 'different', location: `${data}:1`, attributes: ['v'] },
      { kind: 'different', location: `${data}:2`, attributes: ['added', 'm'] },
      { kind: 'missing', location: `${data}:3` },
      { kind: 'different', location: `${del}:1`, attributes: ['pk', 'sk', 'w'] },
      { kind: 'extra' },
    ])
    // Two scan pages of one segment and three empty ones: the units DynamoDB reported, added.
    expect(report.readUnits).toBe(table.gets.reduce((t, g) => t + g.keys, 0) + 2 + 3 * 0.5)
  })

  it('computes the units for an emulator endpoint: one per started 4 KB of each item, one per key without one', async () => {
    const big = 'x'.repeat(5000)
    const root = workspace({
      'data.json': [line('a', 1, { v: { S: big } }), line('b', 2)].join('\n'),
    })
    const table = memoryTable([item('a', 1, { v: { S: big } })])
    const { context: ctx } = context(table.client)
    const report = await runVerify(verifyJob(root, 'full', { custom: true }), ctx)
    expect(report).toMatchObject({ checked: 2, equal: 1, missing: 1, readUnits: 3 })
  })
})

describe('runVerify: reads', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => item(`k${i}`, i))
  const source = (n: number) => Array.from({ length: n }, (_, i) => line(`k${i}`, i)).join('\n')

  it('calls BatchGetItem with at most 100 keys, and reads the unprocessed keys again', async () => {
    const root = workspace({ 'data.json': source(250) })
    const table = memoryTable(many(250), { unprocessedCalls: 3 })
    const { context: ctx } = context(table.client)
    const report = await runVerify(verifyJob(root, 'full'), ctx)
    expect(report).toMatchObject({ checked: 250, equal: 250, missing: 0 })
    expect(Math.max(...table.gets.map((g) => g.keys))).toBe(100)
    // 3 calls gave back all but one key: those were read again.
    expect(table.gets.reduce((t, g) => t + g.keys, 0)).toBeGreaterThan(250 + 3 * 90)
  })

  it('retries throttled calls after a pause on the injected clock', async () => {
    const root = workspace({ 'data.json': source(30) })
    const table = memoryTable(many(30), { throttledCalls: 2 })
    const { context: ctx, clock } = context(table.client)
    const report = await runVerify(verifyJob(root, 'full'), ctx)
    expect(report).toMatchObject({ checked: 30, equal: 30 })
    expect(table.gets).toHaveLength(3)
    expect(clock.elapsed()).toBeGreaterThan(0)
  })

  it('caps the read units per second at max-read-capacity', async () => {
    const root = workspace({ 'data.json': source(1000) })
    const table = memoryTable(many(1000))
    const { context: ctx, clock } = context(table.client)
    await runVerify(verifyJob(root, 'full', { maxReadCapacity: 100 }), ctx)
    // 1000 units at 100 a second: the last call starts after 9 s at least.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(9000)
  })

  it('fails with the call and the table named when a read is refused for good', async () => {
    const root = workspace({ 'data.json': source(3) })
    const table = memoryTable([], {
      error: Object.assign(new Error('Requested resource not found'), {
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
    })
    const { context: ctx } = context(table.client)
    await expect(runVerify(verifyJob(root, 'full'), ctx)).rejects.toThrow(
      'verify: BatchGetItem: table verified was not found (Requested resource not found). Check table, region and dynamodb-endpoint.',
    )
  })
})

describe('runVerify: sample', () => {
  it('checks the same keys on every run, and only those', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => line(`k${i}`, i))
    const root = workspace({ 'data.json': lines.join('\n') })
    const reversed = workspace({ 'data.json': [...lines].reverse().join('\n') })
    const asked = async (dir: string) => {
      const table = memoryTable([])
      const { context: ctx } = context(table.client)
      const report = await runVerify(verifyJob(dir, 'sample', { sampleSize: 25 }), ctx)
      expect(report).toMatchObject({ level: 'sample', checked: 25, missing: 25, equal: 0 })
      const keys = table.send.mock.calls.flatMap(([command]) =>
        Object.values((command as BatchGetItemCommand).input.RequestItems ?? {}).flatMap((r) =>
          (r.Keys ?? []).map((k) => keyOf(k, schema)),
        ),
      )
      return keys.sort()
    }
    const first = await asked(root)
    expect(first).toHaveLength(25)
    expect(await asked(root)).toEqual(first)
    // The source read in another order: the same keys.
    expect(await asked(reversed)).toEqual(first)
  })
})

describe('runVerify: a later record of a key answered first', () => {
  it('keeps the verdict of the later record when the earlier one is answered after it', async () => {
    // The first call (with the older record of "a") is held until the second (with the newer) has
    // been answered: the older answer must not replace the newer verdict.
    const others = Array.from({ length: 99 }, (_, i) => line(`k${i}`, i))
    const root = workspace({
      'data.json': [
        line('a', 1, { v: { S: 'old' } }),
        ...others,
        line('a', 1, { v: { S: 'new' } }),
      ].join('\n'),
    })
    let release = () => {}
    const holdFirst = new Promise<void>((resolve) => (release = resolve))
    const table = memoryTable(
      [
        item('a', 1, { v: { S: 'new' } }),
        ...Array.from({ length: 99 }, (_, i) => item(`k${i}`, i)),
      ],
      { holdFirst },
    )
    const { context: ctx } = context(table.client)
    const checking = runVerify(verifyJob(root, 'full'), ctx)
    // Let the second call go out and be answered, then answer the first.
    await vi.waitFor(() => expect(table.gets).toHaveLength(2))
    await new Promise((resolve) => setImmediate(resolve))
    release()
    const report = await checking
    expect(report).toMatchObject({ checked: 100, equal: 100, different: 0 })
  })
})

describe('runVerify: a check that cannot end', () => {
  const source = () => workspace({ 'data.json': [line('a', 1), line('b', 2)].join('\n') })

  it('fails when DynamoDB answers no read for stall-timeout-seconds', async () => {
    const table = memoryTable([item('a', 1)], { throttledCalls: 1_000_000 })
    const { context: ctx } = context(table.client)
    const job = verifyJob(source(), 'full')
    job.stream.write.stallTimeoutSeconds = 30
    await expect(runVerify(job, ctx)).rejects.toThrow(
      /^verify: DynamoDB answered no read for \d+ s, the stall-timeout-seconds \(30\); the table was not checked to its end$/,
    )
  })

  it('fails when the source cannot be read to its end', async () => {
    const root = workspace({ 'data.json': '[{"pk": "a", "sk": 1} {"pk": "b", "sk": 2}]' })
    const table = memoryTable([])
    const { context: ctx } = context(table.client)
    await expect(runVerify(verifyJob(root, 'full', { format: 'JSON' }), ctx)).rejects.toThrow(
      /^verify: the source could not be read to its end, so the table cannot be checked against it: .*data\.json:1: reading stopped at byte/,
    )
  })

  it('fails with Scan named when the scan of exact is refused', async () => {
    const table = memoryTable([item('a', 1), item('b', 2)], {
      scanError: Object.assign(new Error('User is not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    })
    const { context: ctx } = context(table.client)
    await expect(runVerify(verifyJob(source(), 'exact'), ctx)).rejects.toThrow(
      'verify: Scan on verified was denied (AccessDeniedException): User is not authorized. The credentials need dynamodb:Scan on verified.',
    )
  })

  it('fails when the run is cancelled', async () => {
    const table = memoryTable([item('a', 1), item('b', 2)])
    const { context: ctx } = context(table.client)
    const controller = new AbortController()
    controller.abort(new Cancelled('SIGTERM'))
    await expect(
      runVerify(verifyJob(source(), 'full'), { ...ctx, signal: controller.signal }),
    ).rejects.toThrow('verify: cancelled (SIGTERM) before the table was checked to its end')
  })
})

describe('runVerify: the log', () => {
  it('says what is checked, and logs progress lines of the reading and of the reads', async () => {
    const root = workspace({
      'data.json': Array.from({ length: 1200 }, (_, i) => line(`k${i}`, i)).join('\n'),
    })
    const table = memoryTable(Array.from({ length: 1200 }, (_, i) => item(`k${i}`, i)))
    const { context: ctx } = context(table.client)
    const lines: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(...String(chunk).split('\n'))
      return true
    })
    try {
      // 1200 units at 100 a second: 12 s on the virtual clock, past a progress line.
      await runVerify(verifyJob(root, 'full', { maxReadCapacity: 100 }), ctx)
    } finally {
      vi.restoreAllMocks()
    }
    expect(lines).toContain(
      `verify (full): reading ${root} again and comparing every item with table verified, by key with strongly consistent reads`,
    )
    expect(lines.some((l) => /^progress: .* \d+ items to check, /.test(l))).toBe(true)
    expect(
      lines.some((l) =>
        /^verify: \d+ keys read back, 0 not as the source says so far, \d+ read units$/.test(l),
      ),
    ).toBe(true)
    expect(
      lines.some((l) =>
        /^verify \(full\): 1200 checked, 1200 equal, 0 missing, 0 different; 1200 read units consumed; 1\d(\.\d)? s$/.test(
          l,
        ),
      ),
    ).toBe(true)
    // Nothing of an item's values.
    expect(lines.some((l) => l.includes('k17'))).toBe(false)
  })

  it('fails with what the source said when it cannot be opened again', async () => {
    const table = memoryTable([])
    const { context: ctx } = context(table.client)
    const job = verifyJob(workspace({}), 'full')
    job.stream.source = {
      description: 's3://b/',
      list: async () => [{ url: 's3://b/k.json', key: 'k.json', size: 10 }],
      open: async () => {
        throw new ActionError('GetObject on s3://b/k.json was denied (AccessDenied): no.')
      },
    }
    await expect(runVerify(job, ctx)).rejects.toThrow(
      'verify: reading the source again failed: GetObject on s3://b/k.json was denied (AccessDenied): no.',
    )
    job.stream.source.open = async () => {
      throw new Error('socket hang up')
    }
    // A read that fails is an object not read to its end, as in the import.
    await expect(runVerify(job, ctx)).rejects.toThrow(
      /^verify: the source could not be read to its end, so the table cannot be checked against it: s3:\/\/b\/k\.json:1: reading stopped at byte 0: the object could not be read: socket hang up/,
    )
    job.stream.source.list = async () => {
      throw new Error('connect ECONNREFUSED')
    }
    await expect(runVerify(job, ctx)).rejects.toThrow(
      'verify: reading the source again failed: connect ECONNREFUSED',
    )
  })
})

describe('runVerify: exact scan and a silent source', () => {
  it('asks a throttled Scan page again', async () => {
    const root = workspace({ 'data.json': [line('a', 1), line('b', 2)].join('\n') })
    const table = memoryTable([item('a', 1), item('b', 2), item('c', 3)], { scanThrottled: 2 })
    const { context: ctx } = context(table.client)
    const report = await runVerify(verifyJob(root, 'exact'), ctx)
    expect(report).toMatchObject({ checked: 2, equal: 2, extra: 1, samples: [{ kind: 'extra' }] })
  })

  it('fails when the source goes silent for stall-timeout-seconds', async () => {
    const table = memoryTable([])
    const { context: ctx, clock } = context(table.client)
    const job = verifyJob(workspace({}), 'full')
    job.stream.write.stallTimeoutSeconds = 5
    job.stream.source = {
      description: 's3://b/',
      list: async () => [{ url: 's3://b/k.json', key: 'k.json', size: 10 }],
      open: async () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => new Promise<IteratorResult<Uint8Array>>(() => {}),
        }),
      }),
    }
    const checking = runVerify(job, ctx)
    const failed = expect(checking).rejects.toThrow(/^verify: /)
    await vi.waitFor(() => {
      clock.advance(1000)
      expect(clock.elapsed()).toBeGreaterThan(10_000)
    })
    await failed
    await expect(checking).rejects.toThrow(/the source sent no byte for 5 s/)
  })
})
