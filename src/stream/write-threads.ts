/**
 * BatchWriteItem calls on threads of their own. Most of what a call costs in CPU is the SDK's own
 * work per request (its middleware, signing, the HTTP exchange, the answer's parsing), on the
 * thread that sends it; with the reading, parsing and validating on the main thread, one thread
 * cannot keep both busy. Each write thread has its own client, made from the same configuration
 * as the main thread's; the main thread keeps everything that decides what is sent and counts
 * what was written (the queue, the key order, the pacing), so a thread is only a transport: a
 * body in, DynamoDB's answer (or its error) out.
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { counted, formatBytes } from '../words.js'
import { callsOn, createWriteClient, type WriteAnswer, type WriteCalls } from './write-calls.js'

/** What a thread is started with; `role` tells a write thread from any other use of the entry. */
interface ThreadData {
  role: typeof ROLE
  /** The write client's configuration: plain data (region, endpoint, credentials if given). */
  config: DynamoDBClientConfig
}

const ROLE = 'dynamodb-s3-import: write thread'

interface Call {
  id: number
  table: string
  body: Uint8Array<ArrayBuffer>
}

/** Sent once all calls are answered: the thread ends its client and exits on its own. */
const CLOSE = 'close'

/** The writer abandoned this call (no answer by its deadline): the thread aborts it. */
interface Abandon {
  abandon: number
}

type Reply = { id: number; answer: WriteAnswer } | { id: number; error: ErrorCopy }

/**
 * The parts of an SDK error that the writer and the messages read: its name and message, and what
 * the SDK's error classification looks at (status, throttling flag, the Node error code, the
 * cause). Structured cloning would keep only the name and message of an Error.
 */
interface ErrorCopy {
  name: string
  message: string
  code?: string
  $fault?: string
  $metadata?: Record<string, unknown>
  $retryable?: Record<string, unknown>
  cause?: ErrorCopy
}

/** How deep a chain of causes is copied (the SDK's classification looks 10 deep). */
const MAX_CAUSES = 10

export function copyError(err: unknown, depth = 0): ErrorCopy {
  if (typeof err !== 'object' || err === null) return { name: 'Error', message: String(err) }
  const e = err as Partial<ErrorCopy> & { cause?: unknown }
  const copy: ErrorCopy = {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
  }
  if (typeof e.code === 'string') copy.code = e.code
  if (typeof e.$fault === 'string') copy.$fault = e.$fault
  if (e.$metadata) copy.$metadata = { ...e.$metadata }
  if (e.$retryable) copy.$retryable = { ...e.$retryable }
  if (e.cause !== undefined && depth < MAX_CAUSES) copy.cause = copyError(e.cause, depth + 1)
  return copy
}

/** An Error again, with the copied properties, so that classification and messages see them. */
export function restoreError(copy: ErrorCopy): Error {
  const { name, message, cause, ...rest } = copy
  const error = new Error(message, cause && { cause: restoreError(cause) })
  return Object.assign(error, { name }, rest)
}

/**
 * Below this many stored bytes, starting threads (each loads the action anew, about 0.1 s of CPU)
 * costs more than they save: the calls go out on the main thread.
 */
export const AUTO_THREADS_MIN_BYTES = 1024 * 1024
/**
 * auto never starts more: the main thread reads, parses and validates about 100,000 items a second
 * at most (measured on 2 cores: 75,000 with one write thread, the main thread idle 30% of the
 * time), which three threads more than keep up with.
 */
export const MAX_AUTO_THREADS = 3
/**
 * auto starts threads only with more cores than this: on two, a thread takes its CPU from the
 * main thread's reading and validating (measured against an endpoint that answers at once: 1.4
 * times the rate without on a quiet machine, 0.73 to 0.86 on a busy one), for about 100 MiB more
 * memory.
 */
export const AUTO_THREADS_MIN_CORES = 3

/** What write-threads auto decides from. */
export interface ThreadContext {
  /** The source's stored bytes. */
  storedBytes: number
  /** The cores this process may use (`os.availableParallelism()`). */
  cores: number
  /**
   * Whether the calls go to a custom `dynamodb-endpoint` (DynamoDB Local, a proxy): there the
   * endpoint, not this process's CPU, is the limit, and threads cannot help.
   */
  customEndpoint: boolean
}

/** write-threads auto: how many threads, and why, for the log. */
export function autoWriteThreads(context: ThreadContext): { count: number; why: string } {
  const { storedBytes, cores, customEndpoint } = context
  if (customEndpoint)
    return { count: 0, why: 'a custom dynamodb-endpoint, not this runner, is the limit' }
  if (cores < AUTO_THREADS_MIN_CORES)
    return { count: 0, why: `${counted(cores, 'core')}: a thread would take the reading's CPU` }
  if (storedBytes < AUTO_THREADS_MIN_BYTES)
    return {
      count: 0,
      why: `under ${formatBytes(AUTO_THREADS_MIN_BYTES)} to read: written before a thread would start`,
    }
  return {
    count: Math.min(MAX_AUTO_THREADS, cores - 1),
    why: `${counted(cores, 'core')}, ${formatBytes(storedBytes)} to read`,
  }
}

/**
 * write-threads: a number as it is; auto, one thread per core but the one the main thread reads
 * on (at most MAX_AUTO_THREADS), only against AWS itself, with AUTO_THREADS_MIN_CORES or more,
 * for sources of AUTO_THREADS_MIN_BYTES or more (autoWriteThreads).
 */
