// Starts DynamoDB Local and s3rver once for the whole test run and hands their endpoints to the
// tests through vitest's provide/inject (tests read them with `inject('dynamodbEndpoint')`).
import type { TestProject } from 'vitest/node'
import { startEmulators } from '../../scripts/emulators.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string
    s3Endpoint: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = await startEmulators({ log: (msg) => console.log(`[emulators] ${msg}`) })
  project.provide('dynamodbEndpoint', emulators.dynamodbEndpoint)
  project.provide('s3Endpoint', emulators.s3Endpoint)
  return () => emulators.stop()
}
