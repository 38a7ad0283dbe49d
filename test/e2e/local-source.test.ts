// A workspace source selects what it names: an exact file, a directory, or glob patterns as
// GitHub actions read them; an S3 source stays a key prefix. And key-schema read strictly. All
// through the built action (dist/index.js) against DynamoDB Local.
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import {
  bucketWith,
  dynamodb,
  jsonLines,
  localInputs,
  runDist,
  scanAll,
  tableWith,
  uniqueName,
  type ProcessRun,
  workspaceWith,
} from '../support/helpers.js'

/** DynamoDB JSON items keyed pk (S) and sk (N), named after the file that holds them. */
function items(file: string, count: number): string {
  return jsonLines(
    Array.from({ length: count }, (_, i) => ({ pk: { S: file }, sk: { N: String(i) } })),
  )
}

/** Runs the bundle on a workspace source into a new table keyed pk:S, sk:N. */
async function importFrom(
  workspace: string,
  source: string,
  inputs: Record<string, string> = {},
): Promise<ProcessRun & { table: string }> {
  const table = await tableWith('S', 'N')
  const run = await runDist(
    { ...localInputs(), table, source, 'input-format': 'DYNAMODB_JSON', ...inputs },
    { GITHUB_WORKSPACE: workspace },
  )
  return { ...run, table }
}

/** The files the items of a table came from (each item's pk), sorted, once each. */
async function filesIn(table: string): Promise<string[]> {
  const pks = (await scanAll(table)).map((item) => item['pk']?.S ?? '?')
  return [...new Set(pks)].sort()
}

const SIBLINGS = {
  'fixtures/orders.json': items('fixtures/orders.json', 3),
  'fixtures/orders.json.bak': items('fixtures/orders.json.bak', 2),
  'fixtures/orders.json.orig': items('fixtures/orders.json.orig', 2),
  'fixtures/orders/a.json': items('fixtures/orders/a.json', 2),
  'fixtures/orders/deep/b.json': items('fixtures/orders/deep/b.json', 1),
  'fixtures/orders-old/c.json': items('fixtures/orders-old/c.json', 1),
  'fixtures/orders/draft.json': items('fixtures/orders/draft.json', 1),
}

describe('a workspace source', () => {
  it('that is a file imports that file only, not the files whose names start with it', async () => {
    const workspace = workspaceWith(SIBLINGS)
    const run = await importFrom(workspace, 'fixtures/orders.json')
    expect(run.code, run.stdout.slice(-2000)).toBe(0)
    expect(run.outputs['imported-item-count']).toBe('3')
    expect(await filesIn(run.table)).toEqual(['fixtures/orders.json'])
    expect(run.stdout).toContain('1 object,')
  })

  it('that is a directory imports every file under it, and nothing beside it', async () => {
    const workspace = workspaceWith(SIBLINGS)
    const run = await importFrom(workspace, 'fixtures/orders')
    expect(run.code, run.stdout.slice(-2000)).toBe(0)
    expect(await filesIn(run.table)).toEqual([
      'fixtures/orders/a.json',
      'fixtures/orders/deep/b.json',
      'fixtures/orders/draft.json',
    ])
    expect(run.outputs['imported-item-count']).toBe('4')
  })

  it('that is glob patterns imports what they match: several lines, ! excludes, **, # comments', async () => {
    const workspace = workspaceWith(SIBLINGS)
    const patterns = [
      '# the seed data, without drafts',
      'fixtures/orders/**/*.json',
      '!fixtures/**/draft.json',
      'fixtures/orders-*/*.json',
    ].join('\n')
    const run = await importFrom(workspace, patterns)
    expect(run.code, run.stdout.slice(-2000)).toBe(0)
    expect(await filesIn(run.table)).toEqual([
      'fixtures/orders-old/c.json',
      'fixtures/orders/a.json',
      'fixtures/orders/deep/b.json',
    ])
    expect(run.outputs['imported-item-count']).toBe('4')
  })

  it('that matches nothing fails, and suggests the glob for the files whose names start with it', async () => {
    const workspace = workspaceWith(SIBLINGS)
    const run = await importFrom(workspace, 'fixtures/ord')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `::error::source: fixtures/ord matches no file or directory of the workspace ${workspace}; to import the files whose names start with it, write fixtures/ord*`,
    )
    expect(await scanAll(run.table)).toEqual([])
  })

  it('of patterns that match nothing fails, naming the pattern and the workspace', async () => {
    const workspace = workspaceWith(SIBLINGS)
    const run = await importFrom(workspace, 'fixtures/orders/*.json\nfixtures/customers/*.json')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `::error::source: fixtures/customers/*.json matches no file of the workspace ${workspace}`,
    )
    expect(await scanAll(run.table)).toEqual([])
  })

  it.each([
    ['../**', '../**'],
    ['an absolute pattern outside it', '/etc/host*'],
    ['a second line that leaves it', 'fixtures/*.json\n../*/*.json'],
  ])('refuses patterns that leave the workspace: %s', async (_, source) => {
    const workspace = workspaceWith(SIBLINGS)
    const run = await importFrom(workspace, source)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      new RegExp(
        `source: expected patterns inside the workspace ${workspace}.*, got "(\\.\\./|/etc)`,
      ),
    )
    expect(await scanAll(run.table)).toEqual([])
  })

  it('refuses a match that is a link to a file outside the workspace', async () => {
    const workspace = workspaceWith(SIBLINGS)
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-outside-')))
    fs.writeFileSync(path.join(outside, 'secret.json'), items('secret', 1))
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(workspace, 'fixtures', 'x.json'))
    const run = await importFrom(workspace, 'fixtures/*.json')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `source: fixtures/x.json links to ${outside}/secret.json, outside the workspace ${workspace}`,
    )
    expect(await scanAll(run.table)).toEqual([])
  })
})

