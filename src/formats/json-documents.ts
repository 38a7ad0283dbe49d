/**
 * JSON files whose documents the bytes frame, not the lines: one JSON array of documents (the
 * whole file, streamed element by element), or documents of several lines one after another (a
 * pretty-printed object, jq's output). Each document is a plain JSON document (as json-document.ts
 * maps it) or a DynamoDB JSON item, with or without the `Item` wrapper.
 */
import { parseDynamoDBItem, parseDynamoDBJsonLine } from './dynamodb-json.js'
import type { ItemShape } from './detect.js'
import { parseJsonDocument } from './json-document.js'
import { brokenRecord, JsonSplitter, type Piece } from './json-splitter.js'
import type { ChunkRecordParser, ParsedRecord, ParseResult } from './record.js'

/** How one document's text becomes an item; `label` names it in reasons (`document[3]`). */
export function documentParser(items: ItemShape): (text: string, label: string) => ParseResult {
  if (items === 'plain') return parseJsonDocument
  const parse = items === 'bare' ? parseDynamoDBItem : parseDynamoDBJsonLine
  return (text, label) => {
    const result = parse(text)
    return result.ok ? result : { ok: false, reason: `${label}: ${result.reason}` }
  }
}

/** The records of a file that is one JSON array of documents, or documents one after another. */
export function jsonDocumentsParser(
  framing: 'array' | 'documents',
  items: ItemShape,
  maxDocumentBytes: number,
): ChunkRecordParser {
  const splitter = new JsonSplitter(framing, maxDocumentBytes)
  const parse = documentParser(items)
  const records = (pieces: Piece[]) => pieces.flatMap((piece) => documentRecord(piece, parse))
  return {
    framing: 'bytes',
    push: (chunk) => records(splitter.push(chunk)),
    end: () => records(splitter.end()),
  }
}

/** A document, by its index in reasons (`document[3].price: …`). */
function documentRecord(
  piece: Piece,
  parse: (text: string, label: string) => ParseResult,
): ParsedRecord[] {
  if (piece.kind === 'table') return []
  if (piece.kind === 'broken') return [brokenRecord(piece)]
  if (piece.text === undefined) {
    const result = { ok: false as const, reason: `document[${piece.index}]: ${piece.problem}` }
    return [{ line: piece.line, raw: '', result, unreadable: true }]
  }
  const result = parse(piece.text, `document[${piece.index}]`)
  return [{ line: piece.line, raw: piece.text, bytes: piece.bytes, result }]
}
