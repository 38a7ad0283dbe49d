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

/** An import of this table that is still running: a re-run after a runner died attaches to it. */
export async function findRunningImport(
  client: DynamoDBClient,
  tableName: string,
): Promise<ImportTableDescription | undefined> {
  try {
    for await (const page of paginateListImports({ client }, { PageSize: LIST_PAGE_SIZE })) {
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
