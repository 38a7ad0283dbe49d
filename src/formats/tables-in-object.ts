/**
 * Which tables an object names, for the start step that plans a table per name: a request-items
 * file names its tables in its member names, a NoSQL Workbench model defines them; every other
 * format names none (its records go into the table the inputs name).
 */
import { ActionError } from '../errors.js'
import { decompress } from '../sources/decompress.js'
import { shownName, type Source, type SourceObject } from '../sources/source.js'
import type { BillingMode } from '../table/definition.js'
import { HEAD_BYTES } from './detect.js'
import { chooseReading, MAX_DOCUMENT_BYTES } from './index.js'
import type { FormatSettings, InputFormat } from './input-format.js'
import { requestItemsTables } from './request-items.js'
import { MAX_WORKBENCH_MODEL_BYTES, parseWorkbenchModel, type WorkbenchTable } from './workbench.js'

/** The input-formats whose files may name tables: auto tells from the head. */
const NAMING_FORMATS = new Set<InputFormat>(['auto', 'REQUEST_ITEMS', 'NOSQL_WORKBENCH'])

export type TablesInObject =
  /** The tables of a request-items file, in file order, each once. */
  | { kind: 'request-items'; names: string[] }
  /** The tables of a model, CreateTable's parameters built with the billing given. */
  | { kind: 'workbench'; tables: WorkbenchTable[] }
  /** The format names no table. */
  | { kind: 'none' }

/**
 * Which tables an object names: its head decides the format under auto (as reading it does); a
 * request-items file is read through for its table names (its requests are not parsed); a model
 * is read whole and parsed. Throws an ActionError with every problem of a model that is not a
 * valid one, and for a model larger than MAX_WORKBENCH_MODEL_BYTES.
 */
export async function tablesInObject(
  source: Source,
  object: SourceObject,
  format: FormatSettings,
  billingMode: BillingMode,
): Promise<TablesInObject> {
  if (!NAMING_FORMATS.has(format.format) || format.incremental) return { kind: 'none' }
  // A workspace file is shown by its workspace path, as its annotations show it.
  const shown = shownName(object)
  if (format.format === 'NOSQL_WORKBENCH' && object.size > MAX_WORKBENCH_MODEL_BYTES) {
    throw tooLarge(shown, `is ${object.size} bytes`)
  }
  const iterator = decompress(await source.open(object), format.compression, () => {})[
    Symbol.asyncIterator
  ]()
  try {
    const seen: Uint8Array[] = []
    let size = 0
    let done = false
    while (size < HEAD_BYTES) {
      const next = await iterator.next()
      if (next.done) {
        done = true
        break
      }
      seen.push(next.value)
      size += next.value.length
    }
    const head = { bytes: Buffer.concat(seen), complete: done }
    const { reading } = chooseReading(format, object.key, head)
    const rest = async function* () {
      yield* seen
      if (done) return
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield next.value
      }
    }
    if (reading.kind === 'request-items') {
      return { kind: 'request-items', names: await requestItemsTables(rest(), MAX_DOCUMENT_BYTES) }
    }
    if (reading.kind !== 'workbench') return { kind: 'none' }
    if (object.size > MAX_WORKBENCH_MODEL_BYTES) throw tooLarge(shown, `is ${object.size} bytes`)
    const parts: Uint8Array[] = []
    let total = 0
    for await (const chunk of rest()) {
      total += chunk.length
      if (total > MAX_WORKBENCH_MODEL_BYTES) throw tooLarge(shown, 'is larger uncompressed')
      parts.push(chunk)
    }
    const model = parseWorkbenchModel(shown, Buffer.concat(parts).toString('utf8'), billingMode)
    if (!model.ok) throw new ActionError(model.problems.join('\n'))
    return { kind: 'workbench', tables: model.tables }
  } finally {
    await iterator.return?.(undefined)
  }
}

function tooLarge(file: string, size: string): ActionError {
  return new ActionError(
    `${file}: the model ${size}, more than the ${MAX_WORKBENCH_MODEL_BYTES} bytes a NoSQL Workbench model is read whole up to: split its tables into request-items files`,
  )
}
