// Types for action-env.mjs, so strict TypeScript checks the tests that use it.

/** INPUT_* variables as a runner sets them: action.yml defaults for inputs not given. */
export function inputEnv(inputs: Record<string, string>): Record<string, string>
/** GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE and RUNNER_TEMP under dir, created empty. */
export function runnerFiles(dir: string): {
  GITHUB_OUTPUT: string
  GITHUB_STEP_SUMMARY: string
  GITHUB_STATE: string
  RUNNER_TEMP: string
}
/** The name=value pairs of a GITHUB_OUTPUT or GITHUB_STATE file (the last value of a name). */
export function readOutputs(file: string): Record<string, string>
