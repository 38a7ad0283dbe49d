/**
 * input-format auto: what a file holds, recognised from its first bytes (its head) and, where
 * the bytes cannot tell (an empty file), its name. Pure: the head is given, nothing is read here.
 *
 * JSON files are told apart by their framing (one array, one document per line, or documents of
 * several lines one after another) and by what their documents are: plain JSON, DynamoDB JSON
 * with the `Item` wrapper (ImportTable's DYNAMODB_JSON), or DynamoDB JSON items without it.
 */
import { isJsonObject, type JsonObject } from '../json.js'
import type { ImportTableFormat, InputFormat } from './input-format.js'
import { looksLikeScanOutput } from './scan-output.js'
import { looksLikeWorkbenchModel } from './workbench.js'

/** How the documents of a JSON file follow one another. */
export type Framing = 'lines' | 'array' | 'documents'
/** What each document is (`changes`: an incremental export's lines, never detected). */
export type ItemShape = 'plain' | 'wrapped' | 'bare' | 'changes'

/** How one object is read: the parser family and, for JSON, its framing and documents. */
export type Reading =
  | { kind: 'json'; framing: Framing; items: ItemShape }
  | { kind: 'request-items' }
  /** A NoSQL Workbench data model: its tables' items (workbench.ts). */
  | { kind: 'workbench' }
  /** What `aws dynamodb scan` prints, `{"Items": [...], "Count": ...}`: its items. */
  | { kind: 'scan-output' }
  | { kind: 'ion' }
  | { kind: 'csv' }

/** What decided the reading: the head, the name (the head said nothing), or input-format. */
export type ReadingBasis = 'bytes' | 'name' | 'empty' | 'input'

export interface ReadingChoice {
  reading: Reading
  basis: ReadingBasis
  /** The input-format that applied (auto, or the explicit one). */
  format: InputFormat
  /** Who set the format when it was not the input (a DynamoDB export's manifest). */
  formatFrom?: string
}

/**
 * How much of an object's head detection looks at: enough for the first document of any
 * ordinary file, so that its kind is parsed rather than guessed from a prefix.
 */
export const HEAD_BYTES = 64 * 1024

/** AttributeValue's type keys: a one-member object with one of these is a DynamoDB JSON value. */
const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'])
const ION_VERSION_MARKER = '$ion_1_0'
/** Names that say JSON: a file of them that does not start as JSON is still read as JSON Lines. */
const JSON_EXTENSIONS = new Set(['json', 'jsonl', 'ndjson'])
const BOM = '\uFEFF'
const WHITESPACE = /[\s]/

/**
 * What a file holds, from its head (`complete`: the head is the whole file) and its name.
 * The bytes decide; the name only breaks a tie the bytes leave (an empty file).
 */
export function detectReading(
  name: string,
  head: Uint8Array,
  complete: boolean,
): { reading: Reading; basis: ReadingBasis } {
  const text = headText(head)
  const start = firstContent(text)
  if (start === text.length) return { reading: byName(name), basis: 'empty' }
  const rest = text.slice(start)
  if (rest.startsWith(ION_VERSION_MARKER)) return { reading: { kind: 'ion' }, basis: 'bytes' }
  if (rest[0] === '[') {
    return { reading: { kind: 'json', framing: 'array', items: arrayItems(rest) }, basis: 'bytes' }
  }
  if (rest[0] === '{') {
    const inside = rest.slice(1).trimStart()
    // JSON names are quoted; Ion's struct fields need not be (`{Item:{…}}`, DynamoDB's Ion export).
    if (inside !== '' && inside[0] !== '"' && inside[0] !== '}') {
      return { reading: { kind: 'ion' }, basis: 'bytes' }
    }
    return { reading: objectReading(rest, complete), basis: 'bytes' }
  }
  // Not JSON and not Ion. A file named as JSON is read as its name says, so that its lines are
  // rejected as the JSON they fail to be; any other is CSV, the one format that starts with
  // anything.
  if (JSON_EXTENSIONS.has(extension(name))) return { reading: byName(name), basis: 'name' }
  return { reading: { kind: 'csv' }, basis: 'bytes' }
}

/**
 * How the documents of a file read as JSON follow one another, from its head: an array, one per
 * line, or documents of several lines. input-format JSON uses it too.
 */
export function jsonFraming(head: Uint8Array): Framing {
  const text = headText(head)
  const rest = text.slice(firstContent(text))
  if (rest[0] === '[') return 'array'
  return objectFraming(rest, firstDocumentEnd(rest))
}

/** The format ImportTable would read the object as, or undefined when it has none for it. */
export function importTableFormat(reading: Reading): ImportTableFormat | undefined {
  if (reading.kind === 'ion') return 'ION'
  if (reading.kind === 'csv') return 'CSV'
  if (reading.kind === 'json' && reading.framing === 'lines' && reading.items === 'wrapped') {
    return 'DYNAMODB_JSON'
  }
  return undefined
}

