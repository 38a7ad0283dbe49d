import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3'
import * as core from '@actions/core'
import { describeAwsError, errorMessage, errorName, httpStatus } from '../errors.js'
import type { Source, SourceObject } from './source.js'

export interface S3Location {
  bucket: string
  prefix: string
}

/**
 * Every object whose key starts with the prefix, at any depth. ExpectedBucketOwner goes on every
 * call when bucket-owner is set, so a bucket that changed hands is never read.
 */
export function s3Source(s3: S3Client, location: S3Location, bucketOwner?: string): Source {
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
        return (response.Body as AsyncIterable<Uint8Array> | undefined) ?? empty()
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
            return (response.Body as AsyncIterable<Uint8Array> | undefined) ?? empty()
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
 * The object's bytes, resumed where they stopped when the connection breaks: a ranged GET from
 * the byte reached, of the same object (the ETag must still match), so that no line is read
 * twice and none is lost. A body that ends early without an error is a break too.
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
    try {
      for await (const chunk of await get(offset)) {
        offset += chunk.length
        yield chunk
      }
      if (offset >= object.size) return
      why = `the body ended at byte ${offset} of ${object.size}`
    } catch (err) {
      if (!isBrokenRead(err) || resumes >= MAX_RESUMES) throw err
      why = errorMessage(err)
    }
    if (resumes >= MAX_RESUMES) {
      throw new Error(`the read broke ${MAX_RESUMES + 1} times; last: ${why}`)
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
