import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fromKeySchema, keyAttributes, parseTableDefinition } from '../../src/table/definition.js'

const FILE = 'defs/orders.yaml'
const P = `table-definition (${FILE}): `

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/table-definitions/${name}`, import.meta.url), 'utf8')
}

/** A minimal valid definition as an object, changed by `change`, parsed from its JSON text. */
function parse(change: (def: Record<string, unknown>) => void = () => {}, table = 'orders') {
  const def: Record<string, unknown> = {
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  }
  change(def)
  return parseTableDefinition(FILE, JSON.stringify(def), table)
}

function problems(result: ReturnType<typeof parseTableDefinition>): string[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.parameters)}`)
  return result.problems
}

/** The problems of a definition with `change`, which must include exactly one with `path`. */
function problemAt(path: string, change: (def: Record<string, unknown>) => void): string {
  const found = problems(parse(change)).filter((p) => p.startsWith(`${P}${path}: `))
  expect(found).toHaveLength(1)
  return found[0] ?? ''
}

const gsi = (extra: Record<string, unknown> = {}) => ({
  IndexName: 'by-sk',
  KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
  Projection: { ProjectionType: 'KEYS_ONLY' },
  ...extra,
})

describe('fromKeySchema', () => {
  it('builds an on-demand table from key-schema', () => {
    expect(
      fromKeySchema(
        'orders',
        [
          { name: 'pk', type: 'S' },
          { name: 'sk', type: 'N' },
        ],
        'PAY_PER_REQUEST',
      ),
    ).toEqual({
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    })
  })

  it('gives a PROVISIONED table 5 RCU and 5 WCU', () => {
    expect(fromKeySchema('orders', [{ name: 'id', type: 'B' }], 'PROVISIONED')).toEqual({
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    })
  })
})

describe('keyAttributes', () => {
  it('gives the table keys with their types, hash first', () => {
    const parameters = fromKeySchema(
      'orders',
      [
        { name: 'pk', type: 'S' },
        { name: 'sk', type: 'N' },
      ],
      'PAY_PER_REQUEST',
    )
    parameters.KeySchema?.reverse()
    expect(keyAttributes(parameters)).toEqual([
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'N' },
    ])
  })

  it('reads the keys of a parsed definition, not those of its indexes', () => {
    const result = parseTableDefinition('orders.yaml', fixture('orders.yaml'), 'orders')
    if (!result.ok) throw new Error(result.problems.join('\n'))
    expect(keyAttributes(result.parameters)).toEqual([
      { name: 'customerId', type: 'S' },
      { name: 'orderId', type: 'N' },
    ])
  })
})

describe('parseTableDefinition: valid files', () => {
  const expected = {
    TableName: 'orders',
    AttributeDefinitions: [
      { AttributeName: 'customerId', AttributeType: 'S' },
      { AttributeName: 'orderId', AttributeType: 'N' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'placedAt', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'customerId', KeyType: 'HASH' },
      { AttributeName: 'orderId', KeyType: 'RANGE' },
    ],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 25 },
    SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/orders' },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-status',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'placedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total', 'currency'] },
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
    ],
  }

  it('reads a full YAML definition (GSI, provisioned, SSE with KMS)', () => {
    expect(parseTableDefinition('orders.yaml', fixture('orders.yaml'), 'orders')).toEqual({
      ok: true,
      parameters: expected,
    })
  })

  it('reads the equivalent JSON file to the same parameters', () => {
    const yaml = parseTableDefinition('orders.yaml', fixture('orders.yaml'), 'orders')
    const json = parseTableDefinition('orders.json', fixture('orders.json'), 'orders')
    expect(json).toEqual({ ok: true, parameters: expected })
    expect(json).toStrictEqual(yaml)
  })

  it('defaults BillingMode to PAY_PER_REQUEST and takes TableName from the table input', () => {
    expect(parse()).toEqual({
      ok: true,
      parameters: {
        TableName: 'orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
    })
  })

  it('accepts on-demand limits (-1 for none) on the table and its indexes', () => {
    const result = parse((d) => {
      d['TableName'] = 'orders'
      d['BillingMode'] = 'PAY_PER_REQUEST'
      d['OnDemandThroughput'] = { MaxReadRequestUnits: -1, MaxWriteRequestUnits: 100 }
      d['GlobalSecondaryIndexes'] = [gsi({ OnDemandThroughput: { MaxWriteRequestUnits: 50 } })]
      d['SSESpecification'] = { Enabled: true, SSEType: 'AES256' }
    })
    expect(result).toMatchObject({
      ok: true,
      parameters: {
        OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: 100 },
        SSESpecification: { Enabled: true, SSEType: 'AES256' },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by-sk',
            Projection: { ProjectionType: 'KEYS_ONLY' },
            OnDemandThroughput: { MaxWriteRequestUnits: 50 },
          },
        ],
      },
    })
  })

  it('accepts a hash-only key', () => {
    const result = parse((d) => {
      d['AttributeDefinitions'] = [{ AttributeName: 'pk', AttributeType: 'S' }]
      d['KeySchema'] = [{ AttributeName: 'pk', KeyType: 'HASH' }]
    })
    expect(result.ok && keyAttributes(result.parameters)).toEqual([{ name: 'pk', type: 'S' }])
  })
})

