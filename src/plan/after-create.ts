/**
 * What a table definition asks for beyond CreateTable, once the table is ACTIVE: time to live
 * (only UpdateTimeToLive sets it), and a warning for each thing the endpoint did not keep.
 * DynamoDB Local, for one, accepts Tags, SSESpecification and TableClass in CreateTable and
 * drops them silently, so only comparing what DescribeTable and ListTagsOfResource show with what
 * was asked tells (the issue's "applied where the endpoint supports it, otherwise named in a
 * warning").
 */
import * as core from '@actions/core'
import {
  ListTagsOfResourceCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
  type Tag,
} from '@aws-sdk/client-dynamodb'
import { describeAwsError, errorMessage, errorName, isAccessDenied } from '../errors.js'
import { createTableInput, type DefinedTable } from '../table/definitions.js'

/** SSEDescription.Status values that mean encryption is on, or on its way. */
const SSE_ON = ['ENABLED', 'ENABLING', 'UPDATING']

/** One thing the definition asked for that the created table does not have. */
export interface NotKept {
  /** The CreateTable member: `Tags`, `LocalSecondaryIndexes`, ... */
  field: string
  /** What was asked, shown in the warning (names and settings, never item values). */
  wanted: string
  /** What the endpoint shows instead. */
  found: string
}

/**
 * Turns on time to live with UpdateTimeToLive, then names in a warning each thing the endpoint
 * did not keep (compared with DescribeTable's `created` and ListTagsOfResource), and the
 * definition's own warnings (what this action does not apply). A failed UpdateTimeToLive is a
 * warning too, not a failure: the items load the same, only their expiry waits. Returns lines
 * for the summary's start step.
 */
export async function completeCreatedTable(
  client: DynamoDBClient,
  defined: DefinedTable,
  created: TableDescription,
): Promise<string[]> {
  const name = defined.name
  const lines: string[] = []
  for (const warning of defined.warnings) core.warning(warning, { title: `Table ${name}` })

  if (defined.ttl) {
    const attribute = defined.ttl.attribute
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
        }),
      )
      core.info(`Table ${name}: time to live turned on, on attribute ${attribute}.`)
      lines.push(`time to live on ${attribute}`)
    } catch (err) {
      core.warning(
        `Table ${name}: time to live is not on: ${describeAwsError(err, 'UpdateTimeToLive', name)} ` +
          `Items keep their ${attribute} attribute and do not expire until it is turned on ` +
          '(UpdateTimeToLive).',
        { title: `Table ${name}: no time to live` },
      )
      lines.push(`time to live not turned on (see the warnings)`)
    }
  }

  const endpoint = await endpointName(client)
  const wanted = createTableInput(defined)
  const missing = [...notKept(wanted, created)]
  if (wanted.Tags && wanted.Tags.length > 0 && created.TableArn !== undefined) {
    const tags = await listTags(client, created.TableArn)
    if ('denied' in tags) {
      core.warning(
        `Could not check that table ${name} kept its Tags (${tagKeys(wanted.Tags)}): ${tags.denied}`,
        { title: `Table ${name}: Tags not checked` },
      )
    } else missing.push(...tagsNotKept(wanted.Tags, tags))
  }
  for (const m of missing) {
    core.warning(
      `${endpoint} did not keep ${m.field} (${m.wanted}) of table ${name}: ${m.found.replace(/\.$/, '')}.`,
      {
        title: `Table ${name}: ${m.field} not kept`,
      },
    )
  }
  if (missing.length > 0) {
    const fields = [...new Set(missing.map((m) => m.field))].join(', ')
    lines.push(`not kept by ${endpoint}: ${fields} (see the warnings)`)
  }
  return lines
}

/** `DynamoDB at http://localhost:8000` for a custom endpoint, else `DynamoDB`. */
async function endpointName(client: DynamoDBClient): Promise<string> {
  const endpoint = await client.config.endpoint?.()
  if (!endpoint) return 'DynamoDB'
  const port = endpoint.port === undefined ? '' : `:${endpoint.port}`
  const path = endpoint.path === '/' ? '' : endpoint.path
  return `DynamoDB at ${endpoint.protocol}//${endpoint.hostname}${port}${path}`
}

/**
 * What `wanted` (CreateTable's input) asks for that `created` (DescribeTable after creation)
 * does not show: indexes, stream, encryption, table class, deletion protection. Settings that
 * are a table's default anyway (SSE off, STANDARD, no deletion protection) are not compared.
 */
