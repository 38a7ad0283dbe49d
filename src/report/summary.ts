/**
 * The job summary: the one user of core.summary. It is written as Markdown, one block at a time
 * with a blank line after each: GitHub's Markdown takes lines of HTML without a blank line between
 * them for one HTML block, and then renders nothing inside it as Markdown.
 */
import * as fs from 'node:fs'
import * as core from '@actions/core'
import { counted, formatBytes } from '../words.js'
import type { StepRecord } from '../steps.js'
import { workspaceRoot } from '../sources/local.js'
import { recordPlace } from './outputs.js'
import {
  recordNoun,
  REJECTION_KINDS,
  unreadAmount,
  unreadPlace,
  type EngineEstimate,
  type ImportResult,
  mismatched,
  type Limits,
  type TableOutcome,
  type RejectionKind,
  type UnreadObject,
} from '../result.js'
import { emptyImportWarning } from './verdict.js'

/** Reasons are the engine's words, but a summary row should stay a row. */
const MAX_REASON_CHARS = 300
/** Objects listed one per row; the rest are counted. */
const MAX_OBJECT_ROWS = 20
/** Below this the import is too short for a chart of its pace to say anything. */
const CHART_MIN_SECONDS = 30

/** Renders the job summary into core.summary's buffer (written by the caller). */
export function renderSummary(
  result: ImportResult | undefined,
  steps: StepRecord[],
  failures: string[],
  limits?: Limits,
): void {
  block(`## ${headline(result, failures, limits)}`)
  block(failures.length === 0 ? '**The step passed.**' : '**The step failed:**')
  if (failures.length > 0) block(failures.map(listItem).join('\n'))
  if (result) {
    const several = (result.tables?.length ?? 0) > 1
    const created = !result.tableCreatedFrom
      ? ''
      : several
        ? ` Tables created by this run: ${createdTables(result)}, from ${inline(result.tableCreatedFrom)}.`
        : ` Table \`${code(result.table ?? '?')}\` was created by this run, from ${inline(result.tableCreatedFrom)}.`
    block(`Engine: **${result.mode}**. ${inline(result.modeReason)}${created}`)
    const empty =
      result.objects === 0
        ? 'The source holds no objects: nothing was imported. Set `min-items` to make an empty source fail the step.'
        : limits && failures.length === 0 && emptyImportWarning(result, limits)
    if (empty) block(`> [!WARNING]\n> ${inline(empty)}`)
  }
  renderSteps(steps)
  if (!result) return
  if ((result.tables?.length ?? 0) > 1) renderTables(result.tables ?? [])
  if (result.unread && result.unread.length > 0) renderUnread(result.unread)
  if (result.readAs && result.readAs.length > 0) block(readAsLine(result.readAs))
  renderCounts(result)
  const verify = verifyParagraph(result)
  if (verify) block(verify)
  // One object's row would repeat the counts above.
  if (result.mode === 'stream' && (result.perObject?.length ?? 0) > 1) renderObjects(result)
  renderPace(result)
  if (result.estimates && result.estimates.length > 0) renderEstimates(result.estimates)
  if (result.errorCount > 0) renderRejections(result)
}

/** How the objects were read: `Read as: a JSON array of plain documents (…): 2 objects.` */
export function readAsLine(readAs: Array<{ how: string; objects: number }>): string {
  const ways = readAs.map(({ how, objects }) => `${inline(how)}: ${counted(objects, 'object')}`)
  return `Read as: ${ways.join('; ')}.`
}

/**
 * One line that names the table, the source and the result. Its icon is the step's verdict:
 * ❌ when the step fails, ⚠️ when it passes with something to look at (rejected records that
 * max-errors accepted, nothing imported), ✅ otherwise. A cancelled run says so first, with what
 * it wrote, what it read and did not write, and where reading stopped.
 */
function headline(
  result: ImportResult | undefined,
  failures: string[],
  limits: Limits | undefined,
): string {
  if (!result) return '❌ The import did not start'
  // ImportTable only ever imports into a table it creates.
  const isNew = result.mode === 'native' || result.tableCreatedFrom !== undefined
  const tables = result.tables ?? []
  const target =
    tables.length > 1
      ? `${tables.length} tables (${tables.map((t) => `\`${code(t.table)}\``).join(', ')})`
      : `${isNew ? 'new table ' : ''}\`${code(result.table ?? '?')}\``
  const into = `into ${target} from \`${code(result.source ?? '?')}\``
  const items = counted(result.importedItemCount, 'item')
  if (result.cancelled) return cancelledHeadline(result, result.cancelled, into, items)
  const failed = failures.length > 0
  const accepted = failed ? '' : `, accepted by max-errors${limits ? ` (${limits.maxErrors})` : ''}`
  if (result.dryRun) {
    const rejected =
      result.errorCount > 0
        ? `; ${counted(result.errorCount, 'record')} would be rejected${accepted}`
        : ''
    const icon = failed ? '❌' : '🧪'
    return `${icon} DRY RUN: ${items} would be imported ${into}${rejected}; nothing was written`
  }
  if (result.status === 'IN_PROGRESS' && !failed) {
    return `⏳ ImportTable is still importing ${into}`
  }
  const rejected =
    result.errorCount > 0 ? `, ${counted(result.errorCount, 'record')} rejected${accepted}` : ''
  const nothing = result.processedItemCount === 0 && result.errorCount === 0
  const icon = failed ? '❌' : result.errorCount > 0 || nothing ? '⚠️' : '✅'
  return `${icon} ${items} imported ${into} in ${seconds(result.durationSeconds)}${rejected}`
}