describe('parseTableDefinition: file-level problems', () => {
  it('reports invalid YAML as one problem with line and column', () => {
    const text = 'KeySchema:\n  - AttributeName: pk\n    KeyType: [HASH\nBillingMode: PROVISIONED\n'
    const found = problems(parseTableDefinition(FILE, text, 'orders'))
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(
      new RegExp(
        `^${escape(P)}expected YAML or JSON, got a syntax error at line \\d+, column \\d+: `,
      ),
    )
  })

  it('reports the exact position of a JSON syntax error', () => {
    const text = '{\n  "KeySchema": [\n    { "AttributeName": "pk" }\n  }\n}\n'
    expect(problems(parseTableDefinition('t.json', text, 'orders'))).toEqual([
      expect.stringMatching(
        /^table-definition \(t\.json\): expected YAML or JSON, got a syntax error at line 4, column 3: /,
      ),
    ])
  })

  it('reports a duplicate key with its line', () => {
    const text = 'BillingMode: PROVISIONED\nBillingMode: PAY_PER_REQUEST\n'
    expect(problems(parseTableDefinition(FILE, text, 'orders'))).toEqual([
      `${P}expected YAML or JSON, got a syntax error at line 2, column 1: Map keys must be unique`,
    ])
  })

  it('reports a top level that is not a mapping, with its position', () => {
    expect(problems(parseTableDefinition(FILE, '# keys\n- pk\n- sk\n', 'orders'))).toEqual([
      `${P}expected a mapping of TableCreationParameters fields (AttributeDefinitions, KeySchema, ` +
        '...) at the top level, got ["pk","sk"] at line 2, column 1',
    ])
    expect(problems(parseTableDefinition(FILE, '"orders"', 'orders'))).toHaveLength(1)
  })

  it('reports an empty file', () => {
    expect(problems(parseTableDefinition(FILE, '# nothing yet\n', 'orders'))).toEqual([
      `${P}expected a mapping of TableCreationParameters fields, got an empty file`,
    ])
  })

  it('refuses CloudFormation functions rather than using their argument', () => {
    const text =
      'AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n' +
      'KeySchema: [{AttributeName: pk, KeyType: HASH}]\n' +
      'SSESpecification: {Enabled: true, SSEType: KMS, KMSMasterKeyId: !Ref OrdersKey}\n'
    expect(problems(parseTableDefinition(FILE, text, 'orders'))).toEqual([
      `${P}expected plain YAML or JSON values, got the tag !Ref at line 3, column 65 ` +
        '(CloudFormation functions such as !Ref are not evaluated)',
    ])
  })
})

