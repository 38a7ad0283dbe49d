/**
 * A dry run's figure for verify: the keys it would read and the read units it would take, from
 * what the dry run counted of the source (its valid items and their write units).
 */
import type { VerifyLevel } from '../result.js'

/** Write units per read unit: a write unit is 1 KB of item, a strongly consistent read unit 4 KB. */
const WRITE_UNITS_PER_READ_UNIT = 4

export interface VerifyEstimate {
  /** Keys BatchGetItem would read. */
  keys: number
  /**
   * Read units, strongly consistent: one per started 4 KB of each item read, at least one a key;
   * exact adds a Scan of the items' bytes (the table's own items may differ).
   */
  readUnits: number
}

/**
 * From the items a dry run would import and the write units they need (one per started KB of
 * each): every key at the read units of an item of the average size (exact when the items are
 * of one size), and for exact a Scan of all their bytes.
 */
export function estimateVerify(
  level: VerifyLevel,
  counted: { items: number; writeUnits: number },
  sampleSize: number,
): VerifyEstimate {
  const { items, writeUnits } = counted
  if (items === 0) return { keys: 0, readUnits: 0 }
  const perKey = Math.max(1, Math.ceil(writeUnits / items / WRITE_UNITS_PER_READ_UNIT))
  const keys = level === 'sample' ? Math.min(items, sampleSize) : items
  const scan = level === 'exact' ? Math.ceil(writeUnits / WRITE_UNITS_PER_READ_UNIT) : 0
  return { keys, readUnits: keys * perKey + scan }
}
