// The native engine and auto mode through run(), the real SDK and HTTP, against the fake
// ImportTable endpoint (test/support/fake-import-server.ts), which imports for real into
// DynamoDB Local from the local S3 server.
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { DescribeImportCommand, ImportTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { inject } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import { run } from '../../src/main.js'
import {
  bucketWith,
  fromDynamoDBJson,
  jsonLines,
  scanAll,
  sortedCanonical,
  tableWith,
  uniqueName,
  useRunner,
  type Item,
  SAMPLE_KEY_SCHEMA,
  tableParameters,
} from '../support/helpers.js'
import {
  nativeInputs,
  startFakeImportServer,
  useFakeImportServer,
} from '../support/fake-import-server.js'

const fake = useFakeImportServer()
afterEach(() => {
  fake.control.reset()
})

const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => sampleItem(from + i))

/**
 * The request handler of every SDK client, the stream engine's write client included: the SDK's
 * own NodeHttpHandler (the write client only gives it other options).
 */
const HANDLERS = [
  Object.getPrototypeOf(new DynamoDBClient({ region: 'us-east-1' }).config.requestHandler) as {
    handle: (...args: unknown[]) => Promise<unknown>
  },
]

/**
 * Time for a run: vitest's fake clock, which the SDK's DescribeImport waiter (setTimeout and
 * Date.now), the SDK's retries and the action's own wait for an import slot all follow. `sleeps`
 * are the action's own waits; `polls` the fake-clock times of its DescribeImport calls.
 */
function fakeTime() {
  const sleeps: number[] = []
  const polls: number[] = []
  return {
    now: () => Date.now(),
    sleep: (ms: number) => {
      sleeps.push(ms)
      return new Promise<void>((resolve) => setTimeout(resolve, ms))
    },
    sleeps,
    polls,
    /** The pauses between DescribeImport calls, in whole seconds. */
    pauses: () => polls.slice(1).map((t, i) => Math.round((t - (polls[i] ?? t)) / 1000)),
    /**
     * Runs the action with the clock moving only while it waits on it: never while a request is
     * on the wire (the SDK's HTTP handler holds socket-check timers then, which moving the clock
     * would fire, lengthening the pauses), to the next timer as soon as none is.
     */
    async run(work: () => Promise<void>): Promise<void> {
      const send = DynamoDBClient.prototype.send
      vi.spyOn(DynamoDBClient.prototype, 'send').mockImplementation(function (
        this: DynamoDBClient,
        ...args: Parameters<typeof send>
      ) {
        if (args[0] instanceof DescribeImportCommand) polls.push(Date.now())
        return send.apply(this, args)
      } as typeof send)
      let onTheWire = 0
      for (const handler of HANDLERS) {
        const handle = handler.handle
        vi.spyOn(handler, 'handle').mockImplementation(function (this: unknown, ...args) {
          onTheWire++
          return handle.apply(this, args).finally(() => onTheWire--)
        })
      }
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
      try {
        let done = false
        const running = work().finally(() => void (done = true))
        running.catch(() => {})
        while (!done) {
          // One turn of the event loop (setImmediate is real): I/O moves on, the clock stands.
          await new Promise((resolve) => setImmediate(resolve))
          if (done) break
          // Between polls the fake's background import finishes: how many polls see IN_PROGRESS
          // then depends on holdPolls alone, not on how fast this machine is.
          await fake.control.settled()
          if (onTheWire > 0 || vi.getTimerCount() === 0) continue
          await vi.advanceTimersToNextTimerAsync()
        }
        await running
      } finally {
        vi.useRealTimers()
      }
    },
  }
}

/** Runs the action in native mode against the fake, with a fresh table name. */
async function runNative(bucket: string, inputs: Record<string, string> = {}, time = fakeTime()) {
  const table = uniqueName('native')
  const runner = useRunner({ ...nativeInputs(fake, table, bucket), ...inputs })
  vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', fake.endpoint)
  await time.run(() => run({ now: time.now, sleep: time.sleep }))
  await fake.control.settled()
  return { table, runner, outputs: runner.outputs(), time }
}

