import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3'
import * as core from '@actions/core'
import { realClock, type TimerClock } from '../clock.js'
import { describeAwsError, errorMessage, errorName, httpStatus } from '../errors.js'
import type { Source, SourceObject } from './source.js'

export interface S3Location {
  bucket: string
  prefix: string
}

/**
 * Every object whose key starts with the prefix, at any depth. ExpectedBucketOwner goes on every
 * call when bucket-owner is set, so a bucket that changed hands is never read. Bodies that go
 * silent are abandoned on `clock` (see untilSilent).
 */
export function s3Source(
  s3: S3Client,
  location: S3Location,
  bucketOwner?: string,
  clock: Pick<TimerClock, 'every'> = realClock,
): Source {
  const owner = bucketOwner ? { ExpectedBucketOwner: bucketOwner } : {}
  const url = (key: string) => `s3://${location.bucket}/${key}`
  return {
    description: url(location.prefix),
    async list() {
      const objects: SourceObject[] = []
      try {
        const pages = paginateListObjectsV2(
          { client: s3 },
          { Bucket: location.bucket, Prefix: location.prefix, ...owner },
        )
        for await (const page of pages) {
          for (const o of page.Contents ?? []) {
            if (o.Key === undefined) continue
            objects.push({
              url: url(o.Key),
              key: o.Key,
              size: o.Size ?? 0,
              ...(o.ETag && { etag: o.ETag }),
            })
          }
        }
      } catch (err) {
        throw new Error(describeAwsError(err, 'ListObjectsV2', url(location.prefix)), {
          cause: err,
        })
      }
      return objects
    },
    async openHead(object, bytes) {
      try {
        const response = await s3.send(
          new GetObjectCommand({
            Bucket: location.bucket,
            Key: object.key,
            Range: `bytes=0-${bytes - 1}`,
            ...(object.etag && { IfMatch: object.etag }),
            ...owner,
          }),
        )
        return untilSilent(bodyOf(response.Body), clock)
      } catch (err) {
        throw new Error(describeAwsError(err, 'GetObject', object.url), { cause: err })
      }
    },
    open(object) {
      return Promise.resolve(
        resumable(object, async (from) => {
          try {
            const response = await s3.send(
              new GetObjectCommand({
                Bucket: location.bucket,
                Key: object.key,
                // The object read must be the object listed: a change in between fails the read.
                ...(object.etag && { IfMatch: object.etag }),
                ...(from > 0 && { Range: `bytes=${from}-` }),
                ...owner,
              }),
            )
            // Also checked here, for S3-compatible servers that ignore If-Match.
            if (object.etag && response.ETag && response.ETag !== object.etag) {
              ;(response.Body as { destroy?: () => void } | undefined)?.destroy?.()
              throw Object.assign(new Error('ETag changed'), { name: 'PreconditionFailed' })
            }
            return untilSilent(bodyOf(response.Body), clock)
          } catch (err) {
            throw new Error(describeAwsError(err, 'GetObject', object.url), { cause: err })
          }
        }),
      )
    },
  }
}

/** A broken read is resumed at most this often per object before the object counts as unreadable. */
export const MAX_RESUMES = 5

/**
 * An S3 body that sends no byte for this long while the action waits for one is abandoned (its
 * connection closed) and resumed like a broken one. A healthy body sends bytes far more often
 * than this; the SDK's own timeouts stop at the response's headers, so without this a body that
 * stops mid-stream with its connection left open would be waited for indefinitely.
 */
export const S3_BODY_IDLE_MS = 30_000

/**
 * How often a body's silence is checked. Silence is counted in checks while the reader waits, not
 * read off the clock: a check delayed by a busy process cannot make a body look silent whose bytes
 * were waiting unread. A silent body is abandoned between the limit and one check after it.
 */
export const S3_BODY_IDLE_CHECK_MS = 1_000

/** A body the SDK returns: a stream of bytes, which can be destroyed (its socket closed). */
type Body = AsyncIterable<Uint8Array> & { destroy?: () => void }

function bodyOf(body: unknown): Body {
  return (body as Body | undefined) ?? empty()
}

/**
 * The body's chunks, failing with a TimeoutError (a broken read, which `resumable` resumes) when
 * none comes for `idleMs` while the reader waits for one. Only that wait counts: time the reader
 * spends elsewhere (the writer holding it back) is not the body's silence. The body is destroyed
 * then, so that its connection is closed rather than left open.
 */
export async function* untilSilent(
  body: Body,
  clock: Pick<TimerClock, 'every'>,
  idleMs = S3_BODY_IDLE_MS,
): AsyncGenerator<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]()
  const checkMs = Math.min(S3_BODY_IDLE_CHECK_MS, idleMs)
  // The first check after a wait starts may come at once: one more than the limit's worth.
  const silentChecks = Math.ceil(idleMs / checkMs) + 1
  let waiting = false
  let checks = 0
  let abandon: ((err: Error) => void) | undefined
  const stop = clock.every(checkMs, () => {
    if (!waiting || ++checks < silentChecks) return
    waiting = false
    body.destroy?.()
    abandon?.(
      Object.assign(new Error(`no byte for ${idleMs / 1000} s`), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
    )
  })
  let ended = false
  try {
    for (;;) {
      waiting = true
      checks = 0
      const next = await new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
        abandon = reject
        chunks.next().then(resolve, reject)
      })
      waiting = false
      if (next.done) {
        ended = true
        return
      }
      yield next.value
    }
  } catch (err) {
    ended = true
    throw err
  } finally {
    stop()
    // The reader stopped early (the first bytes were enough): the body is let go.
    if (!ended) void chunks.return?.()?.catch(() => {})
  }
}

/**
 * The object's bytes, resumed where they stopped when the connection breaks or goes silent: a
 * ranged GET from the byte reached, of the same object (the ETag must still match), so that no
 * line is read twice and none is lost. A body that ends early without an error is a break too.
 */
export async function* resumable(
  object: SourceObject,
  get: (from: number) => Promise<AsyncIterable<Uint8Array>>,
  onResume: (from: number, why: string) => void = (from, why) =>
    core.info(`${object.url}: the read broke after ${from} bytes (${why}); resuming from there`),
): AsyncGenerator<Uint8Array> {
  let offset = 0
  for (let resumes = 0; ; resumes++) {
    let why: string
    let broken: { cause?: unknown } = {}
    try {
      for await (const chunk of await get(offset)) {
        offset += chunk.length
        yield chunk
      }
      if (offset >= object.size) return
      why = `the body ended at byte ${offset} of ${object.size}`
    } catch (err) {
      if (!isBrokenRead(err)) throw err
      why = errorMessage(err)
      broken = { cause: err }
    }
    if (resumes >= MAX_RESUMES) {
      throw new Error(`the read broke ${MAX_RESUMES + 1} times; last: ${why}`, broken)
    }
    onResume(offset, why)
  }
}

/** A connection that broke mid-body, as opposed to an answer (denied, changed) that would repeat. */
function isBrokenRead(err: unknown): boolean {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  const code = (cause as { code?: unknown } | null)?.code
  const name = errorName(cause) ?? ''
  return (
    (typeof code === 'string' &&
      /^(ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|ERR_STREAM_PREMATURE_CLOSE)$/.test(code)) ||
    /aborted|socket hang up|premature/i.test(errorMessage(cause)) ||
    name === 'TimeoutError' ||
    (httpStatus(cause) ?? 0) >= 500
  )
}

async function* empty(): AsyncGenerator<Uint8Array> {}
