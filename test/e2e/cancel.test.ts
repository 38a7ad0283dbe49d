// Cancelling a run as GitHub does it: a real SIGINT sent to the built action mid-import (then,
// for the impatient, a second one). The action must stop reading, give the calls in flight a
// short grace, and leave outputs, a summary and a rejected file that add up to the source.
import * as fs from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { inject } from 'vitest'
import {
  bucketWith,
  jsonLines,
  localInputs,
  scanAll,
  spawnDist,
  tableWith,
  useRunner,
} from '../support/helpers.js'
import { run } from '../../src/main.js'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { nativeInputs, useFakeImportServer } from '../support/fake-import-server.js'

const credentials = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }

const OBJECTS = 5
const PER_OBJECT = 10_000
const TOTAL = OBJECTS * PER_OBJECT

/** 50,000 items in five objects of 10,000 lines, one item a line: `part-0.json` … `part-4.json`. */
function source(): Record<string, string> {
  const out: Record<string, string> = {}
  for (let o = 0; o < OBJECTS; o++) {
    const items = Array.from({ length: PER_OBJECT }, (_, i) => ({
      pk: { S: `item-${o * PER_OBJECT + i}` },
      sk: { N: String(i) },
      payload: { S: 'x'.repeat(100) },
    }))
    out[`data/part-${o}.json`] = jsonLines(items)
  }
  return out
}

/** The records never read, from the failure's "reading stopped at <object> after line N; …". */
function recordsNotRead(stdout: string): number {
  const match = /reading stopped at s3:\/\/[^/]+\/data\/part-(\d)\.json after line (\d+)/.exec(
    stdout,
  )
  if (!match) throw new Error(`no stopped-at position in:\n${stdout}`)
  const object = Number(match[1])
  const line = Number(match[2])
  return PER_OBJECT - line + (OBJECTS - 1 - object) * PER_OBJECT
}

const proxies: FaultProxy[] = []
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()))
})

describe('a cancelled run (SIGINT, as GitHub sends it)', () => {
  it('stops reading, lets the calls in flight end, and reports CANCELLED with counts that add up to the source', async () => {
    const bucket = await bucketWith(source())
    const table = await tableWith('S', 'N')
    const run = spawnDist(
      { ...localInputs(), table, source: `s3://${bucket}/data/`, 'input-format': 'DYNAMODB_JSON' },
      credentials,
    )
    // The first object is read and handed to the writer: the import is under way.
    await run.line(/part-0\.json: 10000 records/)
    run.child.kill('SIGINT')
    const ended = await run.done

    expect(ended.signal).toBeNull()
    expect(ended.code).toBe(1)
    expect(ended.stdout).toMatch(
      /Cancelled \(SIGINT\): stopping: no more reading; the calls in flight get 3 s/,
    )
    expect(ended.outputs).toMatchObject({ status: 'CANCELLED', 'failure-code': 'Cancelled' })
    const imported = Number(ended.outputs['imported-item-count'])
    // Every confirmed write is counted and nothing else: the table holds exactly those items.
    expect((await scanAll(table)).length).toBe(imported)
    expect(imported).toBeGreaterThan(0)
    expect(imported).toBeLessThan(TOTAL)
    // Read but not written: each in the rejected file, with the reason.
    const file = ended.outputs['rejected-file'] ?? ''
    const rejected = file
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as { kind: string; reason: string })
      : []
    for (const r of rejected) {
      expect(r.kind).toBe('unwritten')
      expect(r.reason).toMatch(/the import was cancelled \(SIGINT\)/)
    }
    expect(Number(ended.outputs['error-count'])).toBe(rejected.length)
    expect(Number(ended.outputs['processed-item-count'])).toBe(imported + rejected.length)
    // Written, read and not written, never read: the whole source, nothing twice, nothing lost.
    expect(imported + rejected.length + recordsNotRead(ended.stdout)).toBe(TOTAL)
    expect(ended.summary.split('\n')[0]).toMatch(
      new RegExp(`^## ❌ Cancelled \\(SIGINT\\): ${imported} items imported`),
    )
    expect(ended.summary).toMatch(/reading stopped at s3:\/\/[^/]+\/data\/part-\d\.json after line/)
  })

  it('a second SIGINT during the grace ends the run at once, its outputs already written', async () => {
    const bucket = await bucketWith(source())
    const table = await tableWith('S', 'N')
    // Every BatchWriteItem is held: calls are in flight when the first signal comes, so the
    // grace is still running when the second one does.
    const ddb = await startFaultProxy({
      target: inject('dynamodbEndpoint'),
      seed: 1,
      wait: () => new Promise<void>(() => {}),
    })
    proxies.push(ddb)
    ddb.inject({ operation: 'BatchWriteItem', fault: { kind: 'delay', ms: 0 }, times: Infinity })
    const run = spawnDist(
      {
        ...localInputs(),
        'dynamodb-endpoint': ddb.endpoint,
        table,
        source: `s3://${bucket}/data/`,
        'input-format': 'DYNAMODB_JSON',
      },
      credentials,
    )
    await run.line(/part-0\.json: read as/)
    run.child.kill('SIGINT')
    await run.line(/Cancelled \(SIGINT\)/)
    run.child.kill('SIGINT')
    const ended = await run.done

    expect(ended.signal).toBeNull()
    expect(ended.code).toBe(130)
    expect(ended.stdout).toMatch(/Cancelled again \(SIGINT\): stopping at once/)
    expect(ended.outputs).toMatchObject({ status: 'CANCELLED', 'failure-code': 'Cancelled' })
    // Nothing was confirmed: every call was held.
    expect(ended.outputs['imported-item-count']).toBe('0')
    expect(ended.stdout).toMatch(
      /::error::The import was cancelled \(SIGINT\) and stopped at once: 0 items written, \d+ records read by then/,
    )
    expect(ended.summary).toMatch(
      /^## ❌ Cancelled \(SIGINT\), then stopped at once: 0 items imported into `/,
    )
  })
})

