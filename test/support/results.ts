import type { ImportResult } from '../../src/result.js'

/** A clean stream import's result, with the given fields changed. */
export function result(overrides: Partial<ImportResult> = {}): ImportResult {
  return {
    mode: 'stream',
    modeReason: 'Table t exists, and ImportTable only creates new tables.',
    status: 'COMPLETED',
    processedItemCount: 10,
    importedItemCount: 10,
    errorCount: 0,
    unwrittenItemCount: 0,
    processedSizeBytes: 2500,
    durationSeconds: 2,
    consumedWriteCapacity: 10,
    dryRun: false,
    objects: 1,
    rejections: { samples: [], byKind: {} },
    ...overrides,
  }
}
