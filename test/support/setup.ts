// Run before every test file of both projects (vitest.config.ts `setupFiles`). Environment stubs
// and spies are undone by the config (`unstubEnvs`, `restoreMocks`); this undoes the process-wide
// state that a run of the action leaves and no option of vitest resets.
import * as core from '@actions/core'
import { afterEach } from 'vitest'

afterEach(() => {
  // core.setFailed sets it; a test that ran the action must not fail the whole vitest run.
  process.exitCode = undefined
  core.summary.emptyBuffer()
})
