import * as fs from 'node:fs'
import * as path from 'node:path'
import { once } from 'node:events'
import * as core from '@actions/core'
import { MAX_REJECTION_SAMPLES, type Rejection, type RejectionKind } from '../result.js'

/**
 * Rejections logged where they are found (in the group of the step that read them); past this
 * many the log says where the rest are, so a file of bad lines cannot flood it.
 */
export const MAX_LOGGED_REJECTIONS = 100

/**
 * Every rejected record, written to a JSON-lines file with its location, reason and the raw
 * record, and counted. The file is created on the first rejection only.
 */
export class RejectedRecords {
  readonly samples: Rejection[] = []
  readonly byKind: Partial<Record<RejectionKind, number>> = {}
  count = 0
  private out: fs.WriteStream | undefined
  private writeError: Error | undefined

  /**
   * `append`: an earlier table of the same step wrote the file first. `countOnly`: the read-back
   * reads records the import already reported; they are counted, neither logged nor written.
   */
  constructor(
    readonly file: string,
    private readonly append = false,
    private readonly countOnly = false,
  ) {}

  async add(rejection: Rejection, record: string): Promise<void> {
    this.count += rejection.records
    this.byKind[rejection.kind] = (this.byKind[rejection.kind] ?? 0) + rejection.records
    if (this.samples.length < MAX_REJECTION_SAMPLES) this.samples.push(rejection)
    if (this.countOnly) return
    this.log(rejection)
    const line = JSON.stringify({ ...rejection, record }) + '\n'
    const out = this.stream()
    if (this.writeError) throw this.writeError
    if (!out.write(line)) await once(out, 'drain')
  }

  private logged = 0

  /** The reason in the log, never the record's values (those are only in the file). */
  private log(rejection: Rejection): void {
    if (this.logged < MAX_LOGGED_REJECTIONS) {
      core.info(`rejected: ${rejection.location}: ${rejection.reason}`)
    } else if (this.logged === MAX_LOGGED_REJECTIONS) {
      core.info(
        `rejected: more than ${MAX_LOGGED_REJECTIONS} records; every one is in ${this.file}`,
      )
    }
    this.logged++
  }

  /** Flushes the file; returns its path when anything was rejected. */
  async close(): Promise<string | undefined> {
    if (!this.out) return undefined
    const out = this.out
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    )
    return this.file
  }

  private stream(): fs.WriteStream {
    if (!this.out) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true })
      this.out = fs.createWriteStream(this.file, { flags: this.append ? 'a' : 'w', mode: 0o600 })
      this.out.on('error', (err) => {
        this.writeError = new Error(`Cannot write rejected-file ${this.file}: ${err.message}`)
      })
    }
    return this.out
  }
}
