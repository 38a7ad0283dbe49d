/** A DynamoDB export as the source: its manifest decides the format, the files and the count. */
import * as core from '@actions/core'
import { ActionError } from '../errors.js'
import type { Inputs } from '../inputs.js'
import type { ExportManifest } from '../sources/export.js'
import type { SourceObject } from '../sources/source.js'

/**
 * A DynamoDB export: exactly the data files its manifest lists, in its format (gzip), and for
 * ImportTable the prefix that holds them.
 */
export function fromExport(inputs: Inputs, exported: ExportManifest): Inputs {
  core.info(
    `DynamoDB export ${exported.exportId}: ${exported.type}, ${exported.format}, ` +
      `${exported.itemCount} items in ${exported.dataFiles.length} data files`,
  )
  if (exported.ignored.length > 0) {
    const shown = exported.ignored.slice(0, 5).join(', ')
    core.info(
      `Not part of the export's data, not read: ${shown}${exported.ignored.length > 5 ? ', …' : ''}`,
    )
  }
  const incremental = exported.type === 'INCREMENTAL_EXPORT'
  if (incremental && inputs.mode === 'native') {
    throw new ActionError(
      'mode: native cannot apply an incremental export (ImportTable has no deletes and needs a new table); use mode stream',
    )
  }
  if (inputs.format !== 'auto' && inputs.format !== exported.format) {
    core.warning(
      `input-format ${inputs.format} is ignored: the export's manifest says ${exported.format}.`,
    )
  }
  const source =
    inputs.source.kind === 's3' ? { ...inputs.source, prefix: exported.dataPrefix } : inputs.source
  const formatFrom = "the export's manifest"
  return {
    ...inputs,
    format: exported.format,
    formatFrom,
    compression: 'GZIP',
    incremental,
    source,
  }
}

/** A DynamoDB export's item count for these objects: all its data files, or this shard's. */
export function expectedItems(exported: ExportManifest, objects: SourceObject[]): number {
  return objects.reduce((sum, o) => sum + (exported.itemCounts.get(o.key) ?? 0), 0)
}
