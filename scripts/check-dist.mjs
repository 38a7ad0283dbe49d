#!/usr/bin/env node
// Fails when the committed dist/ is not what `npm run package` builds from the current src/.
// GitHub runs dist/index.js as is, so a stale bundle ships old code however green the tests are.
//
// Source maps are skipped: they embed paths and are not what runs. Line endings are normalised
// so a checkout with core.autocrlf does not count as a difference.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DIST_DIR = join(REPO_ROOT, 'dist')

/** Every file under dir, as paths relative to it, except source maps. */
function listFiles(dir) {
  let entries
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true })
  } catch (err) {
    if (err.code === 'ENOENT') return []
    throw err
  }
  return entries
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.map'))
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort()
}

function normalised(path) {
  // latin1 maps bytes 1:1, so this is exact for binary files too.
  return readFileSync(path).toString('latin1').replace(/\r\n/g, '\n')
}

function build(outDir) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
  execFileSync(
    npx,
    [
      'ncc',
      'build',
      'src/index.ts',
      '-o',
      outDir,
      '--source-map',
      '--no-source-map-register',
      '--license',
      'licenses.txt',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  )
}

function compare(expectedDir, actualDir) {
  const expected = listFiles(expectedDir)
  const actual = new Set(listFiles(actualDir))
  const problems = []
  for (const file of expected) {
    if (!actual.has(file)) problems.push(`missing: dist/${file}`)
    else if (normalised(join(expectedDir, file)) !== normalised(join(actualDir, file)))
      problems.push(`differs: dist/${file}`)
    actual.delete(file)
  }
  for (const file of actual) problems.push(`not produced by the build: dist/${file}`)
  return problems
}

const buildDir = mkdtempSync(join(tmpdir(), 'check-dist-'))
try {
  build(buildDir)
  const problems = compare(buildDir, DIST_DIR)
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ${problem}`)
    console.error('dist/ is stale: run `npm run package` and commit dist/')
    process.exitCode = 1
  } else {
    console.log('dist/ is up to date')
  }
} finally {
  rmSync(buildDir, { recursive: true, force: true })
}
