// DynamoDB exports (ExportTableToPointInTime) as a source: the manifests say which objects are
// the data and how many items they hold, so an import of an export can be checked against them.
//
// Layout, as DynamoDB writes it under `<s3Prefix>/AWSDynamoDB/`:
//   <export-id>/manifest-summary.json   one JSON object (type, format, itemCount, ...)
//   <export-id>/manifest-files.json     JSON lines, one per data file (itemCount, dataFileS3Key)
//   <export-id>/*.md5, *.checksum, _started
//   <export-id>/data/*.json.gz          full exports
//   data/*.json.gz                      incremental exports: a folder shared by all of them
import { isJsonObject } from '../json.js'
import { ActionError, errorMessage } from '../errors.js'
import { decompress } from './decompress.js'
import type { Source, SourceObject } from './source.js'

export interface ExportManifest {
  exportId: string
  type: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT'
  format: 'DYNAMODB_JSON' | 'ION'
  /** The manifest's itemCount: the import must end with exactly this many items processed. */
  itemCount: number
  /** The data files the manifest lists, as listed objects of the source, in manifest order. */
  dataFiles: SourceObject[]
  /**
   * The prefix (S3 key or workspace path) of the data files, e.g. `<root>/AWSDynamoDB/<id>/data/`,
   * for ImportTable: the longest folder all data files share. ImportTable reads every object under
   * it, so it selects exactly the data files only when no key of `ignored` starts with it.
   */
  dataPrefix: string
  /**
   * Keys of listed objects that are not read: neither a data file of the manifest nor one of the
   * export's own files (manifests, checksums, `_started`). For a warning.
   */
  ignored: string[]
  /** Each data file's itemCount from the manifest, by key: what a shard of them must import. */
  itemCounts: Map<string, number>
}

export const SUMMARY_NAME = 'manifest-summary.json'
export const FILES_NAME = 'manifest-files.json'
/** manifest-summary.json is one small object: anything bigger is not one. */
export const MAX_SUMMARY_BYTES = 1024 * 1024
/** manifest-files.json has one ~200-byte line per data file: 64 MiB is ~300,000 files. */
export const MAX_FILES_MANIFEST_BYTES = 64 * 1024 * 1024

const MARKER = 'AWSDynamoDB/'
/** Files DynamoDB writes next to the manifests, besides them. */
const BOOKKEEPING = /^(manifest-summary\.json|manifest-files\.json|_started|.*\.md5|.*\.checksum)$/
const LISTED_AT_MOST = 5

interface Summary {
  exportId: string
  type: ExportManifest['type']
  format: ExportManifest['format']
  itemCount: number
  s3Prefix: string | undefined
  manifestFilesS3Key: string
}

interface FileEntry {
  line: number
  key: string
  itemCount: number
}

/**
 * When the listing is (or contains, at its root) a DynamoDB export, reads and checks its
 * manifests; else undefined. Fails with an ActionError when the listing holds several exports,
 * an unfinished one, manifests that do not parse, or an export whose data files are missing or
 * do not add up to the summary's itemCount.
 *
 * The manifests name absolute keys (`<s3Prefix>/AWSDynamoDB/<id>/data/...`), but exports are
 * often copied elsewhere (another bucket, another prefix) to promote data between accounts: each
 * key is therefore resolved relative to where the export is now, the folder of its
 * manifest-summary.json.
 */
export async function readExport(
  source: Source,
  objects: SourceObject[],
): Promise<ExportManifest | undefined> {
  const summaryObject = findSummary(source, objects)
  if (!summaryObject) return undefined
  const root = summaryObject.key.slice(0, -SUMMARY_NAME.length)
  const summary = parseSummary(
    summaryObject,
    await readSmall(source, summaryObject, MAX_SUMMARY_BYTES),
  )
  const located: Located = {
    summaryObject,
    root,
    summary,
    resolve: resolver(root, summary),
    byKey: new Map(objects.map((o) => [o.key, o])),
  }
  const { filesObject, entries } = await readFilesManifest(source, located)
  const matched = matchDataFiles(located, filesObject, entries)
  requireComplete(located, entries.length, matched.missing)
  requireAddsUp(located, matched.sum)
  return manifestOf(located, objects, matched)
}

