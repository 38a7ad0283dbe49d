import { describe, expect, it, vi } from 'vitest'
import { inputEnv } from '../scripts/action-env.mjs'
import {
  ignoredInputs,
  parseKeySchema,
  parseSource,
  parseTable,
  readInputs,
  readPostInputs,
} from '../src/inputs.js'

const required = { table: 'orders', source: 's3://my-bucket/exports/2026/', region: 'eu-west-1' }

function inputs(overrides: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(inputEnv({ ...required, ...overrides })))
    vi.stubEnv(name, value)
  return readInputs()
}

describe('readInputs', () => {
  it('gives the defaults of action.yml', () => {
    expect(inputs()).toMatchObject({
      table: { id: 'orders', name: 'orders' },
      source: { bucket: 'my-bucket', prefix: 'exports/2026/' },
      mode: 'auto',
      format: 'auto',
      compression: 'auto',
      csvDelimiter: ',',
      billingMode: 'PAY_PER_REQUEST',
      createTable: 'auto',
      writeConcurrency: 16,
      writeThreads: 'auto',
      maxWriteCapacity: 0,
      maxErrors: 0,
      minItems: 0,
      dryRun: false,
      deleteCreatedTables: false,
      wait: true,
      timeoutMinutes: 360,
      region: 'eu-west-1',
      s3ForcePathStyle: false,
    })
  })

  it('reads enum values case-insensitively, and a table ARN', () => {
    const read = inputs({
      mode: 'STREAM',
      'input-compression': 'gzip',
      'billing-mode': 'provisioned',
      table: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    })
    expect(read).toMatchObject({ mode: 'stream', compression: 'GZIP', billingMode: 'PROVISIONED' })
    expect(read.table).toEqual({
      id: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
      name: 'orders',
    })
  })

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION', () => {
    vi.stubEnv('AWS_REGION', '')
    vi.stubEnv('AWS_DEFAULT_REGION', 'ap-south-1')
    expect(inputs({ region: '' }).region).toBe('ap-south-1')
    vi.stubEnv('AWS_REGION', 'us-west-2')
    expect(inputs({ region: '' }).region).toBe('us-west-2')
  })

  it('defaults s3-force-path-style to true when s3-endpoint is set', () => {
    expect(inputs({ 's3-endpoint': 'http://127.0.0.1:9000' }).s3ForcePathStyle).toBe(true)
    expect(
      inputs({ 's3-endpoint': 'http://127.0.0.1:9000', 's3-force-path-style': 'false' })
        .s3ForcePathStyle,
    ).toBe(false)
  })

  // One row per input: a wrong value, and the words the message must contain.
  const bad: Array<[string, string, string]> = [
    ['table', 'ab', 'a table name (3-255 of a-z A-Z 0-9 _ . -) or a table ARN'],
    ['source', 'https://my-bucket/prefix', 's3://bucket/prefix or a path inside the workspace'],
    ['source', '../outside/the/workspace', 'a path inside the workspace'],
    ['source', 'data/*.json\n../**', 'patterns inside the workspace'],
    ['source', 's3://bucket/*.json', 's3://bucket/prefix: an S3 source is a key prefix'],
    ['mode', 'fast', 'one of auto, native, stream'],
    ['input-format', 'PARQUET', 'one of auto, DYNAMODB_JSON, ION, CSV'],
    ['input-compression', 'bzip2', 'one of auto, NONE, GZIP, ZSTD'],
    ['csv-delimiter', '#', 'one of , ; : | tab space'],
    ['csv-header', 'a,"b"', 'comma-separated unique names'],
    ['key-schema', 'pk:X', 'name:TYPE or name:TYPE,name:TYPE with TYPE S, N or B'],
    ['billing-mode', 'FREE', 'one of PAY_PER_REQUEST, PROVISIONED'],
    ['create-table', 'yes', 'one of auto, true, false'],
    ['write-concurrency', '1000', 'a whole number from 1 to 256'],
    ['write-threads', '65', 'auto or a whole number from 0 to 64'],
    ['write-threads', 'many', 'auto or a whole number from 0 to 64'],
    ['max-write-capacity', '-5', 'a whole number at least 0'],
    ['max-errors', '1.5', 'a whole number at least 0'],
    ['min-items', 'many', 'a whole number at least 0'],
    ['dry-run', 'maybe', 'true or false'],
    ['wait', 'sometimes', 'true or false'],
    ['timeout-minutes', '0', 'a whole number at least 1'],
    ['client-token', 'a$b', 'a token without "$"'],
    ['region', 'Europe', 'an AWS region such as us-east-1'],
    ['dynamodb-endpoint', 'localhost:8000', 'an http:// or https:// URL'],
    ['s3-endpoint', 'ftp://x', 'an http:// or https:// URL'],
    ['s3-force-path-style', 'on', 'true or false'],
    ['bucket-owner', '1234', 'a 12-digit AWS account id'],
    ['native-min-bytes', '1 GB', 'a number of bytes, such as 1073741824 or 1GiB'],
    ['table-definition', 'no/such/table.yml', 'a readable JSON or YAML file'],
    ['rejected-file', '/tmp', 'a file path, not a directory'],
    ['shard', '5/4', 'i/n with 1 <= i <= n <= 256, such as 2/4'],
    ['truncate', 'always', 'true or false'],
    // The main step refuses it too, before it creates a table the post step would then keep.
    ['delete-created-tables', 'yes', 'true or false'],
  ]
  it.each(bad)(
    'refuses %s: %s, naming the input, the value and what is allowed',
    (name, value, allowed) => {
      expect(() => inputs({ [name]: value })).toThrow(`${name}: expected ${allowed}`)
      expect(() => inputs({ [name]: value })).toThrow(`got "${value.split('\n').pop()}"`)
    },
  )

  it('reads create-table as auto, true or false, case-insensitively', () => {
    expect(inputs({ 'create-table': 'TRUE' }).createTable).toBe('true')
    expect(inputs({ 'create-table': 'False' }).createTable).toBe('false')
    expect(inputs({ 'create-table': 'auto' }).createTable).toBe('auto')
  })

  it('refuses create-table: false with mode native, since ImportTable always creates the table', () => {
    expect(() => inputs({ mode: 'native', 'create-table': 'false', 'key-schema': 'pk:S' })).toThrow(
      'create-table: expected auto or true with mode native: ImportTable always creates a new table; to write into an existing table use mode stream (or auto), got "false"',
    )
    expect(inputs({ mode: 'native', 'create-table': 'true' }).createTable).toBe('true')
  })

  it('reports every bad input at once', () => {
    expect(() => inputs({ mode: 'x', 'max-errors': 'y' })).toThrow(/mode: .*\n- max-errors: /)
  })

  it('reads write-threads as auto or a number, 0 among them', () => {
    expect(inputs({ 'write-threads': 'auto' }).writeThreads).toBe('auto')
    expect(inputs({ 'write-threads': '0' }).writeThreads).toBe(0)
    expect(inputs({ 'write-threads': '64' }).writeThreads).toBe(64)
  })

  it('reads native-min-bytes as bytes or with a binary unit', () => {
    expect(inputs().nativeMinBytes).toBe(2 ** 30)
    expect(inputs({ 'native-min-bytes': '512MiB' }).nativeMinBytes).toBe(512 * 2 ** 20)
    expect(inputs({ 'native-min-bytes': '1000' }).nativeMinBytes).toBe(1000)
  })

  it('builds the table to create from key-schema and billing-mode', () => {
    expect(inputs({ 'key-schema': 'pk:S,sk:N' })).toMatchObject({
      tableCreationSource: 'key-schema',
      tableCreation: {
        TableName: 'orders',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
    })
  })

  it('refuses a table-definition file that cannot be read, naming it', () => {
    expect(() => inputs({ 'table-definition': 'no/such/file.yml' })).toThrow(
      /table-definition: expected a readable JSON or YAML file .*got "no\/such\/file.yml"/,
    )
  })

  it('refuses a workspace source with mode native, since ImportTable reads only S3', () => {
    expect(() => inputs({ mode: 'native', source: 'test/fixtures' })).toThrow(
      'source: expected s3://bucket/prefix with mode native',
    )
  })

  it('refuses inputs that cannot go together, with the way out', () => {
    expect(() => inputs({ shard: '1/2', mode: 'native' })).toThrow(
      'shard: ImportTable imports a prefix in one job',
    )
    expect(() => inputs({ truncate: 'true', mode: 'native' })).toThrow(
      'truncate: ImportTable always creates a new, empty table',
    )
    expect(() => inputs({ truncate: 'true', shard: '1/2' })).toThrow(
      'truncate in a job of its own before the matrix',
    )
    expect(inputs({ truncate: 'true', shard: '1/1' }).truncate).toBe(true)
  })

  it('refuses delete-created-tables with shard: one job would delete the table the others write', () => {
    expect(() => inputs({ 'delete-created-tables': 'true', shard: '1/2' })).toThrow(
      'delete-created-tables: with shard, the job that creates the table would delete it at its end while the other jobs may still write to it; create the table before the matrix, or delete it in a job after the matrix',
    )
    expect(inputs({ 'delete-created-tables': 'true', shard: '1/1' }).deleteCreatedTables).toBe(true)
  })

  it('reads verify: none for an import, full for mode verify, and refuses mode verify with none', () => {
    expect(inputs({})).toMatchObject({ verify: 'none', verifySampleSize: 1000, maxReadCapacity: 0 })
    expect(inputs({ mode: 'verify' }).verify).toBe('full')
    expect(inputs({ mode: 'Verify', verify: 'EXACT', 'verify-sample-size': '7' })).toMatchObject({
      mode: 'verify',
      verify: 'exact',
      verifySampleSize: 7,
    })
    expect(() => inputs({ mode: 'verify', verify: 'none' })).toThrow(
      'verify: expected sample, full or exact with mode verify, which only compares, got "none"',
    )
  })

  it('requires source; table only when the files name no table (the start step decides)', () => {
    expect(() => inputs({ table: '', source: '' })).toThrow(
      'Invalid inputs:\n- source: is required',
    )
    expect(inputs({ table: '', source: 's3://bucket/p' }).table).toBeUndefined()
  })
})