describe('a cancelled native import', () => {
  const fake = useFakeImportServer()
  afterEach(() => fake.control.reset())

  it('says the import goes on in AWS, gives its ARN, and that a re-run attaches to it', async () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      pk: { S: `n-${i}` },
      sk: { N: String(i) },
    }))
    const bucket = await bucketWith({ 'data/part-0.json': jsonLines(items) })
    const table = `native-cancel-${Date.now()}`
    // DescribeImport never shows the end: the action waits until it is cancelled.
    fake.control.holdPolls(1_000_000)
    const run = spawnDist(nativeInputs(fake, table, bucket), credentials)
    await run.line(/import IN_PROGRESS after/)
    run.child.kill('SIGINT')
    const ended = await run.done

    const arn = fake.imports().find((i) => i.tableName === table)?.importArn ?? '?'
    expect(ended.code).toBe(1)
    expect(ended.stdout).toContain(
      `Cancelled (SIGINT): stopped waiting; ImportTable goes on in AWS as ${arn}: re-running this step attaches to it and waits for its end.`,
    )
    expect(ended.outputs).toMatchObject({
      status: 'IN_PROGRESS',
      'failure-code': 'Cancelled',
      'import-arn': arn,
    })
    expect(ended.summary.split('\n')[0]).toMatch(/^## ❌ Cancelled \(SIGINT\)/)
  })
})

// The same cancels through run() in this process (a signal delivered as a process event), where
// coverage is measured, with the exit injected.
describe('a cancel through run() in this process', () => {
  const fake = useFakeImportServer()
  afterEach(() => fake.control.reset())

  it('stream: CANCELLED, every record read either written or in the rejected file', async () => {
    const objects: Record<string, string> = {}
    for (let o = 0; o < 3; o++) {
      const items = Array.from({ length: 2_000 }, (_, i) => ({
        pk: { S: `r-${o}-${i}` },
        sk: { N: String(i) },
      }))
      objects[`data/part-${o}.json`] = jsonLines(items)
    }
    const bucket = await bucketWith(objects)
    const table = await tableWith('S', 'N')
    const exit = vi.fn<(code: number) => void>()
    let sent = false
    const runner = useRunner(
      { ...localInputs(), table, source: `s3://${bucket}/data/`, 'input-format': 'DYNAMODB_JSON' },
      (text) => {
        if (!sent && /part-0\.json: 2000 records/.test(text)) {
          sent = true
          setImmediate(() => process.emit('SIGINT'))
        }
      },
    )
    await run({ exit })
    expect(exit).toHaveBeenCalledWith(1)
    const outputs = runner.outputs()
    expect(outputs).toMatchObject({ status: 'CANCELLED', 'failure-code': 'Cancelled' })
    const imported = Number(outputs['imported-item-count'])
    expect((await scanAll(table)).length).toBe(imported)
    expect(Number(outputs['processed-item-count'])).toBe(imported + Number(outputs['error-count']))
    expect(runner.stdout()).toContain(
      'Cancelled (SIGINT): stopping: no more reading; the calls in flight get 3 s',
    )
    expect(runner.summary()).toMatch(/^## ❌ Cancelled \(SIGINT\)/)
  })

  it('native: stops waiting, says the import goes on, keeps import-arn', async () => {
    const bucket = await bucketWith({
      'data/part-0.json': jsonLines([{ pk: { S: 'a' }, sk: { N: '1' } }]),
    })
    const table = `native-cancel-run-${Date.now()}`
    fake.control.holdPolls(1_000_000)
    const exit = vi.fn<(code: number) => void>()
    let sent = false
    const runner = useRunner(nativeInputs(fake, table, bucket), (text) => {
      if (!sent && /import IN_PROGRESS after/.test(text)) {
        sent = true
        setImmediate(() => process.emit('SIGINT'))
      }
    })
    await run({ exit })
    const arn = fake.imports().find((i) => i.tableName === table)?.importArn ?? '?'
    expect(exit).toHaveBeenCalledWith(1)
    expect(runner.stdout()).toContain(
      'Cancelled (SIGINT): stopping: no more waiting for ImportTable',
    )
    expect(runner.stdout()).toContain(`ImportTable goes on in AWS as ${arn}`)
    expect(runner.outputs()).toMatchObject({
      status: 'IN_PROGRESS',
      'failure-code': 'Cancelled',
      'import-arn': arn,
    })
  })
})