/**
 * The reading an explicit input-format names (JSON's framing comes from the head, and so does
 * DYNAMODB_JSON's: a file that starts with `[` is an array, of items with the Item wrapper or
 * without it as its first element says).
 */
export function explicitReading(format: Exclude<InputFormat, 'auto'>, head?: Uint8Array): Reading {
  switch (format) {
    case 'DYNAMODB_JSON':
      return {
        kind: 'json',
        framing: head ? dynamoDBFraming(head) : 'lines',
        ...dynamoDBItems(head),
      }
    case 'NOSQL_WORKBENCH':
      return { kind: 'workbench' }
    case 'JSON':
      return { kind: 'json', framing: head ? jsonFraming(head) : 'lines', items: 'plain' }
    case 'REQUEST_ITEMS':
      return { kind: 'request-items' }
    case 'ION':
      return { kind: 'ion' }
    case 'CSV':
      return { kind: 'csv' }
  }
}

/** The reading in words: `a JSON array of plain documents`. */
export function describeReading(reading: Reading): string {
  switch (reading.kind) {
    case 'request-items':
      return 'a request-items file (batch-write-item)'
    case 'workbench':
      return 'a NoSQL Workbench data model'
    case 'scan-output':
      return 'the output of aws dynamodb scan'
    case 'ion':
      return 'Ion (DynamoDB export text)'
    case 'csv':
      return 'CSV'
    case 'json':
      return describeJson(reading.framing, reading.items)
  }
}

function describeJson(framing: Framing, items: ItemShape): string {
  if (items === 'changes') return "DynamoDB JSON lines of an incremental export's changes"
  const wrapper = items === 'wrapped' ? 'with' : 'without'
  if (framing === 'lines') {
    return items === 'plain'
      ? 'JSON Lines of plain documents'
      : `DynamoDB JSON lines ${wrapper} the Item wrapper`
  }
  const documents =
    items === 'plain' ? 'plain documents' : `DynamoDB JSON items ${wrapper} the Item wrapper`
  return framing === 'array'
    ? `a JSON array of ${documents}`
    : `multi-line JSON documents (${documents})`
}

/** How the log says where a reading came from: `input-format auto: from its first bytes`. */
export function describeBasis(choice: ReadingChoice): string {
  if (choice.formatFrom) return `${choice.format}, from ${choice.formatFrom}`
  switch (choice.basis) {
    case 'input':
      return `input-format ${choice.format}`
    case 'bytes':
      return 'input-format auto: from its first bytes'
    case 'name':
      return 'input-format auto: from its name'
    case 'empty':
      return 'input-format auto: it holds no data, so from its name'
  }
}

/**
 * What a rejected record's reason ends with: the format the file was read as and the input that
 * changes it, because a file read as the wrong format rejects every record.
 */
export function readingNote(choice: ReadingChoice): string {
  const as = describeReading(choice.reading)
  if (choice.formatFrom) return ` (read as ${as}, as ${choice.formatFrom} says)`
  if (choice.basis === 'input') {
    return ` (read as ${as}, as input-format ${choice.format} says; set input-format to auto or to the file's format to read it otherwise)`
  }
  return ` (read as ${as}, as input-format auto recognised it; set input-format to read it otherwise)`
}

/**
 * DYNAMODB_JSON's framing: ImportTable's lines, or a JSON array (scan results and fixture files
 * keep items so); documents of several lines are not told apart from lines here, as before.
 */
function dynamoDBFraming(head: Uint8Array): Framing {
  const text = headText(head)
  return text[firstContent(text)] === '[' ? 'array' : 'lines'
}

/** DYNAMODB_JSON's items: an array's first element may be a bare item; lines keep the wrapper. */
function dynamoDBItems(head: Uint8Array | undefined): { items: ItemShape } {
  if (!head || dynamoDBFraming(head) === 'lines') return { items: 'wrapped' }
  const text = headText(head)
  return { items: arrayItems(text.slice(firstContent(text))) === 'bare' ? 'bare' : 'wrapped' }
}

/** The head as text: a multi-byte character cut at its end decodes to a replacement character. */
function headText(head: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(head)
  return text.startsWith(BOM) ? text.slice(1) : text
}

function firstContent(text: string): number {
  let i = 0
  while (i < text.length && WHITESPACE.test(text[i] as string)) i++
  return i
}

/** The extension, past a compression suffix: `orders.csv.gz` → `csv`. */
function extension(name: string): string {
  const base = name.toLowerCase().replace(/\.(gz|gzip|zst|zstd)$/, '')
  const dot = base.lastIndexOf('.')
  return dot < 0 || base.lastIndexOf('/') > dot ? '' : base.slice(dot + 1)
}

/** An empty file has no records whatever it is read as; its name says what it was meant to be. */
function byName(name: string): Reading {
  const ext = extension(name)
  if (ext === 'csv' || ext === 'tsv') return { kind: 'csv' }
  if (ext === 'ion') return { kind: 'ion' }
  return { kind: 'json', framing: 'lines', items: 'plain' }
}

