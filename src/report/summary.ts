/**
 * The job summary: the one user of core.summary. It is written as Markdown, one block at a time
 * with a blank line after each: GitHub's Markdown takes lines of HTML without a blank line between
 * them for one HTML block, and then renders nothing inside it as Markdown.
 */
import * as core from '@actions/core'
import { REJECTION_KINDS, type RejectionKind } from '../formats/record.js'
import { counted, formatBytes } from '../words.js'
import type { EngineEstimate } from '../stream/estimate.js'
import type { StepRecord } from '../steps.js'
import { workspaceRoot } from '../sources/local.js'
import { recordPlace } from './outputs.js'
import type { ImportResult, ImportStatus } from './result.js'

/** Reasons are the engine's words, but a summary row should stay a row. */
const MAX_REASON_CHARS = 300
/** Objects listed one per row; the rest are counted. */
const MAX_OBJECT_ROWS = 20
/** Below this the import is too short for a chart of its pace to say anything. */
const CHART_MIN_SECONDS = 30

const STATUS_ICON: Record<ImportStatus, string> = {
  COMPLETED: '✅',
  FAILED: '❌',
  CANCELLED: '⛔',
  IN_PROGRESS: '⏳',
}

/** Renders the job summary into core.summary's buffer (written by the caller). */
export function renderSummary(
  result: ImportResult | undefined,
  steps: StepRecord[],
  failures: string[],
): void {
  block(`## ${headline(result, failures)}`)
  block(failures.length === 0 ? '**The step passed.**' : '**The step failed:**')
  if (failures.length > 0) block(failures.map(listItem).join('\n'))
  if (result) {
    block(`Engine: **${result.mode}**. ${inline(result.modeReason)}`)
    if (result.objects === 0) {
      block(
        '> [!WARNING]\n> The source holds no objects: nothing was imported. Set `min-items` to make an empty source fail the step.',
      )
    }
  }
  renderSteps(steps)
  if (!result) return
  if (result.readAs && result.readAs.length > 0) block(readAsLine(result.readAs))
  renderCounts(result)
  if (result.perObject && result.perObject.length > 0) renderObjects(result)
  renderPace(result)
  if (result.estimates) renderEstimates(result.estimates)
  if (result.errorCount > 0) renderRejections(result)
}

/** How the objects were read: `Read as: a JSON array of plain documents (…): 2 objects.` */
export function readAsLine(readAs: Array<{ how: string; objects: number }>): string {
  const ways = readAs.map(({ how, objects }) => `${inline(how)}: ${counted(objects, 'object')}`)
  return `Read as: ${ways.join('; ')}.`
}

/** One line that names the table, the source and the result. */
function headline(result: ImportResult | undefined, failures: string[]): string {
  if (!result) return '❌ The import did not start'
  const into = `into \`${code(result.table ?? '?')}\` from \`${code(result.source ?? '?')}\``
  const items = counted(result.importedItemCount, 'item')
  const time = `in ${seconds(result.durationSeconds)}`
  if (result.dryRun) {
    return `🧪 DRY RUN: ${items} would be imported ${into}; nothing was written`
  }
  if (result.status === 'IN_PROGRESS') return `⏳ ImportTable is still importing ${into}`
  const rejected = result.errorCount > 0 ? `, ${counted(result.errorCount, 'record')} rejected` : ''
  const icon = failures.length > 0 ? '❌' : STATUS_ICON[result.status]
  return `${icon} ${items} imported ${into} ${time}${rejected}`
}

function renderSteps(steps: StepRecord[]): void {
  if (steps.length === 0) return
  block('### Steps')
  block(
    table(
      ['Step', 'Result', 'Time'],
      steps.map((step) => [
        `${step.ok ? '✅' : '❌'} ${step.name}`,
        cell(step.result),
        `${step.startedAt.toFixed(1)}–${step.endedAt.toFixed(1)} s`,
      ]),
    ),
  )
}

function renderCounts(result: ImportResult): void {
  block('### Counts')
  const rate =
    result.durationSeconds > 0 ? Math.round(result.importedItemCount / result.durationSeconds) : 0
  const rows: string[][] = [
    ['Objects', result.objects === undefined ? 'listed by ImportTable' : String(result.objects)],
    ['Records read', String(result.processedItemCount)],
    [
      result.dryRun ? 'Items that would be imported' : 'Items imported',
      String(result.importedItemCount),
    ],
    ['Records rejected', String(result.errorCount)],
    ['Read (uncompressed)', formatBytes(result.processedSizeBytes)],
    ['Duration', seconds(result.durationSeconds)],
    [result.dryRun ? 'Records validated per second' : 'Items per second', String(rate)],
  ]
  if (result.consumedWriteCapacity !== undefined) {
    const how =
      result.capacitySource === 'computed'
        ? ' (computed: one per started KB of each item; the endpoint is an emulator)'
        : ''
    rows.push(['Write capacity consumed', `${result.consumedWriteCapacity} WCU${how}`])
  }
  if (result.pacing) {
    const p = result.pacing
    rows.push(['Throttled calls', String(p.throttled)])
    rows.push(['Pace settled at', `${p.itemsPerSecond} items/s, ${p.unitsPerSecond} WCU/s`])
    rows.push(['Longest stall', `${(p.longestStallMs / 1000).toFixed(1)} s`])
  }
  block(table(['Measure', 'Value'], rows))
  if (result.processedItemCount > 0) {
    const imported = result.dryRun ? 'Would be imported' : 'Imported'
    block(
      '```mermaid\npie showData title Records\n' +
        `    "${imported}" : ${result.importedItemCount}\n` +
        `    "Rejected" : ${result.errorCount}\n` +
        '```',
    )
  }
}

