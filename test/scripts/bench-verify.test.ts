import * as fs from 'node:fs'
import * as path from 'node:path'
import type { AttributeValue, BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import {
  NOT_AVAILABLE,
  batchGetLoop,
  benchKey,
  keyBatchesOf,
  verifyAvailable,
  verifyRate,
} from '../../scripts/bench-verify.mjs'

const root = path.resolve(import.meta.dirname, '../..')

describe('keyBatchesOf', () => {
  it('gives every key once, 100 a batch, the last one short', () => {
    const batches = keyBatchesOf(250)
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50])
    expect(batches[0]?.[0]).toEqual({ pk: { S: 'user#00000000' }, sk: { N: '0' } })
    expect(batches[2]?.[49]).toEqual({ pk: { S: 'user#00000249' }, sk: { N: '249' } })
    const sks = batches.flat().map((k) => k.sk.N)
    expect(new Set(sks).size).toBe(250)
  })

  it('starts where it is told, and makes no batch of nothing', () => {
    expect(keyBatchesOf(1, 7)).toEqual([[benchKey(7)]])
    expect(keyBatchesOf(0)).toEqual([])
  })
})

/**
 * A client that answers BatchGetItem from `table` (keys as `pk|sk`), and leaves the last key of
 * a call of more than one key unprocessed the first `unprocessedTimes` times.
 */
function fakeClient(table: Set<string>, unprocessedTimes = 0) {
  const calls: Array<{ keys: string[]; consistent: boolean | undefined }> = []
  let unprocessed = unprocessedTimes
  const client = {
    send: (command: BatchGetItemCommand) => {
      const entries = Object.entries(command.input.RequestItems ?? {})
      expect(entries).toHaveLength(1)
      const [name, request] = entries[0] ?? ['', { Keys: [] }]
      const keyOf = (k: Record<string, AttributeValue>) => `${k['pk']?.S}|${k['sk']?.N}`
      const keys = (request.Keys ?? []).map(keyOf)
      calls.push({ keys, consistent: request.ConsistentRead })
      const left = unprocessed > 0 && keys.length > 1 ? (request.Keys ?? []).slice(-1) : []
      if (left.length > 0) unprocessed--
      const answered = (request.Keys ?? []).slice(0, keys.length - left.length)
      return Promise.resolve({
        Responses: {
          [name]: answered.filter((k) => table.has(keyOf(k))),
        },
        ...(left.length > 0 && { UnprocessedKeys: { [name]: { Keys: left } } }),
      })
    },
  }
  return { client: client as unknown as DynamoDBClient, calls }
}
const keysOf = (n: number) =>
  new Set(
    keyBatchesOf(n)
      .flat()
      .map((k) => `${k.pk.S}|${k.sk.N}`),
  )

describe('batchGetLoop', () => {
  it('reads every key with consistent reads, 100 a call, and sends unprocessed keys again', async () => {
    const { client, calls } = fakeClient(keysOf(250), 2)
    expect(await batchGetLoop(client, 'bench', 250, 2)).toBeGreaterThan(0)
    expect(calls.every((c) => c.consistent === true)).toBe(true)
    expect(calls.map((c) => c.keys.length).sort((a, b) => b - a)).toEqual([100, 100, 50, 1, 1])
    // Every key, and the two left unprocessed once more (the last of the first two calls).
    const sent = calls.flatMap((c) => c.keys)
    expect(new Set(sent)).toEqual(keysOf(250))
    expect(sent.length).toBe(252)
    const resent = calls.filter((c) => c.keys.length === 1).flatMap((c) => c.keys)
    expect(resent.sort()).toEqual(['user#00000099|99', 'user#00000199|199'])
  })

  it('fails when the table does not hold every item, instead of counting a fast miss', async () => {
    const { client } = fakeClient(keysOf(249))
    await expect(batchGetLoop(client, 'bench', 250)).rejects.toThrow(
      'the BatchGetItem loop found 249 of 250 items in bench',
    )
  })
})

describe('verifyAvailable', () => {
  it('is true only where action.yml has the verify input', () => {
    const manifest = (inputs: object) => YAML.stringify({ name: 'x', inputs })
    expect(verifyAvailable(manifest({ table: {}, verify: { default: 'none' } }))).toBe(true)
    expect(verifyAvailable(manifest({ table: {}, 'verify-sample-size': {} }))).toBe(false)
    expect(verifyAvailable('name: x\n')).toBe(false)
  })

  it("reads this repository's action.yml by default", () => {
    const inputs = (
      YAML.parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
        inputs: object
      }
    ).inputs
    expect(verifyAvailable()).toBe(Object.hasOwn(inputs, 'verify'))
  })

  it('says so in the words of the brief', () => {
    expect(NOT_AVAILABLE).toBe('verify: not available in this build')
  })
})

describe('verifyRate', () => {
  const outputs = { 'verified-item-count': '1000', 'mismatched-item-count': '0' }

  it("divides the items by the whole run's wall time", () => {
    expect(
      verifyRate({ seconds: 4, outputs: { ...outputs, 'duration-seconds': '0.1' } }, 1000),
    ).toBe(250)
  })

  it('is no figure when the run did not verify every item, or found a mismatch', () => {
    expect(() => verifyRate({ seconds: 1, outputs: {} }, 1000)).toThrow(
      'the action verified (no output) of 1000 items, (no output) mismatched',
    )
    expect(() =>
      verifyRate({ seconds: 1, outputs: { ...outputs, 'verified-item-count': '999' } }, 1000),
    ).toThrow('the action verified 999 of 1000 items, 0 mismatched')
    expect(() =>
      verifyRate({ seconds: 1, outputs: { ...outputs, 'mismatched-item-count': '3' } }, 1000),
    ).toThrow('the action verified 1000 of 1000 items, 3 mismatched')
  })
})
