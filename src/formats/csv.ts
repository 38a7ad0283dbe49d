/**
 * CSV, as ImportTable's CsvOptions describe it [docs/import-rules.md §1 rules 5 and 6, §5.3], with our
 * decisions where ImportTable's behaviour is not documented:
 *
 * - Header: without a given header the first record of each object is that object's header; with
 *   one, the first line is data. A header with an empty, duplicate or invalid attribute name (or
 *   one that cannot be read) fails once, at its line, and the rest of the object is skipped: the
 *   caller counts the object as that one error. Names are used as written (only the line's `\r`
 *   is removed); a UTF-8 BOM at the start of the object is dropped.
 * - Quoting is RFC 4180: a field whose first character is `"` is quoted; inside, `""` is one
 *   quote and delimiters and newlines are data. A record with a quoted newline spans several
 *   lines; it is reported at the line it starts on, with its lines joined by `\n` as raw text.
 *   A `\r` before a newline ends the line and is not data, except inside a quoted field, where the
 *   line break is data as written (`\r\n` stays `\r\n`). Lenient: a `"` inside an unquoted field
 *   (including one after leading spaces) is a literal character. Strict: anything but a delimiter
 *   or the end of the line after a closing quote fails the record. A failed record ends with the
 *   physical line the failure was found on; the next line starts a new record.
 * - A quoted field still open at the end of the object fails its record. So does one still open
 *   after {@link MAX_OPEN_RECORD_BYTES} (the next line then starts a new record), so a stray quote
 *   cannot make the parser hold a whole object in memory; its raw text is then left out.
 * - Blank and whitespace-only lines outside a quoted field are nothing, as ImportTable treats
 *   them in the other formats.
 * - A record with more or fewer fields than the header fails.
 * - Values: key columns of the table and of its indexes take the key's type (N: the trimmed text,
 *   validated as a DynamoDB number and sent as written; B: the trimmed text decoded as strict
 *   base64; S: as written). Every other column is a String as written: `041`, `7.50` and `true`
 *   stay strings. An unquoted empty field omits the attribute (CSV has no null); a quoted empty
 *   field `""` is the empty string. Empty or missing keys are left to the item checks.
 *
 * Reasons name columns and line numbers, never values: they end up in logs.
 */
import { attributeNameProblem, type Item } from '../table/attribute-value.js'
import { normalizeNumber } from '../table/numbers.js'
import { type TableSchema } from '../table/key-schema.js'
import { isBlank, type Line } from '../sources/lines.js'
import {
  showName,
  withoutBom,
  type ParseResult,
  type ParsedRecord,
  type RecordParser,
} from './record.js'
import { decodeBase64 } from './base64.js'
import { counted } from '../words.js'

/** ImportTable's CsvOptions.Delimiter values. */
const DELIMITERS: readonly string[] = [',', ';', ':', '|', '\t', ' ']

/** A record still inside a quoted field after this many bytes fails (8 MiB). */
export const MAX_OPEN_RECORD_BYTES = 8 * 1024 * 1024

export interface CsvOptions {
  /** One of `,` `;` `:` `|` tab and space. */
  delimiter: string
  /** The column names; the first line of each object is then data. */
  header?: string[] | undefined
  schema: TableSchema
}

const QUOTE = '"'
const QUOTE_CODE = 0x22
const CR_CODE = 0x0d
/** Printable ASCII other than space: a line starting with one is not blank. */
const FIRST_VISIBLE_CODE = 0x21
const LAST_VISIBLE_CODE = 0x7e

/** How a column's values become attribute values. */
const STRING = 0
const NUMBER = 1
const BINARY = 2
type ValueKind = typeof STRING | typeof NUMBER | typeof BINARY

interface Column {
  name: string
  kind: ValueKind
  /** The name as reasons show it: quoted, and cut when long. */
  shown: string
  /** `__proto__` must be defined, not assigned, to become an own attribute. */
  defined: boolean
}

/** A record whose last line ended inside a quoted field. */
interface OpenRecord {
  /** The line the record starts on, and the bytes of the object before it. */
  line: number
  offset: number
  /** The line the open quoted field starts on. */
  fieldLine: number
  lines: string[]
  bytes: number
  /** Completed fields; undefined for an unquoted empty field. */
  fields: Array<string | undefined>
  /** The text of the open quoted field so far. */
  quoted: string
}

/** How scanning a line left its record. */
const COMPLETE = 0
const STILL_OPEN = 1
const TEXT_AFTER_QUOTE = 2
type ScanOutcome = typeof COMPLETE | typeof STILL_OPEN | typeof TEXT_AFTER_QUOTE

/**
 * A parser for one S3 object of CSV: push its lines in order, then call end().
 * @throws Error when the delimiter is not one ImportTable allows, or a given header has an empty,
 *   duplicate or invalid name (inputs are validated before this, so that is a bug).
 */
