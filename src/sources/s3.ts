import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3'
import { describeAwsError } from '../errors.js'
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
    async open(object) {
      try {
        const response = await s3.send(
          new GetObjectCommand({
            Bucket: location.bucket,
            Key: object.key,
            // The object read must be the object listed: a change in between fails the read.
            ...(object.etag && { IfMatch: object.etag }),
            ...owner,
          }),
        )
        return (response.Body as AsyncIterable<Uint8Array> | undefined) ?? empty()
      } catch (err) {
        throw new Error(describeAwsError(err, 'GetObject', object.url), { cause: err })
      }
    },
  }
}

async function* empty(): AsyncGenerator<Uint8Array> {}