export function notKept(wanted: CreateTableCommandInput, created: TableDescription): NotKept[] {
  const result: NotKept[] = []
  const indexes = (
    field: 'LocalSecondaryIndexes' | 'GlobalSecondaryIndexes',
    asked: Array<{ IndexName?: string | undefined }> | undefined,
    got: Array<{ IndexName?: string | undefined }> | undefined,
  ) => {
    const names = (got ?? []).map((index) => index.IndexName ?? '')
    for (const index of asked ?? []) {
      const indexName = index.IndexName ?? ''
      if (names.includes(indexName)) continue
      const listed = names.length === 0 ? 'none' : `only ${names.join(', ')}`
      result.push({ field, wanted: indexName, found: `DescribeTable lists ${listed}` })
    }
  }
  indexes('LocalSecondaryIndexes', wanted.LocalSecondaryIndexes, created.LocalSecondaryIndexes)
  indexes('GlobalSecondaryIndexes', wanted.GlobalSecondaryIndexes, created.GlobalSecondaryIndexes)

  const stream = wanted.StreamSpecification
  if (stream?.StreamEnabled) {
    const got = created.StreamSpecification
    if (!got?.StreamEnabled || got.StreamViewType !== stream.StreamViewType) {
      result.push({
        field: 'StreamSpecification',
        wanted: `StreamViewType ${stream.StreamViewType}`,
        found: got?.StreamEnabled
          ? `DescribeTable shows StreamViewType ${got.StreamViewType}`
          : 'DescribeTable shows no stream',
      })
    }
  }

  const sse = wanted.SSESpecification
  if (sse?.Enabled) {
    const status = created.SSEDescription?.Status
    if (status === undefined || !SSE_ON.includes(status)) {
      result.push({
        field: 'SSESpecification',
        wanted: `Enabled true${sse.SSEType ? `, SSEType ${sse.SSEType}` : ''}`,
        found:
          status === undefined
            ? 'DescribeTable shows no SSEDescription'
            : `DescribeTable shows SSEDescription.Status ${status}`,
      })
    }
  }

  const tableClass = wanted.TableClass
  const gotClass = created.TableClassSummary?.TableClass
  if (tableClass !== undefined && tableClass !== (gotClass ?? 'STANDARD')) {
    result.push({
      field: 'TableClass',
      wanted: tableClass,
      found:
        gotClass === undefined
          ? 'DescribeTable shows no TableClassSummary'
          : `DescribeTable shows ${gotClass}`,
    })
  }

  if (wanted.DeletionProtectionEnabled === true && created.DeletionProtectionEnabled !== true) {
    result.push({
      field: 'DeletionProtectionEnabled',
      wanted: 'true',
      found: `DescribeTable shows ${String(created.DeletionProtectionEnabled ?? 'nothing')}`,
    })
  }
  return result
}

/** The table's tags through every page, or why the endpoint did not list them. */
async function listTags(
  client: DynamoDBClient,
  arn: string,
): Promise<Tag[] | { failed: string } | { denied: string }> {
  const tags: Tag[] = []
  let next: string | undefined
  try {
    do {
      const page = await client.send(
        new ListTagsOfResourceCommand({
          ResourceArn: arn,
          ...(next !== undefined && { NextToken: next }),
        }),
      )
      tags.push(...(page.Tags ?? []))
      next = page.NextToken
    } while (next !== undefined)
  } catch (err) {
    if (isAccessDenied(err)) return { denied: describeAwsError(err, 'ListTagsOfResource', arn) }
    return { failed: `${errorName(err) ?? 'Error'}: ${errorMessage(err)}` }
  }
  return tags
}

/**
 * Each asked tag the table does not have with its value; one entry for all of them when the
 * endpoint could not list tags (DynamoDB Local: "Tagging is not currently supported").
 */
export function tagsNotKept(wanted: Tag[], listed: Tag[] | { failed: string }): NotKept[] {
  if (!Array.isArray(listed)) {
    return [
      {
        field: 'Tags',
        wanted: tagKeys(wanted),
        found: `ListTagsOfResource answered ${listed.failed}`,
      },
    ]
  }
  const have = new Map(listed.map((t) => [t.Key, t.Value]))
  const lost = wanted.filter((t) => have.get(t.Key) !== t.Value)
  if (lost.length === 0) return []
  const shown = listed.length === 0 ? 'none' : tagKeys(listed)
  return [{ field: 'Tags', wanted: tagKeys(lost), found: `ListTagsOfResource lists ${shown}` }]
}

function tagKeys(tags: Tag[]): string {
  return tags.map((t) => t.Key ?? '').join(', ')
}
