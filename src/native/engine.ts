import * as core from '@actions/core'
import type { ImportTableDescription, TableCreationParameters } from '@aws-sdk/client-dynamodb'
import { cancelledBy } from '../cancel.js'
import type { EngineContext } from '../engine.js'
import { ActionError } from '../errors.js'
import { ITEM_VALIDATION_ERROR, type EngineResult } from '../result.js'
import {
  detectCompression,
  type Compression,
  type ResolvedCompression,
} from '../sources/decompress.js'
import { listInOrder, type Source, type SourceObject } from '../sources/source.js'
import type { Steps } from '../steps.js'
import {
  agreeOnCompression,
  compressionFromName,
  importRequest,
  type RequestInputs,
} from './import-request.js'
import { nativeImport, type NativeOutcome } from './import-table.js'
import { fromNative } from './result.js'
import type { NativeSettings } from './settings.js'

/** What the native engine takes from the start step: all an ImportTable request is made of. */
export interface NativeJob {
  engine: 'native'
  source: Source
  /** The objects, when the start step listed them. */
  objects?: SourceObject[]
  /** A DynamoDB export's data prefix, and the keys beside its data that are not part of it. */
  export?: { dataPrefix: string; ignored: string[] }
  /** The table as the start step found it: its ARN, when it exists (an import still fills it). */
  table?: { TableArn?: string | undefined }
  /** The source, format and client token of the request. */
  request: RequestInputs
  /** The table ImportTable creates. */
  creation: TableCreationParameters
  compression: Compression
  /** Whether and how long to wait (the client token is the request's). */
  settings: Pick<NativeSettings, 'wait' | 'timeoutMinutes'>
  /** The region of the import, for the links to its logs. */
  region: string
}

/** The native engine from the job to a result: the request, ImportTable, the wait, the report. */
export async function runNative(job: NativeJob, context: EngineContext): Promise<EngineResult> {
  const { clients, steps, signal } = context
  let started: ImportTableDescription | undefined
  // What the outputs say if the run is cancelled now: the import, once started, goes on.
  context.showCounts?.(() => ({
    status: started ? 'IN_PROGRESS' : 'CANCELLED',
    ...(started?.ImportArn && { importArn: started.ImportArn }),
    ...(started?.TableArn && { tableArn: started.TableArn }),
  }))
  const stray = job.export?.ignored.find((key) => key.startsWith(job.export?.dataPrefix ?? ''))
  if (stray !== undefined) {
    throw new ActionError(
      `The export's data prefix ${job.export?.dataPrefix} also holds ${stray}, which is not the export's; ImportTable would read it too. Remove it, or use mode stream, which reads exactly the manifest's files.`,
    )
  }
  const { wait, timeoutMinutes } = job.settings
  steps.start('read', 'validate', 'write')
  const { outcome, objects } = await steps.group(
    'Import: ImportTable reads, validates and writes',
    async () => {
      // ImportTable lists the objects itself; the action looks only to tell their compression.
      const objects =
        job.objects ?? (job.compression === 'auto' ? await listInOrder(job.source) : undefined)
      const compression = await resolveCompression(job.compression, job.source, objects ?? [])
      const request = importRequest(job.request, job.creation, compression)
      // Cancelled before the import began: none is started, rather than one nobody waits for.
      const early = cancelledBy(signal)
      if (early) {
        throw new ActionError(
          `Cancelled (${early.signal}) before ImportTable was called: no import was started, nothing was imported.`,
        )
      }
      core.info(
        `ImportTable: ${request.InputFormat}, ${compression}, client token ${request.ClientToken}`,
      )
      const outcome = await nativeImport({
        dynamodb: clients.dynamodb,
        logs: () => clients.logs(),
        request,
        region: job.region,
        wait,
        timeoutMinutes,
        ...(job.table?.TableArn && { tableArn: job.table.TableArn }),
        onStarted: (description) => {
          started = description
          publishStart(description)
        },
        ...(context.now && { now: context.now }),
        ...(context.sleep && { sleep: context.sleep }),
        ...(signal && { signal }),
      })
      const cancelled = cancelledBy(signal)
      if (cancelled && outcome.cancelled) {
        core.info(
          `Cancelled (${cancelled.signal}): stopped waiting; ImportTable goes on in AWS as ` +
            `${outcome.description.ImportArn ?? '?'}: re-running this step attaches to it and waits for its end.`,
        )
      }
      return { outcome, objects }
    },
  )
  endSteps(steps, outcome, wait)
  const cancelled = outcome.cancelled ? cancelledBy(signal) : undefined
  return fromNative(
    { outcome, objects: objects?.length, ...(cancelled && { cancelledBy: cancelled.signal }) },
    timeoutMinutes,
  )
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
  declared: Compression,
  source: Source,
  objects: SourceObject[],
): Promise<ResolvedCompression> {
  if (declared !== 'auto') return declared
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
  if (!waited || outcome.timedOut || outcome.cancelled) {
    const why = outcome.cancelled
      ? 'the run was cancelled'
      : waited
        ? 'timeout-minutes passed'
        : 'wait: false'
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
