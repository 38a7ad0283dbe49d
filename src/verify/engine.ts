/**
 * Read-back verification: the source read again exactly as the import reads it (the stream
 * engine's own read and validate path, in a dry run), and the table compared with it by key with
 * strongly consistent reads (docs/import-rules.md, "Read-back verification").
 *
 * full and exact check each key as its record is read: a later record of the key checks it again
 * and its verdict replaces the earlier one, so the reads keep pace with the source and only one
 * number per key is kept (exact needs that set of keys anyway, for its Scan). sample keeps the
 * records of the keys with the smallest hashes and reads them once the source is read.
 */
import * as core from '@actions/core'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { realClock } from '../clock.js'
import { ActionError, describeAwsError, errorMessage } from '../errors.js'
import {
  describeUnread,
  MAX_REJECTION_SAMPLES,
  type Mismatch,
  type VerifyLevel,
  type VerifyReport,
} from '../result.js'
import { Steps } from '../steps.js'
import { DEFAULT_PACING, WriterStalled } from '../stream/pacer.js'
import { PROGRESS_INTERVAL_MS } from '../stream/progress.js'
import { RateLimiter } from '../stream/rate-limiter.js'
import {
  streamImport,
  type CollectedRecord,
  type StreamContext,
  type StreamJob,
} from '../stream/engine.js'
import { locate } from '../stream/validate.js'
import type { Item } from '../table/attribute-value.js'
import { keyOf, tableSchemaFrom } from '../table/key-schema.js'
import { counted } from '../words.js'
import { mismatchOf } from './compare.js'
import { ReadBack, type Expected } from './read-back.js'
import { Sample } from './sample.js'
import { scanKeys } from './scan-keys.js'

/** What the read-back takes from the start step. */
export interface VerifyJob {
  /**
   * The source read again exactly as the import reads it: the stream engine's job (its dryRun is
   * forced on, its rejected-file not written).
   */
  stream: StreamJob
  level: VerifyLevel
  /** verify-sample-size: keys checked by `sample`. */
  sampleSize: number
  /** max-read-capacity: read units per second at most; 0: no cap. */
  maxReadCapacity: number
}

/** The verdicts so far: one number per source key, and the mismatches with where they are. */
class Tally {
  /** Each key's latest record (its seq), negated when that record deletes the key. */
  readonly latest = new Map<string, number>()
  /** Keys whose latest record the table does not hold as written. */
  readonly mismatched = new Map<string, { seq: number; mismatch: Mismatch }>()
  /** Reads answered, for the progress lines. */
  read = 0

  expect(expected: Expected): void {
    this.latest.set(expected.key, expected.delete ? -expected.seq : expected.seq)
  }

  judge(expected: Expected, actual: Item | undefined): void {
    this.read++
    // An earlier record of the key, answered after a later one was read: the later decides.
    if (Math.abs(this.latest.get(expected.key) ?? 0) !== expected.seq) return
    const mismatch = mismatchOf(expected, actual)
    if (mismatch) this.mismatched.set(expected.key, { seq: expected.seq, mismatch })
    else this.mismatched.delete(expected.key)
  }
}

/**
 * Reads the source again and compares the table with it: `full` every valid record's key,
 * `exact` also every key of the table, `sample` the `sampleSize` keys of the smallest hashes.
 * Writes nothing. Throws ActionError when the check cannot be made to its end.
 */