describe('parseTableDefinition: fields', () => {
  it('names an unknown field and suggests the one meant', () => {
    expect(problems(parse((d) => (d['BillingMod'] = 'PROVISIONED')))).toEqual([
      `${P}BillingMod: expected one of TableName, AttributeDefinitions, KeySchema, BillingMode, ` +
        'ProvisionedThroughput, OnDemandThroughput, SSESpecification, GlobalSecondaryIndexes ' +
        '(did you mean BillingMode?), got an unknown field',
    ])
  })

  it('finds unknown fields inside nested mappings too', () => {
    expect(
      problemAt('GlobalSecondaryIndexes[0].Projecton', (d) => {
        d['GlobalSecondaryIndexes'] = [{ ...gsi(), Projecton: { ProjectionType: 'ALL' } }]
      }),
    ).toContain('(did you mean Projection?), got an unknown field')
    expect(
      problemAt('SSESpecification.SSEEnabled', (d) => {
        d['SSESpecification'] = { SSEEnabled: true }
      }),
    ).toContain('did you mean Enabled?')
    expect(
      problemAt('Whatever', (d) => {
        d['Whatever'] = 1
      }),
    ).not.toContain('did you mean')
  })

  it('names both tables when TableName differs from the table input', () => {
    expect(problems(parse((d) => (d['TableName'] = 'orders-v2')))).toEqual([
      `${P}TableName: expected "orders" (the table input; or leave TableName out), got "orders-v2"`,
    ])
  })

  it('accepts a TableName equal to the table input', () => {
    expect(parse((d) => (d['TableName'] = 'orders')).ok).toBe(true)
  })

  it.each([
    ['LocalSecondaryIndexes', [{ IndexName: 'lsi' }], 'no table can get one after it is created'],
    ['StreamSpecification', { StreamEnabled: true }, 'after the import with UpdateTable'],
    ['Tags', [{ Key: 'team', Value: 'data' }], 'after the import with TagResource'],
    ['TableClass', 'STANDARD_INFREQUENT_ACCESS', 'after the import with UpdateTable'],
    ['DeletionProtectionEnabled', true, 'after the import with UpdateTable'],
  ])('rejects %s: ImportTable cannot create it', (field, value, after) => {
    const problem = problemAt(field, (d) => (d[field] = value))
    expect(problem).toContain(`${P}${field}: expected no ${field} (ImportTable cannot `)
    expect(problem).toContain(after)
    expect(problem).toContain(`got ${JSON.stringify(value)}`)
  })

  it('says exactly why Tags are refused', () => {
    expect(problems(parse((d) => (d['Tags'] = [{ Key: 'team', Value: 'data' }])))).toEqual([
      `${P}Tags: expected no Tags (ImportTable cannot create them; add them after the import ` +
        'with TagResource), got [{"Key":"team","Value":"data"}]',
    ])
  })
})

