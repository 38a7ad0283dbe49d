/**
 * The formats an object is read whole for, because their items sit deep inside one JSON document
 * that names more than items: a NoSQL Workbench model (its tables, one of which is read) and the
 * output of `aws dynamodb scan` (its `Items`). The bytes are held up to the format's cap, then
 * parsed at the end; a model or a scan output that cannot be read is reported as an object not
 * read, with every problem, rather than as records.
 */
import * as core from '@actions/core'
import type { ChunkRecordParser, ParsedRecord } from './record.js'
import { MAX_SCAN_OUTPUT_BYTES, parseScanOutput } from './scan-output.js'
import { MAX_WORKBENCH_MODEL_BYTES, parseWorkbenchModel, type WorkbenchTable } from './workbench.js'

const strict = new TextDecoder('utf-8', { fatal: true })

/** The records of a NoSQL Workbench model: those of one of its tables (see pickTable). */
export function workbenchParser(
  file: string,
  table: string | undefined,
  destination: string | undefined,
): ChunkRecordParser {
  return wholeObjectParser(
    MAX_WORKBENCH_MODEL_BYTES,
    `the model is more than the ${MAX_WORKBENCH_MODEL_BYTES} bytes a NoSQL Workbench model is read whole up to: split its tables into request-items files`,
    (text) => {
      // The billing only shapes CreateTable's parameters, which reading does not use.
      const model = parseWorkbenchModel(file, text, 'PAY_PER_REQUEST')
      if (!model.ok) return [notRead(model.problems.map(withoutFile(file)).join('; '))]
      const chosen = pickTable(model.tables, table, destination)
      if (typeof chosen === 'string') return [notRead(chosen)]
      return chosen?.records ?? []
    },
  )
}

/** The items of a scan output; what the file says of itself (a NextToken) is a warning. */
export function scanOutputParser(file: string): ChunkRecordParser {
  return wholeObjectParser(
    MAX_SCAN_OUTPUT_BYTES,
    `the scan output is more than the ${MAX_SCAN_OUTPUT_BYTES} bytes it is read whole up to: write the scan as DynamoDB JSON lines instead (jq -c '.Items[] | {Item: .}')`,
    (text) => {
      const output = parseScanOutput(file, text)
      if (!output.ok) return [notRead(withoutFile(file)(output.problem))]
      for (const warning of output.warnings) core.warning(warning)
      return output.records
    },
  )
}

/**
 * The table of a model whose records are read: the one `table` names (none when the model does
 * not name it: that table's records are in another file); else the only one; else the one named
 * as the table written to (`destination`, the table input). Otherwise why none can be chosen.
 */
export function pickTable(
  tables: WorkbenchTable[],
  table: string | undefined,
  destination: string | undefined,
): WorkbenchTable | undefined | string {
  if (table !== undefined) return tables.find((t) => t.name === table)
  if (tables.length === 1) return tables[0]
  const named = tables.find((t) => t.name === destination)
  if (named) return named
  const names = tables.map((t) => JSON.stringify(t.name)).join(', ')
  return `the NoSQL Workbench model holds ${tables.length} tables (${names}) and this step loads one: set the table input to one of them`
}

/**
 * Holds the bytes up to `maxBytes` and parses them at the end. Past the cap the object is not
 * read (the rest streams through unparsed), so memory stays bounded whatever the object's size.
 */
function wholeObjectParser(
  maxBytes: number,
  tooLarge: string,
  parse: (text: string) => ParsedRecord[],
): ChunkRecordParser {
  let parts: Uint8Array[] = []
  let size = 0
  let refused = false
  return {
    framing: 'bytes',
    push(chunk) {
      if (refused) return []
      size += chunk.length
      if (size <= maxBytes) {
        parts.push(chunk)
        return []
      }
      refused = true
      parts = []
      return [notRead(tooLarge)]
    },
    end() {
      if (refused) return []
      let text: string
      try {
        text = strict.decode(Buffer.concat(parts))
      } catch {
        return [notRead('the file is not valid UTF-8 text')]
      }
      parts = []
      return parse(text)
    },
  }
}

/** A problem of the file without its name: the report of an object not read names it. */
function withoutFile(file: string): (problem: string) => string {
  const prefix = `${file}: `
  return (problem) => (problem.startsWith(prefix) ? problem.slice(prefix.length) : problem)
}

/** The object as a whole is not read: no record of it is taken (reading stops at its start). */
function notRead(reason: string): ParsedRecord {
  return { line: 1, raw: '', result: { ok: false, reason }, broken: { offset: 0 } }
}