describe('native', () => {
  it('starts ImportTable, polls to the end with growing pauses, and reports its counters', async () => {
    const bucket = await bucketWith({
      'data/a.json.gz': gzipSync(jsonLines(items(0, 30))),
      'data/b.json.gz': gzipSync(jsonLines(items(30, 50))),
      'other/c.json.gz': gzipSync(jsonLines(items(50, 60))),
    })
    fake.control.holdPolls(3)
    // The top of the waiter's jitter, so that each pause is its ceiling (below).
    vi.spyOn(Math, 'random').mockReturnValue(0.9999)
    const { table, runner, outputs, time } = await runNative(bucket)
    expect(process.exitCode).toBeUndefined()
    const record = fake.imports().find((i) => i.tableName === table)
    expect(record?.request).toMatchObject({
      S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'data/' },
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: 'GZIP',
      ClientToken: expect.stringMatching(/^dynamodb-s3-import-/),
    })
    expect(record?.request).not.toHaveProperty('InputFormatOptions')
    expect(outputs).toMatchObject({
      mode: 'native',
      'mode-reason': 'mode: native was requested.',
      status: 'COMPLETED',
      'failure-code': '',
      'import-arn': record?.importArn,
      'table-arn': `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
      'processed-item-count': '50',
      'imported-item-count': '50',
      'error-count': '0',
      'cloudwatch-log-group-arn':
        'arn:aws:logs:us-east-1:000000000000:log-group:/aws-dynamodb/imports:*',
      'rejected-file': '',
    })
    expect(Number(outputs['processed-size-bytes'])).toBe(
      Buffer.byteLength(jsonLines(items(0, 30))) + Buffer.byteLength(jsonLines(items(30, 50))),
    )
    // Three polls held IN_PROGRESS, then the end. The SDK's waiter draws each pause between 5 s
    // and a ceiling that doubles from 5 s (docs/import-rules.md §3); at the top of the draw the
    // ceilings show: 5, 10, 20 s.
    expect(time.pauses()).toEqual([5, 10, 20])
    expect(time.sleeps).toEqual([])
    expect(runner.stdout()).toMatch(/import IN_PROGRESS after 5 s/)
    expect(runner.stdout()).toContain(
      'Console: https://us-east-1.console.aws.amazon.com/dynamodbv2/',
    )
    const expected = items(0, 50).map((i) => fromDynamoDBJson(i) as Item)
    expect(sortedCanonical(await scanAll(table), 'pk', 'sk')).toEqual(
      sortedCanonical(expected, 'pk', 'sk'),
    )
    expect(runner.summary()).toContain('Engine: **native**')
  })

  it('on ItemValidationError reports the errors from CloudWatch Logs, keeps the table, and gates on max-errors', async () => {
    const lines =
      jsonLines(items(0, 10)) + '{"Item": {"pk": {"S": "no-sort-key"}}}\n' + '{"Item": \n'
    const bucket = await bucketWith({ 'data/a.json': lines })
    const first = await runNative(bucket)
    const { table } = first
    let { runner, outputs } = first
    expect(process.exitCode).toBe(1)
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'failure-code': 'ItemValidationError',
      'processed-item-count': '12',
      'imported-item-count': '10',
      'error-count': '2',
    })
    expect(runner.stdout()).toMatch(
      new RegExp(`::error title=Rejected record.*::s3://${bucket}/data/a.json item 10: .*sk`),
    )
    expect(runner.stdout()).toContain('2 records were rejected, more than max-errors (0)')
    expect(await scanAll(table)).toHaveLength(10)

    vi.restoreAllMocks()
    process.exitCode = undefined
    ;({ runner, outputs } = await runNative(bucket, { 'max-errors': '2' }))
    expect(process.exitCode).toBeUndefined()
    expect(outputs).toMatchObject({ status: 'FAILED', 'error-count': '2' })
    expect(runner.stdout()).toMatch(/::warning title=Rejected record/)
  })

  it('without permission to read the logs, warns naming the permission and still reports the counts', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 3)) + '[]\n' })
    fake.control.failNext('GetLogEvents', 'AccessDeniedException', 3)
    const { runner, outputs } = await runNative(bucket, { 'max-errors': '1' })
    expect(process.exitCode).toBeUndefined()
    expect(outputs).toMatchObject({
      status: 'FAILED',
      'error-count': '1',
      'imported-item-count': '3',
    })
    expect(runner.stdout()).toContain('logs:GetLogEvents on log group /aws-dynamodb/imports')
  })

  it('fails with S3NoSuchBucket, saying what to check, and creates no table', async () => {
    // The action can list the bucket, but ImportTable (another fake, whose S3 has no buckets) cannot.
    const noBuckets = http.createServer((_, res) => {
      res.writeHead(404, { 'content-type': 'application/xml' })
      res.end(
        '<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>',
      )
    })
    await new Promise<void>((resolve) => noBuckets.listen(0, '127.0.0.1', resolve))
    const { port } = noBuckets.address() as AddressInfo
    const blind = await startFakeImportServer({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      s3Endpoint: `http://127.0.0.1:${port}`,
    })
    try {
      const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 3)) })
      const { table, runner, outputs } = await runNative(bucket, {
        'dynamodb-endpoint': blind.endpoint,
      })
      await blind.control.settled()
      expect(process.exitCode).toBe(1)
      expect(outputs).toMatchObject({ status: 'FAILED', 'failure-code': 'S3NoSuchBucket' })
      expect(runner.stdout()).toContain('check source and bucket-owner')
      await expect(scanAll(table)).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
    } finally {
      await blind.close()
      noBuckets.close()
    }
  })

  it('fails before ImportTable when the action cannot list the source, starting nothing', async () => {
    const before = fake.imports().length
    const { runner } = await runNative('no-such-bucket-here')
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain('bucket of s3://no-such-bucket-here/data/ does not exist')
    expect(fake.imports()).toHaveLength(before)
  })

  it('imports an empty prefix as an empty success', async () => {
    const bucket = await bucketWith({ 'elsewhere/a.json': jsonLines(items(0, 1)) })
    const { table, outputs } = await runNative(bucket)
    expect(process.exitCode).toBeUndefined()
    expect(outputs).toMatchObject({ status: 'COMPLETED', 'processed-item-count': '0' })
    expect(await scanAll(table)).toEqual([])
  })

  it('refuses an existing table before calling ImportTable, pointing at mode stream', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 1)) })
    const table = await tableWith('S', 'N')
    const before = fake.imports().length
    const runner = useRunner(nativeInputs(fake, table, bucket))
    await run({ sleep: async () => {} })
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain(
      'ImportTable only creates new tables: use mode: stream (or auto)',
    )
    expect(fake.imports()).toHaveLength(before)
  })

  it('with wait: false returns IN_PROGRESS right after the start, and the step passes', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 5)) })
    fake.control.holdPolls(100)
    const { outputs, time } = await runNative(bucket, { wait: 'false' })
    expect(process.exitCode).toBeUndefined()
    expect(outputs).toMatchObject({
      status: 'IN_PROGRESS',
      'import-arn': expect.stringContaining('/import/'),
    })
    expect(time.polls).toEqual([])
    expect(time.sleeps).toEqual([])
  })

  it('stops waiting after timeout-minutes, failing the step with the import still running', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 5)) })
    fake.control.holdPolls(1000)
    const { runner, outputs, time } = await runNative(bucket, { 'timeout-minutes': '2' })
    expect(process.exitCode).toBe(1)
    expect(outputs['status']).toBe('IN_PROGRESS')
    expect(runner.stdout()).toContain('still IN_PROGRESS after 2 minutes (timeout-minutes)')
    const waited = (time.polls.at(-1) ?? 0) - (time.polls[0] ?? 0)
    expect(waited).toBeLessThanOrEqual(120_000)
    expect(waited).toBeGreaterThan(60_000)
    expect(time.pauses().every((pause) => pause >= 5 && pause <= 60)).toBe(true)
  })

  it('attaches to an import already IN_PROGRESS for the table instead of starting another', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 7)) })
    const table = uniqueName('attach')
    fake.control.holdPolls(2)
    const client = new DynamoDBClient({
      endpoint: fake.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    const { ImportTableDescription } = await client.send(
      new ImportTableCommand({
        S3BucketSource: { S3Bucket: bucket, S3KeyPrefix: 'data/' },
        InputFormat: 'DYNAMODB_JSON',
        TableCreationParameters: tableParameters(table, 'S', 'N'),
      }),
    )
    client.destroy()
    const before = fake.imports().length
    const runner = useRunner(nativeInputs(fake, table, bucket))
    const time = fakeTime()
    await time.run(() => run({ now: time.now, sleep: time.sleep }))
    expect(fake.imports()).toHaveLength(before)
    expect(runner.stdout()).toContain(`Attached to import ${ImportTableDescription?.ImportArn}`)
    // DescribeTable does not find a table its import still fills: the account's imports are listed.
    expect(fake.listFilters()).toContain(undefined)
    expect(runner.outputs()).toMatchObject({
      status: 'COMPLETED',
      'import-arn': ImportTableDescription?.ImportArn,
      'imported-item-count': '7',
    })
  })

  it('waits for a slot while the account runs 50 imports, then starts', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 2)) })
    // The SDK itself retries LimitExceededException a few times before our wait for a slot.
    fake.control.failNext('ImportTable', 'LimitExceededException', 6)
    const { outputs, time } = await runNative(bucket)
    expect(outputs).toMatchObject({ status: 'COMPLETED', 'imported-item-count': '2' })
    expect(time.sleeps[0]).toBe(15_000)
  })

  it('names the missing permission when ImportTable is denied', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 2)) })
    fake.control.failNext('ImportTable', 'AccessDeniedException', 3)
    const { runner } = await runNative(bucket)
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain('The credentials need dynamodb:ImportTable')
  })

  it('with input-compression auto, refuses objects compressed in different ways', async () => {
    const bucket = await bucketWith({
      'data/a.json.gz': gzipSync(jsonLines(items(0, 2))),
      'data/b': jsonLines(items(2, 4)),
    })
    const before = fake.imports().length
    const { runner } = await runNative(bucket)
    expect(process.exitCode).toBe(1)
    expect(runner.stdout()).toContain(
      'input-compression: auto found objects compressed in different ways: GZIP (data/a.json.gz), NONE (data/b)',
    )
    expect(fake.imports()).toHaveLength(before)
  })

  it('sends CSV options for CSV only', async () => {
    const bucket = await bucketWith({ 'data/a.csv': 'pk;sk;v\nx;1;one\n' })
    const { table, outputs } = await runNative(bucket, {
      'input-format': 'CSV',
      'csv-delimiter': ';',
    })
    expect(outputs).toMatchObject({ status: 'COMPLETED', 'imported-item-count': '1' })
    expect(fake.imports().find((i) => i.tableName === table)?.request).toMatchObject({
      InputFormat: 'CSV',
      InputFormatOptions: { Csv: { Delimiter: ';' } },
      InputCompressionType: 'NONE',
    })
  })
})