/** Where an export sits now and what its summary says: what every later step resolves against. */
interface Located {
  summaryObject: SourceObject
  /** The folder of manifest-summary.json: where the export is now, whatever its s3Prefix says. */
  root: string
  summary: Summary
  resolve: (key: string) => string[] | undefined
  byKey: Map<string, SourceObject>
}

/** The data files of manifest-files.json as found in the listing, and what they add up to. */
interface Matched {
  /** Listed data files, in manifest order. */
  dataFiles: SourceObject[]
  /** The manifest entry of each listed data file, by key. */
  seen: Map<string, FileEntry>
  /** The most likely key of each data file that is not listed. */
  missing: string[]
  /** The itemCounts of all entries, listed or not. */
  sum: number
}

/**
 * The listing's one manifest-summary.json; undefined when there is none (and no sign of an
 * unfinished export). Several are refused: which one to import would be a guess, and importing
 * all would mix tables.
 */
function findSummary(source: Source, objects: SourceObject[]): SourceObject | undefined {
  const summaries = objects.filter((o) => baseName(o.key) === SUMMARY_NAME)
  if (summaries.length === 0) {
    refuseUnfinished(source, objects)
    return undefined
  }
  if (summaries.length > 1) {
    // The two shallowest, so that the example names the exports a person most likely meant.
    const [a, b] = [...summaries].sort((x, y) => depth(x.key) - depth(y.key) || compare(x, y))
    throw new ActionError(
      `source ${source.description} holds ${summaries.length} DynamoDB exports, for example ` +
        `${folderOf(a as SourceObject)} and ${folderOf(b as SourceObject)}: point source at one ` +
        'export, s3://bucket/.../AWSDynamoDB/<export-id>/ (or the workspace folder holding its ' +
        'manifest-summary.json)',
    )
  }
  return summaries[0] as SourceObject
}

/**
 * Finds and parses manifest-files.json: where the summary's manifestFilesS3Key resolves to, or
 * else next to the summary, since a copy may not keep the key's layout.
 */
async function readFilesManifest(
  source: Source,
  { summaryObject, root, summary, resolve, byKey }: Located,
): Promise<{ filesObject: SourceObject; entries: FileEntry[] }> {
  const filesCandidates = [...(resolve(summary.manifestFilesS3Key) ?? []), root + FILES_NAME]
  const filesObject = firstListed(filesCandidates, byKey)
  if (!filesObject) {
    throw new ActionError(
      `${where(summaryObject)} names manifestFilesS3Key ${JSON.stringify(summary.manifestFilesS3Key)}, ` +
        `but the source has no ${FILES_NAME} at ${unique(filesCandidates).join(' or ')}: ` +
        'the export is incomplete (copy all of its objects)',
    )
  }
  const entries = parseFiles(
    filesObject,
    await readSmall(source, filesObject, MAX_FILES_MANIFEST_BYTES),
  )
  return { filesObject, entries }
}

/**
 * Matches the manifest's entries to listed objects. Missing ones are collected rather than
 * thrown at once, so that one message can say how many are missing; an entry whose key cannot be
 * placed, or a data file listed twice, is refused at once, as the manifest itself is wrong.
 */