export function csvParser(options: CsvOptions): RecordParser {
  if (!DELIMITERS.includes(options.delimiter)) {
    throw new Error(
      `CSV delimiter ${JSON.stringify(options.delimiter)} is not one of , ; : | tab space`,
    )
  }
  return new CsvParser(options)
}

class CsvParser implements RecordParser {
  private readonly delimiter: string
  private readonly keyKinds = new Map<string, ValueKind>()
  private columns: Column[] | undefined
  private open: OpenRecord | undefined
  /** Set when the object's header failed: the rest of the object is not read. */
  private skipping = false
  /** The header as read from the object (undefined when csv-header gave it), for reasons. */
  private headerText: string | undefined
  /** The table's partition key: a header without it is most often split on the wrong delimiter. */
  private readonly partitionKey: string
  /** Bytes of the object before the current line, and before the next one. */
  private lineStart = 0
  private nextLineStart = 0

  constructor(options: CsvOptions) {
    this.delimiter = options.delimiter
    const { schema } = options
    this.partitionKey = schema.partitionKey.name
    const keys = [
      schema.partitionKey,
      ...(schema.sortKey ? [schema.sortKey] : []),
      ...schema.indexKeys,
    ]
    for (const key of keys) {
      if (!this.keyKinds.has(key.name)) {
        this.keyKinds.set(key.name, key.type === 'N' ? NUMBER : key.type === 'B' ? BINARY : STRING)
      }
    }
    if (options.header !== undefined) {
      const problem = headerProblem(options.header)
      if (problem !== undefined) throw new Error(`CSV header ${problem}`)
      this.columns = this.columnsOf(options.header)
    }
  }

  push(line: Line): ParsedRecord | undefined {
    if (this.skipping) return undefined
    this.lineStart = this.nextLineStart
    this.nextLineStart += line.bytes + 1
    if (line.problem !== undefined) return this.unreadable(line.number, line.problem)
    const text = withoutBom(line)
    const open = this.open
    if (open !== undefined) {
      open.lines.push(text)
      open.bytes += line.bytes + 1
      return this.settle(open, scan(text, true, open, line.number, this.delimiter))
    }
    const first = text.charCodeAt(0)
    if (!(first >= FIRST_VISIBLE_CODE && first <= LAST_VISIBLE_CODE) && isBlank(text)) {
      return undefined
    }
    if (this.columns !== undefined && !text.includes(QUOTE)) {
      return { line: line.number, raw: text, result: this.simpleRecord(text, this.columns) }
    }
    const record: OpenRecord = {
      line: line.number,
      offset: this.lineStart,
      fieldLine: line.number,
      lines: [text],
      bytes: line.bytes,
      fields: [],
      quoted: '',
    }
    return this.settle(record, scan(text, false, record, line.number, this.delimiter))
  }

  end(): ParsedRecord | undefined {
    const open = this.open
    if (this.skipping || open === undefined) return undefined
    this.open = undefined
    // Every line after the opening quote went into the field: the rows there cannot be told
    // apart, so the object was not read to its end (not one rejected record).
    const reason =
      `a quoted field opened on line ${open.fieldLine} is never closed: the rest of the file ` +
      'cannot be told apart into rows'
    const failed = this.fail(open.line, '', reason, open.offset)
    failed.broken ??= { offset: open.offset }
    return failed
  }

  /** The fast path: a line without quotes, split with indexOf straight into an item. */
  private simpleRecord(text: string, columns: Column[]): ParseResult {
    const delimiter = this.delimiter
    const end = text.charCodeAt(text.length - 1) === CR_CODE ? text.length - 1 : text.length
    const item: Item = {}
    let start = 0
    let index = 0
    for (;;) {
      const found = text.indexOf(delimiter, start)
      const stop = found === -1 || found > end ? end : found
      const column = columns[index]
      if (column === undefined) {
        return this.fieldCountFailure(countFields(text, end, delimiter))
      }
      if (stop > start) {
        const problem = setValue(item, column, text.slice(start, stop))
        if (problem !== undefined) {
          const fields = countFields(text, end, delimiter)
          if (fields !== columns.length) return this.fieldCountFailure(fields)
          return { ok: false, reason: problem }
        }
      }
      index++
      if (stop === end) break
      start = stop + 1
    }
    if (index !== columns.length) return this.fieldCountFailure(index)
    return { ok: true, item }
  }

