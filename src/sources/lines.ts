/** One physical line of an object, numbered from 1. */
export interface Line {
  number: number
  /** The line without its `\n` (a trailing `\r` is kept: JSON treats it as whitespace). */
  text: string
  /** Length of the line in bytes, without its newline. */
  bytes: number
  /** Set instead of `text` when the line cannot be read as text; `text` is then empty. */
  problem?: string
}

const NEWLINE = 0x0a
const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Splits a byte stream into lines without holding more than one line (capped at `maxLineBytes`)
 * and one chunk in memory. Lines come in arrays, one per chunk, because an `await` per line
 * would cost more than parsing it. A longer line is skipped up to its newline and reported as one
 * problem line, so a file without newlines cannot exhaust memory.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<Line[]> {
  let number = 0
  let carry: Uint8Array[] = []
  let carryBytes = 0
  let overlong = false

  const finish = (tail: Uint8Array): Line => {
    number++
    if (overlong) {
      overlong = false
      carry = []
      carryBytes = 0
      return { number, text: '', bytes: 0, problem: `line longer than ${maxLineBytes} bytes` }
    }
    const bytes = carry.length === 0 ? tail : Buffer.concat([...carry, tail])
    carry = []
    carryBytes = 0
    return decodeLine(number, bytes)
  }

  for await (const chunk of chunks) {
    const lines: Line[] = []
    let start = 0
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl)
      if (!overlong && carryBytes + piece.length > maxLineBytes) overlong = true
      lines.push(finish(piece))
      start = nl + 1
    }
    if (start < chunk.length && !overlong) {
      const rest = chunk.subarray(start)
      if (carryBytes + rest.length > maxLineBytes) {
        overlong = true
        carry = []
        carryBytes = 0
      } else {
        // Copy: the stream may reuse the chunk's memory.
        carry.push(Uint8Array.prototype.slice.call(rest))
        carryBytes += rest.length
      }
    }
    if (lines.length > 0) yield lines
  }
  if (carryBytes > 0 || overlong) yield [finish(new Uint8Array(0))]
}

function decodeLine(number: number, bytes: Uint8Array): Line {
  try {
    return { number, text: decoder.decode(bytes), bytes: bytes.length }
  } catch {
    return { number, text: '', bytes: bytes.length, problem: 'invalid UTF-8' }
  }
}

/** Blank and whitespace-only lines are neither items nor errors, as in ImportTable. */
export function isBlank(text: string): boolean {
  return /^\s*$/.test(text)
}
