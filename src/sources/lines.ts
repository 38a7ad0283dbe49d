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
const REPLACEMENT_CHARACTER = '\uFFFD'
const strict = new TextDecoder('utf-8', { fatal: true })

/**
 * Splits a byte stream into lines without holding more than one line (capped at `maxLineBytes`)
 * and one chunk in memory. Each chunk comes as a lazy iterable of its lines, to be read through
 * before the next chunk is asked for: an `await` per line would cost more than parsing it, and
 * strings made one at a time die young (a chunk's worth made up front survives garbage
 * collections, which grows the young generation and the process's memory with it). A longer
 * line is skipped up to its newline and reported as one problem line, so a file without
 * newlines cannot exhaust memory.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<Iterable<Line>> {
  let number = 0
  let carry: Buffer[] = []
  let carryBytes = 0
  let overlong = false

  const dropCarry = () => {
    carry = []
    carryBytes = 0
  }

  /** The line that ends at `end` of `chunk`, after the bytes carried from earlier chunks. */
  const finish = (chunk: Buffer, start: number, end: number): Line => {
    number++
    if (overlong || carryBytes + (end - start) > maxLineBytes) {
      overlong = false
      dropCarry()
      return { number, text: '', bytes: 0, problem: `line longer than ${maxLineBytes} bytes` }
    }
    if (carry.length === 0) return decodeLine(number, chunk, start, end)
    const joined = Buffer.concat([...carry, chunk.subarray(start, end)])
    dropCarry()
    return decodeLine(number, joined, 0, joined.length)
  }

  function* linesOf(chunk: Buffer): Generator<Line> {
    let start = 0
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      yield finish(chunk, start, nl)
      start = nl + 1
    }
    if (start === chunk.length || overlong) return
    if (carryBytes + (chunk.length - start) > maxLineBytes) {
      overlong = true
      dropCarry()
    } else {
      // A copy: the stream may reuse the chunk's memory.
      carry.push(Buffer.from(chunk.subarray(start)))
      carryBytes += chunk.length - start
    }
  }

  for await (const chunk of chunks) yield linesOf(asBuffer(chunk))
  if (carryBytes > 0 || overlong) yield [finish(Buffer.alloc(0), 0, 0)]
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
}

/**
 * Decodes one line. Buffer's decoder is the fast path; it turns invalid bytes into U+FFFD, so a
 * line that shows one (which may also be genuine) is decoded again strictly.
 */
function decodeLine(number: number, buffer: Buffer, start: number, end: number): Line {
  const text = buffer.toString('utf8', start, end)
  const bytes = end - start
  if (!text.includes(REPLACEMENT_CHARACTER)) return { number, text, bytes }
  try {
    return { number, text: strict.decode(buffer.subarray(start, end)), bytes }
  } catch {
    return { number, text: '', bytes, problem: 'invalid UTF-8' }
  }
}

/** Blank and whitespace-only lines are neither items nor errors, as in ImportTable. */
export function isBlank(text: string): boolean {
  // Most lines start with their record: a printable ASCII first character settles it.
  const first = text.charCodeAt(0)
  if (first > 32 && first < 127) return false
  return /^\s*$/.test(text)
}