/** A file that starts with an object: request items, or documents one per line or of several. */
function objectReading(text: string, complete: boolean): Reading {
  // A model names its tables in its first members, long before its first document would end.
  if (looksLikeWorkbenchModel(text)) return { kind: 'workbench' }
  const end = firstDocumentEnd(text)
  const framing = objectFraming(text, end)
  const document = end.at === undefined ? undefined : parseObject(text.slice(0, end.at))
  if (document !== undefined) {
    if (isRequestItems(document)) return { kind: 'request-items' }
    if (looksLikeScanOutput(text)) return { kind: 'scan-output' }
    return { kind: 'json', framing, items: itemShape(document) }
  }
  // The first document is longer than the head (or not JSON): its first member decides.
  if (end.at === undefined && !complete && REQUEST_ITEMS_START.test(text)) {
    return { kind: 'request-items' }
  }
  if (end.at === undefined && !complete && looksLikeScanOutput(text)) {
    return { kind: 'scan-output' }
  }
  return { kind: 'json', framing, items: end.at === undefined ? shapeFromPrefix(text) : 'plain' }
}

/** The documents of an array: its first element decides (an empty array has plain ones). */
function arrayItems(text: string): ItemShape {
  const inner = text.slice(1)
  const start = firstContent(inner)
  if (inner[start] !== '{') return 'plain'
  const element = inner.slice(start)
  const end = firstDocumentEnd(element)
  if (end.at === undefined) return shapeFromPrefix(element)
  const document = parseObject(element.slice(0, end.at))
  return document === undefined ? 'plain' : itemShape(document)
}

/**
 * Where the first top-level document of the text ends (undefined: not in the text), and whether
 * a newline comes before its end: JSON Lines keep each document on one line.
 */
function firstDocumentEnd(text: string): { at: number | undefined; multiLine: boolean } {
  let depth = 0
  let inString = false
  let escape = false
  let multiLine = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n') multiLine = true
    else if (inString) {
      if (escape) escape = false
      else if (c === '\\') escape = true
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if ((c === '}' || c === ']') && --depth === 0) return { at: i + 1, multiLine }
  }
  return { at: undefined, multiLine }
}

/**
 * JSON Lines when the first document ends on its first line; documents of several lines
 * otherwise, unless the second line starts a document of its own: then the first line is a
 * broken line of JSON Lines (pretty-printed documents indent or close on their second line).
 */
function objectFraming(text: string, end: { multiLine: boolean }): Framing {
  if (!end.multiLine) return 'lines'
  const second = text.slice(text.indexOf('\n') + 1).replace(/^\r/, '')
  return second.startsWith('{') ? 'lines' : 'documents'
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(text)
    return isJsonObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

/** `{"Table": [{"PutRequest": …` or `…"DeleteRequest"`: batch-write-item's --request-items. */
const REQUEST_ITEMS_START = /^\{\s*"(?:[^"\\]|\\.)*"\s*:\s*\[\s*\{\s*"(?:PutRequest|DeleteRequest)"/

function isRequestItems(document: JsonObject): boolean {
  const first = Object.values(document)[0]
  if (!Array.isArray(first) || first.length === 0) return false
  const request: unknown = first[0]
  if (!isJsonObject(request)) return false
  const keys = Object.keys(request)
  return keys.length === 1 && (keys[0] === 'PutRequest' || keys[0] === 'DeleteRequest')
}

/** A one-member object whose member is an AttributeValue type: `{"S": "a"}`. */
function isAttributeValue(value: unknown): boolean {
  if (!isJsonObject(value)) return false
  const keys = Object.keys(value)
  return keys.length === 1 && TYPE_KEYS.has(keys[0] as string)
}

/** Every member an AttributeValue: a DynamoDB JSON item (an empty object is not one). */
function isDynamoDBItem(value: unknown): boolean {
  if (!isJsonObject(value)) return false
  const members = Object.values(value)
  return members.length > 0 && members.every(isAttributeValue)
}

function itemShape(document: JsonObject): ItemShape {
  const keys = Object.keys(document)
  if (keys.length === 1 && keys[0] === 'Item' && isDynamoDBItem(document['Item'])) return 'wrapped'
  return isDynamoDBItem(document) ? 'bare' : 'plain'
}

const NAME = '"(?:[^"\\\\]|\\\\.)*"'
const TYPE = `"(?:${[...TYPE_KEYS].join('|')})"`
/** `{"Item": {"name": {"S"…` */
const WRAPPED_START = new RegExp(
  `^\\{\\s*"Item"\\s*:\\s*\\{\\s*${NAME}\\s*:\\s*\\{\\s*${TYPE}\\s*:`,
)
/** `{"name": {"S"…` */
const BARE_START = new RegExp(`^\\{\\s*${NAME}\\s*:\\s*\\{\\s*${TYPE}\\s*:`)

/** A document longer than the head: its first member is all there is to go by. */
function shapeFromPrefix(text: string): ItemShape {
  if (WRAPPED_START.test(text)) return 'wrapped'
  return BARE_START.test(text) ? 'bare' : 'plain'
}
