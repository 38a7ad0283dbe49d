import { describe, expect, it } from 'vitest'
import { actionExitCode } from '../../scripts/local-action-code.mjs'

const RUNNING = '=====\n                 Running Action\n=====\n'
const OUTPUTS = '\n=====\n                 Action Outputs\n=====\nNo outputs were set!\n'

describe('actionExitCode', () => {
  it('is 0 when the action printed no error annotation', () => {
    const printed = `${RUNNING}::group::Start\n::warning::a.json:3: rejected\n::endgroup::${OUTPUTS}`
    expect(actionExitCode(0, printed)).toBe(0)
  })

  it('is 1 when local-action exited 0 but the action failed (setFailed prints ::error::)', () => {
    expect(actionExitCode(0, `${RUNNING}::error::Invalid inputs:\n- key-schema: …${OUTPUTS}`)).toBe(
      1,
    )
    expect(actionExitCode(0, `::error file=a.json,line=3::a.json:3: bad\n`)).toBe(1)
    // In a terminal local-action colours its lines.
    expect(actionExitCode(0, '\x1b[31m::error::Table t does not exist\x1b[39m\n')).toBe(1)
  })

  it('does not take an error that is only quoted in a line for a failure', () => {
    expect(actionExitCode(0, '::info::the text ::error:: appears in a value\n')).toBe(0)
  })

  it("keeps local-action's own failure code, and a run killed by a signal fails", () => {
    expect(actionExitCode(2, '')).toBe(2)
    expect(actionExitCode(null, '')).toBe(1)
  })
})
