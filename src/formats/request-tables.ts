import * as core from '@actions/core'
import { ActionError } from '../errors.js'
import { decompress, type Compression } from '../sources/decompress.js'
import { MAX_DOCUMENT_BYTES } from './index.js'
import { requestItemsTables } from './request-items.js'
import type { Source, SourceObject } from '../sources/source.js'

/**
 * input-format auto, one table per step: the table of a request-items file whose requests are
 * loaded into `table`. A file naming several tables, `table` among them, is read for its requests
 * alone (returned; the log says which were skipped); a file naming several others is refused,
 * with their names, before its first request. Undefined: every request of the file goes into
 * `table`. Each file is read through once for this (its requests are not parsed).
 */
export async function requestTableFor(
  source: Source,
  object: SourceObject,
  table: string,
  compression: Compression,
): Promise<string | undefined> {
  const body = decompress(await source.open(object), compression, () => {})
  const names = await requestItemsTables(body, MAX_DOCUMENT_BYTES)
  if (names.length <= 1) {
    for (const name of names) core.info(`${name} in the file → table ${table}`)
    return undefined
  }
  if (!names.includes(table)) throw severalTables(object, names, table)
  const others = names.filter((name) => name !== table)
  core.info(
    `${object.url} holds requests for ${names.length} tables (${quoted(names)}): only those for ${table}, the table input, are loaded; those for ${quoted(others)} are skipped`,
  )
  return table
}

function severalTables(object: SourceObject, names: string[], table: string): ActionError {
  return new ActionError(
    `${object.url} holds requests for ${names.length} tables (${quoted(names)}); ` +
      `the action writes one table, ${table}: split the file into one file per table and import each into its table.`,
  )
}

function quoted(names: string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ')
}
