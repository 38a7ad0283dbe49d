/**
 * What an import would cost and take with each engine, for dry runs. Prices are us-east-1 list
 * prices (other regions differ by a few tens of percent); the summary says so.
 */
import type { EngineEstimate } from '../result.js'

/** ImportTable: $0.15 per GB of uncompressed source data (DynamoDB pricing, us-east-1). */
export const IMPORT_PRICE_PER_GB = 0.15
/** On-demand writes: $0.625 per million write request units (us-east-1, since November 2024). */
export const ON_DEMAND_PRICE_PER_MILLION_WRITE_UNITS = 0.625
/** A new on-demand table serves up to 4,000 write request units per second at first. */
export const NEW_ON_DEMAND_WRITE_UNITS_PER_SECOND = 4000
/** ImportTable provisions its own capacity, and takes minutes to start even for small data. */
const IMPORT_STARTUP_SECONDS = 5 * 60
const BYTES_PER_GB = 1024 ** 3

export interface EstimateInput {
  uncompressedBytes: number
  /** One write unit per started KB of each valid item. */
  writeUnits: number
  /** The write rate the stream engine would get, and where that number comes from. */
  writeUnitsPerSecond: number
  rateBasis: string
}

export function estimate(input: EstimateInput): EngineEstimate[] {
  const gb = input.uncompressedBytes / BYTES_PER_GB
  const streamSeconds = input.writeUnits / input.writeUnitsPerSecond
  return [
    {
      engine: 'native',
      cost: dollars(gb * IMPORT_PRICE_PER_GB),
      time: `at least ${Math.round(IMPORT_STARTUP_SECONDS / 60)} minutes`,
      notes: `${gb.toFixed(3)} GB uncompressed at $${IMPORT_PRICE_PER_GB}/GB; no write capacity used; creates a new table`,
    },
    {
      engine: 'stream',
      cost: dollars((input.writeUnits / 1e6) * ON_DEMAND_PRICE_PER_MILLION_WRITE_UNITS),
      time: duration(streamSeconds),
      notes: `${input.writeUnits} write units (one per started KB of each item) at $${ON_DEMAND_PRICE_PER_MILLION_WRITE_UNITS} per million on demand; ${input.rateBasis}`,
    },
  ]
}

function dollars(amount: number): string {
  return amount < 0.01 ? `< $0.01` : `$${amount.toFixed(2)}`
}

function duration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`
  return `about ${(seconds / 3600).toFixed(1)} h`
}
