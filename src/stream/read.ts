import * as core from '@actions/core'
import { errorName } from '../errors.js'
import {
  describeBasis,
  describeReading,
  HEAD_BYTES,
  type ReadingChoice,
} from '../formats/detect.js'
import { chooseReading, needsHead, recordParser, type FormatOptions } from '../formats/index.js'
import type { FormatSettings } from '../formats/input-format.js'
import type { ChunkRecordParser, ParsedRecord, RecordParser } from '../formats/record.js'
import { decompress, type ResolvedCompression } from '../sources/decompress.js'
import { splitLines } from '../sources/lines.js'
import { shownName, type Source, type SourceObject } from '../sources/source.js'
import type { UnreadObject } from '../result.js'
import type { StreamOutcome } from './outcome.js'
import { SourceSilent, type SourceSilence } from './source-silence.js'
import type { Validator } from './validate.js'

/**
 * The longest line that could still hold a valid item: 400 KB stored can take several times
 * that as JSON (escapes, base64, type wrappers). Anything longer is rejected unread.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024

/** What reading an object needs: where the records go, and what is counted on the way. */
export interface ReadContext {
  format: FormatOptions & Pick<FormatSettings, 'compression'>
  source: Source
  outcome: StreamOutcome
  validator: Validator
  /**
   * input-format auto: a file recognised as request items is checked for its tables first; the
   * table whose requests alone are read when it names several (undefined: all of them).
   */
  checkRequestTables?: (object: SourceObject) => Promise<string | undefined>
  /** Aborted when the run is cancelled: reading stops before the next record, or at once. */
  signal?: AbortSignal
  /** The source's silence, over every read: past stall-timeout-seconds the import stops reading. */
  silence?: SourceSilence
}

/** How far reading an object got: its last line, and its bytes stored and uncompressed. */
interface ReadPoint {
  line: number
  stored: number
  bytes: number
}

/**
 * The read step for one object: its bytes, decompressed and split into lines, each record handed
 * to validation. An object that cannot be read to its end (its content breaks the format, or a
 * read fails mid-object) is added to `outcome.unread`, which fails the step; a failure every
 * other object would meet too (access denied, the bucket gone) stops the import.
 */
export async function readObject(
  object: SourceObject,
  ctx: ReadContext,
): Promise<ResolvedCompression | undefined> {
  let compression: ResolvedCompression | undefined
  const at: ReadPoint = { line: 0, stored: 0, bytes: 0 }
  const recordsBefore = ctx.outcome.processed
  let choice: ReadingChoice | undefined
  // A workspace file is shown by its workspace path, as its annotations show it.
  const shown = shownName(object)
  const unread = (
    line: number,
    u: Omit<UnreadObject, 'format' | 'recordsRead' | 'location' | 'shown'>,
  ) =>
    ctx.outcome.unread.push({
      location: `${object.url}:${line}`,
      shown: `${shown}:${line}`,
      ...u,
      ...unreadFormat(ctx.format.format, choice),
      recordsRead: ctx.outcome.processed - recordsBefore,
    })
  try {
    const opened = await ctx.source.open(object)
    const body = countStored(ctx.silence ? ctx.silence.watch(opened) : opened, at)
    const decompressed = decompress(body, ctx.format.compression, (c) => (compression = c))
    let bytes: AsyncIterable<Uint8Array> = untilCancelled(
      countBytes(decompressed, ctx.outcome, at),
      ctx.signal,
    )
    let head: { bytes: Uint8Array; complete: boolean } | undefined
    if (needsHead(ctx.format)) ({ head, chunks: bytes } = await peekHead(bytes))
    choice = chooseReading(ctx.format, object.key, head)
    const table = await readingChosen(object, choice, ctx)
    const format = table === undefined ? ctx.format : { ...ctx.format, fileTable: table }
    const parser = recordParser(format, choice, shown)
    const broken =
      parser.framing === 'bytes'
        ? await readRecords(bytes, parser, object, ctx, at)
        : await readLines(bytes, parser, object, ctx, at)
    if (broken?.broken) {
      const { offset, after } = broken.broken
      unread(broken.line, {
        offset,
        ...(after !== undefined && { after }),
        reason: broken.result.ok ? 'the file breaks its format here' : broken.result.reason,
        totalBytes: at.bytes,
        notReadBytes: at.bytes - offset,
        measure: 'uncompressed',
        cause: 'content',
      })
    }
  } catch (err) {
    if (err instanceof WriteStopped) {
      err.line = at.line
      throw err
    }
    if (isConfigurationError(err)) throw err
    // A read that failed before any data arrived recognised nothing: no format is claimed for it.
    if (at.bytes === 0) choice = undefined
    const silent = err instanceof SourceSilent || (err as Error).cause instanceof SourceSilent
    // The rest of the object never arrived: what was not read is counted in stored bytes,
    // the only measure known for a compressed object that was not read through.
    unread(at.line + 1, {
      offset: at.bytes,
      ...(at.line > 0 && { after: `line ${at.line}` }),
      reason: `the object could not be read: ${describeReadError(err, object)}`,
      totalBytes: object.size,
      notReadBytes: Math.max(0, object.size - at.stored),
      measure: (compression ?? ctx.format.compression) === 'NONE' ? 'uncompressed' : 'stored',
      cause: 'read',
    })
    // A silent source stops the import: the objects after this one would wait the same way.
    if (silent) throw Object.assign(new WriteStopped(err), { line: at.line })
  }
  return compression
}

