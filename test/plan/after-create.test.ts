import {
  ListTagsOfResourceCommand,
  type DynamoDBClient,
  type ListTagsOfResourceCommandOutput,
} from '@aws-sdk/client-dynamodb'
import { describe, expect, it, vi } from 'vitest'
import { completeCreatedTable, notKept, tagsNotKept } from '../../src/plan/after-create.js'
import type { DefinedTable } from '../../src/table/definitions.js'
import { useRunner } from '../support/helpers.js'

/** An index as CreateTable takes it, and as DescribeTable shows it: its name is what counts. */
const index = (IndexName: string) => ({
  IndexName,
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  Projection: { ProjectionType: 'ALL' as const },
})

describe('notKept', () => {
  it('names nothing when the table has what was asked', () => {
    expect(
      notKept(
        {
          TableName: 't',
          LocalSecondaryIndexes: [index('byDate')],
          GlobalSecondaryIndexes: [index('byCustomer')],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
          SSESpecification: { Enabled: true, SSEType: 'KMS' },
          TableClass: 'STANDARD_INFREQUENT_ACCESS',
          DeletionProtectionEnabled: true,
        },
        {
          LocalSecondaryIndexes: [index('byDate')],
          GlobalSecondaryIndexes: [index('byCustomer')],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
          SSEDescription: { Status: 'ENABLING' },
          TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
          DeletionProtectionEnabled: true,
        },
      ),
    ).toEqual([])
  })

  it('does not compare what every table has anyway', () => {
    expect(
      notKept(
        {
          TableName: 't',
          SSESpecification: { Enabled: false },
          TableClass: 'STANDARD',
          DeletionProtectionEnabled: false,
          StreamSpecification: { StreamEnabled: false },
        },
        {},
      ),
    ).toEqual([])
  })

  it('names each thing the table does not have, with what DescribeTable shows', () => {
    expect(
      notKept(
        {
          TableName: 't',
          LocalSecondaryIndexes: [index('byDate')],
          GlobalSecondaryIndexes: [index('a1'), index('b22')],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
          SSESpecification: { Enabled: true, SSEType: 'KMS' },
          TableClass: 'STANDARD_INFREQUENT_ACCESS',
          DeletionProtectionEnabled: true,
        },
        {
          GlobalSecondaryIndexes: [index('a1')],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
          SSEDescription: { Status: 'DISABLED' },
          TableClassSummary: { TableClass: 'STANDARD' },
          DeletionProtectionEnabled: false,
        },
      ),
    ).toEqual([
      { field: 'LocalSecondaryIndexes', wanted: 'byDate', found: 'DescribeTable lists none' },
      { field: 'GlobalSecondaryIndexes', wanted: 'b22', found: 'DescribeTable lists only a1' },
      {
        field: 'StreamSpecification',
        wanted: 'StreamViewType NEW_IMAGE',
        found: 'DescribeTable shows StreamViewType KEYS_ONLY',
      },
      {
        field: 'SSESpecification',
        wanted: 'Enabled true, SSEType KMS',
        found: 'DescribeTable shows SSEDescription.Status DISABLED',
      },
      {
        field: 'TableClass',
        wanted: 'STANDARD_INFREQUENT_ACCESS',
        found: 'DescribeTable shows STANDARD',
      },
      { field: 'DeletionProtectionEnabled', wanted: 'true', found: 'DescribeTable shows false' },
    ])
  })

  it('says "nothing" and "no stream" for what DescribeTable leaves out', () => {
    expect(
      notKept(
        {
          TableName: 't',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
          DeletionProtectionEnabled: true,
        },
        {},
      ),
    ).toEqual([
      {
        field: 'StreamSpecification',
        wanted: 'StreamViewType NEW_IMAGE',
        found: 'DescribeTable shows no stream',
      },
      { field: 'DeletionProtectionEnabled', wanted: 'true', found: 'DescribeTable shows nothing' },
    ])
  })
})

