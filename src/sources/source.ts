/** `s3://bucket/prefix`, or a path inside the workspace (fixtures kept in the repository). */
export type SourceInput =
  { kind: 's3'; bucket: string; prefix: string } | { kind: 'local'; path: string }

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
  /** The object's first `bytes` stored bytes, where a ranged read is cheaper than `open`. */
  openHead?(object: SourceObject, bytes: number): Promise<AsyncIterable<Uint8Array>>
}

/**
 * The objects in the order of their keys as UTF-8 bytes (S3's own listing order): the order
 * decides which duplicate key wins across objects, so it must not depend on the platform.
 */
export async function listInOrder(source: Source): Promise<SourceObject[]> {
  const objects = await source.list()
  return objects.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)))
}
