// action.yml and the workflows, read by GitHub's own parser of them (@actions/workflow-parser,
// the template schema the runner loads action manifests and workflow files with). A key the
// runner does not know fails every workflow that uses the action before any of our code runs.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { Input, Output } from '../src/names.js'
import { HEALTH_CHECK_HEADING } from '../src/plan/endpoint.js'
import { actionManifest } from './support/helpers.js'

const root = path.resolve(import.meta.dirname, '..')

/** Every error the parser reports, as `file (Line: l, Col: c): message`. */
function manifestErrors(file: string, parse: typeof parseAction): string[] {
  const content = fs.readFileSync(path.join(root, file), 'utf8')
  const result = parse({ name: file, content }, new NoOperationTraceWriter())
  return result.context.errors.getErrors().map((e) => e.message)
}

const workflows = fs
  .readdirSync(path.join(root, '.github/workflows'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => `.github/workflows/${f}`)

describe('GitHub parses the manifest and the workflows', () => {
  it('action.yml has no error', () => {
    expect(manifestErrors('action.yml', parseAction)).toEqual([])
  })

  it('action.yml has a description the Marketplace takes (fewer than 125 characters)', () => {
    const manifest = YAML.parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
      description: string
    }
    expect(manifest.description.length).toBeGreaterThan(40)
    expect(manifest.description.length).toBeLessThan(125)
  })

  it('finds the errors it exists for (an output with required and default)', () => {
    const content =
      'name: x\ndescription: x\noutputs:\n  shard:\n    description: x\n    required: false\n' +
      'runs:\n  using: node24\n  main: dist/index.js\n'
    const result = parseAction({ name: 'action.yml', content }, new NoOperationTraceWriter())
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([
      "action.yml (Line: 6, Col: 5): Unexpected value 'required'",
    ])
  })

  it('finds an unknown key in a workflow step', () => {
    const content =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: x\n        bogus: 1\n'
    const result = parseWorkflow({ name: 'w.yml', content }, new NoOperationTraceWriter())
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([
      "w.yml (Line: 7, Col: 9): Unexpected value 'bogus'",
    ])
  })

  it('there are workflows to check', () => {
    expect(workflows.length).toBeGreaterThan(0)
  })

  it.each(workflows)('%s has no error', (file) => {
    expect(manifestErrors(file, parseWorkflow)).toEqual([])
  })
})

/** The first-column names of the table under a README heading (`| \`name\` | …`). */
function readmeTableNames(heading: string): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`)) ?? ''
  return [...section.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1] ?? '').sort()
}

describe('the README and the workflows agree with action.yml', () => {
  const manifest = actionManifest()

  it('src/names.ts names exactly the inputs and outputs', () => {
    expect(Object.values(Input).sort()).toEqual(manifest.inputs)
    expect(Object.values(Output).sort()).toEqual(manifest.outputs)
  })

  it('the Inputs table lists exactly the inputs', () => {
    expect(readmeTableNames('Inputs')).toEqual(manifest.inputs)
  })

  it('the Outputs table lists exactly the outputs', () => {
    expect(readmeTableNames('Outputs')).toEqual(manifest.outputs)
  })

  it.each(workflows)('%s gives `uses: ./` only declared inputs', (file) => {
    expect(undeclaredInputs(fs.readFileSync(path.join(root, file), 'utf8'), manifest)).toEqual([])
  })

  const examples = readmeWorkflows()
  it('the README has workflow examples', () => {
    expect(examples.length).toBeGreaterThan(3)
  })

  it.each(examples.map((content, i) => [i + 1, content] as const))(
    'README example %i parses and gives the action only declared inputs',
    (i, content) => {
      const name = `README example ${i}`
      const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
      expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([])
      expect(undeclaredInputs(content, manifest)).toEqual([])
    },
  )

  it.each([
    ...examples.map((content, i) => [`README example ${i + 1}`, content] as const),
    ...workflows.map((file) => [file, fs.readFileSync(path.join(root, file), 'utf8')] as const),
  ])(
    '%s would run: OIDC allowed where a role is assumed, a checkout before workspace files',
    (_name, content) => {
      expect(workflowMistakes(content)).toEqual([])
    },
  )

  it('finds those mistakes where they are', () => {
    const content = [
      'on: push',
      'jobs:',
      '  role:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: aws-actions/configure-aws-credentials@v4',
      '        with: { role-to-assume: arn:aws:iam::1:role/r, aws-region: us-east-1 }',
      '      - uses: dynamodb-s3-import/dynamodb-s3-import@v0',
      '        with: { table: t, source: s3://b/p/, table-definition: infra/t.yml }',
      '  late-checkout:',
      '    runs-on: ubuntu-latest',
      '    permissions: { id-token: write }',
      '    steps:',
      '      - uses: ./',
      '        with: { table: t, source: fixtures/a.json }',
      '      - uses: actions/checkout@v5',
      '  fine:',
      '    runs-on: ubuntu-latest',
      '    permissions: write-all',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '      - uses: aws-actions/configure-aws-credentials@v4',
      '        with: { role-to-assume: arn:aws:iam::1:role/r, aws-region: us-east-1 }',
      '      - uses: ./',
      '        with: { table: t, source: fixtures/a.json }',
      '',
    ].join('\n')
    expect(workflowMistakes(content)).toEqual([
      'job role: role-to-assume without permissions id-token: write',
      'job role: table-definition infra/t.yml is a workspace file, read before any actions/checkout',
      'job late-checkout: source fixtures/a.json is a workspace file, read before any actions/checkout',
    ])
    // Workflow-level permissions count when the job has none of its own.
    const workflowLevel = content.replace('jobs:', 'permissions: { id-token: write }\njobs:')
    expect(workflowMistakes(workflowLevel)).toEqual([
      'job role: table-definition infra/t.yml is a workspace file, read before any actions/checkout',
      'job late-checkout: source fixtures/a.json is a workspace file, read before any actions/checkout',
    ])
  })

  it(`the README has the section the endpoint-wait error points to ("${HEALTH_CHECK_HEADING}")`, () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
    expect(readme).toContain(`\n### ${HEALTH_CHECK_HEADING}\n`)
  })

  it('the LICENSE is the one package.json names', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      license: string
    }
    expect(pkg.license).toBe('MIT')
    const license = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8')
    expect(license).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 dynamodb-s3-import contributors\n/,
    )
  })
})

