/** The action's exit code from local-action's own code and what it printed. */
export function actionExitCode(childCode: number | null, printed: string): number