function matchDataFiles(
  { summary, resolve, byKey }: Located,
  filesObject: SourceObject,
  entries: FileEntry[],
): Matched {
  const matched: Matched = { dataFiles: [], seen: new Map(), missing: [], sum: 0 }
  for (const entry of entries) {
    const candidates = resolve(entry.key)
    if (!candidates) {
      throw new ActionError(
        `${where(filesObject)} line ${entry.line}: dataFileS3Key ${JSON.stringify(entry.key)} ` +
          `is neither under ${MARKER} nor under the export's s3Prefix ` +
          `${JSON.stringify(summary.s3Prefix ?? '')}, so its place relative to the export is unknown`,
      )
    }
    // Missing files count too: the sum is checked against the summary's itemCount.
    matched.sum += entry.itemCount
    const object = firstListed(candidates, byKey)
    if (!object) {
      matched.missing.push(candidates[0] as string)
      continue
    }
    const before = matched.seen.get(object.key)
    if (before) {
      throw new ActionError(
        `${where(filesObject)} lists the data file ${object.key} twice (lines ${before.line} ` +
          `and ${entry.line}): its items would be counted twice`,
      )
    }
    matched.seen.set(object.key, entry)
    matched.dataFiles.push(object)
  }
  return matched
}

/**
 * Refuses an export with data files missing from the source: importing the rest would silently
 * load a part of the table. The message explains incremental exports, whose data files sit
 * outside their own folder and so are the ones most often left out of a copy.
 */
function requireComplete(
  { summaryObject, root }: Located,
  listed: number,
  missing: string[],
): void {
  if (missing.length === 0) return
  const shown = missing.slice(0, LISTED_AT_MOST).join(', ')
  const more = missing.length > LISTED_AT_MOST ? ` and ${missing.length - LISTED_AT_MOST} more` : ''
  const outside = missing.some((key) => !key.startsWith(root))
  throw new ActionError(
    `the DynamoDB export at ${folderOf(summaryObject)} is incomplete: ${missing.length} of the ` +
      `${listed} data files its ${FILES_NAME} lists are not in the source: ${shown}${more}.` +
      (outside
        ? ` An incremental export keeps its data files in the folder data/ shared by the ` +
          `exports next to it, outside its own folder: point source at a prefix holding this ` +
          `export and that data/ folder (and no other export's manifests), for example a copy ` +
          `of them.`
        : ' Copy every object of the export.'),
  )
}

/**
 * Refuses manifests that disagree on the item count: the import is checked against the
 * summary's itemCount, which must then be what the data files hold.
 */
function requireAddsUp({ summaryObject, summary }: Located, sum: number): void {
  if (sum === summary.itemCount) return
  throw new ActionError(
    `the DynamoDB export at ${folderOf(summaryObject)} does not add up: ${SUMMARY_NAME} says ` +
      `itemCount ${summary.itemCount}, the data files of ${FILES_NAME} add up to ${sum}`,
  )
}

/** The checked export, as the engines use it. */
function manifestOf(
  { root, summary }: Located,
  objects: SourceObject[],
  { dataFiles, seen }: Matched,
): ExportManifest {
  return {
    exportId: summary.exportId,
    type: summary.type,
    format: summary.format,
    itemCount: summary.itemCount,
    dataFiles,
    // With no data files there is no common folder: the one a full export would have.
    dataPrefix: dataFiles.length > 0 ? commonFolder(dataFiles.map((o) => o.key)) : `${root}data/`,
    ignored: ignoredKeys(objects, seen, root),
    itemCounts: new Map([...seen].map(([key, entry]) => [key, entry.itemCount])),
  }
}

/**
 * Listed objects that are neither data files nor the export's own files, for a warning: they
 * are not imported, and ImportTable would read them if they sat under the data prefix. Empty
 * folder markers (as S3 consoles create) are not worth one.
 */
function ignoredKeys(
  objects: SourceObject[],
  seen: Map<string, FileEntry>,
  root: string,
): string[] {
  return objects
    .filter((o) => !seen.has(o.key) && !isBookkeeping(o, root) && !isFolderMarker(o))
    .map((o) => o.key)
}

/**
 * The keys where an object the manifests name would be now, most likely first; undefined when its
 * key says nothing about where it sits relative to the export.
 *
 * 1. `.../AWSDynamoDB/<export-id>/rest` (full exports): `rest` under the export's folder.
 * 2. `.../AWSDynamoDB/rest` (incremental exports' shared `data/`): `rest` next to the export's
 *    folder, as DynamoDB writes it, or under it, for a copy that gathered everything in one folder.
 * 3. `<s3Prefix>/rest`: `rest` under the export's folder.
 */