describe('tagsNotKept', () => {
  const wanted = [
    { Key: 'service', Value: 'orders' },
    { Key: 'stage', Value: 'test' },
  ]

  it('names nothing when every tag is there with its value', () => {
    expect(tagsNotKept(wanted, [...wanted, { Key: 'extra', Value: 'x' }])).toEqual([])
  })

  it('names the tags missing or with another value, and the keys listed', () => {
    expect(tagsNotKept(wanted, [{ Key: 'stage', Value: 'prod' }])).toEqual([
      {
        field: 'Tags',
        wanted: 'service, stage',
        found: 'ListTagsOfResource lists stage',
      },
    ])
    expect(tagsNotKept(wanted, [])).toEqual([
      { field: 'Tags', wanted: 'service, stage', found: 'ListTagsOfResource lists none' },
    ])
  })

  it('names every tag when the endpoint could not list them', () => {
    expect(tagsNotKept(wanted, { failed: 'UnknownOperationException: no tagging' })).toEqual([
      {
        field: 'Tags',
        wanted: 'service, stage',
        found: 'ListTagsOfResource answered UnknownOperationException: no tagging',
      },
    ])
  })
})

describe('completeCreatedTable on DynamoDB itself (ListTagsOfResource answers)', () => {
  const defined: DefinedTable = {
    name: 'orders',
    creation: {
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
    extras: {
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
    },
    warnings: [],
    source: 'table-definition t.yaml (Orders)',
  }
  const created = { TableName: 'orders', TableArn: 'arn:aws:dynamodb:us-east-1:1:table/orders' }

  /** A client without custom endpoint whose ListTagsOfResource answers these, page by page. */
  function clientAnswering(...answers: Array<Partial<ListTagsOfResourceCommandOutput> | Error>) {
    const tokens: Array<string | undefined> = []
    const send = vi.fn(async (command: unknown) => {
      expect(command).toBeInstanceOf(ListTagsOfResourceCommand)
      tokens.push((command as ListTagsOfResourceCommand).input.NextToken)
      const answer = answers.shift()
      if (answer instanceof Error) throw answer
      return answer
    })
    return { client: { send, config: {} } as unknown as DynamoDBClient, tokens }
  }

  async function run(client: DynamoDBClient) {
    vi.restoreAllMocks()
    const runner = useRunner({})
    try {
      const lines = await completeCreatedTable(client, defined, created)
      const warnings = runner
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('::warning'))
      return { lines, warnings }
    } finally {
      vi.restoreAllMocks()
    }
  }

  it('reads every page of tags, and names nothing when all are there', async () => {
    const { client, tokens } = clientAnswering(
      { Tags: [{ Key: 'a', Value: '1' }], NextToken: 'p2' },
      { Tags: [{ Key: 'b', Value: '2' }] },
    )
    expect(await run(client)).toEqual({ lines: [], warnings: [] })
    expect(tokens).toEqual([undefined, 'p2'])
  })

  it('names DynamoDB without endpoint for a tag it did not keep', async () => {
    const { client } = clientAnswering({ Tags: [{ Key: 'a', Value: '1' }] })
    expect(await run(client)).toEqual({
      lines: ['not kept by DynamoDB: Tags (see the warnings)'],
      warnings: [
        '::warning title=Table orders%3A Tags not kept::DynamoDB did not keep Tags (b) of ' +
          'table orders: ListTagsOfResource lists a.',
      ],
    })
  })

  it('says it could not check the tags when ListTagsOfResource is denied', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' })
    const { client } = clientAnswering(denied)
    expect(await run(client)).toEqual({
      lines: [],
      warnings: [
        '::warning title=Table orders%3A Tags not checked::Could not check that table orders ' +
          'kept its Tags (a, b): ListTagsOfResource on arn:aws:dynamodb:us-east-1:1:table/orders ' +
          'was denied (AccessDeniedException): no. The credentials need ' +
          'dynamodb:ListTagsOfResource on arn:aws:dynamodb:us-east-1:1:table/orders.',
      ],
    })
  })
})
