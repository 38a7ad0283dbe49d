import { describe, expect, it } from 'vitest'
import { counted, formatBytes } from '../src/words.js'

const GiB = 2 ** 30

describe('formatBytes', () => {
  it('writes sizes for people', () => {
    expect([0, 1, 1023, 1536, GiB, 5.5 * 2 ** 40].map(formatBytes)).toEqual([
      '0 bytes',
      '1 byte',
      '1023 bytes',
      '1.5 KiB',
      '1 GiB',
      '5.5 TiB',
    ])
  })
})

describe('counted', () => {
  it('says 1 of a noun and n of its plural', () => {
    expect([counted(0, 'object'), counted(1, 'object'), counted(2, 'object')]).toEqual([
      '0 objects',
      '1 object',
      '2 objects',
    ])
    expect(counted(3, 'entry', 'entries')).toBe('3 entries')
  })
})
