/** The engine for this import, and the log lines that explain the choice. */
import * as core from '@actions/core'
import type { TableDescription } from '@aws-sdk/client-dynamodb'
import type { Clients } from '../clients.js'
import { ignoredInputs } from '../inputs.js'
import type { TableInputs } from './targets.js'
import { findRunningImport } from '../native/running-import.js'
import type { SourceObject } from '../sources/source.js'
import { formatBytes } from '../words.js'
import { chooseMode, type FirstObject, type ModeChoice } from './engine-choice.js'

/**
 * Chooses the engine and logs why, with the source's size when it counted and the inputs the
 * chosen engine does not use, so that a run's log explains its engine.
 */
export async function chooseEngine(
  inputs: TableInputs,
  clients: Clients,
  existing: TableDescription | undefined,
  objects: SourceObject[],
  firstObject: FirstObject | undefined,
  said = new Set<string>(),
): Promise<ModeChoice> {
  // Summing the sizes only when auto compares them keeps the log free of a size that decided nothing.
  const needsSize =
    inputs.mode === 'auto' && !existing && !inputs.dynamodbEndpoint && inputs.source.kind === 's3'
  const sourceBytes = needsSize ? objects.reduce((sum, o) => sum + o.size, 0) : undefined
  const choice = chooseMode(inputs, {
    tableExists: await isInTheWay(inputs, clients, existing),
    tableFound: existing !== undefined,
    ...(sourceBytes !== undefined && { sourceBytes }),
    ...(firstObject && { firstObject }),
  })
  const engine = `Engine: ${choice.mode}. ${choice.reason}`
  // Tables for which the same rule chose say so once.
  if (!said.has(engine)) core.info(engine)
  said.add(engine)
  if (sourceBytes !== undefined)
    core.info(`The source holds ${formatBytes(sourceBytes)} in ${objects.length} objects.`)
  for (const input of ignoredInputs(inputs, choice.mode)) {
    // Said once per step, however many of its tables the input does nothing for.
    if (said.has(input)) continue
    said.add(input)
    core.warning(`${input} has no effect here and is ignored.`)
  }
  return choice
}

/**
 * Whether the table counts as existing for the choice. One still CREATING is not in the way, and
 * neither is one that an import still fills: native attaches to that import.
 */
async function isInTheWay(
  inputs: TableInputs,
  clients: Clients,
  existing: TableDescription | undefined,
): Promise<boolean> {
  const importing =
    existing !== undefined &&
    inputs.mode === 'native' &&
    (await findRunningImport(clients.dynamodb, inputs.table.name, existing.TableArn)) !== undefined
  return existing !== undefined && existing.TableStatus !== 'CREATING' && !importing
}
