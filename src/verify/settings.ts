/** verify: how the table is checked against the source, once an import completed, or alone. */

/** none: no check (the default of an import); mode verify compares at full unless it says. */
export const VERIFY_INPUTS = ['none', 'sample', 'full', 'exact'] as const
export type VerifyInput = (typeof VERIFY_INPUTS)[number]

/** Items a sample compares: enough to catch a systematic loss, few enough to read in seconds. */
export const DEFAULT_VERIFY_SAMPLE_SIZE = 1000

export interface VerifySettings {
  verify: VerifyInput
  verifySampleSize: number
  /** Read capacity units per second the check may use; 0: no cap. */
  maxReadCapacity: number
}