  /** Returns the record a scan completed or failed, or keeps it open for the next line. */
  private settle(record: OpenRecord, outcome: ScanOutcome): ParsedRecord | undefined {
    if (outcome === STILL_OPEN) {
      if (record.bytes <= MAX_OPEN_RECORD_BYTES) {
        this.open = record
        return undefined
      }
      this.open = undefined
      const reason =
        `quoted field starting at line ${record.fieldLine} is still open after more than ` +
        `${MAX_OPEN_RECORD_BYTES} bytes`
      return this.fail(record.line, '', reason, record.offset)
    }
    this.open = undefined
    const raw = record.lines.length === 1 ? (record.lines[0] ?? '') : record.lines.join('\n')
    if (outcome === TEXT_AFTER_QUOTE) {
      const column = this.columnLabel(record.fields.length - 1)
      const reason = `unexpected character after closing quote in ${column}`
      return this.fail(record.line, raw, reason, record.offset)
    }
    const columns = this.columns
    if (columns === undefined) return this.header(record, raw)
    return { line: record.line, raw, result: this.fieldsRecord(record.fields, columns) }
  }

  private fieldsRecord(fields: Array<string | undefined>, columns: Column[]): ParseResult {
    if (fields.length !== columns.length) return this.fieldCountFailure(fields.length)
    const item: Item = {}
    for (let index = 0; index < fields.length; index++) {
      const value = fields[index]
      const column = columns[index]
      if (value === undefined || column === undefined) continue
      const problem = setValue(item, column, value)
      if (problem !== undefined) return { ok: false, reason: problem }
    }
    return { ok: true, item }
  }

  /** Takes the object's first record as its header, or fails the object. */
  private header(record: OpenRecord, raw: string) {
    const names = record.fields.map((field) => field ?? '')
    const problem = headerProblem(names, NO_HEADER_ROW_HINT)
    if (problem !== undefined) {
      return this.failHeader(record.line, raw, `the CSV header ${problem}`, record.offset)
    }
    const wrongDelimiter = this.wrongDelimiter(names, raw)
    if (wrongDelimiter !== undefined) {
      return this.failHeader(record.line, raw, wrongDelimiter, record.offset)
    }
    this.columns = this.columnsOf(names)
    this.headerText = raw
    return undefined
  }

  /**
   * A header without the partition key that another delimiter would give it: every row would be
   * rejected for the missing key, so the file is refused once, naming csv-delimiter.
   */
  private wrongDelimiter(names: readonly string[], raw: string): string | undefined {
    if (this.partitionKey === '' || names.includes(this.partitionKey)) return undefined
    const likely = likelyDelimiter(raw, this.delimiter)
    if (likely === undefined || !raw.split(likely).some((n) => n.trim() === this.partitionKey)) {
      return undefined
    }
    return (
      `the CSV header has no column ${showName(this.partitionKey)} (split on ` +
      `${JSON.stringify(this.delimiter)} it is ${counted(names.length, 'column')}): if the fields are ` +
      `separated by ${JSON.stringify(likely)}, set csv-delimiter: ${JSON.stringify(likely)}`
    )
  }

  /**
   * A row with another number of fields than the header: most often the wrong csv-delimiter (the
   * header then reads as one name), or a file without a header row. Says which input to set.
   */
  private fieldCountFailure(found: number): ParseResult {
    const expected = this.columns?.length ?? 0
    const header = this.headerText
    const shown = header === undefined ? 'csv-header' : showName(header)
    const likely = header === undefined ? undefined : likelyDelimiter(header, this.delimiter)
    const hint =
      likely !== undefined
        ? `if the fields are separated by ${JSON.stringify(likely)}, set csv-delimiter: ${JSON.stringify(likely)}`
        : `check csv-delimiter (${JSON.stringify(this.delimiter)}) and csv-header: each row needs one field per column of the header`
    return {
      ok: false,
      reason: `row has ${counted(found, 'field')}, the header has ${expected} (${shown}): ${hint}`,
    }
  }

  private columnsOf(names: readonly string[]): Column[] {
    return names.map((name) => ({
      name,
      kind: this.keyKinds.get(name) ?? STRING,
      shown: showName(name),
      defined: name === '__proto__',
    }))
  }

  /**
   * A line that is not text fails the record it is in (or is), marked unreadable; the next line
   * starts a new record.
   */
  private unreadable(number: number, problem: string): ParsedRecord {
    const open = this.open
    this.open = undefined
    const failed =
      open === undefined
        ? this.fail(number, '', problem, this.lineStart)
        : this.fail(
            open.line,
            '',
            `${problem} at line ${number}, inside a quoted field starting at line ${open.fieldLine}`,
            open.offset,
          )
    failed.unreadable = true
    return failed
  }

  /** A failed record; in the header, the point where reading the object stopped. */
  private fail(line: number, raw: string, reason: string, offset: number): ParsedRecord {
    if (this.columns === undefined) {
      return this.failHeader(line, raw, `the CSV header: ${reason}`, offset)
    }
    return { line, raw, result: { ok: false, reason } }
  }

  /** Without a header nothing after it can become an item: the object is not read on. */
  private failHeader(line: number, raw: string, reason: string, offset: number): ParsedRecord {
    this.skipping = true
    return { line, raw, result: { ok: false, reason }, broken: { offset } }
  }

