import * as core from '@actions/core'
import type { ImportTableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from '../clients.js'
import { ActionError } from '../errors.js'
import type { Inputs } from '../inputs.js'
import { detectCompression, type ResolvedCompression } from '../sources/decompress.js'
import { listInOrder, type Source, type SourceObject } from '../sources/source.js'
import type { Steps } from '../steps.js'
import { agreeOnCompression, compressionFromName, importRequest } from './import-request.js'
import { ITEM_VALIDATION_ERROR } from './explain.js'
import { nativeImport, type NativeOutcome } from './import-table.js'

/** What the native engine takes from the start step. */
export interface NativeJob {
  source: Source
  /** The objects, when the start step listed them. */
  objects?: SourceObject[]
  /** A DynamoDB export's data prefix, and the keys beside its data that are not part of it. */
  export?: { dataPrefix: string; ignored: string[] }
  /** The table as the start step found it: its ARN, when it exists (an import still fills it). */
  table?: { TableArn?: string | undefined }
}

/** ImportTable's final description, and how many objects the action saw (when it listed them). */
export interface NativeRun {
  outcome: NativeOutcome
  objects: number | undefined
}

export interface NativeRunOptions {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/** The native engine from the plan to a result: the request, ImportTable, the wait, the report. */
export async function runNative(
  inputs: Inputs,
  plan: NativeJob,
  clients: Clients,
  steps: Steps,
  options: NativeRunOptions = {},
): Promise<NativeRun> {
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
        logs: () => clients.logs(),
        request,
        region: inputs.region ?? 'us-east-1',
        wait: inputs.wait,
        timeoutMinutes: inputs.timeoutMinutes,
        ...(plan.table?.TableArn && { tableArn: plan.table.TableArn }),
        onStarted: publishStart,
        ...options,
      })
      return { outcome, objects }
    },
  )
  endSteps(steps, outcome, inputs.wait)
  return { outcome, objects: objects?.length }
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
    d.FailureCode === undefined || d.FailureCode === ITEM_VALIDATION_ERROR,
  )
  steps.end('validate', `${d.ProcessedItemCount ?? 0} records, ${errors} rejected`, errors === 0)
  steps.end(
    'write',
    `${d.ImportedItemCount ?? 0} items imported`,
    d.ImportStatus === 'COMPLETED' || d.FailureCode === ITEM_VALIDATION_ERROR,
  )
}
