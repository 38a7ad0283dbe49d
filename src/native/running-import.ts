import {
  DescribeImportCommand,
  paginateListImports,
  type DynamoDBClient,
  type ImportTableDescription,
} from '@aws-sdk/client-dynamodb'
import { ActionError } from '../errors.js'
import { explainImportError } from './explain.js'

/** ListImports returns at most 25 imports per page. */
const LIST_PAGE_SIZE = 25

/**
 * An import of this table that is still running: a re-run after a runner died attaches to it.
 * With the table's ARN (known once the table exists, as it does while an import fills it),
 * ListImports lists that table's imports alone instead of every import of the account.
 */
export async function findRunningImport(
  client: DynamoDBClient,
  tableName: string,
  tableArn?: string,
): Promise<ImportTableDescription | undefined> {
  const filter = { PageSize: LIST_PAGE_SIZE, ...(tableArn && { TableArn: tableArn }) }
  try {
    for await (const page of paginateListImports({ client }, filter)) {
      for (const summary of page.ImportSummaryList ?? []) {
        if (summary.ImportStatus !== 'IN_PROGRESS') continue
        if (!summary.TableArn?.endsWith(`:table/${tableName}`)) continue
        const { ImportTableDescription } = await client.send(
          new DescribeImportCommand({ ImportArn: summary.ImportArn }),
        )
        return ImportTableDescription
      }
    }
  } catch (err) {
    throw new ActionError(explainImportError(err, 'ListImports', tableName), { cause: err })
  }
  return undefined
}
