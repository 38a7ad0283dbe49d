/**
 * Two shapes of the AWS CLI's own files, beyond one table per file:
 *
 * - what `aws dynamodb scan` (or `query`) prints, `{"Items": [item, …], "Count": n,
 *   "ScannedCount": n, …}`, items in DynamoDB JSON without the `Item` wrapper: its items;
 * - request-items files (`batch-write-item --request-items`) that name ANY number of tables:
 *   per table, its puts and deletes in file order.
 *
 * A scan output is one JSON document, parsed whole (see MAX_SCAN_OUTPUT_BYTES); a request-items
 * file streams through the JSON splitter, one request at a time, as request-items.ts reads it.
 */
import { isJsonObject, jsonKind } from '../json.js'
import { convertItem } from './dynamodb-json.js'
import { elementLines } from './json-locations.js'
import { brokenRecord, JsonSplitter, type Piece } from './json-splitter.js'
import type { ParsedRecord } from './record.js'
import { parseRequest } from './request-items.js'

/**
 * A scan output is read whole: the CLI prints one document, of the size a test fixture has. Beyond
 * this it is refused rather than risk the runner's memory; the integration checks the object's
 * size against it before reading.
 */
export const MAX_SCAN_OUTPUT_BYTES = 64 * 1024 * 1024
const ITEM_PATH = /^Items\[\d+\]$/
/** The depth of an ITEM_PATH element. */
const ITEM_DEPTH = 2
/** How far into a file the recogniser looks for `"Items"`. */
const RECOGNISE_CHARS = 4096