/**
 * Formats of lines: each line to the parser, each record it completes to validation. Returns the
 * point where the object broke its format, if it did; the rest is then read through uncounted as
 * records, so that its bytes are known.
 */
async function readLines(
  bytes: AsyncIterable<Uint8Array>,
  parser: RecordParser,
  object: SourceObject,
  ctx: ReadContext,
  at: ReadPoint,
): Promise<ParsedRecord | undefined> {
  let broken: ParsedRecord | undefined
  for await (const lines of splitLines(bytes, MAX_LINE_BYTES)) {
    if (broken) continue
    for (const line of lines) {
      if (ctx.signal?.aborted) throw new WriteStopped(ctx.signal.reason)
      at.line = line.number
      const record = parser.push(line)
      if (record?.broken) {
        broken = record
        break
      }
      const taking = record && take(ctx.validator, record, object)
      if (taking) await taking
    }
  }
  if (broken) return broken
  const last = parser.end()
  if (last?.broken) return last
  if (last) await take(ctx.validator, last, object)
  return undefined
}

/**
 * Formats that frame their records in the bytes (a JSON array, a request-items file). Returns the
 * point where the object broke its format, as readLines does.
 */
async function readRecords(
  bytes: AsyncIterable<Uint8Array>,
  parser: ChunkRecordParser,
  object: SourceObject,
  ctx: ReadContext,
  at: ReadPoint,
): Promise<ParsedRecord | undefined> {
  let broken: ParsedRecord | undefined
  const takeAll = async (records: ParsedRecord[]) => {
    for (const record of records) {
      if (ctx.signal?.aborted) throw new WriteStopped(ctx.signal.reason)
      at.line = record.line
      if (record.broken) {
        broken = record
        return
      }
      const taking = take(ctx.validator, record, object)
      if (taking) await taking
    }
  }
  for await (const chunk of bytes) {
    if (!broken) await takeAll(parser.push(chunk))
  }
  if (!broken) await takeAll(parser.end())
  return broken
}

/**
 * How the object is read, said in the log and counted for the summary. The validator sends
 * DynamoDB JSON item lines to the wire as they are; a request-items file under auto has its
 * tables checked first, as input-format REQUEST_ITEMS has them checked before the import, unless
 * the job names the table it reads of such files (`format.fileTable`: the parser picks its requests).
 * Returns the table whose requests alone are read, when the check chose one.
 */
async function readingChosen(
  object: SourceObject,
  choice: ReadingChoice,
  ctx: ReadContext,
): Promise<string | undefined> {
  const described = `${describeReading(choice.reading)} (${describeBasis(choice)})`
  core.info(`${object.url}: read as ${described}`)
  ctx.outcome.readAs.set(described, (ctx.outcome.readAs.get(described) ?? 0) + 1)
  const { reading } = choice
  ctx.validator.wireLines =
    reading.kind === 'json' && reading.framing === 'lines' && reading.items === 'wrapped'
  if (reading.kind === 'request-items' && choice.format === 'auto' && !ctx.format.fileTable) {
    return ctx.checkRequestTables?.(object)
  }
  return undefined
}