type Permissions = 'read-all' | 'write-all' | Record<string, string> | undefined
interface WorkflowStep {
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  permissions?: Permissions
  jobs: Record<string, { permissions?: Permissions; steps?: WorkflowStep[] }>
}

/** This action's inputs that name a file of the workspace (source, unless it is an S3 URL). */
function workspaceFiles(step: WorkflowStep): Array<[string, string]> {
  const files: Array<[string, string]> = []
  const source = step.with?.['source']
  if (typeof source === 'string' && !source.startsWith('s3://')) files.push(['source', source])
  const definition = step.with?.['table-definition']
  if (typeof definition === 'string') files.push(['table-definition', definition])
  return files
}

/**
 * What makes a job fail at run time although the workflow parses: configure-aws-credentials with
 * role-to-assume and no `id-token: write` (the job's permissions, or the workflow's when the job
 * has none), and a workspace file given to this action before any checkout in that job.
 */
function workflowMistakes(content: string): string[] {
  const workflow = YAML.parse(content) as Workflow
  const ours = (uses = ''): boolean =>
    uses === './' || uses.startsWith('dynamodb-s3-import/dynamodb-s3-import@')
  const mistakes: string[] = []
  for (const [name, job] of Object.entries(workflow.jobs)) {
    const permissions = job.permissions ?? workflow.permissions
    const oidc =
      permissions === 'write-all' ||
      (typeof permissions === 'object' && permissions['id-token'] === 'write')
    let checkedOut = false
    for (const step of job.steps ?? []) {
      const uses = step.uses ?? ''
      if (uses.startsWith('actions/checkout@')) checkedOut = true
      if (
        uses.startsWith('aws-actions/configure-aws-credentials@') &&
        step.with?.['role-to-assume'] !== undefined &&
        !oidc
      ) {
        mistakes.push(`job ${name}: role-to-assume without permissions id-token: write`)
      }
      if (!ours(uses) || checkedOut) continue
      for (const [input, file] of workspaceFiles(step)) {
        mistakes.push(
          `job ${name}: ${input} ${file} is a workspace file, read before any actions/checkout`,
        )
      }
    }
  }
  return mistakes
}

/**
 * The README's yaml blocks that hold jobs, as whole workflows: the README shows the `jobs:` part,
 * so a trigger is added where the block has none.
 */
function readmeWorkflows(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  return [...readme.matchAll(/^```yaml\n([\s\S]*?)^```/gm)]
    .map((m) => m[1] ?? '')
    .filter((block) => /^jobs:/m.test(block))
    .map((block) => (/^on:/m.test(block) ? block : `on: push\n${block}`))
}

/** `with:` keys given to this action (`uses: ./` or the published name) that it does not declare. */
function undeclaredInputs(content: string, manifest: { inputs: string[] }): string[] {
  const workflow = YAML.parse(content) as {
    jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>
  }
  const ours = (uses = ''): boolean =>
    uses === './' || uses.startsWith('dynamodb-s3-import/dynamodb-s3-import@')
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .filter((step) => ours(step.uses))
    .flatMap((step) => Object.keys(step.with ?? {}))
    .filter((name) => !manifest.inputs.includes(name))
}
