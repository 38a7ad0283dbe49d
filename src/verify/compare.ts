/**
 * The read-back's comparison of an item as the source wrote it with the item the table holds:
 * DynamoDB's own notion of equal values (docs/import-rules.md, "Read-back verification"), never
 * through a JS number, and never saying a value.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import type { Mismatch } from '../result.js'
import type { Item } from '../table/attribute-value.js'
import { normalizeNumber } from '../table/numbers.js'

/**
 * The top-level attribute names whose values differ between the item expected and the item the
 * table holds: added, removed or changed, sorted. `expected` undefined: the key must be absent,
 * so every attribute of `actual` differs. Empty when the items are equal.
 */
export function differingAttributes(expected: Item | undefined, actual: Item): string[] {
  const names = new Set([...Object.keys(expected ?? {}), ...Object.keys(actual)])
  const differ: string[] = []
  for (const name of names) {
    const a = expected?.[name]
    const b = actual[name]
    if (a === undefined || b === undefined || !equalValues(a, b)) differ.push(name)
  }
  return differ.sort()
}

/**
 * Two attribute values are equal as DynamoDB stores them: numbers as exact decimals (`1`, `1.0`
 * and `10E-1` alike), sets whatever their order, binary by bytes, maps and lists deeply.
 */
export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  if (a.S !== undefined) return a.S === b.S
  if (a.N !== undefined) return b.N !== undefined && numberText(a.N) === numberText(b.N)
  if (a.B !== undefined) return b.B !== undefined && Buffer.from(a.B).equals(Buffer.from(b.B))
  if (a.BOOL !== undefined) return a.BOOL === b.BOOL
  if (a.NULL !== undefined) return b.NULL !== undefined
  if (a.SS !== undefined) return b.SS !== undefined && sameSet(a.SS, b.SS, (s) => s)
  if (a.NS !== undefined) return b.NS !== undefined && sameSet(a.NS, b.NS, numberText)
  if (a.BS !== undefined) return b.BS !== undefined && sameSet(a.BS, b.BS, base64)
  if (a.M !== undefined) return b.M !== undefined && differingAttributes(a.M, b.M).length === 0
  if (a.L !== undefined) {
    const list = b.L
    return (
      list !== undefined &&
      a.L.length === list.length &&
      a.L.every((value, i) => equalValues(value, list[i] as AttributeValue))
    )
  }
  return false
}

/** A number's canonical text; an invalid one (never stored) as written, so it equals only itself. */
function numberText(text: string): string {
  const number = normalizeNumber(text)
  return number.ok ? number.value : text
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** Sets hold distinct members: equal when they have as many and every one of a is in b. */
function sameSet<T>(a: readonly T[], b: readonly T[], member: (value: T) => string): boolean {
  if (a.length !== b.length) return false
  const members = new Set(b.map(member))
  return a.every((value) => members.has(member(value)))
}

/**
 * What the table holding `actual` (undefined: no item) means for a record: nothing when it holds
 * what the record says; missing; or different, naming the attributes. A key the record deletes
 * that the table still holds is different in all of its attributes.
 */
export function mismatchOf(
  expected: { item: Item; delete: boolean; location: string },
  actual: Item | undefined,
): Mismatch | undefined {
  const { location } = expected
  if (expected.delete) {
    if (!actual) return undefined
    return { kind: 'different', location, attributes: differingAttributes(undefined, actual) }
  }
  if (!actual) return { kind: 'missing', location }
  const attributes = differingAttributes(expected.item, actual)
  return attributes.length > 0 ? { kind: 'different', location, attributes } : undefined
}
