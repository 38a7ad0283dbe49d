/**
 * A source in the workspace: one path (a file, or a directory and every file under it), or glob
 * patterns as GitHub actions read them (`@actions/glob`).
 */
export interface WorkspaceSelection {
  /** The path as written; for patterns, their lines on one line (`a/**, !a/x.json`), for messages. */
  path: string
  /** The glob patterns, one per line of the input, blank lines and `#` comments left out. */
  patterns?: string[]
}

/** `s3://bucket/prefix` (a key prefix, as ImportTable's S3KeyPrefix), or workspace files. */
export type SourceInput =
  { kind: 's3'; bucket: string; prefix: string } | ({ kind: 'local' } & WorkspaceSelection)

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

/** An object as messages name it: its S3 URL, or a workspace file by its workspace path. */
export function shownName(object: SourceObject): string {
  return object.url.startsWith('s3://') ? object.url : object.key
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
