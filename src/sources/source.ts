import type { S3Client } from '@aws-sdk/client-s3'
import type { Inputs } from '../inputs.js'
import { localSource, workspaceRoot } from './local.js'
import { s3Source } from './s3.js'

/** One object to import, from S3 or from the workspace. */
export interface SourceObject {
  /** Where records of this object are said to be: `s3://bucket/key` or a file path. */
  url: string
  /** The S3 key, or the path relative to the workspace: objects are read in this order. */
  key: string
  /** Stored (possibly compressed) bytes. */
  size: number
  etag?: string
}

/** Where the data comes from: a listing, and a stream of each object's stored bytes. */
export interface Source {
  description: string
  list(): Promise<SourceObject[]>
  open(object: SourceObject): Promise<AsyncIterable<Uint8Array>>
}

/**
 * The objects in the order of their keys as UTF-8 bytes (S3's own listing order): the order
 * decides which duplicate key wins across objects, so it must not depend on the platform.
 */
export async function listInOrder(source: Source): Promise<SourceObject[]> {
  const objects = await source.list()
  return objects.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)))
}

/** The source the `source` input names. */
export function sourceFor(inputs: Inputs, s3: S3Client): Source {
  return inputs.source.kind === 's3'
    ? s3Source(s3, inputs.source, inputs.bucketOwner)
    : localSource(workspaceRoot(), inputs.source.path)
}