describe('parseTableDefinition: AttributeDefinitions', () => {
  it.each([
    ['missing', undefined, 'nothing'],
    ['empty', [], '[]'],
    ['not a list', { AttributeName: 'pk' }, '{"AttributeName":"pk"}'],
  ])('requires a non-empty list (%s)', (_, value, got) => {
    expect(problemAt('AttributeDefinitions', (d) => (d['AttributeDefinitions'] = value))).toBe(
      `${P}AttributeDefinitions: expected a non-empty list of {AttributeName, AttributeType}, ` +
        `got ${got}`,
    )
  })

  it('checks the length of names', () => {
    const long = 'a'.repeat(256)
    const problem = problemAt('AttributeDefinitions[2].AttributeName', (d) => {
      ;(d['AttributeDefinitions'] as unknown[]).push({ AttributeName: long, AttributeType: 'S' })
    })
    expect(problem).toContain('expected a name of 1 to 255 characters, got "aaaa')
    expect(
      problemAt('AttributeDefinitions[1].AttributeName', (d) => {
        d['AttributeDefinitions'] = [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: '', AttributeType: 'S' },
        ]
        d['KeySchema'] = [{ AttributeName: 'pk', KeyType: 'HASH' }]
      }),
    ).toBe(
      `${P}AttributeDefinitions[1].AttributeName: expected a name of 1 to 255 characters, got ""`,
    )
  })

  it('accepts a name of 255 characters', () => {
    const name = 'é'.repeat(255)
    const result = parse((d) => {
      d['AttributeDefinitions'] = [{ AttributeName: name, AttributeType: 'S' }]
      d['KeySchema'] = [{ AttributeName: name, KeyType: 'HASH' }]
    })
    expect(result.ok).toBe(true)
  })

  it('rejects a name defined twice', () => {
    expect(
      problemAt('AttributeDefinitions[2].AttributeName', (d) => {
        ;(d['AttributeDefinitions'] as unknown[]).push({ AttributeName: 'pk', AttributeType: 'N' })
      }),
    ).toBe(
      `${P}AttributeDefinitions[2].AttributeName: expected a name not defined before ` +
        '(AttributeDefinitions[0] defines it), got "pk"',
    )
  })

  it('rejects a type other than S, N or B', () => {
    expect(
      problemAt('AttributeDefinitions[1].AttributeType', (d) => {
        d['AttributeDefinitions'] = [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'NUMBER' },
        ]
      }),
    ).toBe(`${P}AttributeDefinitions[1].AttributeType: expected S, N or B, got "NUMBER"`)
  })

  it('rejects a definition no key uses, as DynamoDB does', () => {
    expect(
      problems(
        parse((d) => {
          ;(d['AttributeDefinitions'] as unknown[]).push({
            AttributeName: 'total',
            AttributeType: 'N',
          })
        }),
      ),
    ).toEqual([
      `${P}AttributeDefinitions[2].AttributeName: expected an attribute that the KeySchema of the ` +
        'table or of a global secondary index uses (DynamoDB rejects attribute definitions that ' +
        'no key uses), got "total"',
    ])
  })

  it('counts GSI keys as uses', () => {
    const result = parse((d) => {
      ;(d['AttributeDefinitions'] as unknown[]).push({ AttributeName: 'day', AttributeType: 'S' })
      d['GlobalSecondaryIndexes'] = [
        gsi({ KeySchema: [{ AttributeName: 'day', KeyType: 'HASH' }] }),
      ]
    })
    expect(result.ok).toBe(true)
  })

  it('rejects an unknown field of a definition', () => {
    expect(
      problemAt('AttributeDefinitions[0].Type', (d) => {
        d['AttributeDefinitions'] = [
          { AttributeName: 'pk', AttributeType: 'S', Type: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ]
      }),
    ).toContain('got an unknown field')
  })
})

describe('parseTableDefinition: KeySchema', () => {
  it.each([
    ['missing', undefined, 'nothing'],
    ['empty', [], '[]'],
    ['three elements', [{}, {}, {}], '[{},{},{}]'],
  ])('requires 1 or 2 elements (%s)', (_, value, got) => {
    // Without a readable KeySchema no definition is called unused: one problem, not three.
    expect(problems(parse((d) => (d['KeySchema'] = value)))).toEqual([
      `${P}KeySchema: expected a list of 1 or 2 elements {AttributeName, KeyType}: HASH, then ` +
        `optional RANGE, got ${got}`,
    ])
  })

  it('requires HASH first', () => {
    expect(
      problemAt('KeySchema[0].KeyType', (d) => {
        d['KeySchema'] = [
          { AttributeName: 'pk', KeyType: 'RANGE' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ]
      }),
    ).toBe(
      `${P}KeySchema[0].KeyType: expected HASH (the first element of a KeySchema), got "RANGE"`,
    )
  })

  it('requires RANGE second', () => {
    expect(
      problemAt('KeySchema[1].KeyType', (d) => {
        d['KeySchema'] = [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'HASH' },
        ]
      }),
    ).toBe(
      `${P}KeySchema[1].KeyType: expected RANGE (the second element of a KeySchema), got "HASH"`,
    )
  })

  it('requires each key to be defined in AttributeDefinitions', () => {
    expect(
      problemAt('KeySchema[1].AttributeName', (d) => {
        d['KeySchema'] = [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ]
      }),
    ).toBe(
      `${P}KeySchema[1].AttributeName: expected an attribute defined in AttributeDefinitions, got "id"`,
    )
  })

  it('rejects the same attribute as HASH and RANGE', () => {
    expect(
      problemAt('KeySchema[1].AttributeName', (d) => {
        d['KeySchema'] = [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'pk', KeyType: 'RANGE' },
        ]
      }),
    ).toContain('expected an attribute other than the HASH key, got "pk"')
  })
})

