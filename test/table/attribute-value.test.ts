import { describe, it, expect } from 'vitest'
import { attributeNameProblem } from '../../src/table/attribute-value.js'

describe('attributeNameProblem', () => {
  it('requires 1 byte to 65,535 bytes of UTF-8', () => {
    expect(attributeNameProblem('a')).toBeUndefined()
    expect(attributeNameProblem('')).toBe('attribute name must not be empty')
    expect(attributeNameProblem('x'.repeat(65_535))).toBeUndefined()
    expect(attributeNameProblem('x'.repeat(65_536))).toBe(
      'attribute name is 65536 bytes, above the limit of 65535',
    )
    expect(attributeNameProblem('é'.repeat(32_768))).toContain('65536 bytes')
  })
})
