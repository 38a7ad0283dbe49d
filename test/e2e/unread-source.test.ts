// A source that cannot be read to its end fails the step whatever max-errors says, and says where
// reading stopped and how much was not read; reading of the other objects goes on. Run through
// the built action against DynamoDB Local.
import { describe, expect, it } from 'vitest'
import {
  bucketWith,
  localInputs,
  runDist,
  scanAll,
  tableWith,
  workspaceWith,
} from '../support/helpers.js'

const credentials = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }

/** Five documents; the comma after document[1] is missing, so line 4 starts where "," belongs. */
const BROKEN_ARRAY = [
  '[',
  '  {"pk": "a", "sk": 1},',
  '  {"pk": "b", "sk": 2}',
  '  {"pk": "c", "sk": 3},',
  '  {"pk": "d", "sk": 4},',
  '  {"pk": "e", "sk": 5}',
  ']',
  '',
].join('\n')
const BREAK_OFFSET = BROKEN_ARRAY.indexOf('{"pk": "c"')
const NOT_READ = `${BROKEN_ARRAY.length - BREAK_OFFSET} of ${BROKEN_ARRAY.length} bytes not read`

const keysOf = async (table: string) =>
  (await scanAll(table)).map((item) => item['pk']?.S).sort((a, b) => (a! < b! ? -1 : 1))

describe('a source that cannot be read to its end', () => {
  it('a JSON array missing a comma fails the step with SourceNotRead even with max-errors: 5; the other objects are read', async () => {
    const bucket = await bucketWith({
      'a-orders.json': BROKEN_ARRAY,
      'b-more.json': '[{"pk": "x", "sk": 1}, {"pk": "y", "sk": 2}]',
    })
    const table = await tableWith('S', 'N')
    const run = await runDist(
      {
        ...localInputs(),
        table,
        source: `s3://${bucket}/`,
        'input-format': 'JSON',
        'max-errors': '5',
      },
      credentials,
    )
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      status: 'FAILED',
      'failure-code': 'SourceNotRead',
      'imported-item-count': '4',
      'error-count': '0',
    })
    // The documents before the break, and the other object, are in the table.
    expect(await keysOf(table)).toEqual(['a', 'b', 'x', 'y'])
    const where = `s3://${bucket}/a-orders.json:4`
    expect(run.stdout).toContain(
      `${where}: reading stopped at byte ${BREAK_OFFSET} after document[1]: expected "," or "]", found "{" (input-format JSON); 2 documents read, ${NOT_READ}. Fix the file; max-errors does not apply to a file that cannot be read to its end.`,
    )
    // An annotation (on the object: it is not a workspace file) and the summary say it too.
    expect(run.stdout).toMatch(
      new RegExp(`::error title=Source not read to its end::${where}: reading stopped at byte`),
    )
    expect(run.summary).toContain('### Not read to the end')
    expect(run.summary).toContain(`| ${where} | byte ${BREAK_OFFSET}, after document[1] |`)
    expect(run.summary).toContain(NOT_READ.replace(' not read', ''))
  }, 60_000)

  it('a workspace file annotates the file and line where reading stopped', async () => {
    const workspace = workspaceWith({ 'test/fixtures/orders.json': BROKEN_ARRAY })
    const table = await tableWith('S', 'N')
    const run = await runDist(
      {
        ...localInputs(),
        table,
        source: 'test/fixtures/orders.json',
        'input-format': 'JSON',
        'max-errors': '5',
      },
      { ...credentials, GITHUB_WORKSPACE: workspace },
    )
    expect(run.code).toBe(1)
    expect(run.outputs['failure-code']).toBe('SourceNotRead')
    expect(run.stdout).toContain(
      `::error title=Source not read to its end,file=test/fixtures/orders.json,line=4::test/fixtures/orders.json:4: reading stopped at byte ${BREAK_OFFSET} after document[1]`,
    )
    // The log and the failure show the file by its workspace path too.
    expect(run.stdout).toContain(
      `\ntest/fixtures/orders.json:4: reading stopped at byte ${BREAK_OFFSET} after document[1]: expected "," or "]", found "{" (input-format JSON); 2 documents read, ${NOT_READ}.`,
    )
    expect(run.stdout).toContain(`::error::test/fixtures/orders.json:4: reading stopped`)
    expect(await keysOf(table)).toEqual(['a', 'b'])
  }, 60_000)

  it('a request-items file cut off mid-request fails the step, keeping the requests before', async () => {
    const put = (pk: string) => `{"PutRequest": {"Item": {"pk": {"S": "${pk}"}, "sk": {"N": "1"}}}}`
    const text = `{"Orders": [\n  ${put('a')},\n  ${put('b')},\n  {"PutRequest": {"Item": {"pk"`
    const bucket = await bucketWith({ 'orders.json': text })
    const table = await tableWith('S', 'N')
    const run = await runDist(
      {
        ...localInputs(),
        table,
        source: `s3://${bucket}/`,
        'input-format': 'REQUEST_ITEMS',
        'max-errors': '5',
      },
      credentials,
    )
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      'failure-code': 'SourceNotRead',
      'imported-item-count': '2',
      'error-count': '0',
    })
    const at = text.lastIndexOf('{"PutRequest"')
    expect(run.stdout).toContain(
      `s3://${bucket}/orders.json:4: reading stopped at byte ${at} after "Orders"[1]: the file ends inside "Orders"[2], which starts on this line (input-format REQUEST_ITEMS); 2 requests read, ${text.length - at} of ${text.length} bytes not read.`,
    )
    expect(await keysOf(table)).toEqual(['a', 'b'])
  }, 60_000)

  it.each([
    ['rows of another field count', 'pk;sk;price\na;1;3,50\nb;2;4,10\n'],
    ['rows of as many fields', 'pk;sk;price\na;1;3\nb;2;4\n'],
  ])(
    'a CSV read with the wrong delimiter (%s) fails once, naming csv-delimiter and the one that fits',
    async (_what, text) => {
      const bucket = await bucketWith({ 'a.csv': text })
      const table = await tableWith('S', 'N')
      const run = await runDist(
        { ...localInputs(), table, source: `s3://${bucket}/`, 'max-errors': '5' },
        credentials,
      )
      expect(run.code).toBe(1)
      expect(run.outputs).toMatchObject({ 'failure-code': 'SourceNotRead', 'error-count': '0' })
      expect(run.stdout).toContain(
        `s3://${bucket}/a.csv:1: reading stopped at byte 0: the CSV header has no column "pk" (split on "," it is 1 column): if the fields are separated by ";", set csv-delimiter: ";" (input-format auto, read as CSV)`,
      )
    },
    60_000,
  )
})
