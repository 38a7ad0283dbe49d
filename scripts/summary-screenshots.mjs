// Screenshots of the job summary as GitHub shows it, for the docs: four real runs of the built
// action (dist/index.js) against the emulators (a success, rejected records failing the step, a
// dry run, an input error), each summary rendered as GitHub-flavoured Markdown and shot in
// headless Chromium into docs/summary-<name>.png. Needs Debian's chromium (/usr/bin/chromium);
// --markdown-only writes the docs/summary-<name>.md files alone, where there is no Chromium.
//
//   node scripts/summary-screenshots.mjs [--markdown-only]
import { execFileSync, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { marked } from 'marked'
import { inputEnv, runnerFiles } from './action-env.mjs'
import { createSampleTable, startEmulators } from './emulators.mjs'
import { uploadExamples } from './upload-examples.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const MARKDOWN_ONLY = process.argv.includes('--markdown-only')
/** GitHub renders ```mermaid blocks with Mermaid; the pages here do too (from the npm registry). */
const MERMAID = '11.17.2'

/** Mermaid's browser bundle, fetched once with npm pack into .cache/. */
function mermaidScript() {
  const dir = path.join(root, '.cache', `mermaid-${MERMAID}`)
  const file = path.join(dir, 'package', 'dist', 'mermaid.min.js')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true })
    const tgz = execFileSync('npm', ['pack', `mermaid@${MERMAID}`, '--silent'], { cwd: dir })
      .toString()
      .trim()
    execFileSync('tar', ['xzf', tgz, 'package/dist/mermaid.min.js'], { cwd: dir })
  }
  return file
}

/** A workspace as a runner has one, with a fixture that has bad records in it. */
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-workspace-'))
fs.mkdirSync(path.join(workspace, 'fixtures'))
/** The runner's temp folder, where the rejected file goes: the layout of GitHub's runners. */
const RUNNER_TEMP = '/home/runner/work/_temp'
const madeHome = !fs.existsSync('/home/runner')

/** Runs the bundle as a runner does; resolves with its job summary. */
function runAction(inputs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-shot-'))
  const files = runnerFiles(dir)
  const child = spawn(process.execPath, [path.join(root, 'dist', 'index.js')], {
    env: {
      PATH: process.env.PATH,
      ...files,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      GITHUB_WORKSPACE: workspace,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo-org/orders-service',
      GITHUB_SHA: '4f1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
      ...inputEnv(inputs),
      RUNNER_TEMP,
    },
    stdio: 'ignore',
  })
  return new Promise((resolve) =>
    child.on('exit', () => resolve(fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'))),
  )
}

/** A page that looks like a job summary on GitHub: its Markdown, its font and its tables. */
function page(markdown) {
  // Mermaid blocks become <pre class="mermaid">, as GitHub turns them into charts.
  const renderer = new marked.Renderer()
  const code = renderer.code.bind(renderer)
  renderer.code = (token) =>
    token.lang === 'mermaid' ? `<pre class="mermaid">${token.text}</pre>` : code(token)
  const body = marked.parse(markdown, { gfm: true, async: false, renderer })
  return `<!doctype html><meta charset="utf-8"><style>
  body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; margin: 24px; max-width: 980px; }
  h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
  h3 { font-size: 1.25em; }
  table { border-collapse: collapse; margin: 0 0 16px; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
  tr:nth-child(2n) { background: #f6f8fa; }
  code { background: #eff1f3; padding: .2em .4em; border-radius: 6px; font-size: 85%; }
  pre { background: #f6f8fa; padding: 16px; border-radius: 6px; }
  blockquote { border-left: .25em solid #9a6700; padding: 0 1em; color: #59636e; margin: 0 0 16px; }
  a { color: #0969da; }
  pre.mermaid { background: none; max-width: 520px; }
</style>${body}
<script src="file://${mermaidScript()}"></script>
<script>
  mermaid.initialize({ startOnLoad: false, theme: 'default' })
  // Where the page ends once the charts are drawn: read back by pageHeight.
  mermaid.run().finally(() => {
    document.body.dataset.height = Math.ceil(document.body.getBoundingClientRect().bottom) + 24
  })
</script>`
}

/** Chromium's headless flags for a page of ours: no network, no profile left behind. */
function chromium(dir, ...args) {
  return execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      '--hide-scrollbars',
      '--virtual-time-budget=10000',
      '--allow-file-access-from-files',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' },
  )
}

/** The page's height once its charts are drawn, so that the screenshot ends where it does. */
function pageHeight(dir, html) {
  const dom = chromium(dir, '--window-size=1024,800', '--dump-dom', `file://${html}`)
  const height = Number(/data-height="(\d+)"/.exec(dom)?.[1])
  return Number.isFinite(height) && height > 0 ? height : 2000
}

function shoot(name, markdown) {
  fs.writeFileSync(path.join(root, 'docs', `summary-${name}.md`), markdown)
  if (MARKDOWN_ONLY) return console.log(`docs/summary-${name}.md`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-page-'))
  const html = path.join(dir, 'summary.html')
  fs.writeFileSync(html, page(markdown))
  const out = path.join(root, 'docs', `summary-${name}.png`)
  const height = pageHeight(dir, html)
  chromium(dir, `--window-size=1024,${height}`, `--screenshot=${out}`, `file://${html}`)
  console.log(`docs/summary-${name}.png (1024 × ${height})`)
}

const emulators = await startEmulators()
try {
  await uploadExamples(emulators.s3Endpoint, 'examples')
  const local = {
    region: 'us-east-1',
    'dynamodb-endpoint': emulators.dynamodbEndpoint,
    's3-endpoint': emulators.s3Endpoint,
  }
  await createSampleTable(emulators.dynamodbEndpoint, 'orders')
  shoot('success', await runAction({ ...local, table: 'orders', source: 's3://examples/items/' }))

  const docs = Array.from({ length: 30 }, (_, i) =>
    i % 3 === 0
      ? `{"pk": "order-${i}", "sk": 1e200}`
      : `{"pk": "order-${i}", "sk": ${i}, "total": 9.5}`,
  )
  fs.writeFileSync(path.join(workspace, 'fixtures', 'orders.json'), `[\n${docs.join(',\n')}\n]\n`)
  shoot(
    'rejected',
    await runAction({
      ...local,
      table: 'orders',
      source: 'fixtures/orders.json',
      'input-format': 'JSON',
    }),
  )

  shoot(
    'dry-run',
    await runAction({
      ...local,
      table: 'new-orders',
      source: 's3://examples/items/',
      'dry-run': 'true',
      'key-schema': 'pk:S,sk:N',
    }),
  )
  shoot(
    'input-error',
    await runAction({
      ...local,
      table: 'x',
      source: 'examples/items/',
      mode: 'turbo',
      'max-errors': '-1',
    }),
  )
} finally {
  await emulators.stop()
  fs.rmSync(workspace, { recursive: true, force: true })
  fs.rmSync(madeHome ? '/home/runner' : RUNNER_TEMP, { recursive: true, force: true })
}
