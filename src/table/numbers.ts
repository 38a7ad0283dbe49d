/**
 * DynamoDB numbers: up to 38 significant digits in 1E-130 to 9.99…9E+125, validated and
 * compared as decimal text, never through a JS number (docs/import-rules.md §1 rule 7, §7).
 */

/** Precision of a DynamoDB number, in significant digits [doc NR]. */
export const MAX_NUMBER_DIGITS = 38

/** Smallest decimal exponent of a non-zero number: the range starts at 1E-130 [doc NR]. */
const MIN_DECIMAL_EXPONENT = -130
/** Largest decimal exponent: the range ends at 9.99…9E+125 (38 nines) [doc NR]. */
const MAX_DECIMAL_EXPONENT = 125

/**
 * The canonical form is plain decimal when the decimal exponent is in [-7, 20] (the window
 * JavaScript's own number formatting uses, so canonical forms look familiar) and scientific
 * otherwise. Any fixed window keeps the form unique; this one keeps common values readable.
 */
const PLAIN_MIN_EXPONENT = -7
const PLAIN_MAX_EXPONENT = 20

/** The outcome of {@link normalizeNumber}. */
export type NumberResult = { ok: true; value: string } | { ok: false; reason: string }

/** A parsed decimal: value = (negative ? -1 : 1) × digits × 10^exponent. */
interface Decimal {
  negative: boolean
  /** Significant digits without leading or trailing zeros; '' means zero. */
  digits: string
  exponent: number
}

// Sign, integer digits, fraction digits, exponent. `5.` and `.5` are numbers; `.` matches too and
// is rejected after the match.
const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

// An integer without leading zeros and with at most PLAIN_MAX_EXPONENT + 1 digits is its own
// canonical form.
const PLAIN_INTEGER = /^-?[1-9]\d{0,20}$/

/**
 * A plain decimal (`-12.50`, `007`) of at most this many characters is always a valid DynamoDB
 * number: it has at most 38 digits, and its exponent is far inside [-130, 125].
 */
const MAX_PLAIN_NUMBER_CHARS = 38

/**
 * The significant digits of a short plain decimal (optional `-`, digits, optional `.` and
 * digits), or -1 for anything else. One pass over char codes: numbers are on the hot path, and
 * most of them are short plain decimals.
 */
export function plainSignificantDigits(text: string): number {
  const length = text.length
  if (length === 0 || length > MAX_PLAIN_NUMBER_CHARS) return -1
  let i = text.charCodeAt(0) === 45 ? 1 : 0 // '-'
  let first = -1 // index of the first non-zero digit
  let last = -1 // index of the last non-zero digit
  let digits = 0
  let dot = -1
  for (; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code === 46) {
      if (dot !== -1) return -1
      dot = i
      continue
    }
    if (code < 48 || code > 57) return -1
    digits++
    if (code !== 48) {
      if (first === -1) first = i
      last = i
    }
  }
  if (digits === 0 || dot === length - 1 || dot === 0 || (dot === 1 && text.charCodeAt(0) === 45)) {
    return -1
  }
  if (first === -1) return 0
  // Digits between the first and last non-zero ones, not counting the dot.
  return last - first + 1 - (dot > first && dot < last ? 1 : 0)
}

export function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_SYNTAX.exec(text)
  if (match === null) return undefined
  const intPart = match[2] ?? ''
  const fracPart = match[3] ?? ''
  if (intPart.length === 0 && fracPart.length === 0) return undefined
  const all = intPart + fracPart
  let start = 0
  while (start < all.length && all.charCodeAt(start) === 48) start++
  let end = all.length
  while (end > start && all.charCodeAt(end - 1) === 48) end--
  // The exponent is only ever a small integer for in-range numbers; a huge one may lose
  // precision as a JS number, but it is then far out of range either way.
  const exponentText = match[4]
  const written = exponentText === undefined ? 0 : Number(exponentText)
  return {
    negative: match[1] === '-',
    digits: all.slice(start, end),
    exponent: written - fracPart.length + (all.length - end),
  }
}

/**
 * Validates a DynamoDB number and returns its canonical text.
 *
 * Two inputs denote the same number exactly when their canonical forms are equal: zero is `0`
 * (whatever its sign), other numbers are plain decimals like `-12.5` or `0.001` when their
 * decimal exponent is in [-7, 20], else scientific like `1.5E+130` or `-1E-130`. The value never
 * passes through a JS number.
 */
export function normalizeNumber(text: string): NumberResult {
  // Most numbers are small integers, which are already canonical.
  if (PLAIN_INTEGER.test(text)) return { ok: true, value: text }
  const decimal = parseDecimal(text)
  if (decimal === undefined) {
    return {
      ok: false,
      reason: `expected a decimal number such as -12.5 or 1.5E+3, found ${describeNonNumber(text)}`,
    }
  }
  const { negative, digits, exponent } = decimal
  if (digits.length === 0) return { ok: true, value: '0' }
  if (digits.length > MAX_NUMBER_DIGITS) {
    return {
      ok: false,
      reason: `expected at most ${MAX_NUMBER_DIGITS} significant digits, found ${digits.length}`,
    }
  }
  const adjusted = exponent + digits.length - 1
  if (adjusted > MAX_DECIMAL_EXPONENT) {
    return {
      ok: false,
      reason: `number too large: expected a decimal exponent of at most ${MAX_DECIMAL_EXPONENT}, found ${describeExponent(adjusted)}`,
    }
  }
  if (adjusted < MIN_DECIMAL_EXPONENT) {
    return {
      ok: false,
      reason: `number too close to zero: expected a decimal exponent of at least ${MIN_DECIMAL_EXPONENT}, found ${describeExponent(adjusted)}`,
    }
  }
  return { ok: true, value: (negative ? '-' : '') + formatDecimal(digits, adjusted) }
}

function describeNonNumber(text: string): string {
  if (text.length === 0) return 'an empty string'
  const characters = text.length === 1 ? '1 character' : `${text.length} characters`
  if (/\s/.test(text)) return `text of ${characters} including whitespace`
  return `text of ${characters} that is not one`
}

// Huge written exponents are imprecise as JS numbers, so only their direction is reported.
function describeExponent(exponent: number): string {
  const limit = 1e9
  if (exponent > limit) return 'a far larger one'
  if (exponent < -limit) return 'a far smaller one'
  return String(exponent)
}

/** Formats non-zero significant `digits` whose first digit has decimal exponent `adjusted`. */
function formatDecimal(digits: string, adjusted: number): string {
  if (adjusted < PLAIN_MIN_EXPONENT || adjusted > PLAIN_MAX_EXPONENT) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ''
    return `${digits.charAt(0)}${fraction}E${adjusted < 0 ? '-' : '+'}${Math.abs(adjusted)}`
  }
  if (adjusted < 0) return `0.${'0'.repeat(-adjusted - 1)}${digits}`
  const intLength = adjusted + 1
  if (intLength >= digits.length) return digits + '0'.repeat(intLength - digits.length)
  return `${digits.slice(0, intLength)}.${digits.slice(intLength)}`
}