  private columnLabel(index: number): string {
    const column = this.columns?.[index]
    return column === undefined ? `column ${index + 1}` : `column ${column.shown}`
  }
}

/**
 * Scans one physical line of a record that has quotes, from the start of its first field, or
 * (`inQuotes`) inside the record's open quoted field. Completed fields go to `record.fields`; a
 * line ending inside a quoted field leaves its text, with the line break, in `record.quoted`.
 */
function scan(
  text: string,
  inQuotes: boolean,
  record: OpenRecord,
  lineNumber: number,
  delimiter: string,
): ScanOutcome {
  const fields = record.fields
  const end = text.charCodeAt(text.length - 1) === CR_CODE ? text.length - 1 : text.length
  let index = 0
  for (;;) {
    if (inQuotes) {
      const quote = text.indexOf(QUOTE, index)
      if (quote === -1) {
        // A `\r` here is data: the quoted field holds the line break as written.
        record.quoted += `${text.slice(index)}\n`
        return STILL_OPEN
      }
      if (text.charCodeAt(quote + 1) === QUOTE_CODE) {
        record.quoted += text.slice(index, quote + 1)
        index = quote + 2
        continue
      }
      fields.push(record.quoted + text.slice(index, quote))
      record.quoted = ''
      index = quote + 1
      if (index >= end) return COMPLETE
      if (!text.startsWith(delimiter, index)) return TEXT_AFTER_QUOTE
      index += 1
      inQuotes = false
    }
    // At the start of a field.
    if (index < end && text.charCodeAt(index) === QUOTE_CODE) {
      inQuotes = true
      record.fieldLine = lineNumber
      index++
      continue
    }
    const found = text.indexOf(delimiter, index)
    if (found === -1 || found > end) {
      fields.push(index < end ? text.slice(index, end) : undefined)
      return COMPLETE
    }
    fields.push(found > index ? text.slice(index, found) : undefined)
    index = found + 1
  }
}

/** A header read from a file that has none repeats or leaves out names where values repeat. */
const NO_HEADER_ROW_HINT = 'if the file has no header row, set csv-header to the column names'

/**
 * Why header names cannot be the attribute names of a CSV object, or undefined; `hint` follows a
 * repeated or empty name, which a data row taken for the header gives.
 */
function headerProblem(names: readonly string[], hint?: string): string | undefined {
  const advice = hint === undefined ? '' : `: ${hint}`
  const seen = new Set<string>()
  for (let index = 0; index < names.length; index++) {
    const name = names[index] ?? ''
    if (name === '') return `has an empty name in column ${index + 1}${advice}`
    const problem = attributeNameProblem(name)
    if (problem !== undefined) return `column ${index + 1}: ${problem}`
    if (seen.has(name)) return `repeats ${showName(name)}${advice}`
    seen.add(name)
  }
  return undefined
}

/**
 * The delimiter a header was most likely written with: among ImportTable's, the one other than
 * `current` that splits it into the most fields, when that is more than `current` does.
 */
export function likelyDelimiter(header: string, current: string): string | undefined {
  const end = header.charCodeAt(header.length - 1) === CR_CODE ? header.length - 1 : header.length
  let best: string | undefined
  let most = countFields(header, end, current)
  for (const delimiter of DELIMITERS) {
    if (delimiter === current) continue
    const fields = countFields(header, end, delimiter)
    if (fields > most) {
      best = delimiter
      most = fields
    }
  }
  return best
}

/** Converts one non-empty field by its column's kind into `item`; returns why it cannot. */
function setValue(item: Item, column: Column, value: string): string | undefined {
  switch (column.kind) {
    case STRING:
      put(item, column, { S: value })
      return undefined
    case NUMBER: {
      // The original text is sent on: DynamoDB trims the zeros itself.
      const text = value.trim()
      const number = normalizeNumber(text)
      if (!number.ok) return `column ${column.shown} is not a valid number: ${number.reason}`
      put(item, column, { N: text })
      return undefined
    }
    case BINARY: {
      const bytes = decodeBase64(value.trim())
      if (typeof bytes === 'string') return `column ${column.shown} ${bytes}`
      put(item, column, { B: bytes })
      return undefined
    }
  }
}

function put(item: Item, column: Column, value: Item[string]): void {
  if (column.defined) {
    Object.defineProperty(item, column.name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  } else {
    item[column.name] = value
  }
}

/** Fields of a line without quotes: one more than its delimiters. */
function countFields(text: string, end: number, delimiter: string): number {
  let count = 1
  for (
    let at = text.indexOf(delimiter);
    at !== -1 && at < end;
    at = text.indexOf(delimiter, at + 1)
  ) {
    count++
  }
  return count
}