export async function runVerify(
  job: VerifyJob,
  context: StreamContext & { reads: DynamoDBClient },
): Promise<VerifyReport> {
  const now = context.now ?? realClock.now
  const sleep = context.sleep ?? realClock.sleep
  const every = context.every ?? realClock.every
  const began = now()
  const { stream, level } = job
  const schema = tableSchemaFrom(stream.table)
  const tableName = stream.table.TableName ?? stream.tableId
  const tally = new Tally()
  const limiter =
    job.maxReadCapacity > 0 ? new RateLimiter(job.maxReadCapacity, now, sleep) : undefined
  const pacing = {
    ...DEFAULT_PACING,
    ...context.pacing,
    stallMs: stream.write.stallTimeoutSeconds * 1000,
  }
  const shared = {
    client: context.reads,
    table: stream.tableId,
    schema,
    clock: { now, sleep },
    pacing,
    ...(limiter && { limiter }),
    computeUnits: stream.customEndpoint,
  }
  const reads = new ReadBack({
    ...shared,
    concurrency: stream.write.writeConcurrency,
    onRead: (expected, actual) => tally.judge(expected, actual),
  })
  const sample = level === 'sample' ? new Sample<Expected>(job.sampleSize) : undefined
  core.info(
    `verify (${level}): reading ${stream.source.description} again and comparing ` +
      (sample ? `a sample of ${counted(job.sampleSize, 'key')}` : 'every item') +
      ` with table ${tableName}, by key with strongly consistent reads` +
      (level === 'exact' ? ', then scanning its keys for items not in the source' : ''),
  )
  let seq = 0
  const collect = (record: CollectedRecord): Promise<void> | undefined => {
    const expected: Expected = {
      seq: ++seq,
      key: record.key,
      item: record.item,
      delete: record.delete === true,
      location: locate(record),
    }
    if (sample) {
      sample.add(record.key, expected)
      return undefined
    }
    tally.expect(expected)
    return reads.add(expected)
  }
  const stopProgress = every(PROGRESS_INTERVAL_MS, () =>
    core.info(
      `verify: ${counted(tally.read, 'key')} read back, ${tally.mismatched.size} not as the source says so far, ` +
        `${Math.round(reads.units)} read units`,
    ),
  )
  let extra: { count: number; samples: Mismatch[] } | undefined
  let scanUnits = 0
  // The call a service error came from, for its message: reading the source says its own.
  let call: string | undefined
  try {
    // The source as the import read it: its own steps stay the import's, its rejections were
    // reported, and a cancel's counts are the import's too.
    const { showCounts: _counts, ...inner } = context
    const outcome = await streamImport(
      { ...stream, dryRun: true, collect },
      { ...inner, steps: new Steps(now) },
    )
    if (outcome.cancelled) {
      throw new ActionError(
        `verify: cancelled (${outcome.cancelled.signal}) before the table was checked to its end`,
      )
    }
    const unread = outcome.unread[0]
    if (unread) {
      throw new ActionError(
        `verify: the source could not be read to its end, so the table cannot be checked against it: ${describeUnread(unread)}`,
      )
    }
    if (outcome.stopped) {
      throw new ActionError(
        `verify: reading the source stopped (${outcome.stopped.reason}), so the table cannot be checked against it`,
      )
    }
    call = 'BatchGetItem'
    if (outcome.errors > 0)
      core.info(
        `verify: ${counted(outcome.errors, 'record')} of the source ${outcome.errors === 1 ? 'is' : 'are'} rejected by the import's rules: not expected in the table`,
      )
    if (sample) {
      const kept = sample.values().sort((a, b) => a.seq - b.seq)
      core.info(
        `verify (sample): ${counted(kept.length, 'key')} of the smallest hashes among ${counted(outcome.imported, 'valid record')}`,
      )
      for (const expected of kept) {
        tally.expect(expected)
        const waiting = reads.add(expected)
        if (waiting) await waiting
      }
    }
    await reads.finish()
    if (level === 'exact') {
      const found = { count: 0, samples: [] as Mismatch[] }
      call = 'Scan'
      scanUnits = await scanKeys({
        ...shared,
        onKey: (key) => {
          if (tally.latest.has(keyOf(key, schema))) return
          found.count++
          if (found.samples.length < MAX_REJECTION_SAMPLES) found.samples.push({ kind: 'extra' })
        },
      })
      extra = found
    }
  } catch (err) {
    throw verifyFailure(err, stream.tableId, call)
  } finally {
    stopProgress()
  }
  return report(job, tally, extra, reads.units + scanUnits, (now() - began) / 1000)
}

/** The figures, logged once, and the first mismatches: source order, then the extra items. */
function report(
  job: VerifyJob,
  tally: Tally,
  extra: { count: number; samples: Mismatch[] } | undefined,
  units: number,
  seconds: number,
): VerifyReport {
  let missing = 0
  let different = 0
  for (const { mismatch } of tally.mismatched.values()) {
    if (mismatch.kind === 'missing') missing++
    else different++
  }
  const checked = tally.latest.size
  const inOrder = [...tally.mismatched.values()]
    .sort((a, b) => a.seq - b.seq)
    .slice(0, MAX_REJECTION_SAMPLES)
    .map((m) => m.mismatch)
  const result: VerifyReport = {
    level: job.level,
    checked,
    equal: checked - missing - different,
    missing,
    different,
    ...(extra && { extra: extra.count }),
    readUnits: Math.round(units * 10) / 10,
    seconds: Math.round(seconds * 10) / 10,
    samples: [...inOrder, ...(extra?.samples ?? [])].slice(0, MAX_REJECTION_SAMPLES),
  }
  core.info(
    `verify (${job.level}): ${result.checked} checked, ${result.equal} equal, ${missing} missing, ` +
      `${different} different${extra ? `, ${extra.count} extra` : ''}; ` +
      `${result.readUnits} read units ${job.stream.customEndpoint ? 'computed' : 'consumed'}; ${result.seconds} s`,
  )
  return result
}

/** Why the check could not end, in words: a stall, a refusal of the credentials, a missing table. */
function verifyFailure(err: unknown, tableId: string, call: string | undefined): Error {
  if (err instanceof ActionError) {
    if (err.message.startsWith('verify: ')) return err
    return new ActionError(`verify: reading the source again failed: ${err.message}`, {
      cause: err,
    })
  }
  if (err instanceof WriterStalled) {
    const message = err.message.replace('accepted no write', 'answered no read')
    return new ActionError(`verify: ${message}; the table was not checked to its end`, {
      cause: err,
    })
  }
  if (call === undefined) {
    return new ActionError(`verify: reading the source again failed: ${errorMessage(err)}`, {
      cause: err,
    })
  }
  return new ActionError(`verify: ${describeAwsError(err, call, tableId)}`, { cause: err })
}