describe('readPostInputs', () => {
  /** The post step's inputs, from the same environment as the main step's. */
  function postInputs(overrides: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(inputEnv({ ...required, ...overrides })))
      vi.stubEnv(name, value)
    return readPostInputs()
  }

  it('reads delete-created-tables and how to connect, nothing else', () => {
    expect(
      postInputs({
        'delete-created-tables': 'TRUE',
        'dynamodb-endpoint': 'http://localhost:8000',
        'client-token': 'token',
      }),
    ).toEqual({
      deleteCreatedTables: true,
      region: 'eu-west-1',
      dynamodbEndpoint: 'http://localhost:8000',
      s3ForcePathStyle: false,
    })
    expect(postInputs().deleteCreatedTables).toBe(false)
  })

  it('names every bad one at once', () => {
    expect(() => postInputs({ 'delete-created-tables': 'yes', region: 'Europe' })).toThrow(
      'Invalid inputs:\n- delete-created-tables: expected true or false, got "yes"\n- region: expected an AWS region such as us-east-1, got "Europe"',
    )
  })
})

describe('parsers', () => {
  it('parse sources, tables and key schemas', () => {
    expect(parseSource('s3://b-1.x/')).toEqual({ kind: 's3', bucket: 'b-1.x', prefix: '' })
    expect(parseSource('s3://bucket')).toEqual({ kind: 's3', bucket: 'bucket', prefix: '' })
    expect(parseSource('s3://bucket/a/b.json')).toEqual({
      kind: 's3',
      bucket: 'bucket',
      prefix: 'a/b.json',
    })
    expect(parseSource('s3://')).toBeUndefined()
    expect(parseSource('https://bucket/key')).toBeUndefined()
    expect(parseSource('test/fixtures/')).toEqual({ kind: 'local', path: 'test/fixtures/' })
    expect(parseTable('arn:aws:dynamodb:us-east-1:123456789012:table/t-1')?.name).toBe('t-1')
  })

  it('read a workspace source with several lines, a wildcard or a leading ! as glob patterns', () => {
    expect(parseSource('fixtures/orders.json')).toEqual({
      kind: 'local',
      path: 'fixtures/orders.json',
    })
    expect(parseSource('fixtures/*.json')).toMatchObject({ patterns: ['fixtures/*.json'] })
    expect(parseSource('data/?.json')).toMatchObject({ patterns: ['data/?.json'] })
    expect(parseSource('data/[ab].json')).toMatchObject({ patterns: ['data/[ab].json'] })
    expect(parseSource('!data/x.json')).toMatchObject({ patterns: ['!data/x.json'] })
    expect(parseSource('# seed\r\n  data/a.json \n\n!data/b.json\n')).toEqual({
      kind: 'local',
      path: 'data/a.json, !data/b.json',
      patterns: ['data/a.json', '!data/b.json'],
    })
  })

  it('keep an S3 source a key prefix: wildcards and several lines are no S3 source', () => {
    expect(parseSource('s3://bucket/data/')).toEqual({
      kind: 's3',
      bucket: 'bucket',
      prefix: 'data/',
    })
    expect(parseSource('s3://bucket/*.json')).toBeUndefined()
    expect(parseSource('s3://bucket/a?')).toBeUndefined()
    expect(parseSource('s3://bucket/a\ns3://bucket/b')).toBeUndefined()
  })

  it('parse a key schema of one or two name:TYPE, separated by a comma', () => {
    expect(parseKeySchema('pk:S')).toEqual([{ name: 'pk', type: 'S' }])
    expect(parseKeySchema('pk:s, sk:N')).toEqual([
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'N' },
    ])
    expect(parseKeySchema('order id:B,#when.at:N')).toEqual([
      { name: 'order id', type: 'B' },
      { name: '#when.at', type: 'N' },
    ])
  })

  it.each([
    ['pk:S;sk:N', 'the name "pk:S;sk" holds ":" and ";"'],
    ['pk:S sk:N', 'the name "pk:S sk" holds ":"'],
    ['pk;S', '"pk;S" has no :TYPE'],
    ['pk', '"pk" has no :TYPE'],
    [':S', 'a key has no name before its :TYPE'],
    ['pk :S', 'the name "pk " has spaces around it'],
    ['pk:X', 'the type of pk is "X", not S, N or B'],
    ['pk:SS', 'the type of pk is "SS", not S, N or B'],
    ['pk:S,', '"" has no :TYPE'],
    ['pk:S,pk:N', 'both keys are named pk'],
    ['a:S,b:S,c:S', '3 keys, but a table has a partition key and at most one sort key'],
    [`${'k'.repeat(256)}:S`, `the name ${'k'.repeat(20)}… is longer than 255 bytes`],
  ])('refuse the key schema %s: %s', (value, problem) => {
    expect(parseKeySchema(value)).toBe(problem)
  })

  it('say in the key-schema error what was expected, what was found and what is wrong', () => {
    expect(() => inputs({ 'key-schema': 'pk:S;sk:N' })).toThrow(
      'key-schema: expected name:TYPE or name:TYPE,name:TYPE with TYPE S, N or B (separate the two keys with a comma), got "pk:S;sk:N": the name "pk:S;sk" holds ":" and ";"',
    )
  })
})

