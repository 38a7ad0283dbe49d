/** The native engine's own inputs: whether and how long to wait for ImportTable. */

/** How long to wait for an import, as ImportTable's own limits suggest (six hours). */
export const DEFAULT_TIMEOUT_MINUTES = 360

export interface NativeSettings {
  /** Wait for the import to end; false returns once it has started. */
  wait: boolean
  timeoutMinutes: number
  /** ImportTable's ClientToken; without it, one made from the run and the request. */
  clientToken?: string
}