export function writeThreadCount(setting: number | 'auto', context: ThreadContext): number {
  return setting === 'auto' ? autoWriteThreads(context).count : setting
}

/**
 * A write thread's young generation, in MB. Left to its default it grew the process by about
 * 170 MB per thread; capped at this size, by about 75 MB, at the same rate (measured: 300,000
 * items, one thread, peak RSS 482 → 385 MiB). Only the young generation is capped: a thread
 * cannot run out of memory because of it, it only collects its garbage sooner.
 */
const YOUNG_GENERATION_MB = 48

/** Where a thread starts: this module, which is the bundle itself once built. */
const ENTRY = new URL(import.meta.url)

/** One thread and the calls it has not answered yet. */
interface Thread {
  worker: Worker
  waiting: Map<number, { resolve(answer: WriteAnswer): void; reject(err: unknown): void }>
  stopped?: Error
}

/** Calls spread over `count` threads, each to the one with the fewest calls waiting. */
export class WriteThreads implements WriteCalls {
  private readonly threads: Thread[]
  private nextId = 0

  constructor(count: number, config: DynamoDBClientConfig, entry: URL = ENTRY) {
    const data: ThreadData = { role: ROLE, config }
    // From the sources (tests, local-action) a thread needs the TypeScript loader; the bundle's
    // threads take Node's default, the process's own flags minus those a thread may not have.
    const execArgv = entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : undefined
    this.threads = Array.from({ length: count }, () => {
      const thread: Thread = {
        worker: new Worker(entry, {
          workerData: data,
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
          ...(execArgv && { execArgv }),
        }),
        waiting: new Map(),
      }
      thread.worker.on('message', (reply: Reply) => this.answer(thread, reply))
      thread.worker.on('error', (err) => this.stop(thread, err))
      thread.worker.on('exit', (code) => this.stop(thread, new Error(`exit code ${code}`)))
      return thread
    })
  }

  send(table: string, body: Uint8Array<ArrayBuffer>, abandon?: AbortSignal): Promise<WriteAnswer> {
    const thread = this.leastBusy()
    if (!thread) return Promise.reject(this.threads[0]?.stopped ?? new Error('no write threads'))
    const id = this.nextId++
    // The thread aborts the call, closing its connection, as the main thread's client would.
    const onAbandon = () => thread.worker.postMessage({ abandon: id } satisfies Abandon)
    abandon?.addEventListener('abort', onAbandon, { once: true })
    return new Promise<WriteAnswer>((resolve, reject) => {
      thread.waiting.set(id, { resolve, reject })
      // The body's memory moves to the thread: nothing here reads it again.
      thread.worker.postMessage({ id, table, body } satisfies Call, [body.buffer])
    }).finally(() => abandon?.removeEventListener('abort', onAbandon))
  }

  async close(): Promise<void> {
    await Promise.all(
      this.threads.map(async (thread) => {
        if (thread.stopped) return
        thread.stopped = new Error('the write threads are closed')
        const exited = new Promise((resolve) => thread.worker.once('exit', resolve))
        thread.worker.postMessage(CLOSE)
        await exited
      }),
    )
  }

  private leastBusy(): Thread | undefined {
    let best: Thread | undefined
    for (const thread of this.threads) {
      if (thread.stopped) continue
      if (!best || thread.waiting.size < best.waiting.size) best = thread
    }
    return best
  }

  private answer(thread: Thread, reply: Reply): void {
    const call = thread.waiting.get(reply.id)
    if (!call) return
    thread.waiting.delete(reply.id)
    if ('answer' in reply) call.resolve(reply.answer)
    else call.reject(restoreError(reply.error))
  }

  /** A thread that died fails the calls it held: the writer counts their items, loses none. */
  private stop(thread: Thread, cause: unknown): void {
    if (thread.stopped) return
    const message = cause instanceof Error ? cause.message : String(cause)
    thread.stopped = new Error(`a write thread stopped: ${message}`, { cause })
    for (const call of thread.waiting.values()) call.reject(thread.stopped)
    thread.waiting.clear()
  }
}

// Runs only inside write threads, where coverage is not collected; test/stream/write-threads.test.ts
// drives it through real threads.
/* v8 ignore start */
/** The thread's side: each body sent on its own client, each answer or error posted back. */
function serveCalls(port: NonNullable<typeof parentPort>, data: ThreadData): void {
  const client = createWriteClient(data.config)
  const calls = callsOn(client)
  const inFlight = new Map<number, AbortController>()
  port.on('message', (call: Call | Abandon | typeof CLOSE) => {
    if (call === CLOSE) {
      client.destroy()
      port.close()
      return
    }
    if ('abandon' in call) return inFlight.get(call.abandon)?.abort()
    const abandon = new AbortController()
    inFlight.set(call.id, abandon)
    calls
      .send(call.table, call.body, abandon.signal)
      .then(
        (answer) => port.postMessage({ id: call.id, answer } satisfies Reply),
        (err: unknown) => port.postMessage({ id: call.id, error: copyError(err) } satisfies Reply),
      )
      .finally(() => inFlight.delete(call.id))
  })
}

const started = workerData as Partial<ThreadData> | null
if (!isMainThread && parentPort && started?.role === ROLE)
  serveCalls(parentPort, started as ThreadData)
/* v8 ignore stop */
