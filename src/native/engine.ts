import * as core from '@actions/core'
import type { ImportTableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from '../clients.js'
import { ActionError } from '../errors.js'
import type { Inputs } from '../inputs.js'
import type { ImportResult, ImportStatus } from '../report/report.js'
import { detectCompression, type ResolvedCompression } from '../sources/decompress.js'
import { listInOrder, type Source, type SourceObject } from '../sources/source.js'
import type { Plan } from '../plan/plan.js'
import type { Steps } from '../steps.js'
import { agreeOnCompression, compressionFromName, importRequest } from './import-request.js'
import { explainFailure, nativeImport, type NativeOutcome } from './import-table.js'

export interface NativeRunOptions {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/** The native engine from the plan to a result: the request, ImportTable, the wait, the report. */
export async function runNative(
  inputs: Inputs,
  plan: Plan,
  clients: Clients,
  steps: Steps,
  options: NativeRunOptions = {},
): Promise<Omit<ImportResult, 'mode' | 'modeReason' | 'durationSeconds'>> {
  const creation = inputs.tableCreation
  if (!creation) throw new Error('native: no table creation parameters')
  const stray = plan.export?.ignored.find((key) => key.startsWith(plan.export?.dataPrefix ?? ''))
  if (stray !== undefined) {
    throw new ActionError(
      `The export's data prefix ${plan.export?.dataPrefix} also holds ${stray}, which is not the export's; ImportTable would read it too. Remove it, or use mode stream, which reads exactly the manifest's files.`,
    )
  }
  steps.start('read', 'validate', 'write')
  const { outcome, objects } = await steps.group(
    'Import: ImportTable reads, validates and writes',
    async () => {
      // ImportTable lists the objects itself; the action looks only to tell their compression.
      const objects =
        plan.objects ?? (inputs.compression === 'auto' ? await listInOrder(plan.source) : undefined)
      const compression = await resolveCompression(inputs, plan.source, objects ?? [])
      const request = importRequest(inputs, creation, compression)
      core.info(
        `ImportTable: ${request.InputFormat}, ${compression}, client token ${request.ClientToken}`,
      )
      const outcome = await nativeImport({
        dynamodb: clients.dynamodb,
        logs: clients.logs,
        request,
        region: inputs.region ?? 'us-east-1',
        wait: inputs.wait,
        timeoutMinutes: inputs.timeoutMinutes,
        onStarted: publishStart,
        ...options,
      })
      return { outcome, objects }
    },
  )
  endSteps(steps, outcome, inputs.wait)
  return nativeResult(outcome, objects?.length, inputs)
}

/** import-arn and table-arn as soon as they are known: a later failure leaves them for the workflow. */
function publishStart(description: ImportTableDescription): void {
  core.setOutput('import-arn', description.ImportArn ?? '')
  core.setOutput('table-arn', description.TableArn ?? '')
  core.setOutput('status', description.ImportStatus ?? 'IN_PROGRESS')
}

/**
 * ImportTable needs one compression for every object: the declared one, or with auto what each
 * object's name says or else its first bytes.
 */
export async function resolveCompression(
  inputs: Pick<Inputs, 'compression'>,
  source: Source,
  objects: SourceObject[],
): Promise<ResolvedCompression> {
  if (inputs.compression !== 'auto') return inputs.compression
  const found: Array<{ key: string; compression: ResolvedCompression }> = []
  for (const object of objects) {
    if (object.size === 0) continue // an empty object is zero items whatever its compression
    found.push({
      key: object.key,
      compression: compressionFromName(object.key) ?? (await sniff(source, object)),
    })
  }
  return agreeOnCompression(found)
}

async function sniff(source: Source, object: SourceObject): Promise<ResolvedCompression> {
  // Leaving the loop after the first chunk closes the stream: only the first bytes are read.
  for await (const chunk of await source.open(object)) return detectCompression(chunk)
  return 'NONE'
}

function endSteps(steps: Steps, outcome: NativeOutcome, waited: boolean): void {
  const d = outcome.description
  if (!waited || outcome.timedOut) {
    const why = waited ? 'timeout-minutes passed' : 'wait: false'
    for (const step of ['read', 'validate', 'write'] as const) {
      steps.end(
        step,
        `ImportTable is ${d.ImportStatus ?? 'IN_PROGRESS'}; not waited for (${why})`,
        waited ? false : true,
      )
    }
    return
  }
  const errors = d.ErrorCount ?? 0
  steps.end(
    'read',
    `${d.ProcessedSizeBytes ?? 0} bytes uncompressed`,
    d.FailureCode === undefined || d.FailureCode === 'ItemValidationError',
  )
  steps.end('validate', `${d.ProcessedItemCount ?? 0} records, ${errors} rejected`, errors === 0)
  steps.end(
    'write',
    `${d.ImportedItemCount ?? 0} items imported`,
    d.ImportStatus === 'COMPLETED' || d.FailureCode === 'ItemValidationError',
  )
}

/** ImportTable's description as the action's result. */
export function nativeResult(
  outcome: NativeOutcome,
  objects: number | undefined,
  inputs: Pick<Inputs, 'timeoutMinutes'>,
): Omit<ImportResult, 'mode' | 'modeReason' | 'durationSeconds'> {
  const d = outcome.description
  const errors = d.ErrorCount ?? 0
  return {
    status: (d.ImportStatus === 'CANCELLING'
      ? 'IN_PROGRESS'
      : (d.ImportStatus ?? 'IN_PROGRESS')) as ImportStatus,
    ...(d.FailureCode && {
      failureCode: d.FailureCode,
      failureMessage: explainFailure(d.FailureCode, d.FailureMessage ?? ''),
    }),
    ...(d.ImportArn && { importArn: d.ImportArn }),
    ...(d.TableArn && { tableArn: d.TableArn }),
    processedItemCount: d.ProcessedItemCount ?? 0,
    importedItemCount: d.ImportedItemCount ?? 0,
    errorCount: errors,
    unwrittenItemCount: 0,
    processedSizeBytes: d.ProcessedSizeBytes ?? 0,
    ...(d.CloudWatchLogGroupArn && { cloudwatchLogGroupArn: d.CloudWatchLogGroupArn }),
    ...(outcome.timedOut && { timedOutAfterMinutes: inputs.timeoutMinutes }),
    dryRun: false,
    ...(objects !== undefined && { objects }),
    retries: 0,
    rejections: { samples: outcome.itemErrors, byKind: errors > 0 ? { invalid: errors } : {} },
  }
}
