// Each summary rendered as GitHub renders it (GitHub-flavoured Markdown, with HTML inside), and
// its structure checked: headings, paragraphs, tables, lists and the chart blocks.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { marked } from 'marked'
import { describe, expect, it, vi } from 'vitest'
import { renderSummary, writeStoppedSummary } from '../../src/report/summary.js'
import type { StepRecord } from '../../src/steps.js'
import { result } from '../support/results.js'

const steps: StepRecord[] = [
  { name: 'start', result: 'stream: table orders exists', ok: true, startedAt: 0, endedAt: 0.2 },
  { name: 'validate', result: '12 records, 2 rejected', ok: false, startedAt: 0.2, endedAt: 1.5 },
]

/** The summary as GitHub shows it: GFM to HTML. */
function rendered(): string {
  return marked.parse(core.summary.stringify(), { gfm: true, async: false })
}

const base = { table: 'orders', source: 's3://fixtures/orders/' }

describe('renderSummary', () => {
  it('names every table of a step that loaded several, with a row each', () => {
    renderSummary(
      result({
        ...base,
        table: 'orders, audit',
        tableCreatedFrom: 'the NoSQL Workbench model shop.json',
        importedItemCount: 7,
        tables: [
          { table: 'orders', status: 'COMPLETED', imported: 4, rejected: 0, created: true },
          {
            table: 'audit',
            status: 'FAILED',
            failureCode: 'ItemValidationError',
            imported: 3,
            rejected: 1,
            created: false,
          },
        ],
      }),
      steps,
      [],
    )
    const html = rendered()
    expect(html).toContain(
      '<h2>✅ 7 items imported into 2 tables (<code>orders</code>, <code>audit</code>) from <code>s3://fixtures/orders/</code>',
    )
    expect(html).toContain(
      'Tables created by this run: <code>orders</code>, from the NoSQL Workbench model shop.json.',
    )
    expect(html).toContain('<h3>Tables</h3>')
    expect(html).toContain(
      '<td><code>audit</code></td>\n<td>FAILED (ItemValidationError)</td>\n<td>no</td>\n<td>3</td>\n<td>1</td>',
    )
  })

  it('heads a success with the table, the source, the count and the time, in separate blocks', () => {
    renderSummary(
      result({ ...base, importedItemCount: 300, processedItemCount: 300, durationSeconds: 0.8 }),
      steps,
      [],
    )
    const html = rendered()
    expect(html).toContain(
      '<h2>✅ 300 items imported into <code>orders</code> from <code>s3://fixtures/orders/</code> in 0.8 s</h2>',
    )
    // Paragraphs of their own: the verdict and the engine's reason do not run together.
    expect(html).toContain('<p><strong>The step passed.</strong></p>')
    expect(html).toMatch(/<p>Engine: <strong>stream<\/strong>\. Table t exists[^<]*<\/p>/)
    expect(html).toContain('<h3>Steps</h3>')
    expect(html).toContain(
      '<td>✅ start</td>\n<td>stream: table orders exists</td>\n<td>0.0–0.2 s</td>',
    )
    expect(html).toContain('<td>Read (uncompressed)</td>\n<td>2.4 KiB</td>')
    // Nothing rejected: a pie of one slice would say nothing.
    expect(html).not.toContain('pie showData')
    expect(html).not.toContain('<h3>Rejected records</h3>')
  })

  it('puts the reasons of a failure in a list, and the rejected records in a table', () => {
    const samples = Array.from({ length: 10 }, (_, i) => ({
      kind: 'invalid' as const,
      location: `s3://b/k.json:${i + 1}`,
      reason: 'invalid JSON at column 3 <b> | x',
      records: 1,
    }))
    renderSummary(
      result({
        ...base,
        status: 'FAILED',
        errorCount: 25,
        importedItemCount: 275,
        rejectedFile: '/tmp/rejected.jsonl',
        rejections: { samples, byKind: { invalid: 25 } },
      }),
      steps,
      ['25 records were rejected, more than max-errors (0).', 'Another reason.'],
    )
    const html = rendered()
    expect(html).toContain('<h2>❌ 275 items imported into <code>orders</code>')
    expect(html).toContain(', 25 records rejected</h2>')
    expect(html).toContain(
      '<ul>\n<li>25 records were rejected, more than max-errors (0).</li>\n<li>Another reason.</li>\n</ul>',
    )
    expect(html).toContain(
      '<td>s3://b/k.json:10</td>\n<td>invalid JSON at column 3 &lt;b&gt; | x</td>',
    )
    expect(html).toContain('<li>invalid record: 25</li>')
    expect(html).toContain('…and 15 more. All of them are in <code>/tmp/rejected.jsonl</code>.')
  })

  it('says in one line how the objects were read', () => {
    const readAs = [
      {
        how: 'a JSON array of plain documents (input-format auto: from its first bytes)',
        objects: 2,
      },
      { how: 'CSV <odd> (input-format CSV)', objects: 1 },
    ]
    renderSummary(result({ ...base, readAs }), steps, [])
    expect(rendered()).toContain(
      '<p>Read as: a JSON array of plain documents (input-format auto: from its first bytes): 2 objects; CSV &lt;odd&gt; (input-format CSV): 1 object.</p>',
    )
    core.summary.emptyBuffer()
    renderSummary(result({ ...base }), steps, [])
    expect(rendered()).not.toContain('Read as:')
  })

  it('heads a dry run as one, with its own wording', () => {
    renderSummary(result({ ...base, dryRun: true, importedItemCount: 300 }), steps, [])
    const html = rendered()
    expect(html).toContain('<h2>🧪 DRY RUN: 300 items would be imported into <code>orders</code>')
    expect(html).toContain('nothing was written</h2>')
    expect(html).toContain('<td>Items that would be imported</td>')
    expect(html).not.toContain('items imported into')
  })

  it('says in a list what was wrong when the import did not start, above no empty table', () => {
    renderSummary(undefined, [], ['Invalid inputs:\n- table: is required\n- source: is required'])
    const html = rendered()
    expect(html).toContain('<h2>❌ The import did not start</h2>')
    expect(html).toContain(
      '<li>Invalid inputs:<ul>\n<li>table: is required</li>\n<li>source: is required</li>\n</ul>\n</li>',
    )
    expect(html).not.toContain('<table>')
  })

  it('uses plurals and warns of an empty source', () => {
    renderSummary(
      result({
        ...base,
        objects: 0,
        importedItemCount: 1,
        processedItemCount: 1,
        durationSeconds: 12.3,
      }),
      steps,
      [],
    )
    const html = rendered()
    expect(html).toContain('1 item imported into')
    expect(html).toContain('in 12 s')
    expect(html).toContain('The source holds no objects')
  })

  it('lists the objects, at most 20, with the rest counted, and charts a long import', () => {
    const perObject = Array.from({ length: 23 }, (_, i) => ({
      url: `s3://b/part-${i}.json.gz`,
      records: 100,
      rejected: i === 0 ? 1 : 0,
      compression: 'GZIP',
    }))
    const progress = [
      { seconds: 10, items: 9000 },
      { seconds: 20, items: 19000 },
      { seconds: 30, items: 30000 },
    ]
    renderSummary(result({ ...base, perObject, progress, durationSeconds: 35 }), steps, [])
    const html = rendered()
    expect(html).toContain('<h3>Objects</h3>')
    expect(html).toContain(
      '<td>s3://b/part-0.json.gz</td>\n<td>100</td>\n<td>1</td>\n<td>gzip</td>',
    )
    expect(html.match(/<td>s3:\/\/b\/part-\d+\.json\.gz<\/td>/g)).toHaveLength(20)
    expect(html).toContain('…and 3 more objects.')
    expect(html).toContain(
      '<pre><code class="language-mermaid">xychart-beta\n    x-axis &quot;seconds&quot; [10, 20, 30]\n    y-axis &quot;items/s&quot;\n    line [900, 1000, 1100]',
    )
  })

  it('links each rejected record of a workspace file to its line in the commit', () => {
    const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-ws-')))
    vi.stubEnv('GITHUB_WORKSPACE', workspace)
    vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com')
    vi.stubEnv('GITHUB_REPOSITORY', 'o/r')
    vi.stubEnv('GITHUB_SHA', 'abc123')
    renderSummary(
      result({
        status: 'FAILED',
        errorCount: 1,
        rejections: {
          samples: [
            {
              kind: 'invalid',
              location: `${workspace}/fixtures/a b.json:7`,
              reason: 'bad',
              records: 1,
            },
          ],
          byKind: { invalid: 1 },
        },
      }),
      [],
      ['1 record was rejected'],
    )
    expect(rendered()).toContain(
      '<td><a href="https://github.com/o/r/blob/abc123/fixtures/a%20b.json#L7">fixtures/a b.json:7</a></td>',
    )
  })

  it('charts imported against rejected only when both are there', () => {
    renderSummary(result({ importedItemCount: 8, processedItemCount: 10, errorCount: 2 }), [], [])
    expect(core.summary.stringify()).toContain(
      '```mermaid\npie showData title Records\n    "Imported" : 8\n    "Rejected" : 2\n```',
    )
    core.summary.emptyBuffer()
    renderSummary(
      result({ importedItemCount: 0, processedItemCount: 2, errorCount: 2 }),
      [],
      ['2 records were rejected'],
    )
    expect(core.summary.stringify()).not.toContain('pie showData')
  })
})

