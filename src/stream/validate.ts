import { itemText, toDynamoDBJsonLine } from '../formats/dynamodb-json.js'
import type { ParsedRecord } from '../formats/record.js'
import type { RejectionKind } from '../result.js'
import type { SourceObject } from '../sources/source.js'
import type { Item } from '../table/attribute-value.js'
import { checkItem } from '../table/item-rules.js'
import { itemSize } from '../table/item-size.js'
import { keyOf, type TableSchema } from '../table/key-schema.js'
import type { BatchWriter, PendingWrite } from './batch-writer.js'
import type { StreamOutcome } from './outcome.js'
import { writeUnits } from './rate-limiter.js'

/** The wire text of a DynamoDB JSON item line, as PendingWrite's `json`. */
function wireText(raw: string): { json: string } | undefined {
  const json = itemText(raw)
  return json === undefined ? undefined : { json }
}

/** `s3://bucket/key:line`, made only for the records that need it. */
export function locate(at: { url: string; line: number }): string {
  return `${at.url}:${at.line}`
}

/** One valid record as the import writes it: the read-back's expected state. */
export interface CollectedRecord {
  /** The item's identity (keyOf): equal for two records of the same DynamoDB item. */
  key: string
  /** The item to put, or for a delete its key. */
  item: Item
  /** A DeleteRequest or an incremental export's removal: the key must end absent. */
  delete?: true
  url: string
  line: number
}

/**
 * The validate step: each record is counted, checked against the table and handed to the writer,
 * or rejected with its location. Nothing passes through without being counted.
 */
export class Validator {
  /** Incremental exports: the export time of the change applied to each key so far. */
  private readonly latestChange = new Map<string, bigint>()
  /** Changes older than one already applied: counted as writes that a later one overwrote. */
  superseded = 0
  /** Set once the writer exists (a dry run has none); its events call back into rejectWrite. */
  writer: BatchWriter | undefined
  /** The read-back: takes each valid record instead of a dry run's count. */
  collect: ((record: CollectedRecord) => Promise<void> | undefined) | undefined

  constructor(
    private readonly outcome: StreamOutcome,
    private readonly schema: TableSchema,
    /**
     * Records are DynamoDB JSON item lines, whose item text is sent as it is: set per object by
     * the read step, as each object's format is known.
     */
    public wireLines = false,
  ) {}

  reject(kind: RejectionKind, location: string, reason: string, raw: string, records = 1) {
    this.outcome.errors += records
    return this.outcome.rejected.add({ kind, location, reason, records }, raw)
  }

  /** A write DynamoDB refused, or that could not be made: rejected with its item. */
  rejectWrite(kind: RejectionKind, write: PendingWrite, reason: string) {
    const raw = toDynamoDBJsonLine(write.item)
    return this.reject(kind, locate(write), reason, raw, write.records)
  }

  /**
   * One record through validation to the writer. Returns a promise only when the record must be
   * waited for (by the writer, or by the rejected file), so that most records cost no microtask.
   */
  take(record: ParsedRecord, object: SourceObject): Promise<void> | undefined {
    this.outcome.processed++
    const { result } = record
    if (!result.ok) {
      const kind = record.unreadable ? 'unreadable' : 'invalid'
      const at = locate({ url: object.url, line: record.line })
      return this.reject(kind, at, result.reason, record.raw)
    }
    const size = itemSize(result.item)
    const problem = checkItem(result.item, this.schema, size)
    if (problem !== undefined) {
      const at = locate({ url: object.url, line: record.line })
      return this.reject('mismatch', at, problem, record.raw)
    }
    const units = writeUnits(size)
    this.outcome.writeUnits += units
    // The key is only needed to write, or to order an incremental export's changes.
    const key = this.writer || this.collect || result.change ? keyOf(result.item, this.schema) : ''
    if (result.change && this.isSuperseded(key, result.change.timestamp)) return undefined
    if (this.collect) {
      this.outcome.imported++
      return this.collect({
        key,
        item: result.item,
        ...((result.delete || result.change?.delete) && { delete: true }),
        url: object.url,
        line: record.line,
      })
    }
    if (!this.writer) {
      this.outcome.imported++
      return undefined
    }
    return this.writer.add({
      key,
      item: result.item,
      ...((result.delete || result.change?.delete) && { delete: true }),
      wireBytes: record.bytes ?? Buffer.byteLength(record.raw),
      ...(this.wireLines && wireText(record.raw)),
      units,
      records: 1,
      url: object.url,
      line: record.line,
    })
  }

  /**
   * The files of an incremental export come in any order: only a key's latest change is applied.
   * A change older than one applied counts as a write that the later one overwrote.
   */
  private isSuperseded(key: string, timestamp: bigint): boolean {
    const latest = this.latestChange.get(key)
    if (latest !== undefined && latest >= timestamp) {
      this.superseded++
      return true
    }
    this.latestChange.set(key, timestamp)
    return false
  }
}