/** `{"Items": [`, as the CLI starts a scan output. */
const SCAN_START = /^\uFEFF?\s*\{\s*"Items"\s*:\s*\[/
/** `{"Items": [{"PutRequest"`: a request-items file for a table named Items, not a scan. */
const REQUESTS_FOR_ITEMS = /^\uFEFF?\s*\{\s*"Items"\s*:\s*\[\s*\{\s*"(?:PutRequest|DeleteRequest)"/

/** One item of a scan output: where it is, and what parsing made of it. */
export interface ScanRecord extends ParsedRecord {
  /** `Items[3]`. */
  path: string
}

export type ScanOutput =
  | {
      ok: true
      records: ScanRecord[]
      /**
       * What the file says of itself that the user should know: it holds only part of a scan
       * (a NextToken or LastEvaluatedKey), or its Count differs from its items.
       */
      warnings: string[]
    }
  | { ok: false; problem: string }

/**
 * Does this head of a file look like a scan output: an object whose first member is `"Items"`
 * holding an array (the CLI prints Items first), not of requests (a request-items file for a
 * table named Items)?
 */
export function looksLikeScanOutput(head: Uint8Array | string): boolean {
  const text =
    typeof head === 'string'
      ? head.slice(0, RECOGNISE_CHARS)
      : new TextDecoder('utf-8').decode(head.subarray(0, RECOGNISE_CHARS))
  return SCAN_START.test(text) && !REQUESTS_FOR_ITEMS.test(text)
}

/**
 * Reads a scan output: `file` names it in the problem and warnings, `text` is its content. Each
 * item goes through the DynamoDB JSON item parser (numbers stay text, reasons read the same).
 */
export function parseScanOutput(file: string, text: string): ScanOutput {
  const prefix = `${file}: `
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_SCAN_OUTPUT_BYTES) {
    return {
      ok: false,
      problem: `${prefix}the scan output is ${bytes} bytes, more than the ${MAX_SCAN_OUTPUT_BYTES} it is read whole up to: write the scan as DynamoDB JSON lines instead (jq -c '.Items[] | {Item: .}')`,
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text)
  } catch {
    return {
      ok: false,
      problem: `${prefix}expected the output of aws dynamodb scan (one JSON document), found text that is not valid JSON`,
    }
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed['Items'])) {
    const found = isJsonObject(parsed) ? 'an object without an "Items" array' : jsonKind(parsed)
    return {
      ok: false,
      problem: `${prefix}expected the output of aws dynamodb scan, {"Items": [items], "Count": …}, found ${found}`,
    }
  }
  const lines = elementLines(text, ITEM_DEPTH, (path) => ITEM_PATH.test(path))
  const records = parsed['Items'].map((item: unknown, i): ScanRecord => {
    const path = `Items[${i}]`
    // The text for the rejected file is taken before the parser decodes B values in place.
    const raw = JSON.stringify(item) ?? ''
    const result = convertItem(item, 'item')
    return {
      path,
      line: lines.get(path) ?? 0,
      raw,
      bytes: Buffer.byteLength(raw),
      result: result.ok ? result : { ok: false, reason: `${path}: ${result.reason}` },
    }
  })
  return { ok: true, records, warnings: scanWarnings(prefix, parsed, records.length) }
}

function scanWarnings(prefix: string, output: Record<string, unknown>, items: number): string[] {
  const warnings: string[] = []
  for (const member of ['NextToken', 'LastEvaluatedKey']) {
    if (output[member] === undefined || output[member] === null) continue
    warnings.push(
      `${prefix}the scan output has a ${member}: it holds only the first page of the scan, ${items} items; run the scan without --max-items or --no-paginate to get them all`,
    )
  }
  const count = output['Count']
  if (typeof count === 'number' && count !== items) {
    warnings.push(
      `${prefix}the scan output says Count ${count} but holds ${items} items: the file may have been cut or edited`,
    )
  }
  return warnings
}

/** One request of a request-items file, with the table it names (none for a broken point). */
export interface TableRecord extends ParsedRecord {
  table: string | undefined
}

/**
 * Reads a request-items file with any number of tables, one chunk at a time: each request as a
 * record with its table (`result.delete` marks a DeleteRequest). Requests are parsed by
 * request-items.ts, so reasons read as for a one-table file (`"Music"[3]: …`).
 */
export function multiTableRequestsParser(maxRequestBytes: number): {
  push(chunk: Uint8Array): TableRecord[]
  end(): TableRecord[]
} {
  const splitter = new JsonSplitter('tables', maxRequestBytes)
  const records = (pieces: Piece[]) => pieces.flatMap(tableRecord)
  return {
    push: (chunk) => records(splitter.push(chunk)),
    end: () => records(splitter.end()),
  }
}

function tableRecord(piece: Piece): TableRecord[] {
  if (piece.kind === 'table') return []
  if (piece.kind === 'broken') return [{ ...brokenRecord(piece), table: undefined }]
  const table = piece.table
  const label = `${JSON.stringify(table ?? '')}[${piece.index}]`
  if (piece.text === undefined) {
    const result = { ok: false as const, reason: `${label}: ${piece.problem}` }
    return [{ table, line: piece.line, raw: '', result, unreadable: true }]
  }
  const result = parseRequest(piece.text, label)
  return [{ table, line: piece.line, raw: piece.text, bytes: piece.bytes, result }]
}

/** The requests of one table, puts and deletes in file order. */
export interface TableRequests {
  table: string
  records: ParsedRecord[]
}

/**
 * Reads a whole request-items file into its tables, in the order the file first names them (a
 * table named twice, `{"A": […], "B": […], "A": […]}`, keeps one list, in file order), and the
 * point where the file stops making sense, if it does. Holds every request: for tests and small
 * files; the integration streams with {@link multiTableRequestsParser}.
 */
export async function readRequestTables(
  chunks: AsyncIterable<Uint8Array>,
  maxRequestBytes: number,
): Promise<{ tables: TableRequests[]; broken?: ParsedRecord }> {
  const parser = multiTableRequestsParser(maxRequestBytes)
  const tables = new Map<string, ParsedRecord[]>()
  let broken: ParsedRecord | undefined
  const take = (records: TableRecord[]) => {
    for (const { table, ...record } of records) {
      if (table === undefined) {
        broken = record
        continue
      }
      const list = tables.get(table)
      if (list === undefined) tables.set(table, [record])
      else list.push(record)
    }
  }
  for await (const chunk of chunks) take(parser.push(chunk))
  take(parser.end())
  return {
    tables: [...tables].map(([table, records]) => ({ table, records })),
    ...(broken !== undefined && { broken }),
  }
}