describe('parseTableDefinition: billing and throughput', () => {
  it('rejects an unknown BillingMode', () => {
    expect(problems(parse((d) => (d['BillingMode'] = 'ON_DEMAND')))).toEqual([
      `${P}BillingMode: expected PAY_PER_REQUEST or PROVISIONED, got "ON_DEMAND"`,
    ])
  })

  it('requires ProvisionedThroughput on the table and every GSI with PROVISIONED', () => {
    expect(
      problems(
        parse((d) => {
          d['BillingMode'] = 'PROVISIONED'
          d['GlobalSecondaryIndexes'] = [gsi()]
        }),
      ),
    ).toEqual([
      `${P}ProvisionedThroughput: expected {ReadCapacityUnits, WriteCapacityUnits} ` +
        '(BillingMode PROVISIONED requires it), got nothing',
      `${P}GlobalSecondaryIndexes[0].ProvisionedThroughput: expected {ReadCapacityUnits, ` +
        'WriteCapacityUnits} (BillingMode PROVISIONED requires it), got nothing',
    ])
  })

  it('requires whole numbers of at least 1 for provisioned capacity', () => {
    const found = problems(
      parse((d) => {
        d['BillingMode'] = 'PROVISIONED'
        d['ProvisionedThroughput'] = { ReadCapacityUnits: 0, WriteCapacityUnits: '5' }
      }),
    )
    expect(found).toEqual([
      `${P}ProvisionedThroughput.ReadCapacityUnits: expected a whole number of at least 1, got 0`,
      `${P}ProvisionedThroughput.WriteCapacityUnits: expected a whole number of at least 1, got "5"`,
    ])
    expect(
      problemAt('ProvisionedThroughput.WriteCapacityUnits', (d) => {
        d['BillingMode'] = 'PROVISIONED'
        d['ProvisionedThroughput'] = { ReadCapacityUnits: 1.5, WriteCapacityUnits: 2.5 }
      }),
    ).toContain('got 2.5')
    expect(
      problemAt('ProvisionedThroughput.ReadCapacityUnits', (d) => {
        d['BillingMode'] = 'PROVISIONED'
        d['ProvisionedThroughput'] = { WriteCapacityUnits: 1 }
      }),
    ).toContain('got nothing')
  })

  it('forbids ProvisionedThroughput with PAY_PER_REQUEST, given or by default', () => {
    expect(
      problemAt('ProvisionedThroughput', (d) => {
        d['ProvisionedThroughput'] = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
      }),
    ).toBe(
      `${P}ProvisionedThroughput: expected no ProvisionedThroughput with BillingMode ` +
        'PAY_PER_REQUEST (the default) (only PROVISIONED takes it), got ' +
        '{"ReadCapacityUnits":5,"WriteCapacityUnits":5}',
    )
    expect(
      problemAt('GlobalSecondaryIndexes[0].ProvisionedThroughput', (d) => {
        d['BillingMode'] = 'PAY_PER_REQUEST'
        d['GlobalSecondaryIndexes'] = [
          gsi({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
        ]
      }),
    ).toContain('expected no ProvisionedThroughput with BillingMode PAY_PER_REQUEST (only')
  })

  it('forbids OnDemandThroughput with PROVISIONED, on the table and on GSIs', () => {
    const found = problems(
      parse((d) => {
        d['BillingMode'] = 'PROVISIONED'
        d['ProvisionedThroughput'] = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }
        d['OnDemandThroughput'] = { MaxReadRequestUnits: 10 }
        d['GlobalSecondaryIndexes'] = [
          gsi({
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            OnDemandThroughput: { MaxWriteRequestUnits: 10 },
          }),
        ]
      }),
    )
    expect(found).toEqual([
      `${P}OnDemandThroughput: expected no OnDemandThroughput with BillingMode PROVISIONED ` +
        '(only PAY_PER_REQUEST takes it), got {"MaxReadRequestUnits":10}',
      `${P}GlobalSecondaryIndexes[0].OnDemandThroughput: expected no OnDemandThroughput with ` +
        'BillingMode PROVISIONED (only PAY_PER_REQUEST takes it), got {"MaxWriteRequestUnits":10}',
    ])
  })

  it('requires whole numbers of at least 1, or -1, for on-demand limits', () => {
    expect(
      problemAt('OnDemandThroughput.MaxReadRequestUnits', (d) => {
        d['OnDemandThroughput'] = { MaxReadRequestUnits: 0 }
      }),
    ).toBe(
      `${P}OnDemandThroughput.MaxReadRequestUnits: expected a whole number of at least 1, or -1 ` +
        'for no limit, got 0',
    )
    expect(
      problemAt('OnDemandThroughput.MaxWriteRequestUnits', (d) => {
        d['OnDemandThroughput'] = { MaxWriteRequestUnits: -2 }
      }),
    ).toContain('got -2')
    expect(
      problemAt('OnDemandThroughput', (d) => {
        d['OnDemandThroughput'] = {}
      }),
    ).toContain('expected at least one of MaxReadRequestUnits, MaxWriteRequestUnits, got {}')
  })
})

describe('parseTableDefinition: SSESpecification', () => {
  it('requires Enabled to be a boolean', () => {
    expect(
      problemAt('SSESpecification.Enabled', (d) => {
        d['SSESpecification'] = { Enabled: 'yes' }
      }),
    ).toBe(`${P}SSESpecification.Enabled: expected true or false, got "yes"`)
  })

  it('requires SSEType AES256 or KMS', () => {
    expect(
      problemAt('SSESpecification.SSEType', (d) => {
        d['SSESpecification'] = { Enabled: true, SSEType: 'aws:kms' }
      }),
    ).toBe(`${P}SSESpecification.SSEType: expected AES256 or KMS, got "aws:kms"`)
  })

  it('takes KMSMasterKeyId only with SSEType KMS', () => {
    expect(
      problemAt('SSESpecification.KMSMasterKeyId', (d) => {
        d['SSESpecification'] = { Enabled: true, SSEType: 'AES256', KMSMasterKeyId: 'alias/k' }
      }),
    ).toBe(
      `${P}SSESpecification.KMSMasterKeyId: expected no KMSMasterKeyId unless SSEType is KMS, ` +
        'got "alias/k"',
    )
    expect(
      problemAt('SSESpecification.KMSMasterKeyId', (d) => {
        d['SSESpecification'] = { Enabled: true, KMSMasterKeyId: 'alias/k' }
      }),
    ).toContain('unless SSEType is KMS')
    expect(
      problemAt('SSESpecification.KMSMasterKeyId', (d) => {
        d['SSESpecification'] = { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '' }
      }),
    ).toContain('expected a KMS key id')
  })

  it('requires a mapping', () => {
    expect(problemAt('SSESpecification', (d) => (d['SSESpecification'] = true))).toBe(
      `${P}SSESpecification: expected {Enabled, SSEType, KMSMasterKeyId}, got true`,
    )
  })
})

describe('parseTableDefinition: GlobalSecondaryIndexes', () => {
  it('requires a list', () => {
    expect(
      problemAt('GlobalSecondaryIndexes', (d) => (d['GlobalSecondaryIndexes'] = gsi())),
    ).toContain('expected a list of global secondary indexes, got {"IndexName":"by-sk"')
  })

  it.each(['ab', 'by sk', 'x'.repeat(256)])('rejects the index name %j', (name) => {
    expect(
      problemAt('GlobalSecondaryIndexes[0].IndexName', (d) => {
        d['GlobalSecondaryIndexes'] = [gsi({ IndexName: name })]
      }),
    ).toContain('expected an index name (3-255 of a-z A-Z 0-9 _ . -), got "')
  })

  it('requires an IndexName', () => {
    const index: Record<string, unknown> = gsi()
    delete index['IndexName']
    expect(
      problemAt('GlobalSecondaryIndexes[0].IndexName', (d) => {
        d['GlobalSecondaryIndexes'] = [index]
      }),
    ).toContain('got nothing')
  })

  it('rejects an index name used twice', () => {
    expect(
      problemAt('GlobalSecondaryIndexes[1].IndexName', (d) => {
        d['GlobalSecondaryIndexes'] = [gsi(), gsi()]
      }),
    ).toBe(
      `${P}GlobalSecondaryIndexes[1].IndexName: expected a name not used before ` +
        '(GlobalSecondaryIndexes[0] has it), got "by-sk"',
    )
  })

  it('checks an index KeySchema as the table one', () => {
    const found = problems(
      parse((d) => {
        d['GlobalSecondaryIndexes'] = [
          gsi({
            KeySchema: [
              { AttributeName: 'sk', KeyType: 'RANGE' },
              { AttributeName: 'day', KeyType: 'RANGE' },
            ],
          }),
        ]
      }),
    )
    expect(found).toEqual([
      `${P}GlobalSecondaryIndexes[0].KeySchema[0].KeyType: expected HASH (the first element of ` +
        'a KeySchema), got "RANGE"',
      `${P}GlobalSecondaryIndexes[0].KeySchema[1].AttributeName: expected an attribute defined ` +
        'in AttributeDefinitions, got "day"',
    ])
    expect(
      problemAt('GlobalSecondaryIndexes[0].KeySchema', (d) => {
        d['GlobalSecondaryIndexes'] = [gsi({ KeySchema: [] })]
      }),
    ).toContain('expected a list of 1 or 2 elements')
  })

  it('requires a Projection with a known ProjectionType', () => {
    const index: Record<string, unknown> = gsi()
    delete index['Projection']
    expect(
      problemAt('GlobalSecondaryIndexes[0].Projection', (d) => {
        d['GlobalSecondaryIndexes'] = [index]
      }),
    ).toBe(
      `${P}GlobalSecondaryIndexes[0].Projection: expected {ProjectionType: ALL, KEYS_ONLY or ` +
        'INCLUDE, NonKeyAttributes for INCLUDE}, got nothing',
    )
    expect(
      problemAt('GlobalSecondaryIndexes[0].Projection.ProjectionType', (d) => {
        d['GlobalSecondaryIndexes'] = [gsi({ Projection: { ProjectionType: 'KEYS' } })]
      }),
    ).toContain('expected ALL, KEYS_ONLY or INCLUDE, got "KEYS"')
  })

  it('requires 1 to 20 NonKeyAttributes with INCLUDE', () => {
    const path = 'GlobalSecondaryIndexes[0].Projection.NonKeyAttributes'
    const include = (names?: unknown) => (d: Record<string, unknown>) => {
      const projection: Record<string, unknown> = { ProjectionType: 'INCLUDE' }
      if (names !== undefined) projection['NonKeyAttributes'] = names
      d['GlobalSecondaryIndexes'] = [gsi({ Projection: projection })]
    }
    expect(problemAt(path, include())).toBe(
      `${P}${path}: expected a list of 1 to 20 attribute names (ProjectionType INCLUDE ` +
        'requires it), got nothing',
    )
    expect(problemAt(path, include([]))).toContain('got []')
    const names = Array.from({ length: 21 }, (_, i) => `a${i}`)
    expect(problemAt(path, include(names))).toContain('got ["a0","a1"')
    expect(parse(include(names.slice(0, 20))).ok).toBe(true)
    expect(problemAt(`${path}[1]`, include(['total', 'total']))).toContain(
      'expected a name not listed before, got "total"',
    )
    expect(problemAt(`${path}[0]`, include([7]))).toContain('got 7')
  })

  it('forbids NonKeyAttributes with ALL and KEYS_ONLY', () => {
    const path = 'GlobalSecondaryIndexes[0].Projection.NonKeyAttributes'
    for (const type of ['ALL', 'KEYS_ONLY']) {
      expect(
        problemAt(path, (d) => {
          d['GlobalSecondaryIndexes'] = [
            gsi({ Projection: { ProjectionType: type, NonKeyAttributes: ['total'] } }),
          ]
        }),
      ).toBe(
        `${P}${path}: expected no NonKeyAttributes with ProjectionType ${type} (only INCLUDE ` +
          'takes them), got ["total"]',
      )
    }
  })

  it('allows at most 100 projected attributes over all indexes', () => {
    const found = problems(
      parse((d) => {
        const names = Array.from({ length: 20 }, (_, i) => `a${i}`)
        d['GlobalSecondaryIndexes'] = Array.from({ length: 6 }, (_, i) =>
          gsi({
            IndexName: `index-${i}`,
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: names },
          }),
        )
      }),
    )
    expect(found).toEqual([
      `${P}GlobalSecondaryIndexes: expected at most 100 NonKeyAttributes over all indexes ` +
        'together, got 120',
    ])
  })

  it('refuses WarmThroughput on an index', () => {
    expect(
      problemAt('GlobalSecondaryIndexes[0].WarmThroughput', (d) => {
        d['GlobalSecondaryIndexes'] = [gsi({ WarmThroughput: { ReadUnitsPerSecond: 12000 } })]
      }),
    ).toContain('expected no WarmThroughput (this action does not set it')
  })
})

