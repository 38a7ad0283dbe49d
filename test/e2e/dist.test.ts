// The committed bundle, run as a child process exactly as a runner runs it.
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as zlib from 'node:zlib'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sampleItem } from '../../scripts/make-examples.mjs'
import {
  actionManifest,
  bucketWith,
  inputVariable,
  jsonLines,
  localInputs,
  runDist,
  scanAll,
  tableWith,
} from '../support/helpers.js'

/**
 * The Node running the tests (24, GitHub's runtime for the action), and the machine's own Node
 * when it is another major version (20 here): the bundle must work on both.
 */
function nodeBinaries(): string[] {
  const binaries = [process.execPath]
  const system = '/usr/bin/node'
  if (fs.existsSync(system)) {
    const major = execFileSync(system, ['-p', 'process.versions.node.split(".")[0]'])
      .toString()
      .trim()
    if (major !== process.versions.node.split('.')[0]) binaries.push(system)
  }
  return binaries
}

/** Node 24's zstd encoder (the tests run on 24; the types are Node 20's, the oldest supported). */
const zstdCompressSync = (zlib as unknown as { zstdCompressSync(data: string): Buffer })
  .zstdCompressSync

const FAKE_KEY_ID = 'AKIAFAKEKEYSHOULDNOTLEAK'
const FAKE_SECRET = 'fake/secret/that+must+never+appear+in+logs'

describe('dist/index.js', () => {
  it.each(nodeBinaries())(
    'on %s: imports, sets every output and writes the summary, and never prints the credentials',
    async (node) => {
      const items = Array.from({ length: 120 }, (_, i) => sampleItem(i))
      const bucket = await bucketWith({
        'seed/a.json.gz': gzipSync(jsonLines(items.slice(0, 40))),
        'seed/b.json': jsonLines(items.slice(40, 80)),
        // zstd must decode on Node 20 too, which has no zstd of its own.
        'seed/c.json.zst': zstdCompressSync(jsonLines(items.slice(80))),
      })
      const table = await tableWith('S', 'N')
      const run = await runDist(
        // Two write threads: the bundle is also their entry, on every Node it runs on.
        { ...localInputs(), table, source: `s3://${bucket}/seed/`, 'write-threads': '2' },
        { AWS_ACCESS_KEY_ID: FAKE_KEY_ID, AWS_SECRET_ACCESS_KEY: FAKE_SECRET },
        node,
      )
      expect(run.code).toBe(0)
      expect(run.outputs).toMatchObject({
        mode: 'stream',
        status: 'COMPLETED',
        'processed-item-count': '120',
        'imported-item-count': '120',
        'error-count': '0',
      })
      // Exactly what the runner knows of: an output or input missing from action.yml is
      // invisible to workflows, and a declared one never set or read is a broken promise.
      const manifest = actionManifest()
      expect(Object.keys(run.outputs).sort()).toEqual(manifest.outputs)
      expect(run.inputsRead).toEqual(manifest.inputs.map(inputVariable).sort())
      expect(run.summary).toContain('## ✅ 120 items imported into')
      expect(run.stdout).toContain('::group::Start')
      expect(run.stdout).toContain('the calls go out on 2 write threads')
      for (const secret of [FAKE_KEY_ID, FAKE_SECRET]) {
        expect(run.stdout).not.toContain(secret)
        expect(run.summary).not.toContain(secret)
      }
      expect(await scanAll(table)).toHaveLength(120)
    },
  )

  it('starts its write threads under flags a thread may not take (a V8 heap limit)', async () => {
    const bucket = await bucketWith({ 'seed/a.json': jsonLines([sampleItem(1), sampleItem(2)]) })
    const table = await tableWith('S', 'N')
    const run = await runDist(
      { ...localInputs(), table, source: `s3://${bucket}/seed/`, 'write-threads': '1' },
      {},
      process.execPath,
      ['--max-old-space-size=512'],
    )
    expect(run.code, run.stdout.slice(-1500)).toBe(0)
    expect(run.stdout).toContain('the calls go out on 1 write thread')
    expect(await scanAll(table)).toHaveLength(2)
  })

  it('exits 1 with the reason when the table is missing', async () => {
    const bucket = await bucketWith({ 'a.json': jsonLines([sampleItem(1)]) })
    const run = await runDist({
      ...localInputs(),
      table: 'missing-table',
      source: `s3://${bucket}/`,
      mode: 'stream',
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error::Table missing-table does not exist')
    expect(run.summary).toContain('did not start')
  })
})