function cancelledHeadline(
  result: ImportResult,
  cancelled: NonNullable<ImportResult['cancelled']>,
  into: string,
  items: string,
): string {
  const head = `❌ Cancelled (${cancelled.signal}):`
  if (result.mode === 'native') {
    return `${head} ImportTable goes on in AWS ${into} as \`${code(result.importArn ?? '?')}\`; a re-run attaches to it`
  }
  // The first object not read is enough for a headline; the failure lists the rest.
  const stoppedAt = cancelled.notRead?.split(';')[0]
  const where = stoppedAt ? `; reading stopped at ${inline(stoppedAt)}` : '; every object was read'
  // A dry run writes nothing: what it had validated is what it says.
  if (result.dryRun) {
    return `${head} dry run, ${items} would be imported ${into}, validated in ${seconds(result.durationSeconds)}${where}`
  }
  return (
    `${head} ${items} imported ${into} in ${seconds(result.durationSeconds)}, ` +
    `${counted(result.unwrittenItemCount, 'record')} read and NOT written (in rejected-file)` +
    where
  )
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
  // The writer's rows are the stream engine's. An emulator's capacity bills nothing; pace and
  // stalls say something only when DynamoDB throttled.
  const stream = result.mode === 'stream'
  if (stream && result.consumedWriteCapacity !== undefined && !result.customEndpoint) {
    rows.push(['Write capacity consumed', `${result.consumedWriteCapacity} WCU`])
  }
  if (stream && result.pacing && result.pacing.throttled > 0) {
    const p = result.pacing
    rows.push(['Throttled calls', String(p.throttled)])
    rows.push(['Pace settled at', `${p.itemsPerSecond} items/s, ${p.unitsPerSecond} WCU/s`])
    rows.push(['Longest stall', `${(p.longestStallMs / 1000).toFixed(1)} s`])
  }
  block(table(['Measure', 'Value'], rows))
  // A pie of one slice says nothing the rows above do not.
  if (result.importedItemCount > 0 && result.errorCount > 0) {
    const imported = result.dryRun ? 'Would be imported' : 'Imported'
    block(
      '```mermaid\npie showData title Records\n' +
        `    "${imported}" : ${result.importedItemCount}\n` +
        `    "Rejected" : ${result.errorCount}\n` +
        '```',
    )
  }
}

/**
 * The read-back in one line of figures: what was checked and what it found, the read units and
 * the time; or why it did not run, or (a dry run) what it would read.
 */
export function verifyParagraph(result: ImportResult): string | undefined {
  const v = result.verification
  if (v) {
    const extra = v.extra !== undefined ? `, ${v.extra} extra` : ''
    const icon = mismatched(v) > 0 ? '❌' : '✅'
    return (
      `${icon} **Verify (${v.level}):** ${counted(v.checked, 'item')} checked: ${v.equal} equal, ` +
      `${v.missing} missing, ${v.different} different${extra}; ${v.readUnits} read units; ${seconds(v.seconds)}.`
    )
  }
  const notRun = result.verifyNotRun
  if (!notRun) return undefined
  if (notRun.items !== undefined) {
    const units =
      notRun.readUnits !== undefined ? `, at most about ${notRun.readUnits} read units` : ''
    return `**Verify (${notRun.level}), planned:** would read ${counted(notRun.items, 'item')} back with consistent reads${units}.`
  }
  return `**Verify (${notRun.level}):** not run: ${inline(notRun.why)}.`
}

/** The names of the tables this run created: `\`a\`, \`b\``. */
function createdTables(result: ImportResult): string {
  return (result.tables ?? [])
    .filter((t) => t.created)
    .map((t) => `\`${code(t.table)}\``)
    .join(', ')
}

/** One row per table of a step that loaded several. */
function renderTables(tables: TableOutcome[]): void {
  block('### Tables')
  block(
    table(
      ['Table', 'Status', 'Created by this step', 'Imported', 'Rejected'],
      tables.map((t) => [
        `\`${code(t.table)}\``,
        t.status + (t.failureCode ? ` (${t.failureCode})` : ''),
        t.created ? 'yes' : 'no',
        String(t.imported),
        String(t.rejected),
      ]),
    ),
  )
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

/** Objects whose reading stopped before their end: where, why, and how much was left. */
function renderUnread(unread: UnreadObject[]): void {
  block('### Not read to the end')
  block(
    'These objects could not be read to their end: what follows the point where reading stopped ' +
      'was neither imported nor counted, and max-errors does not apply to it.',
  )
  block(
    table(
      ['Object and line', 'Stopped at', 'Why', 'Not read'],
      unread.map((u) => [
        recordLink(u.location),
        cell(unreadPlace(u).replace(' after ', ', after ')),
        cell(truncate(u.reason)),
        cell(
          `${unreadAmount(u).replace(/ not read$/, '')} (${counted(u.recordsRead, recordNoun(u.format))} read)`,
        ),
      ]),
    ),
  )
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

/**
 * The summary of a run stopped at once (a second signal, or the cancel's deadline), written
 * synchronously since the process ends right after: the headline and the failure, no more.
 */
export function writeStoppedSummary(
  result: Pick<ImportResult, 'importedItemCount' | 'table' | 'source'> | undefined,
  signal: string,
  failure: string,
): void {
  const file = process.env['GITHUB_STEP_SUMMARY']
  if (!file) return
  const what = result
    ? `${counted(result.importedItemCount, 'item')} imported into \`${code(result.table ?? '?')}\` from \`${code(result.source ?? '?')}\` by then`
    : 'before the import started'
  fs.appendFileSync(
    file,
    `## ❌ Cancelled (${signal}), then stopped at once: ${what}\n\n` +
      `**The step failed:**\n\n${listItem(failure)}\n\n`,
  )
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
