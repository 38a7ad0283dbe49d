/**
 * input-format JSON: plain JSON documents, per file either one JSON array of objects (the whole
 * file, streamed element by element) or one object per line (JSON Lines; blank lines ignored).
 * The first character of the file tells which. Each document becomes an item as
 * json-document.ts maps it.
 */
import { parseJsonDocument } from './json-document.js'
import { brokenRecord, JsonSplitter, type Piece } from './json-splitter.js'
import type { ChunkRecordParser, ParsedRecord } from './record.js'

/** The first character of a file that holds one JSON array. */
export const ARRAY_START = 0x5b

/** The records of a file that is one JSON array of documents. */
export function jsonArrayParser(maxDocumentBytes: number): ChunkRecordParser {
  const splitter = new JsonSplitter('array', maxDocumentBytes)
  const records = (pieces: Piece[]) => pieces.flatMap(documentRecord)
  return {
    framing: 'bytes',
    push: (chunk) => records(splitter.push(chunk)),
    end: () => records(splitter.end()),
  }
}

/** A document of an array, by its index in reasons (`document[3].price: …`). */
function documentRecord(piece: Piece): ParsedRecord[] {
  if (piece.kind === 'table') return []
  if (piece.kind === 'broken') return [brokenRecord(piece)]
  if (piece.text === undefined) {
    const result = { ok: false as const, reason: `document[${piece.index}]: ${piece.problem}` }
    return [{ line: piece.line, raw: '', result, unreadable: true }]
  }
  const result = parseJsonDocument(piece.text, `document[${piece.index}]`)
  return [{ line: piece.line, raw: piece.text, bytes: piece.bytes, result }]
}
