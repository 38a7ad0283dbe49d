/**
 * What the main step leaves for its post step (action.yml runs.post), in the step's saved state
 * (core.saveState; the runner gives it back to the post step as STATE_<name>): that the main
 * step ran, and the tables it created, which delete-created-tables deletes at the end of the job.
 */
import * as core from '@actions/core'

/** Saved by the main step: the same bundle runs the post step, and knows it by this. */
const MAIN_STEP_RAN = 'isPost'
/** The tables this step created, as a JSON array of CreatedTable. */
const CREATED_TABLES = 'createdTables'

/** A table this step created: only these are ever deleted by the post step. */
export interface CreatedTable {
  name: string
  /** Its ARN as CreateTable gave it: the post step deletes nothing of another account or region. */
  arn?: string
}

/** The tables this step has created so far, in the order it created them. */
const created: CreatedTable[] = []

/** True in the post step: the main step of this action ran before it in the job. */
export function isPostStep(): boolean {
  return core.getState(MAIN_STEP_RAN) !== ''
}

/** Marks the main step as run, before anything else: the post step runs even when it fails. */
export function markMainStep(): void {
  core.saveState(MAIN_STEP_RAN, 'true')
}

/**
 * Records a table this step created, and saves the whole list at once: the state file is
 * written synchronously, so a failure, a cancel or a crash later in the step does not lose a
 * table created before it. A name recorded twice is kept once.
 */
export function recordCreatedTable(name: string, arn?: string): void {
  if (created.some((table) => table.name === name)) return
  created.push({ name, ...(arn !== undefined && { arn }) })
  core.saveState(CREATED_TABLES, JSON.stringify(created))
}

/** The tables the main step created, as the post step reads them from its state. */
export function createdTables(): CreatedTable[] {
  const saved = core.getState(CREATED_TABLES)
  if (saved === '') return []
  const parsed: unknown = JSON.parse(saved)
  if (!Array.isArray(parsed)) return []
  return parsed.filter(
    (table: unknown): table is CreatedTable =>
      typeof table === 'object' &&
      table !== null &&
      typeof (table as CreatedTable).name === 'string' &&
      ['string', 'undefined'].includes(typeof (table as CreatedTable).arn),
  )
}
