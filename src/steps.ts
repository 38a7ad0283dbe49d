import * as core from '@actions/core'

/** The steps of an import, in the order the log and the summary show them. */
export const STEP_NAMES = [
  'start',
  'read',
  'validate',
  'write',
  'verify',
  'check errors',
  'complete',
] as const
export type StepName = (typeof STEP_NAMES)[number]

export interface StepRecord {
  name: StepName
  /** One line: what the step found or did. */
  result: string
  ok: boolean
  /** Seconds from the start of the import to the step's start and end. */
  startedAt: number
  endedAt: number
}

/**
 * Records each step's result and time. Read, validate and write run together as one stream, so
 * their times overlap: each ends when its last record has passed through it.
 */
export class Steps {
  private readonly began: number
  private readonly started = new Map<StepName, number>()
  private readonly records = new Map<StepName, StepRecord>()
  /** A view for one table of several: its results are prefixed with the table's name. */
  private label: string | undefined

  constructor(private readonly now: () => number = Date.now) {
    this.began = now()
  }

  /**
   * The same steps, for one table of a step that loads several: each result is added to the
   * others' (`orders: 3 records, 0 rejected; customers: …`), a step spans from the first table's
   * start to the last one's end and is ok when it is for every table, and each log group is
   * titled with the table.
   */
  forTable(name: string): Steps {
    const view = Object.create(this) as Steps
    view.label = name
    return view
  }

  /** Seconds since the import began. */
  elapsed(): number {
    return (this.now() - this.began) / 1000
  }

  start(...names: StepName[]): void {
    for (const name of names) {
      if (this.label === undefined || !this.started.has(name))
        this.started.set(name, this.elapsed())
    }
  }

  end(name: StepName, result: string, ok = true): void {
    const endedAt = this.elapsed()
    const startedAt = this.started.get(name) ?? endedAt
    const before = this.label === undefined ? undefined : this.records.get(name)
    const labelled = this.label === undefined ? result : `${this.label}: ${result}`
    this.records.set(name, {
      name,
      result: before ? `${before.result}; ${labelled}` : labelled,
      ok: ok && (before?.ok ?? true),
      startedAt: before?.startedAt ?? startedAt,
      endedAt,
    })
  }

  /** Ends every started step that has no result yet, as when an error cut the import short. */
  endUnfinished(result: string): void {
    for (const name of this.started.keys()) {
      if (!this.records.has(name)) this.end(name, result, false)
    }
  }

  list(): StepRecord[] {
    return STEP_NAMES.flatMap((name) => this.records.get(name) ?? [])
  }

  /** Runs fn inside a collapsed log group named after the step. */
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(this.label === undefined ? title : `${this.label}: ${title}`, fn)
  }
}
