// A local DynamoDB endpoint with ImportTable. DynamoDB Local has no ImportTable, DescribeImport
// or ListImports, so this server answers those (and CloudWatch Logs' GetLogEvents for the import
// error logs) itself, and forwards every other request byte for byte to DynamoDB Local: one
// endpoint, as with real DynamoDB. The import really runs, in the background, through the
// project's stream engine, and its outcome is reported with ImportTable's rules.
// "§3", "rule 14": docs/import-rules.md; the pure rules are in import-semantics.ts.
import * as fs from 'node:fs'
import { afterAll, beforeAll, inject } from 'vitest'
import * as http from 'node:http'
import * as os from 'node:os'
import * as path from 'node:path'
import { randomBytes, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { localClientConfig, s3ClientConfig } from '../../scripts/emulators.mjs'
import { s3Source } from '../../src/sources/s3.js'
import { Steps } from '../../src/steps.js'
import { streamImport } from '../../src/stream/engine.js'
import { SAMPLE_KEY_SCHEMA } from './helpers.js'
import {
  ApiError,
  ITEM_VALIDATION_MESSAGE,
  LOG_GROUP,
  LOG_GROUP_ARN,
  decodeNextToken,
  dynamodbErrorType,
  encodeNextToken,
  errorEvents,
  errorStream,
  httpStatusOf,
  importSummary,
  importArn,
  importTableProblems,
  pageLogEvents,
  s3FailureMessage,
  streamJobFor,
  tableArn,
  validationError,
  type ImportDescription,
  type ImportEnd,
  type ImportTableRequest,
  type Json,
  type LogEvent,
} from './import-semantics.js'

export type FakeOperation = 'ImportTable' | 'DescribeImport' | 'ListImports' | 'GetLogEvents'

export interface FakeImportServerOptions {
  dynamodbEndpoint: string
  s3Endpoint: string
  /** Milliseconds since the epoch, for StartTime, EndTime and log event times. */
  now?: () => number
}

/** One import the fake holds: what created it and how far it got. */
export interface ImportRecord {
  importArn: string
  importId: string
  tableName: string
  clientToken: string
  /** The ImportTable request that created it, as received. */
  request: ImportTableRequest
  /** DescribeImport calls for it so far. */
  describeCalls: number
  /** True once the background work has ended, whatever DescribeImport shows yet. */
  workDone: boolean
  /** The description the import ends with, once workDone. */
  final?: ImportDescription
  /** Its CloudWatch error events (stream `<importId>/error`). */
  logEvents: LogEvent[]
}

export interface FakeImportControl {
  /**
   * The next `times` calls of the operation fail with this error. Each SDK attempt is a call: the
   * SDK retries throttling names (LimitExceededException, ThrottlingException, ...) and 5xx.
   */
  failNext(operation: FakeOperation, errorName: string, times?: number, message?: string): void
  /** DescribeImport shows an import's end only from its (n + 1)-th call on (default 0). */
  holdPolls(n: number): void
  /** Resolves when the background work of every import started so far has ended. */
  settled(): Promise<void>
  /** Forgets injected failures not used yet and the poll hold, between tests. */
  reset(): void
}

export interface FakeImportServer {
  endpoint: string
  imports(): ImportRecord[]
  /** The TableArn filter of each ListImports call so far (undefined: the whole account). */
  listFilters(): Array<string | undefined>
  control: FakeImportControl
  close(): Promise<void>
}

interface Job {
  id: string
  arn: string
  tableName: string
  tableId: string
  request: ImportTableRequest
  startTime: number
  describeCalls: number
  end?: ImportEnd
  logEvents: LogEvent[]
  work: Promise<void>
}

const OPERATIONS = new Set(['ImportTable', 'DescribeImport', 'ListImports', 'GetLogEvents'])
const isOperation = (name: string): name is FakeOperation => OPERATIONS.has(name)

export async function startFakeImportServer(
  options: FakeImportServerOptions,
): Promise<FakeImportServer> {
  const now = options.now ?? Date.now
  const dynamodb = new DynamoDBClient(localClientConfig(options.dynamodbEndpoint))
  const s3 = new S3Client(s3ClientConfig(options.s3Endpoint))
  const upstream = new URL(options.dynamodbEndpoint)
  const agent = new http.Agent({ keepAlive: true })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-import-'))
  const jobs: Job[] = []
  const listFilters: Array<string | undefined> = []
  const failures: Array<{ operation: FakeOperation; name: string; message: string }> = []
  let hold = 0

  /**
   * Rule 4 [meas]: while IN_PROGRESS the counters are 0 and EndTime, FailureCode and
   * FailureMessage are absent; the end shows once the work is done and the hold is over.
   */
  const ended = (job: Job) => job.end !== undefined && job.describeCalls >= hold
  const running = (tableName: string) => jobs.some((j) => j.tableName === tableName && !j.end)

  function describe(job: Job, showEnd: boolean): ImportDescription {
    const { request } = job
    return {
      ImportArn: job.arn,
      ImportStatus: 'IN_PROGRESS',
      TableArn: tableArn(job.tableName),
      TableId: job.tableId, // §3 [meas]: fixed at request time
      ClientToken: request.ClientToken,
      S3BucketSource: request.S3BucketSource,
      ErrorCount: 0,
      CloudWatchLogGroupArn: LOG_GROUP_ARN, // §3 [meas]: always present
      InputFormat: request.InputFormat,
      ...(request.InputFormatOptions && { InputFormatOptions: request.InputFormatOptions }),
      InputCompressionType: request.InputCompressionType ?? 'NONE', // §2 [meas]: absent is NONE
      TableCreationParameters: request.TableCreationParameters,
      StartTime: job.startTime,
      ProcessedItemCount: 0,
      ImportedItemCount: 0,
      ...(showEnd && job.end),
    }
  }

  async function tableExists(name: string): Promise<boolean> {
    try {
      await dynamodb.send(new DescribeTableCommand({ TableName: name }))
      return true
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return false
      throw err
    }
  }

  async function importTable(body: Json): Promise<Json> {
    const problems = importTableProblems(body)
    if (problems.length > 0) throw validationError(problems)
    const request = body as unknown as ImportTableRequest
    const tableName = request.TableCreationParameters.TableName as string
    // Rule 14 [meas]: a known ClientToken with another TableName conflicts; with the same
    // TableName it returns the original import while that runs, whatever else changed.
    const previous = jobs.findLast((j) => j.request.ClientToken === request.ClientToken)
    if (previous && previous.tableName !== tableName)
      throw new ApiError(
        'ImportConflictException',
        'Duplicate request detected with conflicting parameters',
      )
    if (previous && !ended(previous)) return { ImportTableDescription: describe(previous, false) }
    // §2 [doc VAL]: the table must not exist yet (after the end a replay lands here: rule 14).
    // An import still creating its table holds the name too.
    const inUse = () => running(tableName)
    if (inUse() || (await tableExists(tableName)) || inUse())
      throw new ApiError('ResourceInUseException', `Table already exists: ${tableName}`)
    // The id: the last element of the ImportArn (§3), 22 digits and hex here.
    const id = String(now()).padStart(14, '0') + randomBytes(4).toString('hex')
    const job: Job = {
      id,
      arn: importArn(tableName, id),
      tableName,
      tableId: randomUUID(),
      request,
      startTime: now() / 1000,
      describeCalls: 0,
      logEvents: [],
      work: Promise.resolve(),
    }
    jobs.push(job)
    job.work = run(job).then(
      (end) => void (job.end = end),
      (err: Error) => void (job.end = failed(err.name || 'InternalServerError', err.message)),
    )
    return { ImportTableDescription: describe(job, false) }
  }

  const failed = (code: string, message: string, counts?: Partial<ImportEnd>) => ({
    ImportStatus: 'FAILED' as const,
    EndTime: now() / 1000,
    ProcessedItemCount: 0,
    ImportedItemCount: 0,
    ErrorCount: 0,
    ...counts,
    FailureCode: code,
    FailureMessage: message,
  })

  /** The import itself: check the bucket, create the table, load it with the stream engine. */
  async function run(job: Job): Promise<ImportEnd> {
    const source = job.request.S3BucketSource
    const location = { bucket: source.S3Bucket as string, prefix: source.S3KeyPrefix ?? '' }
    const owner = source.S3BucketOwner
    // §3 [doc VAL]: a missing bucket fails the import before the table is created, with the S3
    // error in FailureMessage. Other S3 errors map likewise (S3AccessDenied, ...).
    try {
      await s3.send(
        new ListObjectsV2Command({
          Bucket: location.bucket,
          MaxKeys: 1,
          ...(owner && { ExpectedBucketOwner: owner }),
        }),
      )
    } catch (err) {
      return failed(`S3${(err as Error).name}`, s3FailureMessage(err))
    }
    // CreateTable from TableCreationParameters (§2: no LSIs, streams, tags or table class).
    const params = job.request.TableCreationParameters as CreateTableCommandInput
    await dynamodb.send(new CreateTableCommand(params))
    const { Table: table } = await dynamodb.send(
      new DescribeTableCommand({ TableName: job.tableName }),
    )
    if (!table) throw new Error(`DescribeTable ${job.tableName} returned no table`)
    // §4: every object under the prefix; §6: each bad item is skipped, counted and logged. The
    // stream engine follows the same rules (where it differs on purpose, §11, the fake does too:
    // it reads on after an unparsable line).
    const rejectedFile = path.join(dir, `${job.id}.rejected.jsonl`)
    const streamJob = streamJobFor(job.request, s3Source(s3, location, owner), table, rejectedFile)
    let outcome
    try {
      outcome = await streamImport(streamJob, {
        clients: { writeClient: dynamodb },
        steps: new Steps(),
      })
    } catch (err) {
      // §3 [doc VAL]: a failure after the data import started keeps the partly loaded table.
      const cause = (err as Error).cause ?? err
      return failed(`S3${(cause as Error).name}`, (err as Error).message)
    }
    // §3 CloudWatch [doc VAL]: one event per rejected item in `<import-id>/error`.
    if (outcome.rejectedFile) job.logEvents = errorEvents(outcome.rejectedFile, job.arn, now())
    // Rule 4 [meas]: processed = imported + errors; ProcessedSizeBytes counts uncompressed bytes
    // and is absent until bytes have been read (an empty prefix reads none).
    const counts = {
      ProcessedItemCount: outcome.processed,
      ImportedItemCount: outcome.imported,
      ErrorCount: outcome.errors,
      ...(outcome.processedSizeBytes > 0 && { ProcessedSizeBytes: outcome.processedSizeBytes }),
    }
    // Rule 1 [doc VAL; meas]: any item error ends FAILED/ItemValidationError; the table is kept.
    // Rule 12 [meas]: a prefix with no objects is COMPLETED with 0 items.
    if (outcome.errors > 0) return failed('ItemValidationError', ITEM_VALIDATION_MESSAGE, counts)
    return { ImportStatus: 'COMPLETED', EndTime: now() / 1000, ...counts }
  }

  function describeImport(body: Json): Json {
    const job = jobs.find((j) => j.arn === body['ImportArn'])
    // §3 [doc API]: an unknown ARN is ImportNotFoundException.
    if (!job)
      throw new ApiError(
        'ImportNotFoundException',
        `Import not found: ${String(body['ImportArn'])}`,
      )
    const showEnd = ended(job)
    job.describeCalls++
    return { ImportTableDescription: describe(job, showEnd) }
  }

  function listImports(body: Json): Json {
    // §3 [doc API]: PageSize 1-25, NextToken paging, TableArn filter.
    const pageSize = body['PageSize'] ?? 25
    if (typeof pageSize !== 'number' || pageSize < 1 || pageSize > 25)
      throw validationError([
        `Value '${String(pageSize)}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 25`,
      ])
    const offset = body['NextToken'] === undefined ? 0 : decodeNextToken(body['NextToken'])
    if (offset === undefined) throw new ApiError('ValidationException', 'Invalid NextToken')
    const filter = body['TableArn']
    listFilters.push(typeof filter === 'string' ? filter : undefined)
    // §3 [meas]: IN_PROGRESS imports are listed too.
    // The tables themselves are DynamoDB Local's, whose ARNs name the region `ddblocal`: a
    // filter matches a job by the table name its ARN ends with.
    const matching = jobs.filter(
      (j) => filter === undefined || String(filter).endsWith(`:table/${j.tableName}`),
    )
    const page = matching
      .slice(offset, offset + pageSize)
      .map((job) => importSummary(describe(job, ended(job))))
    const next =
      offset + pageSize < matching.length ? encodeNextToken(offset + pageSize) : undefined
    return { ImportSummaryList: page, ...(next && { NextToken: next }) }
  }

  function getLogEvents(body: Json): Json {
    if (body['logGroupName'] !== LOG_GROUP && body['logGroupIdentifier'] !== LOG_GROUP)
      throw new ApiError('ResourceNotFoundException', 'The specified log group does not exist.')
    // A stream exists once its import has logged an error.
    const job = jobs.find((j) => errorStream(j.id) === body['logStreamName'] && j.logEvents.length)
    if (!job)
      throw new ApiError('ResourceNotFoundException', 'The specified log stream does not exist.')
    return { ...pageLogEvents(job.logEvents, body) }
  }

  const handlers = {
    ImportTable: importTable,
    DescribeImport: describeImport,
    ListImports: listImports,
    GetLogEvents: getLogEvents,
  }

  async function answerLocally(req: http.IncomingMessage, res: http.ServerResponse, logs: boolean) {
    const operation = String(req.headers['x-amz-target']).split('.')[1] ?? ''
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    let status = 200
    let payload: unknown
    try {
      if (!isOperation(operation) || logs !== (operation === 'GetLogEvents'))
        throw new ApiError('UnknownOperationException', `The fake does not answer ${operation}`)
      const failure = failures.find((f) => f.operation === operation)
      if (failure) {
        failures.splice(failures.indexOf(failure), 1)
        throw new ApiError(failure.name, failure.message)
      }
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || '{}')
      } catch {
        throw new ApiError('SerializationException', 'The request body is not JSON')
      }
      payload = await handlers[operation]((body ?? {}) as Json)
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('InternalServerError', String(err))
      status = httpStatusOf(e.name)
      // DynamoDB names errors with a namespace (`...#ResourceInUseException`); Logs does not.
      payload = { __type: logs ? e.name : dynamodbErrorType(e.name), message: e.message }
    }
    const text = JSON.stringify(payload)
    res.writeHead(status, {
      'content-type': `application/x-amz-json-${logs ? '1.1' : '1.0'}`,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    })
    res.end(text)
  }

  /** Everything else goes to DynamoDB Local unchanged (it does not check signatures). */
  function forward(req: http.IncomingMessage, res: http.ServerResponse) {
    const out = http.request(
      {
        agent,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.statusMessage, response.rawHeaders)
        response.pipe(res)
      },
    )
    out.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(String(err))
    })
    req.pipe(out)
  }

  const server = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '')
    const logs = target.startsWith('Logs_20140328.')
    if (logs || (target.startsWith('DynamoDB_20120810.') && isOperation(target.slice(18))))
      answerLocally(req, res, logs).catch(() => res.destroy())
    else forward(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${port}`,
    listFilters: () => [...listFilters],
    imports: () =>
      jobs.map((job) => ({
        importArn: job.arn,
        importId: job.id,
        tableName: job.tableName,
        clientToken: job.request.ClientToken,
        request: job.request,
        describeCalls: job.describeCalls,
        workDone: job.end !== undefined,
        ...(job.end && { final: describe(job, true) }),
        logEvents: [...job.logEvents],
      })),
    control: {
      failNext(operation, name, times = 1, message = `${name} (injected by the fake)`) {
        for (let i = 0; i < times; i++) failures.push({ operation, name, message })
      },
      holdPolls(n) {
        hold = n
      },
      reset() {
        failures.length = 0
        hold = 0
      },
      async settled() {
        let seen = -1
        while (seen < jobs.length) {
          seen = jobs.length
          await Promise.all(jobs.map((j) => j.work))
        }
      },
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await Promise.allSettled(jobs.map((j) => j.work))
      agent.destroy()
      dynamodb.destroy()
      s3.destroy()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The fake for the tests of one file (or one describe block): started before them against the
 * emulators of the run, closed after them. What it returns stands for the server from then on.
 */
export function useFakeImportServer(): FakeImportServer {
  let fake: FakeImportServer | undefined
  const started = (): FakeImportServer => {
    if (!fake) throw new Error('the fake import server starts in beforeAll: use it inside a test')
    return fake
  }
  beforeAll(async () => {
    fake = await startFakeImportServer({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      s3Endpoint: inject('s3Endpoint'),
    })
  })
  afterAll(() => fake?.close())
  return {
    get endpoint() {
      return started().endpoint
    },
    get control() {
      return started().control
    },
    imports: () => started().imports(),
    listFilters: () => started().listFilters(),
    close: () => started().close(),
  }
}

/**
 * The inputs of a native import of `s3://bucket/data/` into `table` through the fake: the key
 * schema of the sample items, the local S3 server.
 */
export function nativeInputs(
  fake: Pick<FakeImportServer, 'endpoint'>,
  table: string,
  bucket: string,
): Record<string, string> {
  return {
    table,
    source: `s3://${bucket}/data/`,
    mode: 'native',
    region: 'us-east-1',
    'dynamodb-endpoint': fake.endpoint,
    's3-endpoint': inject('s3Endpoint'),
    'key-schema': SAMPLE_KEY_SCHEMA,
  }
}