describe('parseTableDefinition: several problems', () => {
  it('reports every problem of the file at once', () => {
    const text = [
      'TableName: orders-v2',
      'AttributeDefinitions:',
      '  - {AttributeName: pk, AttributeType: STRING}',
      '  - {AttributeName: spare, AttributeType: S}',
      'KeySchema:',
      '  - {AttributeName: pk, KeyType: HASH}',
      'BillingMode: PROVISIONED',
      'ProvisionedThroughput: {ReadCapacityUnits: 5}',
      'StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_IMAGE}',
      'GlobalSecondaryIndexes:',
      '  - IndexName: by-pk',
      '    KeySchema: [{AttributeName: pk, KeyType: HASH}]',
      '    Projection: {ProjectionType: ALL}',
      '',
    ].join('\n')
    expect(problems(parseTableDefinition(FILE, text, 'orders'))).toEqual([
      `${P}StreamSpecification: expected no StreamSpecification (ImportTable cannot create it; ` +
        'add it after the import with UpdateTable), got ' +
        '{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}',
      `${P}TableName: expected "orders" (the table input; or leave TableName out), got "orders-v2"`,
      `${P}AttributeDefinitions[0].AttributeType: expected S, N or B, got "STRING"`,
      `${P}ProvisionedThroughput.WriteCapacityUnits: expected a whole number of at least 1, ` +
        'got nothing',
      `${P}GlobalSecondaryIndexes[0].ProvisionedThroughput: expected {ReadCapacityUnits, ` +
        'WriteCapacityUnits} (BillingMode PROVISIONED requires it), got nothing',
      `${P}AttributeDefinitions[1].AttributeName: expected an attribute that the KeySchema of the ` +
        'table or of a global secondary index uses (DynamoDB rejects attribute definitions that ' +
        'no key uses), got "spare"',
    ])
  })

  it('cuts long values it shows', () => {
    const problem = problemAt('Tags', (d) => {
      d['Tags'] = Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    })
    expect(problem).toMatch(/got \[\{"Key":"k0".{60,80}…$/)
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