describe('auto', () => {
  /** auto sees no custom endpoint: the SDK is pointed at the fake by its environment variable. */
  async function runAuto(bucket: string, table: string, inputs: Record<string, string>) {
    const runner = useRunner({
      table,
      source: `s3://${bucket}/data/`,
      region: 'us-east-1',
      's3-endpoint': inject('s3Endpoint'),
      'key-schema': SAMPLE_KEY_SCHEMA,
      ...inputs,
    })
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', fake.endpoint)
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', fake.endpoint)
    const time = fakeTime()
    await time.run(() => run({ now: time.now, sleep: time.sleep }))
    await fake.control.settled()
    return runner.outputs()
  }

  it('imports a missing table natively when the source reaches native-min-bytes', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 20)) })
    const table = uniqueName('auto-native')
    const outputs = await runAuto(bucket, table, { 'native-min-bytes': '1KiB' })
    expect(outputs).toMatchObject({
      mode: 'native',
      status: 'COMPLETED',
      'imported-item-count': '20',
    })
    expect(outputs['mode-reason']).toMatch(
      /^Table auto-native-\w+ does not exist and the source holds [\d.]+ KiB \(native-min-bytes is 1 KiB\), so ImportTable/,
    )
    expect(fake.imports().some((i) => i.tableName === table)).toBe(true)
  })

  it('creates a missing table and streams below native-min-bytes', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 20)) })
    const table = uniqueName('auto-stream')
    const outputs = await runAuto(bucket, table, {})
    expect(outputs).toMatchObject({
      mode: 'stream',
      status: 'COMPLETED',
      'imported-item-count': '20',
    })
    expect(outputs['mode-reason']).toContain('holds only')
    expect(fake.imports().some((i) => i.tableName === table)).toBe(false)
    expect(await scanAll(table)).toHaveLength(20)
  })

  it('streams into a table that exists, whatever the size', async () => {
    const bucket = await bucketWith({ 'data/a.json': jsonLines(items(0, 4)) })
    const table = await tableWith('S', 'N')
    const outputs = await runAuto(bucket, table, { 'native-min-bytes': '1' })
    expect(outputs).toMatchObject({ mode: 'stream', 'imported-item-count': '4' })
    expect(outputs['mode-reason']).toContain('exists, and ImportTable only creates new tables')
  })
})
