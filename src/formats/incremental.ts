import { convertItem } from './dynamodb-json.js'
import type { ParseResult } from './record.js'

const MEMBERS = new Set(['Metadata', 'Keys', 'NewImage', 'OldImage'])

/**
 * One line of an incremental export: `{"Metadata":{"WriteTimestampMicros":{"N":"…"}},
 * "Keys":{…},"NewImage":{…},"OldImage":{…}}`. A line with a NewImage puts it; one without
 * deletes the item with those Keys. OldImage is only checked to be an object.
 */
export function parseChangeLine(line: string): ParseResult {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return { ok: false, reason: 'invalid JSON' }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'expected an incremental export record (an object with Keys)' }
  }
  const record = parsed as Record<string, unknown>
  const unknown = Object.keys(record).filter((name) => !MEMBERS.has(name))
  if (unknown.length > 0) {
    return {
      ok: false,
      reason: `unexpected members ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
    }
  }
  const micros = (record['Metadata'] as { WriteTimestampMicros?: { N?: unknown } } | undefined)
    ?.WriteTimestampMicros?.N
  if (typeof micros !== 'string' || !/^\d{1,20}$/.test(micros)) {
    return {
      ok: false,
      reason: 'expected Metadata.WriteTimestampMicros.N, a whole number of microseconds',
    }
  }
  const keys = convertItem(record['Keys'], 'Keys')
  if (!keys.ok) return keys
  const timestamp = BigInt(micros)
  if (record['NewImage'] === undefined) {
    return { ok: true, item: keys.item, change: { timestamp, delete: true } }
  }
  const image: ParseResult = convertItem(record['NewImage'], 'NewImage')
  if (!image.ok) return image
  return { ok: true, item: image.item, change: { timestamp, delete: false } }
}
