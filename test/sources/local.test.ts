import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isInside, localSource } from '../../src/sources/local.js'

describe('isInside', () => {
  const root = '/work/repo'
  it.each([
    ['/work/repo', true],
    ['/work/repo/fixtures/a.json', true],
    ['/work/repo/..data/x', true],
    ['/work/repo/...', true],
    ['/work/repo/../other', false],
    ['/work', false],
    ['/etc/passwd', false],
  ])('%s → %s', (target, inside) => {
    expect(isInside(root, target)).toBe(inside)
  })
})

describe('localSource', () => {
  it('lists a folder whose name starts with two dots, and refuses one that leaves', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-local-'))
    fs.mkdirSync(path.join(root, '..data'))
    fs.writeFileSync(path.join(root, '..data', 'x.json'), '{}\n')
    const objects = await localSource(root, '..data/').list()
    expect(objects.map((o) => o.key)).toEqual(['..data/x.json'])
    expect(() => localSource(root, '../elsewhere/')).toThrow(/outside the workspace/)
  })
})
