import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  isGlob,
  isInside,
  localSource,
  selectionProblem,
  workspaceSelection,
} from '../../src/sources/local.js'

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
    expect(() => localSource(root, '../elsewhere/')).toThrow(
      `source: expected a path inside the workspace ${root}, got "../elsewhere/"`,
    )
  })
})

/** A workspace of files (path → content) under a real temporary directory. */
function workspaceWith(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-local-')))
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), content)
  }
  return root
}

async function keys(root: string, source: string): Promise<string[]> {
  return (await localSource(root, source).list()).map((o) => o.key).sort()
}

const FILES = {
  'fixtures/orders.json': '{}\n',
  'fixtures/orders.json.bak': '{}\n',
  'fixtures/orders/a.json': '{}\n',
  'fixtures/orders/deep/b.json': '{}\n',
  'fixtures/orders-old/c.json': '{}\n',
  'fixtures/[x]/d.json': '{}\n',
  'bad/empty.json': '',
  'bad/empty.jsonl': '',
}

describe('localSource, a path', () => {
  it('that is a file selects that file only', async () => {
    const root = workspaceWith(FILES)
    expect(await keys(root, 'fixtures/orders.json')).toEqual(['fixtures/orders.json'])
    expect(await keys(root, './bad/empty.json')).toEqual(['bad/empty.json'])
    const objects = await localSource(root, 'fixtures/orders.json').list()
    expect(objects).toEqual([
      { url: path.join(root, 'fixtures/orders.json'), key: 'fixtures/orders.json', size: 3 },
    ])
  })

  it('that is a directory selects every file under it, with or without a trailing slash', async () => {
    const root = workspaceWith(FILES)
    const under = ['fixtures/orders/a.json', 'fixtures/orders/deep/b.json']
    expect(await keys(root, 'fixtures/orders')).toEqual(under)
    expect(await keys(root, 'fixtures/orders/')).toEqual(under)
    expect(await keys(root, path.join(root, 'fixtures'))).toContain('fixtures/[x]/d.json')
  })

  it('and patterns work in a workspace whose own path has glob characters', async () => {
    const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-local-')))
    const root = path.join(parent, 'w[s]* ?')
    fs.mkdirSync(path.join(root, 'data'), { recursive: true })
    fs.writeFileSync(path.join(root, 'data', 'a.json'), '')
    fs.writeFileSync(path.join(parent, 'ws.json'), '')
    expect(await keys(root, 'data')).toEqual(['data/a.json'])
    expect(await keys(root, '*')).toEqual(['data/a.json'])
  })

  it('that is the workspace itself selects every file', async () => {
    const root = workspaceWith({ 'a.json': '', 'b/c.json': '' })
    expect(await keys(root, '.')).toEqual(['a.json', 'b/c.json'])
  })

  it('follows a link inside the workspace, and refuses one that leads out', async () => {
    const root = workspaceWith(FILES)
    fs.symlinkSync(path.join(root, 'fixtures/orders'), path.join(root, 'current'))
    expect(await keys(root, 'current')).toEqual(['current/a.json', 'current/deep/b.json'])
    const outside = workspaceWith({ 'secret.json': '{}\n' })
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'fixtures/orders/s.json'))
    await expect(localSource(root, 'fixtures/orders').list()).rejects.toThrow(
      `source: fixtures/orders/s.json links to ${outside}/secret.json, outside the workspace ${root}`,
    )
  })
})

