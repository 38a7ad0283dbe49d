// .github/workflows/real-aws.yml, the one workflow that runs the action against a real account:
// what makes it safe to keep in a public repository (never on pull requests, one table and prefix
// of its own per run, both cleaned up) and what it says where no role is configured. Whether
// GitHub parses it is test/manifest.test.ts's, with every workflow.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'

const root = path.resolve(import.meta.dirname, '..')
const FILE = '.github/workflows/real-aws.yml'

interface Step {
  id?: string
  if?: string
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, unknown>
}
interface Job {
  if?: string
  needs?: string
  permissions?: Record<string, string>
  env?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

const workflow = YAML.parse(fs.readFileSync(path.join(root, FILE), 'utf8')) as Workflow
const job = (name: string): Job => {
  const found = workflow.jobs[name]
  if (found === undefined) throw new Error(`${FILE} has no job ${name}`)
  return found
}
const step = (j: Job, id: string): Step => {
  const found = j.steps.find((s) => s.id === id)
  if (found === undefined) throw new Error(`${FILE} has no step ${id}`)
  return found
}
const RUN = '${{ github.run_id }}-${{ github.run_attempt }}'

describe(FILE, () => {
  it('runs on pushes to main and by hand, never for a pull request', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch'])
    expect(workflow.on['push']).toEqual({ branches: ['main'] })
    expect(workflow.permissions).toEqual({ contents: 'read' })
  })

  it('runs the import only where both the role and the bucket are set, the notice exactly elsewhere', () => {
    expect(job('native-verify').if).toBe("${{ vars.AWS_ROLE_ARN != '' && vars.AWS_BUCKET != '' }}")
    expect(job('not-configured').if).toBe("${{ vars.AWS_ROLE_ARN == '' || vars.AWS_BUCKET == '' }}")
    expect(job('not-configured').permissions).toBeUndefined()
    expect(job('not-configured').steps.some((s) => s.uses !== undefined)).toBe(false)
  })

  it('imports the fixture with the native engine and verify exact into a table of its own, deleted at the end', () => {
    const native = job('native-verify')
    expect(native.permissions).toEqual({ 'id-token': 'write', contents: 'read' })
    expect(native.env?.['TABLE']).toBe(`dsi-ci-${RUN}`)
    expect(native.env?.['PREFIX']).toBe(`dynamodb-s3-import-ci/${RUN}/`)
    expect(step(native, 'aws').with?.['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN }}')
    expect(step(native, 'aws').with?.['aws-region']).toBe("${{ vars.AWS_REGION || 'us-east-1' }}")
    const uses = native.steps.map((s) => s.uses ?? s.id)
    expect(uses.indexOf('./')).toBeGreaterThan(uses.indexOf('upload'))
    expect(step(native, 'import')).toMatchObject({
      uses: './',
      with: {
        table: '${{ env.TABLE }}',
        source: 's3://${{ vars.AWS_BUCKET }}/${{ env.PREFIX }}',
        mode: 'native',
        verify: 'exact',
        'delete-created-tables': true,
      },
    })
    expect(step(native, 'upload').run).toContain('"s3://$AWS_BUCKET/${PREFIX}items.jsonl"')
  })

  it('removes the prefix even when a step failed, and checks no table is left behind', () => {
    const cleanup = step(job('native-verify'), 'cleanup')
    expect(cleanup.if).toBe('${{ always() }}')
    expect(cleanup.run).toContain('aws s3 rm "s3://$AWS_BUCKET/$PREFIX" --recursive')
    const leftovers = job('leftovers')
    expect(leftovers.needs).toBe('native-verify')
    expect(leftovers.if).toBe("${{ always() && needs.native-verify.result != 'skipped' }}")
    expect(leftovers.env?.['TABLE']).toBe(job('native-verify').env?.['TABLE'])
  })

  it('checks every figure of the run against the fixture', () => {
    const check = step(job('native-verify'), 'check')
    for (const output of [
      'mode',
      'status',
      'imported-item-count',
      'verified-item-count',
      'mismatched-item-count',
    ])
      expect(Object.values(check.env ?? {})).toContain(`\${{ steps.import.outputs.${output} }}`)
    expect(job('native-verify').env?.['FIXTURE']).toBe('test/fixtures/aws/items.jsonl')
  })

  describe('the notice where it is not configured', () => {
    const script = step(job('not-configured'), 'notice').run ?? ''
    const notice = (role: string, bucket: string): string => {
      const run = spawnSync('bash', ['-e', '-c', script], {
        env: { PATH: process.env['PATH'], ROLE: role, BUCKET: bucket },
        encoding: 'utf8',
      })
      expect(run.status).toBe(0)
      return run.stdout
    }
    const tail =
      " not set. Set AWS_ROLE_ARN (a role this repository assumes with GitHub's OIDC token) and" +
      ' AWS_BUCKET (a bucket the role writes under dynamodb-s3-import-ci/), and AWS_REGION if not' +
      ' us-east-1; the trust and permission policies the role needs are in docs/aws-ci.md.\n'
    const head =
      '::notice title=Real AWS not run::The native import against a real account was skipped: the' +
      ' repository '

    it('names what is missing, in one annotation line', () => {
      expect(notice('', '')).toBe(`${head}variables AWS_ROLE_ARN and AWS_BUCKET are${tail}`)
      expect(notice('arn:aws:iam::123456789012:role/ci', '')).toBe(
        `${head}variable AWS_BUCKET is${tail}`,
      )
      expect(notice('', 'ci-bucket')).toBe(`${head}variable AWS_ROLE_ARN is${tail}`)
    })

    it('points to a document that exists and holds the policies', () => {
      const doc = fs.readFileSync(path.join(root, 'docs/aws-ci.md'), 'utf8')
      for (const action of [
        'dynamodb:ImportTable',
        'dynamodb:BatchGetItem',
        'dynamodb:Scan',
        'dynamodb:DeleteTable',
        's3:PutObject',
        's3:DeleteObject',
        'logs:GetLogEvents',
      ])
        expect(doc).toContain(`"${action}"`)
      expect(doc).toContain('token.actions.githubusercontent.com:sub')
    })
  })

  describe('the fixture', () => {
    const lines = fs
      .readFileSync(path.join(root, 'test/fixtures/aws/items.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')

    it("is DynamoDB JSON lines keyed pk:S,sk:N, each key once (so that which record wins never depends on ImportTable's order)", () => {
      const keys = lines.map((line) => {
        const { Item } = JSON.parse(line) as { Item: Record<string, Record<string, string>> }
        expect(Object.keys(Item['pk'] ?? {})).toEqual(['S'])
        expect(Object.keys(Item['sk'] ?? {})).toEqual(['N'])
        return `${Item['pk']?.['S']}|${Item['sk']?.['N']}`
      })
      expect(lines.length).toBeGreaterThan(3)
      expect(new Set(keys).size).toBe(lines.length)
    })
  })

  describe('the check of the outputs', () => {
    const script = step(job('native-verify'), 'check').run ?? ''
    const good = {
      MODE: 'native',
      STATUS: 'COMPLETED',
      FAILURE: '',
      IMPORTED: '6',
      VERIFIED: '6',
      MISMATCHED: '0',
    }
    const check = (outputs: Record<string, string>): { status: number | null; out: string } => {
      const run = spawnSync('bash', ['-e', '-c', script], {
        cwd: root,
        env: {
          PATH: process.env['PATH'],
          FIXTURE: job('native-verify').env?.['FIXTURE'],
          ...outputs,
        },
        encoding: 'utf8',
      })
      return { status: run.status, out: run.stdout }
    }

    it('passes a run that imported and verified every item of the fixture', () => {
      expect(check(good)).toEqual({
        status: 0,
        out: 'mode=native status=COMPLETED failure-code= imported=6 verified=6 mismatched=0 (fixture: 6 items)\n',
      })
    })

    it.each([
      [
        { STATUS: 'FAILED', FAILURE: 'ItemValidationError' },
        "expected status COMPLETED, got 'FAILED' (ItemValidationError)",
      ],
      [{ IMPORTED: '5' }, "expected imported-item-count 6, got '5'"],
      [{ VERIFIED: '' }, "expected verified-item-count 6, got ''"],
      [{ MISMATCHED: '1' }, "expected mismatched-item-count 0, got '1'"],
      [{ MODE: 'stream' }, "expected mode native, got 'stream'"],
    ])('fails %j with its reason', (change, reason) => {
      const { status, out } = check({ ...good, ...change })
      expect(status).toBe(1)
      expect(out.split('\n').at(-2)).toBe(`::error title=Real AWS::${reason}`)
    })
  })

  describe('the check that no table is left behind', () => {
    const script = step(job('leftovers'), 'gone').run ?? ''
    /** Runs the step with a fake `aws` whose describe-table answers `answer`; returns what it did. */
    const leftovers = (answer: 'gone' | 'DELETING' | 'ACTIVE' | 'denied') => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-aws-'))
      try {
        const calls = path.join(dir, 'calls')
        fs.writeFileSync(
          path.join(dir, 'aws'),
          [
            '#!/usr/bin/env bash',
            `echo "$*" >> ${JSON.stringify(calls)}`,
            'case "$2" in',
            '  describe-table)',
            '    case "$ANSWER" in',
            '      gone) echo "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: $4 not found" >&2; exit 254 ;;',
            '      denied) echo "An error occurred (AccessDeniedException) when calling the DescribeTable operation" >&2; exit 254 ;;',
            '      *) echo "$ANSWER" ;;',
            '    esac ;;',
            '  delete-table) echo DELETING ;;',
            'esac',
            '',
          ].join('\n'),
          { mode: 0o755 },
        )
        const run = spawnSync('bash', ['-e', '-c', script], {
          cwd: dir,
          env: { PATH: `${dir}:${process.env['PATH']}`, TABLE: 'dsi-ci-7-1', ANSWER: answer },
          encoding: 'utf8',
        })
        return {
          status: run.status,
          out: run.stdout,
          calls: fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [],
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
    const DESCRIBE =
      'dynamodb describe-table --table-name dsi-ci-7-1 --query Table.TableStatus --output text'

    it('passes when the table is gone or being deleted, and deletes nothing', () => {
      expect(leftovers('gone')).toEqual({
        status: 0,
        out: 'dsi-ci-7-1 is gone.\n',
        calls: [DESCRIBE],
      })
      expect(leftovers('DELETING')).toEqual({
        status: 0,
        out: 'dsi-ci-7-1 is being deleted (DeleteTable was accepted).\n',
        calls: [DESCRIBE],
      })
    })

    it('deletes a table left behind and fails, naming it', () => {
      const run = leftovers('ACTIVE')
      expect(run.status).toBe(1)
      expect(run.out).toContain(
        '::error title=Real AWS::table dsi-ci-7-1 is still there (ACTIVE) after the job that created it with delete-created-tables: true; deleting it now\n',
      )
      expect(run.calls).toEqual([
        DESCRIBE,
        'dynamodb wait table-exists --table-name dsi-ci-7-1',
        'dynamodb delete-table --table-name dsi-ci-7-1 --output text --query TableDescription.TableStatus',
      ])
    })

    it('fails when it cannot tell (an error other than not found)', () => {
      const run = leftovers('denied')
      expect(run.status).toBe(1)
      expect(run.out).toContain('AccessDeniedException')
      expect(run.calls).toEqual([DESCRIBE])
    })
  })
})