function resolver(root: string, summary: Summary): (key: string) => string[] | undefined {
  const parent = parentFolder(root)
  return (key) => {
    const own = segmentIndex(key, `${MARKER}${summary.exportId}/`)
    if (own !== undefined)
      return [root + key.slice(own + MARKER.length + summary.exportId.length + 1)]
    const shared = segmentIndex(key, MARKER)
    if (shared !== undefined) {
      const rest = key.slice(shared + MARKER.length)
      return parent === undefined ? [root + rest] : [parent + rest, root + rest]
    }
    const prefix = summary.s3Prefix ? `${summary.s3Prefix.replace(/\/+$/, '')}/` : ''
    if (key.startsWith(prefix)) return [root + key.slice(prefix.length)]
    return undefined
  }
}

/** Where `marker` last starts a path segment of `key`. */
function segmentIndex(key: string, marker: string): number | undefined {
  for (let at = key.lastIndexOf(marker); at >= 0; at = key.lastIndexOf(marker, at - 1)) {
    if (at === 0 || key[at - 1] === '/') return at
  }
  return undefined
}

function parseSummary(object: SourceObject, text: string): Summary {
  const value = parseJson(object, text, `${SUMMARY_NAME} must be one JSON object`)
  if (!isJsonObject(value)) {
    throw new ActionError(
      `${where(object)}: ${SUMMARY_NAME} must be one JSON object, found ${describe(value)}`,
    )
  }
  const bad = (field: string, expected: string) =>
    new ActionError(
      `${where(object)}: ${field} must be ${expected}, found ${describe(value[field])}`,
    )

  const arn = value['exportArn']
  const id =
    typeof arn === 'string'
      ? /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+\/export\/([^/]+)$/.exec(arn)?.[1]
      : undefined
  if (id === undefined) {
    throw bad(
      'exportArn',
      'an export ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/export/<export-id>)',
    )
  }
  // Full exports made before incremental exports existed (2023) have no exportType.
  const type = value['exportType'] ?? 'FULL_EXPORT'
  if (type !== 'FULL_EXPORT' && type !== 'INCREMENTAL_EXPORT') {
    throw bad('exportType', 'FULL_EXPORT or INCREMENTAL_EXPORT')
  }
  const format = value['outputFormat']
  if (format !== 'DYNAMODB_JSON' && format !== 'ION') {
    throw bad('outputFormat', 'DYNAMODB_JSON or ION')
  }
  const itemCount = value['itemCount']
  if (!isCount(itemCount)) throw bad('itemCount', 'a whole number of items, 0 or more')
  const filesKey = value['manifestFilesS3Key']
  if (typeof filesKey !== 'string' || !filesKey.endsWith(FILES_NAME)) {
    throw bad('manifestFilesS3Key', `the key of the export's ${FILES_NAME}`)
  }
  const s3Prefix = value['s3Prefix']
  if (s3Prefix !== undefined && s3Prefix !== null && typeof s3Prefix !== 'string') {
    throw bad('s3Prefix', 'a string or null')
  }
  return {
    exportId: id,
    type,
    format,
    itemCount,
    s3Prefix: s3Prefix ?? undefined,
    manifestFilesS3Key: filesKey,
  }
}

function parseFiles(object: SourceObject, text: string): FileEntry[] {
  const entries: FileEntry[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim()
    if (line === '') continue
    const at = `${where(object)} line ${i + 1}`
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (err) {
      throw new ActionError(
        `${at}: ${FILES_NAME} must hold one JSON object a line, and this one is not JSON (${errorMessage(err)})`,
      )
    }
    if (!isJsonObject(value)) {
      throw new ActionError(`${at}: expected a JSON object, found ${describe(value)}`)
    }
    const key = value['dataFileS3Key']
    if (typeof key !== 'string' || key === '') {
      throw new ActionError(
        `${at}: dataFileS3Key must be the key of a data file, found ${describe(key)}`,
      )
    }
    const itemCount = value['itemCount']
    if (!isCount(itemCount)) {
      throw new ActionError(
        `${at}: itemCount must be a whole number of items, 0 or more, found ${describe(itemCount)}`,
      )
    }
    entries.push({ line: i + 1, key, itemCount })
  }
  return entries
}

