/**
 * One step, several tables: each table's result, and the step's as their totals. The verdict
 * (max-errors, min-items) and the scalar outputs read the totals; the `tables` output and the
 * summary's table rows read each table's.
 */
import {
  MAX_REJECTION_SAMPLES,
  type ImportResult,
  type ImportStatus,
  type RejectionKind,
  type TableOutcome,
  type VerifyReport,
} from './result.js'

/** The worst status first: the step's status is its worst table's. */
const STATUS_ORDER: readonly ImportStatus[] = ['FAILED', 'CANCELLED', 'IN_PROGRESS', 'COMPLETED']

/** What the `tables` output says of one table. */
export function tableOutcome(result: ImportResult): TableOutcome {
  return {
    table: result.table ?? '',
    status: result.status,
    ...(result.tableArn !== undefined && { tableArn: result.tableArn }),
    ...(result.failureCode !== undefined && { failureCode: result.failureCode }),
    imported: result.importedItemCount,
    rejected: result.errorCount,
    created: result.tableCreatedFrom !== undefined,
  }
}

/**
 * The step's result from its tables' results, in the order loaded: counts summed, the worst
 * status with its failure, what only one table can have (an ARN, the pace) only for one table.
 */
export function combineResults(results: readonly ImportResult[]): ImportResult {
  const [first, ...rest] = results
  if (!first) throw new Error('combineResults: no table')
  const tables = results.map(tableOutcome)
  if (rest.length === 0) return { ...first, tables }
  const sum = (pick: (r: ImportResult) => number) => results.reduce((t, r) => t + pick(r), 0)
  const worst = STATUS_ORDER.find((s) => results.some((r) => r.status === s)) ?? 'COMPLETED'
  const failed = results.find((r) => r.status === worst && r.failureCode !== undefined)
  const capacity = results.filter((r) => r.consumedWriteCapacity !== undefined)
  const reasons = [...new Set(results.map((r) => r.modeReason))]
  const created = [...new Set(results.flatMap((r) => r.tableCreatedFrom ?? []))]
  const messages = results.flatMap((r) =>
    r.failureMessage ? [`${r.table ?? ''}: ${r.failureMessage}`] : [],
  )
  const stopped = results.find((r) => r.stopped)?.stopped
  const cancelled = results.find((r) => r.cancelled)?.cancelled
  const rejectedFile = results.find((r) => r.rejectedFile)?.rejectedFile
  const timedOut = results.find((r) => r.timedOutAfterMinutes)?.timedOutAfterMinutes
  const unread = results.flatMap((r) => r.unread ?? [])
  return {
    mode: results.every((r) => r.mode === first.mode) ? first.mode : 'stream',
    modeReason: reasons.join(' '),
    status: worst,
    ...(failed?.failureCode !== undefined && { failureCode: failed.failureCode }),
    ...(messages.length > 0 && { failureMessage: messages.join(' ') }),
    processedItemCount: sum((r) => r.processedItemCount),
    importedItemCount: sum((r) => r.importedItemCount),
    errorCount: sum((r) => r.errorCount),
    unwrittenItemCount: sum((r) => r.unwrittenItemCount),
    processedSizeBytes: sum((r) => r.processedSizeBytes),
    durationSeconds: Math.max(...results.map((r) => r.durationSeconds)),
    ...(capacity.length > 0 && {
      consumedWriteCapacity: capacity.reduce((t, r) => t + (r.consumedWriteCapacity ?? 0), 0),
    }),
    ...(first.capacitySource !== undefined && { capacitySource: first.capacitySource }),
    ...(timedOut !== undefined && { timedOutAfterMinutes: timedOut }),
    ...(rejectedFile !== undefined && { rejectedFile }),
    dryRun: first.dryRun,
    objects: new Set(results.flatMap((r) => (r.perObject ?? []).map((o) => o.url))).size,
    table: results.map((r) => r.table ?? '').join(', '),
    ...(first.source !== undefined && { source: first.source }),
    ...(created.length > 0 && { tableCreatedFrom: created.join(', ') }),
    ...(first.customEndpoint !== undefined && { customEndpoint: first.customEndpoint }),
    perObject: results.flatMap((r) => r.perObject ?? []),
    ...readAs(results),
    ...(stopped && { stopped }),
    ...(cancelled && { cancelled }),
    ...(unread.length > 0 && { unread }),
    rejections: {
      samples: results.flatMap((r) => r.rejections.samples).slice(0, MAX_REJECTION_SAMPLES),
      byKind: byKind(results),
    },
    tables,
    ...verification(results),
  }
}

/** The checks of every table, summed; their levels are the step's one verify input. */
function verification(
  results: readonly ImportResult[],
): Pick<ImportResult, 'verification' | 'verifyNotRun'> {
  const reports = results.flatMap((r) => r.verification ?? [])
  const notRun = results.find((r) => r.verifyNotRun)?.verifyNotRun
  const [first] = reports
  if (!first) return notRun ? { verifyNotRun: notRun } : {}
  const sum = (pick: (r: VerifyReport) => number) => reports.reduce((t, r) => t + pick(r), 0)
  return {
    verification: {
      level: first.level,
      checked: sum((r) => r.checked),
      equal: sum((r) => r.equal),
      missing: sum((r) => r.missing),
      different: sum((r) => r.different),
      ...(first.extra !== undefined && { extra: sum((r) => r.extra ?? 0) }),
      readUnits: sum((r) => r.readUnits),
      seconds: sum((r) => r.seconds),
      samples: reports.flatMap((r) => r.samples).slice(0, MAX_REJECTION_SAMPLES),
    },
    ...(notRun && { verifyNotRun: notRun }),
  }
}

/** Each way of reading, with the objects read that way over every table. */
function readAs(results: readonly ImportResult[]): Pick<ImportResult, 'readAs'> {
  const objects = new Map<string, number>()
  for (const r of results)
    for (const { how, objects: n } of r.readAs ?? []) objects.set(how, (objects.get(how) ?? 0) + n)
  if (objects.size === 0) return {}
  return { readAs: [...objects].map(([how, n]) => ({ how, objects: n })) }
}

function byKind(results: readonly ImportResult[]): Partial<Record<RejectionKind, number>> {
  const total: Partial<Record<RejectionKind, number>> = {}
  for (const r of results)
    for (const [kind, n] of Object.entries(r.rejections.byKind) as Array<[RejectionKind, number]>)
      total[kind] = (total[kind] ?? 0) + n
  return total
}