describe('an S3 source', () => {
  it('is a key prefix: glob characters or several lines are an input error', async () => {
    const bucket = await bucketWith({ 'a.json': items('a.json', 1), 'b.json': items('b', 1) })
    for (const source of [
      `s3://${bucket}/*.json`,
      `s3://${bucket}/a.json\ns3://${bucket}/b.json`,
    ]) {
      const table = await tableWith('S', 'N')
      const run = await runDist({ ...localInputs(), table, source })
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(
        'source: expected s3://bucket/prefix: an S3 source is a key prefix, as ImportTable',
      )
      expect(await scanAll(table)).toEqual([])
    }
  })
})

describe('key-schema', () => {
  it('pk:S;sk:N fails the step before any table is created', async () => {
    const workspace = workspaceWith(SIBLINGS)
    const table = uniqueName('strict-keys')
    const run = await runDist(
      {
        ...localInputs(),
        table,
        source: 'fixtures/orders.json',
        'input-format': 'DYNAMODB_JSON',
        'key-schema': 'pk:S;sk:N',
        'create-table': 'true',
      },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'key-schema: expected name:TYPE or name:TYPE,name:TYPE with TYPE S, N or B (separate the two keys with a comma), got "pk:S;sk:N"',
    )
    const client = dynamodb()
    try {
      await expect(
        client.send(new DescribeTableCommand({ TableName: table })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException)
    } finally {
      client.destroy()
    }
  })
})

describe('npm run local-action', () => {
  const repository = path.resolve(import.meta.dirname, '..', '..')

  /** scripts/local-action.mjs with the inputs of a file: its exit code and what it printed. */
  function localAction(envFile: string): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/local-action.mjs', envFile], {
        cwd: repository,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (out += d))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, out }))
    })
  }

  // CI runs it with .env.example, which must pass (.ci/run); the code of a passing run is
  // unit-tested with actionExitCode.
  it('exits 1 when the action failed (local-action itself exits 0)', async () => {
    const example = fs.readFileSync(path.join(repository, '.env.example'), 'utf8')
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-la-')), '.env')
    fs.writeFileSync(bad, example.replace(/^INPUT_KEY-SCHEMA=.*$/m, 'INPUT_KEY-SCHEMA=pk:S;sk:N'))
    const failed = await localAction(bad)
    expect(failed.out).toContain('key-schema: expected name:TYPE')
    expect(failed.code, failed.out.slice(-1500)).toBe(1)
    expect(failed.out).toContain('The action failed: exit code 1.')
  }, 120_000)
})
