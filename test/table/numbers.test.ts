import { describe, it, expect } from 'vitest'
import {
  MAX_NUMBER_DIGITS,
  normalizeNumber,
  plainSignificantDigits,
} from '../../src/table/numbers.js'
function canonical(text: string): string {
  const result = normalizeNumber(text)
  if (!result.ok) throw new Error(`expected ${text} to be valid: ${result.reason}`)
  return result.value
}

function reasonFor(text: string): string {
  const result = normalizeNumber(text)
  if (result.ok) throw new Error(`expected ${text} to be rejected`)
  return result.reason
}

describe('normalizeNumber', () => {
  it('accepts 38 significant digits and rejects 39', () => {
    expect(normalizeNumber('12345678901234567890123456789012345678').ok).toBe(true)
    expect(normalizeNumber('-1.2345678901234567890123456789012345678E-5').ok).toBe(true)
    expect(reasonFor('123456789012345678901234567890123456789')).toBe(
      `expected at most ${MAX_NUMBER_DIGITS} significant digits, found 39`,
    )
    expect(reasonFor('1.23456789012345678901234567890123456789')).toContain('found 39')
  })

  it('does not count leading and trailing zeros as significant', () => {
    expect(canonical('1' + '0'.repeat(100))).toBe('1E+100')
    expect(canonical('0'.repeat(50) + '7')).toBe('7')
    expect(canonical('0.' + '0'.repeat(60) + '12345678901234567890123456789012345678')).toBe(
      '1.2345678901234567890123456789012345678E-61',
    )
    expect(canonical('12345678901234567890123456789012345678' + '0'.repeat(40))).toBe(
      '1.2345678901234567890123456789012345678E+77',
    )
  })

  it('accepts the range edges and rejects just beyond them', () => {
    expect(canonical('1E-130')).toBe('1E-130')
    expect(canonical('-1E-130')).toBe('-1E-130')
    expect(canonical('9.9999999999999999999999999999999999999E+125')).toBe(
      '9.9999999999999999999999999999999999999E+125',
    )
    expect(normalizeNumber('-9.9999999999999999999999999999999999999E+125').ok).toBe(true)
    expect(reasonFor('1E-131')).toBe(
      'number too close to zero: expected a decimal exponent of at least -130, found -131',
    )
    expect(reasonFor('-1E-131')).toContain('at least -130')
    expect(reasonFor('1E+126')).toBe(
      'number too large: expected a decimal exponent of at most 125, found 126',
    )
    expect(reasonFor('-10E+125')).toContain('at most 125, found 126')
    expect(reasonFor('1e999999999999999999999')).toContain('found a far larger one')
  })

  it('maps equal numbers to one canonical form', () => {
    const ones = ['1', '1.0', '1.000', '10E-1', '0.1e1', '+1', '1.', '001', '100e-2', '0.01E+2']
    for (const text of ones) expect(canonical(text)).toBe('1')
    for (const text of ['0', '-0', '0.000', '.0', '0e99', '-0.0E-999', '000']) {
      expect(canonical(text)).toBe('0')
    }
    expect(canonical('-12.50')).toBe('-12.5')
    expect(canonical('.5')).toBe('0.5')
    expect(canonical('5.')).toBe('5')
    expect(canonical('0.001')).toBe('0.001')
    expect(canonical('1.5e+100')).toBe('1.5E+100')
    expect(canonical('-25e-10')).toBe('-2.5E-9')
  })

  it('keeps numbers apart that a JS double would merge', () => {
    expect(canonical('9007199254740993')).not.toBe(canonical('9007199254740992'))
    expect(canonical('0.1')).not.toBe(canonical('0.10000000000000001'))
    expect(canonical('-1')).not.toBe(canonical('1'))
  })

  it('is idempotent and agrees with exact rational comparison', () => {
    // Writes the same value digits × 10^exponent in several notations.
    let seed = 12345
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % limit
    }
    const signed = (n: number) => (n < 0 ? String(n) : `+${n}`)
    for (let round = 0; round < 500; round++) {
      const digits = String(BigInt(random(1_000_000_000)) * BigInt(random(1_000_000_000)) + 1n)
      const exponent = random(200) - 100
      const sign = random(2) === 0 ? '-' : ''
      const forms = [
        `${sign}${digits}e${exponent}`,
        `${sign}${digits}000E${exponent - 3}`,
        `${sign}0.${digits}e${exponent + digits.length}`,
        `${sign}${digits.slice(0, 1)}.${digits.slice(1)}E${signed(exponent + digits.length - 1)}`,
      ]
      const expected = canonical(forms[0] ?? '')
      for (const form of forms) expect(canonical(form)).toBe(expected)
      expect(canonical(expected)).toBe(expected)
      expect(canonical(`${sign}${digits}1e${exponent - 1}`)).not.toBe(expected)
    }
  })

  it('rejects anything but the decimal syntax', () => {
    const invalid = ['1e', '--1', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '-Infinity', '', '.']
    invalid.push('1.2.3', '1e+', '+', '-', 'e5', '1_000', '1,5', '١', '1e1.5', '0b1', '1f')
    for (const text of invalid) expect(normalizeNumber(text).ok, text).toBe(false)
    expect(reasonFor('')).toContain('found an empty string')
    expect(reasonFor(' 1')).toContain('found text of 2 characters including whitespace')
    expect(reasonFor('x')).toContain('found text of 1 character that is not one')
  })

  it('never echoes the number in a reason', () => {
    const inputs = ['98765432109876543210987654321098765432109', '9.87654321E-999', '9876x']
    for (const text of inputs) expect(reasonFor(text)).not.toContain('98765')
  })
})

describe('plainSignificantDigits, the fast path', () => {
  it('counts significant digits of plain decimals as the general parser does', () => {
    const samples = [
      '0',
      '-0',
      '007',
      '7.50',
      '-0.0010',
      '12345678901234567890123456789012345678',
      '100',
      '1.0',
      '10.01',
      '0.5',
    ]
    for (const n of samples) {
      const general = normalizeNumber(n)
      expect(general.ok, n).toBe(true)
      expect(plainSignificantDigits(n), n).toBe(
        (general.ok ? general.value : '')
          .replace(/^-/, '')
          .replace(/E.*$/, '')
          .replace('.', '')
          .replace(/^0+/, '')
          .replace(/0+$/, '').length,
      )
    }
    for (const n of ['', '-', '.', '1.', '.5', '-.5', '1e5', '1.2.3', '+1', 'x', '1'.repeat(39)]) {
      expect(plainSignificantDigits(n), n).toBe(-1)
    }
  })
})
