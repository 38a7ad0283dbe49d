// Placeholder for the verification engine (replaced by its implementation).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { VerifyLevel, VerifyReport } from '../result.js'
import type { StreamContext, StreamJob } from '../stream/engine.js'

export interface VerifyJob {
  stream: StreamJob
  level: VerifyLevel
  sampleSize: number
  maxReadCapacity: number
}

export async function runVerify(
  _job: VerifyJob,
  _context: StreamContext & { reads: DynamoDBClient },
): Promise<VerifyReport> {
  return Promise.reject(new Error('verify: not built yet'))
}
