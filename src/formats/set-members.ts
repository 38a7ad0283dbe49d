import { PathError } from './path-error.js'

/**
 * The members of one SS, NS or BS read so far, by identity: DynamoDB refuses a set that holds a
 * member twice, and DynamoDB JSON and Ion are checked the same way.
 */
export class SetMembers {
  private readonly seen = new Set<string>()

  /** @param type the set's type (`SS`, `NS`, `BS`), which the error names. */
  constructor(private readonly type: string) {}

  /** How many members were added: the index of the next one. */
  get size(): number {
    return this.seen.size
  }

  /** Adds a member's identity; the error (without its path) when an earlier member had it. */
  add(key: string): PathError | undefined {
    if (this.seen.has(key)) return new PathError(`${this.type} member duplicates an earlier member`)
    this.seen.add(key)
    return undefined
  }
}

/**
 * The identity of a BS member: its bytes, not its text (base64 spelled two ways, or an Ion blob
 * and a DynamoDB JSON string, are the same member). Numbers are compared by normalizeNumber.
 */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}
