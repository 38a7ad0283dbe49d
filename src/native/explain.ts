// What ImportTable's errors and failure codes mean. No SDK here: the report and the plan use these
// on every run, and importing them must not load the native engine or its clients.
import { errorMessage, errorName, isAccessDenied, permissionHint } from '../errors.js'

/** "Up to 50 simultaneous import table operations are allowed per account": wait this long for a slot. */
export const LIMIT_RETRY_BUDGET_MS = 15 * 60_000

/** An ImportTable-family error, turned into what to do about it. */
export function explainImportError(err: unknown, call: string, target: string): string {
  const name = errorName(err) ?? 'Error'
  const message = errorMessage(err)
  if (isAccessDenied(err)) {
    return `${call} was denied (${name}: ${message}). ${permissionHint(call, target)}`.trim()
  }
  switch (name) {
    case 'ResourceInUseException':
      return `${call}: table ${target} already exists (${message}). ImportTable only creates new tables: use mode: stream (or auto) to write into an existing table, or choose a new table name.`
    case 'ImportConflictException':
      return `${call}: this client token was already used for an import into another table within the last 8 hours (${message}). Set another client-token, or leave it empty to derive one from the request.`
    case 'LimitExceededException':
      return `${call}: the account already runs 50 imports, and none ended within ${LIMIT_RETRY_BUDGET_MS / 60_000} minutes (${message}). Try again later.`
    case 'ImportNotFoundException':
      return `${call}: import ${target} was not found (${message}).`
    case 'ValidationException':
      return `${call} refused the request: ${message}. Check source, input-format, the CSV options and the table definition.`
    default:
      return `${call} on ${target} failed: ${name}: ${message}`
  }
}

/** What a FailureCode means and what to check. */
export function explainFailure(code: string, message: string): string {
  const hints: Record<string, string> = {
    S3NoSuchBucket:
      'the bucket does not exist or is in another account: check source and bucket-owner',
    S3AccessDenied:
      'ImportTable could not read the objects: the credentials need s3:GetObject and s3:ListBucket (and kms:Decrypt for SSE-KMS objects)',
    S3NoSuchKey: 'objects were deleted while the import ran',
    ItemValidationError: 'some items failed validation; the table keeps every valid item',
  }
  const hint = hints[code] ? `: ${hints[code]}` : ''
  return `${code}${hint}. ${message}`.trim()
}
