import { errorName } from '../errors.js'
import { recordParser, type FormatOptions } from '../formats/index.js'
import type { ParsedRecord } from '../formats/record.js'
import type { Inputs } from '../inputs.js'
import { decompress, type ResolvedCompression } from '../sources/decompress.js'
import { splitLines } from '../sources/lines.js'
import type { Source, SourceObject } from '../sources/source.js'
import type { WriteSummary } from './batch-writer.js'
import type { StreamOutcome } from './outcome.js'
import type { Progress } from './progress.js'
import type { Validator } from './validate.js'

/**
 * The longest line that could still hold a valid item: 400 KB stored can take several times
 * that as JSON (escapes, base64, type wrappers). Anything longer is rejected unread.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024

/** What reading an object needs: where the records go, and what is counted on the way. */
export interface ReadContext {
  inputs: Pick<Inputs, 'compression'>
  format: FormatOptions
  source: Source
  outcome: StreamOutcome
  validator: Validator
  progress: Progress
  writeProgress: Readonly<WriteSummary> | undefined
}

/**
 * The read step for one object: its bytes, decompressed and split into lines, each record handed
 * to validation. A read failure mid-object is one error at the line it reached; a failure every
 * other object would meet too (access denied, the bucket gone) stops the import.
 */
export async function readObject(
  object: SourceObject,
  ctx: ReadContext,
): Promise<ResolvedCompression | undefined> {
  const parser = recordParser(ctx.format)
  let compression: ResolvedCompression | undefined
  let lastLine = 0
  try {
    const body = await ctx.source.open(object)
    const decompressed = decompress(body, ctx.inputs.compression, (c) => (compression = c))
    for await (const lines of splitLines(countBytes(decompressed, ctx.outcome), MAX_LINE_BYTES)) {
      for (const line of lines) {
        lastLine = line.number
        const record = parser.push(line)
        const taking = record && take(ctx.validator, record, object)
        if (taking) await taking
      }
      ctx.progress.maybeLog(ctx.outcome, ctx.writeProgress)
    }
    const last = parser.end()
    if (last) await take(ctx.validator, last, object)
  } catch (err) {
    if (err instanceof WriteStopped) {
      err.line = lastLine
      throw err
    }
    if (isConfigurationError(err)) throw err
    ctx.outcome.processed++
    const reason = `the object could not be read after line ${lastLine}: ${describeReadError(err, object)}`
    await ctx.validator.reject('unreadable', `${object.url}:${lastLine + 1}`, reason, '')
  }
  return compression
}

/** A failure of the writer (a stall, the table deleted): it stops the import, not this object. */
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
  const stop = (err: unknown): never => {
    throw new WriteStopped(err)
  }
  try {
    return validator.take(record, object)?.catch(stop)
  } catch (err) {
    return stop(err)
  }
}

/** Counts uncompressed bytes as they pass: ImportTable's ProcessedSizeBytes. */
async function* countBytes(
  chunks: AsyncIterable<Uint8Array>,
  outcome: { processedSizeBytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    outcome.processedSizeBytes += chunk.length
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
