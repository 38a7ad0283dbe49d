// npm run bench's verify row: the plain BatchGetItem loop the action's read-back is measured
// against, whether the build being measured has `mode: verify` at all, and the action's figure
// from its outputs.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb'
import YAML from 'yaml'
import { DEFAULT_CONCURRENCY } from './bench-lib.mjs'
import { benchItem } from './bench-items.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** BatchGetItem's limit: keys a call. */
export const KEYS_PER_CALL = 100

/** What the bench prints where the build it measures has no `mode: verify`. */
export const NOT_AVAILABLE = 'verify: not available in this build'

/** The key of the i-th bench item (`pk`, `sk`), taken from the item so that the two never drift. */
export function benchKey(i) {
  const { pk, sk } = benchItem(i)
  return { pk, sk }
}

/** The keys of bench items `from` to `from + n - 1` in BatchGetItem-sized batches. */
export function keyBatchesOf(n, from = 0) {
  const batches = []
  for (let i = from; i < from + n; i += KEYS_PER_CALL) {
    batches.push(
      Array.from({ length: Math.min(KEYS_PER_CALL, from + n - i) }, (_, j) => benchKey(i + j)),
    )
  }
  return batches
}

/**
 * The plain read-back loop: pre-built batches of 100 keys, strongly consistent (as `verify`
 * reads), `concurrency` calls in flight on `client`, unprocessed keys sent again at once.
 * Resolves with items per second (the reading only); rejects unless it found all `n` items of
 * the bench in `table`, so that a loop over a table not loaded never counts as fast.
 */
export async function batchGetLoop(client, table, n, concurrency = DEFAULT_CONCURRENCY) {
  const batches = keyBatchesOf(n)
  let next = 0
  let found = 0
  const worker = async () => {
    while (next < batches.length) {
      let keys = batches[next++]
      while (keys.length > 0) {
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: keys, ConsistentRead: true } },
          }),
        )
        found += out.Responses?.[table]?.length ?? 0
        keys = out.UnprocessedKeys?.[table]?.Keys ?? []
      }
    }
  }
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (found !== n) throw new Error(`the BatchGetItem loop found ${found} of ${n} items in ${table}`)
  return n / seconds
}

/**
 * Whether the action described by `manifest` (action.yml's text; this repository's by default,
 * the one the bench gives its inputs from) has the `verify` input, which `mode: verify` comes with.
 */
export function verifyAvailable(manifest = fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) {
  const inputs = YAML.parse(manifest)?.inputs ?? {}
  return Object.hasOwn(inputs, 'verify')
}

/**
 * The action's verify rate from a run (runAction's result) over `items` source items, over the
 * whole process's wall time: its start and the source's reading are in it, as they are in every
 * run, and as the bench's other rows count them. (Not over `duration-seconds`, whose span is the
 * step's to define: in a build before verify was integrated it left the read-back out.) Throws
 * unless it verified every item and found no mismatch: a check that found nothing to compare is
 * no figure.
 */
export function verifyRate(run, items) {
  const verified = run.outputs['verified-item-count']
  const mismatched = run.outputs['mismatched-item-count']
  if (verified !== String(items) || mismatched !== '0')
    throw new Error(
      `the action verified ${verified ?? '(no output)'} of ${items} items, ${mismatched ?? '(no output)'} mismatched`,
    )
  return items / run.seconds
}