describe('the headline is the verdict', () => {
  const limits = { maxErrors: 5, minItems: 0 }
  const rejected = { ...base, status: 'FAILED' as const, errorCount: 2, importedItemCount: 8 }

  function headline(): string {
    return core.summary.stringify().split('\n')[0] ?? ''
  }

  it('✅ for a complete import with nothing rejected', () => {
    renderSummary(result(base), [], [], limits)
    expect(headline()).toMatch(/^## ✅ 10 items imported into `orders`/)
  })

  it('⚠️ when max-errors accepted the rejected records, and says so above "The step passed"', () => {
    renderSummary(result(rejected), [], [], limits)
    expect(headline()).toBe(
      '## ⚠️ 8 items imported into `orders` from `s3://fixtures/orders/` in 2 s, 2 records rejected, accepted by max-errors (5)',
    )
    expect(core.summary.stringify()).toContain('**The step passed.**')
  })

  it('❌ whenever the step fails, whatever the status', () => {
    renderSummary(result(rejected), [], ['2 records were rejected, more than max-errors (1).'])
    expect(headline()).toMatch(/^## ❌ 8 items imported .*, 2 records rejected$/)
    core.summary.emptyBuffer()
    renderSummary(
      result({ ...base, importedItemCount: 3 }),
      [],
      ['3 items imported, fewer than min-items (4).'],
    )
    expect(headline()).toMatch(/^## ❌ 3 items imported/)
    core.summary.emptyBuffer()
    renderSummary(
      result({ ...base, mode: 'native', status: 'IN_PROGRESS', timedOutAfterMinutes: 1 }),
      [],
      ['The import is still IN_PROGRESS after 1 minutes'],
    )
    expect(headline()).toMatch(/^## ❌ 10 items imported into new table/)
  })

  it('❌ Cancelled, with what was written, read and not written, and where reading stopped', () => {
    renderSummary(
      result({
        ...base,
        status: 'CANCELLED',
        failureCode: 'Cancelled',
        importedItemCount: 100,
        errorCount: 25,
        unwrittenItemCount: 25,
        cancelled: {
          signal: 'SIGINT',
          notRead:
            's3://fixtures/orders/b.json after line 125; 1 objects not at all (s3://fixtures/orders/c.json)',
        },
      }),
      [],
      ['The import was cancelled (SIGINT): …'],
    )
    expect(headline()).toBe(
      '## ❌ Cancelled (SIGINT): 100 items imported into `orders` from `s3://fixtures/orders/` in 2 s, 25 records read and NOT written (in rejected-file); reading stopped at s3://fixtures/orders/b.json after line 125',
    )
    core.summary.emptyBuffer()
    renderSummary(
      result({
        ...base,
        status: 'CANCELLED',
        importedItemCount: 10,
        cancelled: { signal: 'SIGTERM' },
      }),
      [],
      ['cancelled'],
    )
    expect(headline()).toMatch(
      /^## ❌ Cancelled \(SIGTERM\): 10 items imported .*; every object was read$/,
    )
  })

  it('❌ Cancelled dry run: what would be imported, validated so far', () => {
    renderSummary(
      result({
        ...base,
        status: 'CANCELLED',
        failureCode: 'Cancelled',
        dryRun: true,
        importedItemCount: 100,
        cancelled: { signal: 'SIGINT', notRead: 's3://fixtures/orders/b.json after line 125' },
      }),
      [],
      ['The dry run was cancelled (SIGINT): …'],
    )
    expect(headline()).toBe(
      '## ❌ Cancelled (SIGINT): dry run, 100 items would be imported into `orders` from `s3://fixtures/orders/`, validated in 2 s; reading stopped at s3://fixtures/orders/b.json after line 125',
    )
  })

  it('❌ Cancelled for a native import, which goes on in AWS', () => {
    renderSummary(
      result({
        ...base,
        mode: 'native',
        status: 'IN_PROGRESS',
        failureCode: 'Cancelled',
        importArn: 'arn:aws:dynamodb:us-east-1:1:table/orders/import/01',
        cancelled: { signal: 'SIGINT' },
      }),
      [],
      ['The step was cancelled (SIGINT)'],
    )
    expect(headline()).toBe(
      '## ❌ Cancelled (SIGINT): ImportTable goes on in AWS into new table `orders` from `s3://fixtures/orders/` as `arn:aws:dynamodb:us-east-1:1:table/orders/import/01`; a re-run attaches to it',
    )
  })

  it('⏳ for an ImportTable import left running by wait: false', () => {
    renderSummary(result({ ...base, mode: 'native', status: 'IN_PROGRESS' }), [], [])
    expect(headline()).toBe(
      '## ⏳ ImportTable is still importing into new table `orders` from `s3://fixtures/orders/`',
    )
  })

  it('a dry run: 🧪 when it would pass, with its rejections accepted; ❌ when it would fail', () => {
    renderSummary(result({ ...rejected, dryRun: true }), [], [], limits)
    expect(headline()).toBe(
      '## 🧪 DRY RUN: 8 items would be imported into `orders` from `s3://fixtures/orders/`; 2 records would be rejected, accepted by max-errors (5); nothing was written',
    )
    core.summary.emptyBuffer()
    renderSummary(result({ ...rejected, dryRun: true }), [], ['2 records were rejected'])
    expect(headline()).toMatch(
      /^## ❌ DRY RUN: .*; 2 records would be rejected; nothing was written$/,
    )
  })

  it('says "new table" when the run created it, and from what', () => {
    renderSummary(result({ ...base, tableCreatedFrom: 'key-schema' }), [], [], limits)
    expect(headline()).toMatch(/^## ✅ 10 items imported into new table `orders` from /)
    expect(core.summary.stringify()).toContain(
      'Table `orders` was created by this run, from key-schema.',
    )
    core.summary.emptyBuffer()
    // ImportTable only ever imports into a table it creates.
    renderSummary(result({ ...base, mode: 'native' }), [], [], limits)
    expect(headline()).toMatch(/^## ✅ 10 items imported into new table `orders`/)
    core.summary.emptyBuffer()
    renderSummary(result(base), [], [], limits)
    expect(headline()).not.toContain('new table')
  })

  it('⚠️ and a warning when nothing at all was read, unless min-items fails it', () => {
    const empty = result({ ...base, processedItemCount: 0, importedItemCount: 0 })
    renderSummary(empty, [], [], limits)
    expect(headline()).toMatch(/^## ⚠️ 0 items imported into `orders`/)
    expect(core.summary.stringify()).toContain(
      '> [!WARNING]\n> 0 items imported from s3://fixtures/orders/: the source holds no records. Check source, or set min-items: 1 to make an empty import fail the step.',
    )
    core.summary.emptyBuffer()
    renderSummary(empty, [], ['0 items imported, fewer than min-items (1).'], {
      maxErrors: 0,
      minItems: 1,
    })
    expect(headline()).toMatch(/^## ❌/)
    expect(core.summary.stringify()).not.toContain('[!WARNING]')
  })
})

describe('the rows that mean something for the engine and endpoint that ran', () => {
  const pacing = {
    throttled: 0,
    itemsPerSecond: 900,
    unitsPerSecond: 900,
    longestStallMs: 0,
    concurrency: 16,
  }

  it('with a custom endpoint: no write capacity row', () => {
    renderSummary(result({ ...base, customEndpoint: true, capacitySource: 'computed' }), [], [])
    expect(core.summary.stringify()).not.toContain('Write capacity')
    core.summary.emptyBuffer()
    renderSummary(result({ ...base, capacitySource: 'reported' }), [], [])
    expect(core.summary.stringify()).toContain('| Write capacity consumed | 10 WCU |')
  })

  it('pace and stalls only when DynamoDB throttled', () => {
    renderSummary(result({ ...base, pacing }), [], [])
    const calm = core.summary.stringify()
    expect(calm).not.toContain('Throttled calls')
    expect(calm).not.toContain('Pace settled at')
    expect(calm).not.toContain('Longest stall')
    core.summary.emptyBuffer()
    renderSummary(
      result({ ...base, pacing: { ...pacing, throttled: 4, longestStallMs: 1500 } }),
      [],
      [],
    )
    const throttled = core.summary.stringify()
    expect(throttled).toContain('| Throttled calls | 4 |')
    expect(throttled).toContain('| Pace settled at | 900 items/s, 900 WCU/s |')
    expect(throttled).toContain('| Longest stall | 1.5 s |')
  })

  it('native: no stream rows (capacity, pace, objects of its own)', () => {
    const { objects: _listed, ...native } = result({ ...base, mode: 'native' })
    renderSummary(native, [], [])
    const text = core.summary.stringify()
    expect(text).toContain('| Objects | listed by ImportTable |')
    expect(text).not.toMatch(/Write capacity|Throttled|Pace settled|### Objects/)
  })

  it('the estimates when there are some, none when there are none', () => {
    const estimates = [
      { engine: 'stream' as const, cost: '< $0.01', time: 'about 1 s', notes: 'n' },
    ]
    renderSummary(result({ ...base, dryRun: true, estimates }), [], [])
    expect(core.summary.stringify()).toContain('| stream | &lt; $0.01 | about 1 s | n |')
    core.summary.emptyBuffer()
    renderSummary(result({ ...base, dryRun: true, estimates: [] }), [], [])
    expect(core.summary.stringify()).not.toContain('### Estimates')
  })

  it('a table of objects only for more than one object', () => {
    const one = [{ url: 's3://b/a.json', records: 10, rejected: 0 }]
    renderSummary(result({ ...base, perObject: one }), [], [])
    expect(core.summary.stringify()).not.toContain('### Objects')
    core.summary.emptyBuffer()
    renderSummary(
      result({ ...base, perObject: [...one, { url: 's3://b/b.json', records: 3, rejected: 1 }] }),
      [],
      [],
    )
    expect(core.summary.stringify()).toContain(
      '| s3://b/a.json | 10 | 0 | none |\n| s3://b/b.json | 3 | 1 | none |',
    )
  })
})

describe('writeStoppedSummary', () => {
  it('appends the headline and the failure at once, to the summary file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-summary-'))
    const file = path.join(dir, 'summary.md')
    fs.writeFileSync(file, '')
    vi.stubEnv('GITHUB_STEP_SUMMARY', file)
    writeStoppedSummary(
      { ...base, importedItemCount: 7 },
      'SIGTERM',
      'The import was cancelled (SIGTERM) and stopped at once',
    )
    writeStoppedSummary(undefined, 'SIGINT', 'before')
    expect(fs.readFileSync(file, 'utf8')).toBe(
      '## ❌ Cancelled (SIGTERM), then stopped at once: 7 items imported into `orders` from `s3://fixtures/orders/` by then\n\n' +
        '**The step failed:**\n\n- The import was cancelled (SIGTERM) and stopped at once\n\n' +
        '## ❌ Cancelled (SIGINT), then stopped at once: before the import started\n\n**The step failed:**\n\n- before\n\n',
    )
    vi.stubEnv('GITHUB_STEP_SUMMARY', '')
    writeStoppedSummary(undefined, 'SIGINT', 'nowhere to write')
  })
})
