/** UTF-8 byte lengths: DynamoDB's sizes and limits count bytes, never JS string lengths. */

/** Below this length a JS loop beats the call into Buffer.byteLength. */
const SHORT_STRING = 64

export function utf8Bytes(text: string): number {
  if (text.length > SHORT_STRING) return Buffer.byteLength(text, 'utf8')
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) {
      bytes += 1
    } else if (code <= 0xdbff && code >= 0xd800 && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 2 // a pair: two units, four bytes
      i++
    } else {
      bytes += 2 // three bytes, also for a lone surrogate (sent as U+FFFD)
    }
  }
  return bytes
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
