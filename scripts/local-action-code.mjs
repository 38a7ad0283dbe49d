// The exit code of npm run local-action, decided apart from the run so that it is tested alone.

/** Terminal colours, which local-action puts around its lines when it writes to a terminal. */
const ANSI = /\x1b\[[0-9;]*m/g // eslint-disable-line no-control-regex

/**
 * The action's exit code from local-action's own code and what it printed. local-action's stub
 * of core.setFailed records the failure but, unlike the real one, never sets process.exitCode,
 * so local-action exits 0 when the action failed; what it prints says so: setFailed prints an
 * `::error::` line, and this action prints error annotations only when the step fails (the
 * rejections that max-errors accepts are warnings). local-action's own failure (an action that
 * cannot be loaded) keeps its code.
 */
export function actionExitCode(childCode, printed) {
  if (childCode !== 0) return childCode ?? 1
  const failed = printed
    .split(/\r?\n/)
    .some((line) => /^::error(?: [^:]*)?::/.test(line.replace(ANSI, '')))
  return failed ? 1 : 0
}