function parseJson(object: SourceObject, text: string, expected: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ActionError(
      `${where(object)}: ${expected}, and it is not JSON (${errorMessage(err)})`,
    )
  }
}

/** The whole (decompressed) text of a small object, refusing one bigger than `limit` bytes. */
async function readSmall(source: Source, object: SourceObject, limit: number): Promise<string> {
  const tooBig = (size: string) =>
    new ActionError(
      `${where(object)} holds ${size}, more than the ${limit} bytes a ${baseName(object.key)} ` +
        'may have: refusing to read it',
    )
  if (object.size > limit) throw tooBig(`${object.size} bytes`)
  const chunks: Uint8Array[] = []
  let bytes = 0
  try {
    for await (const chunk of decompress(await source.open(object), 'auto')) {
      bytes += chunk.length
      if (bytes > limit) throw tooBig(`over ${limit} bytes once decompressed`)
      chunks.push(chunk)
    }
  } catch (err) {
    if (err instanceof ActionError) throw err
    const message = errorMessage(err)
    throw new Error(message.includes(object.url) ? message : `${object.url}: ${message}`, {
      cause: err,
    })
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw new ActionError(`${where(object)}: ${baseName(object.key)} is not UTF-8 text`)
  }
}

/**
 * An export's own files with no manifest-summary.json (DynamoDB writes it last) mean an export
 * still running, failed, or partly copied: reading its data as plain objects would import a part.
 */
function refuseUnfinished(source: Source, objects: SourceObject[]): void {
  const sign = objects.find((o) => {
    const name = baseName(o.key)
    return name === '_started' || name === FILES_NAME
  })
  if (sign) {
    throw new ActionError(
      `source ${source.description} holds ${where(sign)} but no ${SUMMARY_NAME}: a DynamoDB ` +
        'export that has not finished, failed, or was partly copied. Wait for the export to ' +
        `complete (or copy its ${SUMMARY_NAME} too), or point source at data that is not an ` +
        'unfinished export',
    )
  }
}

function isBookkeeping(object: SourceObject, root: string): boolean {
  if (!object.key.startsWith(root)) return false
  const rest = object.key.slice(root.length)
  return !rest.includes('/') && BOOKKEEPING.test(rest)
}

function isFolderMarker(object: SourceObject): boolean {
  return object.key.endsWith('/') && object.size === 0
}

function firstListed(keys: string[], byKey: Map<string, SourceObject>): SourceObject | undefined {
  for (const key of keys) {
    const object = byKey.get(key)
    if (object) return object
  }
  return undefined
}

/** The longest folder (ending in `/`, or empty) that holds every key. */
function commonFolder(keys: string[]): string {
  let common = keys[0] ?? ''
  for (const key of keys) {
    let n = 0
    while (n < common.length && n < key.length && common[n] === key[n]) n++
    common = common.slice(0, n)
  }
  return common.slice(0, common.lastIndexOf('/') + 1)
}

function parentFolder(folder: string): string | undefined {
  if (folder === '') return undefined
  const inner = folder.slice(0, -1)
  return inner.slice(0, inner.lastIndexOf('/') + 1)
}

function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1)
}

function depth(key: string): number {
  return key.split('/').length
}

function compare(a: SourceObject, b: SourceObject): number {
  return Buffer.compare(Buffer.from(a.key), Buffer.from(b.key))
}

/** How to name an object to a person: its S3 URL, or its workspace path. */
function where(object: SourceObject): string {
  return object.url.startsWith('s3://') ? object.url : object.key
}

/** The folder of an object, as `source` would name it. */
function folderOf(object: SourceObject): string {
  const name = where(object)
  return name.slice(0, name.lastIndexOf('/') + 1)
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)]
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
