// nativeImport against stubbed clients: the calls it makes, the pauses between them (on vitest's
// fake clock, which the SDK waiter's setTimeout and Date.now follow) and the outcome it reports.
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  type GetLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeImportCommand,
  DynamoDBClient,
  ImportTableCommand,
  ListImportsCommand,
  type ImportStatus,
  type ImportTableDescription,
  type ImportSummary,
} from '@aws-sdk/client-dynamodb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ActionError } from '../../src/errors.js'
import { LIMIT_RETRY_BUDGET_MS } from '../../src/native/explain.js'
import { nativeImport, type NativeOptions } from '../../src/native/import-table.js'

const TABLE = 'orders'
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:111122223333:table/${TABLE}`
const ARN = `${TABLE_ARN}/import/01700000000000-abcd1234`

/** An exception as the SDK raises it: a name, and the HTTP status in $metadata. */
function awsError(name: string, status = 400): Error {
  return Object.assign(new Error(`${name} (stub)`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
  })
}

function description(status: ImportStatus, extra: Partial<ImportTableDescription> = {}) {
  return { ImportArn: ARN, TableArn: TABLE_ARN, ImportStatus: status, ...extra }
}

type Answer = ImportTableDescription | Error

/**
 * Clients whose send answers from scripts: each DescribeImport takes the next answer (the last one
 * repeats), each ImportTable likewise; ListImports lists `running`. Every call is recorded with
 * the time of the fake clock.
 */
function stubs(script: {
  describe?: Answer[]
  importTable?: Answer[]
  running?: ImportSummary[]
  logEvents?: string[] | Error
}) {
  const dynamodb = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'stub', secretAccessKey: 'stub' },
  })
  const logs = new CloudWatchLogsClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'stub', secretAccessKey: 'stub' },
  })
  const calls: Array<{ call: string; at: number }> = []
  /** The TableArn filter of each ListImports call. */
  const listFilters: Array<string | undefined> = []
  const next = (answers: Answer[] = [], fallback: Answer): Answer =>
    (answers.length > 1 ? answers.shift() : answers[0]) ?? fallback
  const answer = (value: Answer) => (value instanceof Error ? Promise.reject(value) : value)
  vi.spyOn(dynamodb, 'send').mockImplementation(async (command: unknown) => {
    const at = Date.now()
    if (command instanceof ListImportsCommand) {
      calls.push({ call: 'ListImports', at })
      listFilters.push(command.input.TableArn)
      return { ImportSummaryList: script.running ?? [] }
    }
    if (command instanceof ImportTableCommand) {
      calls.push({ call: 'ImportTable', at })
      return {
        ImportTableDescription: await answer(next(script.importTable, description('IN_PROGRESS'))),
      }
    }
    if (command instanceof DescribeImportCommand) {
      calls.push({ call: 'DescribeImport', at })
      return {
        ImportTableDescription: await answer(next(script.describe, description('COMPLETED'))),
      }
    }
    throw new Error(`unexpected command ${String(command)}`)
  })
  vi.spyOn(logs, 'send').mockImplementation(async (command: unknown) => {
    if (!(command instanceof GetLogEventsCommand)) throw new Error('unexpected command')
    calls.push({ call: 'GetLogEvents', at: Date.now() })
    if (script.logEvents instanceof Error) throw script.logEvents
    const output: Partial<GetLogEventsCommandOutput> = {
      events: (script.logEvents ?? []).map((message) => ({ message })),
    }
    return output
  })
  /** The pauses between DescribeImport calls, in ms of the fake clock. */
  const pauses = () => {
    const times = calls.filter((c) => c.call === 'DescribeImport').map((c) => c.at)
    return times.slice(1).map((t, i) => t - (times[i] ?? 0))
  }
  const count = (call: string) => calls.filter((c) => c.call === call).length
  return { dynamodb, logs, calls, pauses, count, listFilters }
}

function options(
  clients: { dynamodb: DynamoDBClient; logs: CloudWatchLogsClient },
  extra: Partial<NativeOptions> = {},
): NativeOptions {
  return {
    dynamodb: clients.dynamodb,
    logs: () => Promise.resolve(clients.logs),
    request: {
      S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'orders/' },
      InputFormat: 'DYNAMODB_JSON',
      TableCreationParameters: {
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
      ClientToken: 'token',
    },
    region: 'us-east-1',
    wait: true,
    timeoutMinutes: 60,
    onStarted: () => {},
    ...extra,
  }
}

/** Runs the import to its end on the fake clock; its rejection, if any, is returned, not thrown. */
async function settle<T>(work: Promise<T>): Promise<T | Error> {
  const result = work.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
  await vi.runAllTimersAsync()
  return result
}

let stdout = ''
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  stdout = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    return true
  })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('nativeImport: the wait for the end', () => {
  it('polls DescribeImport after 5 s, then doubling pauses up to 60 s, until COMPLETED', async () => {
    // The waiter draws each pause between 5 s and its ceiling; at the top of the draw the
    // ceiling itself shows: 5, 10, 20, 40, then 60 s for good.
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const inProgress = Array.from({ length: 7 }, () => description('IN_PROGRESS'))
    const clients = stubs({
      describe: [...inProgress, description('COMPLETED', { ImportedItemCount: 9 })],
    })
    const outcome = await settle(nativeImport(options(clients)))
    expect(outcome).toMatchObject({
      description: { ImportStatus: 'COMPLETED', ImportedItemCount: 9 },
      attached: false,
      timedOut: false,
      itemErrors: [],
    })
    expect(clients.pauses()).toEqual([5, 10, 20, 40, 60, 60, 60].map((s) => s * 1000))
    expect(stdout).toMatch(/import IN_PROGRESS after 5 s/)
    expect(stdout).toMatch(/import COMPLETED after 255 s/)
  })

  it('never pauses less than 5 s or more than 60 s, whatever the jitter draws', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const inProgress = Array.from({ length: 6 }, () => description('IN_PROGRESS'))
    const clients = stubs({ describe: [...inProgress, description('COMPLETED')] })
    await settle(nativeImport(options(clients)))
    expect(clients.pauses()).toEqual([5, 5, 5, 5, 60, 60].map((s) => s * 1000))
  })

  it('reports a FAILED import (ItemValidationError) as its outcome, with the item errors from CloudWatch Logs', async () => {
    const event = JSON.stringify({
      itemS3Pointer: { bucket: 'exports', key: 'orders/a.json', itemIndex: 3 },
      errorMessages: ['Missing the key pk in the item'],
    })
    const failed = description('FAILED', {
      FailureCode: 'ItemValidationError',
      ErrorCount: 1,
      ImportedItemCount: 4,
    })
    const clients = stubs({ describe: [description('IN_PROGRESS'), failed], logEvents: [event] })
    const outcome = await settle(nativeImport(options(clients)))
    expect(outcome).toMatchObject({
      description: { ImportStatus: 'FAILED', FailureCode: 'ItemValidationError', ErrorCount: 1 },
      timedOut: false,
      itemErrors: [
        {
          kind: 'invalid',
          location: 's3://exports/orders/a.json item 3',
          reason: 'Missing the key pk in the item',
        },
      ],
    })
    expect(clients.count('DescribeImport')).toBe(2)
  })

  it('reports FAILED (S3NoSuchBucket) and CANCELLED as outcomes, reading no item errors', async () => {
    for (const end of [
      description('FAILED', { FailureCode: 'S3NoSuchBucket' }),
      description('CANCELLED'),
    ]) {
      const clients = stubs({ describe: [end] })
      const outcome = await settle(nativeImport(options(clients)))
      expect(outcome).toMatchObject({ description: end, timedOut: false, itemErrors: [] })
      expect(clients.count('GetLogEvents')).toBe(0)
    }
  })

  it('after timeout-minutes gives up with the import IN_PROGRESS: timedOut, and the last description', async () => {
    const clients = stubs({ describe: [description('IN_PROGRESS')] })
    const began = Date.now()
    const outcome = await settle(nativeImport(options(clients, { timeoutMinutes: 2 })))
    expect(outcome).toMatchObject({ description: { ImportStatus: 'IN_PROGRESS' }, timedOut: true })
    const last = clients.calls.filter((c) => c.call === 'DescribeImport').at(-1)?.at ?? 0
    expect(last - began).toBeLessThanOrEqual(120_000)
    expect(last - began).toBeGreaterThan(60_000)
    expect(Date.now() - began).toBeLessThanOrEqual(120_000)
  })

  it('polls on past throttling and server errors of DescribeImport', async () => {
    const clients = stubs({
      describe: [
        description('IN_PROGRESS'),
        awsError('ThrottlingException'),
        awsError('InternalServerError', 500),
        awsError('ServiceUnavailable', 503),
        description('COMPLETED'),
      ],
    })
    const outcome = await settle(nativeImport(options(clients)))
    expect(outcome).toMatchObject({ description: { ImportStatus: 'COMPLETED' }, timedOut: false })
    expect(clients.count('DescribeImport')).toBe(5)
  })

  it('fails at once when DescribeImport is denied, naming the permission, instead of polling to the timeout', async () => {
    const clients = stubs({ describe: [awsError('AccessDeniedException')] })
    const began = Date.now()
    const err = await settle(nativeImport(options(clients)))
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain(
      `The credentials need dynamodb:DescribeImport on ${ARN}`,
    )
    expect(clients.count('DescribeImport')).toBe(1)
    expect(Date.now() - began).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('fails at once on ImportNotFoundException', async () => {
    const clients = stubs({ describe: [awsError('ImportNotFoundException')] })
    const err = await settle(nativeImport(options(clients)))
    expect((err as Error).message).toContain(`DescribeImport: import ${ARN} was not found`)
    expect(clients.count('DescribeImport')).toBe(1)
  })

  it('when every answer until the timeout was an error worth another try, fails with the last one', async () => {
    const clients = stubs({ describe: [awsError('ThrottlingException')] })
    const err = await settle(nativeImport(options(clients, { timeoutMinutes: 1 })))
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain('DescribeImport on')
    expect((err as Error).message).toContain('ThrottlingException')
  })

  it('with wait: false returns the started import without polling', async () => {
    const started: ImportTableDescription[] = []
    const clients = stubs({})
    const outcome = await settle(
      nativeImport(options(clients, { wait: false, onStarted: (d) => started.push(d) })),
    )
    expect(outcome).toMatchObject({ description: { ImportStatus: 'IN_PROGRESS' }, timedOut: false })
    expect(started).toHaveLength(1)
    expect(clients.count('DescribeImport')).toBe(0)
  })
})

describe('nativeImport: the start', () => {
  it('attaches to an import IN_PROGRESS for the table instead of calling ImportTable', async () => {
    const clients = stubs({
      running: [
        {
          ImportArn: `${TABLE_ARN}-other/import/1`,
          TableArn: `${TABLE_ARN}-other`,
          ImportStatus: 'IN_PROGRESS',
        },
        { ImportArn: `${TABLE_ARN}/import/0`, TableArn: TABLE_ARN, ImportStatus: 'COMPLETED' },
        { ImportArn: ARN, TableArn: TABLE_ARN, ImportStatus: 'IN_PROGRESS' },
      ],
      describe: [description('IN_PROGRESS'), description('COMPLETED')],
    })
    const outcome = await settle(nativeImport(options(clients)))
    expect(outcome).toMatchObject({ attached: true, description: { ImportStatus: 'COMPLETED' } })
    expect(clients.count('ImportTable')).toBe(0)
    expect(stdout).toContain(`Attached to import ${ARN}`)
  })

  it('lists only the imports of the table when its ARN is known, else those of the account', async () => {
    const known = stubs({ running: [] })
    await settle(nativeImport(options(known, { tableArn: TABLE_ARN })))
    expect(known.listFilters).toEqual([TABLE_ARN])
    const unknown = stubs({ running: [] })
    await settle(nativeImport(options(unknown)))
    expect(unknown.listFilters).toEqual([undefined])
  })

  it('waits for an import slot on LimitExceededException with its own sleep, doubling from 15 s', async () => {
    const sleeps: number[] = []
    const clients = stubs({
      importTable: [
        awsError('LimitExceededException'),
        awsError('LimitExceededException'),
        awsError('LimitExceededException'),
        description('IN_PROGRESS'),
      ],
    })
    const outcome = await settle(
      nativeImport(
        options(clients, {
          wait: false,
          sleep: async (ms) => void sleeps.push(ms),
        }),
      ),
    )
    expect(outcome).toMatchObject({ description: { ImportStatus: 'IN_PROGRESS' } })
    expect(sleeps).toEqual([15_000, 30_000, 60_000])
    expect(clients.count('ImportTable')).toBe(4)
  })

  it('gives up the slot wait after 15 minutes, saying the account runs 50 imports', async () => {
    let clock = 0
    const sleeps: number[] = []
    const clients = stubs({ importTable: [awsError('LimitExceededException')] })
    const err = await settle(
      nativeImport(
        options(clients, {
          now: () => clock,
          sleep: async (ms) => {
            sleeps.push(ms)
            clock += ms
          },
        }),
      ),
    )
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain('the account already runs 50 imports')
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(LIMIT_RETRY_BUDGET_MS)
    expect(Math.max(...sleeps)).toBe(120_000)
  })

  it('names the permissions ImportTable needs when it is denied, and does not retry', async () => {
    const clients = stubs({ importTable: [awsError('AccessDeniedException')] })
    const err = await settle(nativeImport(options(clients)))
    expect((err as Error).message).toContain(
      `The credentials need dynamodb:ImportTable on ${TABLE}, and s3:GetObject and s3:ListBucket on the source`,
    )
    expect(clients.count('ImportTable')).toBe(1)
  })

  it('warns, naming logs:GetLogEvents, when the item errors cannot be read; the outcome stands', async () => {
    const failed = description('FAILED', { FailureCode: 'ItemValidationError', ErrorCount: 2 })
    const clients = stubs({ describe: [failed], logEvents: awsError('AccessDeniedException') })
    const outcome = await settle(nativeImport(options(clients)))
    expect(outcome).toMatchObject({ description: { ImportStatus: 'FAILED' }, itemErrors: [] })
    expect(stdout).toContain(
      '::warning::Could not read the item errors of the import from /aws-dynamodb/imports',
    )
    expect(stdout).toContain(
      'The credentials need logs:GetLogEvents on log group /aws-dynamodb/imports',
    )
  })
})