describe('localSource, glob patterns', () => {
  it('selects what @actions/glob matches: lines, ** , ! excludes, # comments, directories whole', async () => {
    const root = workspaceWith(FILES)
    expect(await keys(root, 'fixtures/*.json')).toEqual(['fixtures/orders.json'])
    expect(await keys(root, 'fixtures/orders*')).toEqual([
      'fixtures/orders-old/c.json',
      'fixtures/orders.json',
      'fixtures/orders.json.bak',
      'fixtures/orders/a.json',
      'fixtures/orders/deep/b.json',
    ])
    expect(
      await keys(root, '# fixtures\n./fixtures/**/*.json\n!**/deep/**\n!fixtures/[[]x]/*'),
    ).toEqual(['fixtures/orders-old/c.json', 'fixtures/orders.json', 'fixtures/orders/a.json'])
    expect(await keys(root, `${root}/bad/*.json`)).toEqual(['bad/empty.json'])
    // Several lines of plain paths: each a file, or a directory and what is under it.
    expect(await keys(root, 'fixtures/orders.json\nfixtures/orders-old')).toEqual([
      'fixtures/orders-old/c.json',
      'fixtures/orders.json',
    ])
  })

  it('matches only directories with a pattern that ends with a separator, as @actions/glob does', async () => {
    const root = workspaceWith({ 'data/orders': 'a file', 'more/orders/a.json': '' })
    expect(await keys(root, '*/orders/')).toEqual(['more/orders/a.json'])
    expect(await keys(root, '*/orders')).toEqual(['data/orders', 'more/orders/a.json'])
  })

  it('says which pattern matches no file, and when excludes leave nothing', async () => {
    const root = workspaceWith(FILES)
    await expect(localSource(root, 'fixtures/*.csv').list()).rejects.toThrow(
      `source: fixtures/*.csv matches no file of the workspace ${root}`,
    )
    await expect(localSource(root, 'bad/*.json\nfixtures/*.csv').list()).rejects.toThrow(
      `source: fixtures/*.csv matches no file of the workspace ${root}`,
    )
    await expect(localSource(root, 'bad/*.json\n!bad/**').list()).rejects.toThrow(
      `source: bad/*.json, !bad/** matches no file of the workspace ${root}: the ! patterns exclude every file the others match`,
    )
  })

  it('does not refuse a link that leads out when a ! pattern excludes it', async () => {
    const root = workspaceWith(FILES)
    const outside = workspaceWith({ 'secret.json': '{}\n' })
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'bad/link.json'))
    expect(await keys(root, 'bad/*\n!bad/link.json\nfixtures/*.json')).toEqual([
      'bad/empty.json',
      'bad/empty.jsonl',
      'fixtures/orders.json',
    ])
    await expect(localSource(root, 'bad/*').list()).rejects.toThrow('bad/link.json links to')
  })
})

describe('isGlob', () => {
  it.each([
    ['data/*.json', true],
    ['data/?.json', true],
    ['data/[ab].json', true],
    ['!data/x.json', true],
    ['data/a.json\ndata/b.json', true],
    ['data/a.json\n', false],
    ['data/orders.json', false],
    ['data/a!.json', false],
    ['#data', false],
  ])('%j → %s', (value, glob) => {
    expect(isGlob(value)).toBe(glob)
  })
})

describe('selectionProblem', () => {
  const root = '/work/repo'
  const patterns = (value: string) => selectionProblem(root, workspaceSelection(value))
  const outside = `patterns inside the workspace ${root} (relative to it, without ..)`

  it.each([
    ['../**', '../**'],
    ['data/../../x/*', 'data/../../x/*'],
    ['data/*/../x.json', 'data/*/../x.json'],
    ['/etc/*', '/etc/*'],
    ['/work/rep*/x', '/work/rep*/x'],
    ['~/*.json', '~/*.json'],
    ['data/*.json\n!/etc/**', '!/etc/**'],
  ])('refuses %s', (value, got) => {
    expect(patterns(value)).toEqual({ got, expected: outside })
  })

  it.each(['data/*.json', '**/*.json', '/work/repo/data/**', './data/*', '*'])(
    'takes %s',
    (value) => {
      expect(patterns(value)).toBeUndefined()
    },
  )

  it('refuses patterns that can select nothing: only excludes or comments', () => {
    const expected = 'at least one pattern that selects files (not only # comments and ! excludes)'
    expect(patterns('!data/x.json')).toEqual({ got: '!data/x.json', expected })
    expect(patterns('# data/*.json\n!x')).toEqual({ got: '!x', expected })
    expect(patterns('!!data/x.json')).toBeUndefined()
  })

  it('refuses a path that leaves the workspace', () => {
    expect(selectionProblem(root, workspaceSelection('../x'))).toEqual({
      got: '../x',
      expected: `a path inside the workspace ${root}`,
    })
    expect(selectionProblem(root, workspaceSelection('a/../b'))).toBeUndefined()
  })
})

describe('localSource, a path that is not there', () => {
  it('is an error naming the path and the missing s3:// when nothing starts with it', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-local-')))
    await expect(localSource(root, 'examples/items/').list()).rejects.toThrow(
      `source: examples/items/ matches no file or directory of the workspace ${root}. Check the path (relative to the repository root), or for a bucket write s3://examples/items/`,
    )
  })

  it('suggests the glob of the files whose names start with it', async () => {
    const root = workspaceWith(FILES)
    await expect(localSource(root, 'fixtures/ord').list()).rejects.toThrow(
      `source: fixtures/ord matches no file or directory of the workspace ${root}; to import the files whose names start with it, write fixtures/ord*`,
    )
    await expect(localSource(root, 'bad/empty').list()).rejects.toThrow('write bad/empty*')
  })

  it('is an empty listing for an empty directory, as an empty S3 prefix is', async () => {
    const root = workspaceWith({ 'orders-1.json': '{}\n' })
    fs.mkdirSync(path.join(root, 'empty'))
    expect(await localSource(root, 'empty/').list()).toEqual([])
    expect(await localSource(root, 'empty').list()).toEqual([])
  })
})
