/**
 * input-format auto where ImportTable could run: ImportTable takes one InputFormat for the whole
 * prefix, so the first object's first bytes (one ranged read, decompressed) decide whether it
 * can, and with which format.
 */
import * as core from '@actions/core'
import { chooseReading } from '../formats/index.js'
import type { ImportTableFormat } from '../formats/input-format.js'
import { describeBasis, describeReading, HEAD_BYTES, importTableFormat } from '../formats/detect.js'
import type { Inputs } from '../inputs.js'
import { decompress } from '../sources/decompress.js'
import type { Source, SourceObject } from '../sources/source.js'
import type { FirstObject } from './engine-choice.js'

/**
 * How the first object reads, when it can decide the engine: input-format auto, an S3 source,
 * and mode native or auto with ImportTable still possible (a new table on AWS, one job, a source
 * of native-min-bytes or more). Undefined otherwise: nothing is read.
 */
export async function probeFirstObject(
  inputs: Inputs,
  source: Source,
  objects: SourceObject[],
  tableExists: boolean,
): Promise<FirstObject | undefined> {
  const first = objects[0]
  if (inputs.format !== 'auto' || inputs.source.kind !== 's3' || !first) return undefined
  const bytes = objects.reduce((sum, o) => sum + o.size, 0)
  const nativePossible =
    inputs.mode === 'native' ||
    (inputs.mode === 'auto' &&
      !inputs.dynamodbEndpoint &&
      !tableExists &&
      (inputs.shard?.count ?? 1) === 1 &&
      bytes >= inputs.nativeMinBytes)
  if (!nativePossible) return undefined
  const head = await readHead(source, first, inputs.compression)
  const choice = chooseReading(inputs, first.key, head)
  return {
    url: first.url,
    readAs: `${describeReading(choice.reading)} (${describeBasis(choice)})`,
    format: importTableFormat(choice.reading),
  }
}

/**
 * The first HEAD_BYTES of the object, decompressed as far as the stored bytes read go: a cut
 * gzip or zstd stream ends in an error, after the bytes that matter here.
 */
export async function readHead(
  source: Source,
  object: SourceObject,
  compression: Inputs['compression'],
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const stored = source.openHead
    ? await source.openHead(object, HEAD_BYTES)
    : await source.open(object)
  const whole = object.size <= HEAD_BYTES
  const parts: Uint8Array[] = []
  let size = 0
  let complete = false
  try {
    for await (const chunk of decompress(stored, compression)) {
      parts.push(chunk)
      size += chunk.length
      if (size >= HEAD_BYTES) break
    }
    complete = whole && size < HEAD_BYTES
  } catch (err) {
    if (size === 0) throw err
  }
  return { bytes: Buffer.concat(parts), complete }
}

/**
 * mode native under input-format auto: ImportTable reads every object of the prefix as the first
 * one reads (DYNAMODB_JSON when there is none); said in the log, and for the summary.
 */
export function importTableReading(
  firstObject: FirstObject | undefined,
  source: Source,
  objects: SourceObject[],
): { format: ImportTableFormat; readAs: Array<{ how: string; objects: number }> } {
  const format = firstObject?.format ?? 'DYNAMODB_JSON'
  const how = firstObject
    ? `${firstObject.readAs}, ImportTable's ${format}`
    : `${format} (input-format auto: the source holds no object)`
  core.info(`${firstObject?.url ?? source.description}: read as ${how}`)
  return { format, readAs: [{ how, objects: objects.length }] }
}