/**
 * The first HEAD_BYTES of a stream or more (whole chunks; all of it when shorter, then
 * `complete`), and the stream again from its first byte. A read that fails within the head
 * fails where it failed: the records before it are read first, as without the peek.
 */
async function peekHead(chunks: AsyncIterable<Uint8Array>): Promise<{
  head: { bytes: Uint8Array; complete: boolean }
  chunks: AsyncIterable<Uint8Array>
}> {
  const iterator = chunks[Symbol.asyncIterator]()
  const seen: Uint8Array[] = []
  let size = 0
  let complete = false
  let failure: { error: unknown } | undefined
  while (size < HEAD_BYTES) {
    let next: IteratorResult<Uint8Array>
    try {
      next = await iterator.next()
    } catch (error) {
      failure = { error }
      break
    }
    if (next.done) {
      complete = true
      break
    }
    seen.push(next.value)
    size += next.value.length
  }
  async function* again(): AsyncGenerator<Uint8Array> {
    yield* seen
    if (failure) throw failure.error
    if (complete) return
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value
  }
  return { head: { bytes: Buffer.concat(seen), complete }, chunks: again() }
}

/**
 * The format an object not read to its end was read as: the input's, or under auto the one it
 * was recognised as, which also names its records (`documents`, `requests`).
 */
function unreadFormat(
  given: string,
  choice: ReadingChoice | undefined,
): Pick<UnreadObject, 'format' | 'readAs'> {
  if (!choice || given !== 'auto') return { format: given }
  const { reading } = choice
  const format =
    reading.kind === 'request-items'
      ? 'REQUEST_ITEMS'
      : reading.kind === 'workbench'
        ? 'NOSQL_WORKBENCH'
        : reading.kind === 'scan-output' ||
            (reading.kind === 'json' && (reading.framing !== 'lines' || reading.items === 'plain'))
          ? 'JSON'
          : reading.kind.toUpperCase()
  return { format, readAs: `auto, read as ${describeReading(reading)}` }
}

/**
 * A failure of the writer (a stall, the table deleted), a cancel, or a source silent for
 * stall-timeout-seconds: it stops the import, not just this object.
 */
export class WriteStopped {
  /** The last line read of the object when the writer stopped. */
  line = 0
  constructor(readonly cause: unknown) {}
}

/** Validation and writing of one record, with the writer's failures told apart from reading's. */
function take(
  validator: Validator,
  record: ParsedRecord,
  object: SourceObject,
): Promise<void> | undefined {
  try {
    return validator.take(record, object)?.catch(writeStopped)
  } catch (err) {
    return writeStopped(err)
  }
}

// Module-level, not a closure per record: records are the hot path.
function writeStopped(err: unknown): never {
  throw new WriteStopped(err)
}

/** Counts uncompressed bytes as they pass: ImportTable's ProcessedSizeBytes, and the object's. */
async function* countBytes(
  chunks: AsyncIterable<Uint8Array>,
  outcome: { processedSizeBytes: number },
  at: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    outcome.processedSizeBytes += chunk.length
    at.bytes += chunk.length
    yield chunk
  }
}

/**
 * The chunks until the run is cancelled: then the wait for the next one ends at once (a read
 * that is slow, or silent, does not hold a cancelled run), with WriteStopped.
 */
async function* untilCancelled(
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  if (!signal) return yield* chunks
  const iterator = chunks[Symbol.asyncIterator]()
  let onAbort = () => {}
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(new WriteStopped(signal.reason))
    if (signal.aborted) onAbort()
  })
  cancelled.catch(() => {})
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), cancelled])
      if (next.done) return
      yield next.value
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** Counts the stored bytes received: how much of an object whose read failed was not read. */
async function* countStored(
  chunks: AsyncIterable<Uint8Array>,
  at: { stored: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    at.stored += chunk.length
    yield chunk
  }
}

/** Failures that every other object would meet too: stop, rather than reject every object. */
function isConfigurationError(err: unknown): boolean {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  const name = errorName(cause) ?? ''
  return /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|NoSuchBucket|Credentials|ActionError/.test(
    name,
  )
}

function describeReadError(err: unknown, object: SourceObject): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  if (errorName(cause) === 'PreconditionFailed') {
    return `it changed after it was listed (ETag ${object.etag ?? '?'} no longer matches); re-run the import`
  }
  return err instanceof Error ? err.message : String(err)
}
