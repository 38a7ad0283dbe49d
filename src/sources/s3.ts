import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3'
import { describeAwsError } from '../errors.js'
import type { S3Source } from '../inputs.js'

export interface SourceObject {
  bucket: string
  key: string
  /** Stored (possibly compressed) bytes. */
  size: number
  etag?: string
}

/** Where a record came from, as annotations and the rejected file show it. */
export function objectUrl(object: { bucket: string; key: string }): string {
  return `s3://${object.bucket}/${object.key}`
}

/**
 * Every object whose key starts with the prefix, at any depth, in the order of their keys as
 * UTF-8 bytes (S3's own order): the order decides which duplicate key wins across objects.
 */
export async function listObjects(
  s3: S3Client,
  source: S3Source,
  bucketOwner?: string,
): Promise<SourceObject[]> {
  const objects: SourceObject[] = []
  try {
    const pages = paginateListObjectsV2(
      { client: s3 },
      {
        Bucket: source.bucket,
        Prefix: source.prefix,
        ...(bucketOwner && { ExpectedBucketOwner: bucketOwner }),
      },
    )
    for await (const page of pages) {
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue
        objects.push({
          bucket: source.bucket,
          key: o.Key,
          size: o.Size ?? 0,
          ...(o.ETag && { etag: o.ETag }),
        })
      }
    }
  } catch (err) {
    throw new Error(
      describeAwsError(err, 'ListObjectsV2', `s3://${source.bucket}/${source.prefix}`),
      {
        cause: err,
      },
    )
  }
  return objects.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)))
}

/** The stored bytes of one object, streamed. */
export async function readObject(
  s3: S3Client,
  object: SourceObject,
  bucketOwner?: string,
): Promise<AsyncIterable<Uint8Array>> {
  try {
    const response = await s3.send(
      new GetObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        ...(object.etag && { IfMatch: object.etag }),
        ...(bucketOwner && { ExpectedBucketOwner: bucketOwner }),
      }),
    )
    const body = response.Body as AsyncIterable<Uint8Array> | undefined
    return body ?? (async function* () {})()
  } catch (err) {
    throw new Error(describeAwsError(err, 'GetObject', objectUrl(object)), { cause: err })
  }
}