describe('ignoredInputs', () => {
  it('does not call the CSV options ignored under input-format auto: any object may be CSV', () => {
    const given = inputs({ 'csv-delimiter': ';', 'csv-header': 'pk,name' })
    expect(given.format).toBe('auto')
    expect(ignoredInputs(given, 'stream')).toEqual([])
    expect(ignoredInputs({ ...given, format: 'JSON' }, 'stream')).toEqual([
      'csv-delimiter (only for input-format CSV)',
      'csv-header (only for input-format CSV)',
    ])
  })

  it('accepts mode native with input-format auto (the first object decides), not with JSON', () => {
    expect(inputs({ mode: 'native' }).format).toBe('auto')
    expect(() => inputs({ mode: 'native', 'input-format': 'JSON' })).toThrow(
      'ImportTable takes only these',
    )
  })

  it('reads input-format NOSQL_WORKBENCH, a format of the stream engine only', () => {
    expect(inputs({ 'input-format': 'NOSQL_WORKBENCH' }).format).toBe('NOSQL_WORKBENCH')
    expect(() => inputs({ mode: 'native', 'input-format': 'NOSQL_WORKBENCH' })).toThrow(
      'input-format: expected DYNAMODB_JSON, ION, CSV with mode native: ImportTable takes only these; NOSQL_WORKBENCH is read by the stream engine (mode stream or auto), got "NOSQL_WORKBENCH"',
    )
  })

  it('names inputs that have no effect in the mode that runs', () => {
    expect(
      ignoredInputs(
        inputs({
          wait: 'false',
          'client-token': 't',
          'csv-delimiter': ';',
          'input-format': 'DYNAMODB_JSON',
        }),
        'stream',
      ),
    ).toEqual([
      'csv-delimiter (only for input-format CSV)',
      'wait (only for mode native)',
      'client-token (only for mode native)',
    ])
    expect(
      ignoredInputs(
        inputs({ 'create-table': 'true', 'write-concurrency': '4', 'write-threads': '2' }),
        'native',
      ),
    ).toEqual([
      // create-table: true has an effect on native too: no check for a close name first.
      'write-concurrency (only for mode stream)',
      'write-threads (only for mode stream)',
    ])
    expect(ignoredInputs(inputs(), 'stream')).toEqual([])
  })

  it('names key-schema or table-definition when create-table is false: no table is created', () => {
    expect(
      ignoredInputs(inputs({ 'create-table': 'false', 'key-schema': 'pk:S' }), 'stream'),
    ).toEqual(['key-schema (create-table is false: no table is created)'])
    expect(
      ignoredInputs(inputs({ 'create-table': 'auto', 'key-schema': 'pk:S' }), 'stream'),
    ).toEqual([])
  })

  it('names the S3 inputs when the source is a workspace path', () => {
    expect(
      ignoredInputs(
        inputs({
          source: 'test/fixtures',
          's3-endpoint': 'http://127.0.0.1:9000',
          'bucket-owner': '123456789012',
        }),
        'stream',
      ),
    ).toEqual([
      's3-endpoint (the source is a workspace path)',
      'bucket-owner (the source is a workspace path)',
    ])
  })
})
