// Placeholder until the formats branch lands (request-items only).
import type { TableCreationParameters } from '@aws-sdk/client-dynamodb'
import { decompress } from '../sources/decompress.js'
import type { Source, SourceObject } from '../sources/source.js'
import type { BillingMode } from '../table/definition.js'
import { MAX_DOCUMENT_BYTES } from './index.js'
import type { FormatSettings } from './input-format.js'
import { requestItemsTables } from './request-items.js'

export type TablesInObject =
  | { kind: 'request-items'; names: string[] }
  | { kind: 'workbench'; tables: Array<{ name: string; parameters: TableCreationParameters }> }
  | { kind: 'none' }

export async function tablesInObject(
  source: Source,
  object: SourceObject,
  format: FormatSettings,
  _billingMode: BillingMode,
): Promise<TablesInObject> {
  if (format.format !== 'REQUEST_ITEMS') return { kind: 'none' }
  const body = decompress(await source.open(object), format.compression, () => {})
  return { kind: 'request-items', names: await requestItemsTables(body, MAX_DOCUMENT_BYTES) }
}
