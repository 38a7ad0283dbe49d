import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb'

export const KEYS_PER_CALL: number
export const NOT_AVAILABLE: string
export function benchKey(i: number): Record<'pk' | 'sk', AttributeValue>
export function keyBatchesOf(
  n: number,
  from?: number,
): Array<Array<Record<'pk' | 'sk', AttributeValue>>>
export function batchGetLoop(
  client: DynamoDBClient,
  table: string,
  n: number,
  concurrency?: number,
): Promise<number>
export function verifyAvailable(manifest?: string): boolean
export function verifyRate(
  run: { seconds: number; outputs: Record<string, string> },
  items: number,
): number