function renderObjects(result: ImportResult): void {
  const objects = result.perObject ?? []
  block('### Objects')
  block(
    table(
      ['Object', 'Records', 'Rejected', 'Compression'],
      objects
        .slice(0, MAX_OBJECT_ROWS)
        .map((o) => [
          cell(recordPlace(`${o.url}:1`, workspaceRoot()).file ?? o.url),
          String(o.records),
          String(o.rejected),
          (o.compression ?? 'none').toLowerCase(),
        ]),
    ),
  )
  const rest = objects.length - MAX_OBJECT_ROWS
  if (rest > 0) block(`…and ${counted(rest, 'more object')}.`)
}

/** Items written over time, for imports long enough to have a pace worth a chart. */
function renderPace(result: ImportResult): void {
  const samples = result.progress ?? []
  if (result.durationSeconds < CHART_MIN_SECONDS || samples.length < 2) return
  const rates = samples.map((s, i) => {
    const before = i === 0 ? { seconds: 0, items: 0 } : (samples[i - 1] as typeof s)
    const span = Math.max(1, s.seconds - before.seconds)
    return Math.round((s.items - before.items) / span)
  })
  block('### Items per second')
  block(
    '```mermaid\nxychart-beta\n' +
      `    x-axis "seconds" [${samples.map((s) => s.seconds).join(', ')}]\n` +
      '    y-axis "items/s"\n' +
      `    line [${rates.join(', ')}]\n` +
      '```',
  )
}

function renderEstimates(estimates: EngineEstimate[]): void {
  block('### Estimates: what the import would cost and take')
  block(
    table(
      ['Engine', 'Cost', 'Time', 'Basis'],
      estimates.map((e) => [e.engine, cell(e.cost), cell(e.time), cell(e.notes)]),
    ),
  )
  block('Prices are us-east-1 list prices; other regions differ.')
}

function renderRejections(result: ImportResult): void {
  block('### Rejected records')
  const kinds = Object.entries(result.rejections.byKind) as Array<[RejectionKind, number]>
  block(kinds.map(([kind, n]) => `- ${REJECTION_KINDS[kind]}: ${n}`).join('\n'))
  block(
    table(
      ['Where', 'Why'],
      result.rejections.samples.map((r) => [recordLink(r.location), cell(truncate(r.reason))]),
    ),
  )
  const more = result.errorCount - result.rejections.samples.reduce((n, r) => n + r.records, 0)
  const where = result.rejectedFile ? ` All of them are in \`${code(result.rejectedFile)}\`.` : ''
  if (more > 0) block(`…and ${more} more.${where}`)
  else if (where) block(where.trim())
}

/**
 * A rejected record's place: for a file of the workspace, its path and line, linked to that line
 * of the commit the job runs on (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA).
 */
function recordLink(location: string, env: NodeJS.ProcessEnv = process.env): string {
  const place = recordPlace(location, workspaceRoot())
  if (place.file === undefined) return cell(location)
  const text = cell(`${place.file}:${place.line}`)
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env
  if (!server || !repository || !sha) return text
  const file = place.file.split('/').map(encodeURIComponent).join('/')
  return `[${text}](${server}/${repository}/blob/${sha}/${file}#L${place.line})`
}

/** A reason as a list item; the lines of a reason that lists problems (`\n- …`) nest under it. */
function listItem(reason: string): string {
  const [first = '', ...rest] = reason.split('\n- ')
  return [`- ${inline(first)}`, ...rest.map((line) => `  - ${inline(line)}`)].join('\n')
}

/** One Markdown block, and the blank line that ends it. */
function block(markdown: string): void {
  core.summary.addRaw(`${markdown}\n\n`)
}

/** A GitHub-flavoured Markdown table. */
function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}

/** Text for a table cell: HTML escaped, pipes escaped, on one line. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|')
}

/** Text inside a paragraph or a list item: HTML escaped, on one line. */
function inline(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ')
}

/** Text inside backticks: backticks cannot be escaped there, so they are dropped. */
function code(text: string): string {
  return text.replace(/`/g, "'")
}

function seconds(value: number): string {
  return value < 10 ? `${Number(value.toFixed(1))} s` : `${Math.round(value)} s`
}

function truncate(text: string): string {
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS)}…` : text
}

/** Writes the summary; a failure to write it is a warning, never the step's failure. */
export async function writeSummary(): Promise<void> {
  try {
    await core.summary.write()
  } catch (err) {
    core.warning(
      `Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
}
