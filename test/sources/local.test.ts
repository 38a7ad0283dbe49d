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

describe('localSource, a path that is not there', () => {
  it('is an error naming the path and the missing s3:// when nothing starts with it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-local-'))
    await expect(localSource(root, 'examples/items/').list()).rejects.toThrow(
      `source: examples/items/ is no file or folder of the workspace ${root}, and no file's path starts with it. Check the path (relative to the repository root), or for a bucket write s3://examples/items/`,
    )
  })

  it('is an empty listing for an empty folder, and a prefix of file names is a match', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-local-'))
    fs.mkdirSync(path.join(root, 'empty'))
    fs.writeFileSync(path.join(root, 'orders-1.json'), '{}\n')
    expect(await localSource(root, 'empty/').list()).toEqual([])
    expect((await localSource(root, 'orders').list()).map((o) => o.key)).toEqual(['orders-1.json'])
  })
})
