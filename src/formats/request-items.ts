/**
 * input-format REQUEST_ITEMS: files as `aws dynamodb batch-write-item --request-items file://…`
 * takes them, `{"<table>": [{"PutRequest": {"Item": {…}}}, {"DeleteRequest": {"Key": {…}}}]}`
 * with DynamoDB JSON items (the BatchWriteItem API reference's RequestItems). Puts are written,
 * deletes delete. The name in the file is the table it was written for; the action loads it
 * into the `table` input. A file naming several tables is read for one of them (FormatOptions'
 * `table`), its other requests skipped.
 */
import { isJsonObject, jsonKind } from '../json.js'
import { convertItem } from './dynamodb-json.js'
import { brokenRecord, JsonSplitter, type Piece } from './json-splitter.js'
import type { ChunkRecordParser, ParsedRecord, ParseResult } from './record.js'

/**
 * The records of a request-items file: one per request. With `table`, only the requests for that
 * table: the others are skipped, not records of this read (another table's load counts them).
 */
export function requestItemsParser(maxRequestBytes: number, table?: string): ChunkRecordParser {
  const splitter = new JsonSplitter('tables', maxRequestBytes)
  const wanted = (piece: Piece) =>
    table === undefined || piece.kind !== 'element' || piece.table === table
  const records = (pieces: Piece[]) => pieces.filter(wanted).flatMap(requestRecord)
  return {
    framing: 'bytes',
    push: (chunk) => records(splitter.push(chunk)),
    end: () => records(splitter.end()),
  }
}

/** The table names a request-items file holds, read through once (the requests are not parsed). */
export async function requestItemsTables(
  chunks: AsyncIterable<Uint8Array>,
  maxRequestBytes: number,
): Promise<string[]> {
  const splitter = new JsonSplitter('tables', maxRequestBytes)
  const names: string[] = []
  const look = (pieces: Piece[]) => {
    for (const piece of pieces) {
      if (piece.kind === 'table' && !names.includes(piece.name)) names.push(piece.name)
    }
  }
  for await (const chunk of chunks) look(splitter.push(chunk))
  look(splitter.end())
  return names
}

function requestRecord(piece: Piece): ParsedRecord[] {
  if (piece.kind === 'table') return []
  if (piece.kind === 'broken') return [brokenRecord(piece)]
  const label = `${JSON.stringify(piece.table ?? '')}[${piece.index}]`
  if (piece.text === undefined) {
    const result = { ok: false as const, reason: `${label}: ${piece.problem}` }
    return [{ line: piece.line, raw: '', result, unreadable: true }]
  }
  return [
    {
      line: piece.line,
      raw: piece.text,
      bytes: piece.bytes,
      result: parseRequest(piece.text, label),
    },
  ]
}

/** One request: `{"PutRequest": {"Item": …}}` or `{"DeleteRequest": {"Key": …}}`. */
export function parseRequest(text: string, label: string): ParseResult {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { ok: false, reason: `${label}: invalid JSON` }
  }
  const expected = 'expected {"PutRequest": {"Item": …}} or {"DeleteRequest": {"Key": …}}'
  if (!isJsonObject(parsed))
    return { ok: false, reason: `${label}: ${expected}, found ${jsonKind(parsed)}` }
  const types = Object.keys(parsed)
  const type = types[0]
  if (types.length !== 1 || (type !== 'PutRequest' && type !== 'DeleteRequest')) {
    const found =
      types.length === 0 ? 'an empty object' : `${types.map((t) => JSON.stringify(t)).join(', ')}`
    return { ok: false, reason: `${label}: ${expected}, found ${found}` }
  }
  const request = parsed[type]
  const member = type === 'PutRequest' ? 'Item' : 'Key'
  if (
    !isJsonObject(request) ||
    !isJsonObject(request[member]) ||
    Object.keys(request).length !== 1
  ) {
    return { ok: false, reason: `${label}.${type}: expected an object with only "${member}"` }
  }
  const converted = convertItem(request[member], `${label}.${type}.${member}`)
  if (!converted.ok) return { ok: false, reason: plainJsonHint(converted.reason) }
  return type === 'PutRequest' ? converted : { ...converted, delete: true }
}

/** Plain JSON where DynamoDB JSON belongs is the common mistake: say so. */
function plainJsonHint(reason: string): string {
  if (!/expected an attribute value object|unknown type key/.test(reason)) return reason
  return `${reason} (request-items files hold DynamoDB JSON, {"S": "text"} or {"N": "1"}; for plain JSON documents use input-format JSON)`
}
