import { describe, expect, it, vi } from 'vitest'
import {
  annotate,
  MAX_ANNOTATIONS_PER_KIND,
  recordPlace,
  setOutputs,
} from '../../src/report/outputs.js'
import type { Rejection } from '../../src/result.js'
import { actionManifest } from '../support/helpers.js'
import { result } from '../support/results.js'

/** The workflow commands the action prints (`::error title=…::message`), as the runner reads them. */
function commands(run: () => void): string[] {
  const lines: string[] = []
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('::')),
    )
    return true
  })
  try {
    run()
  } finally {
    write.mockRestore()
  }
  return lines
}

function rejections(n: number): Rejection[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'invalid' as const,
    location: `s3://b/k.json:${i + 1}`,
    reason: 'invalid JSON at column 3',
    records: 1,
  }))
}

describe('annotate', () => {
  const failed = result({
    status: 'FAILED',
    errorCount: 21,
    rejections: { samples: rejections(15), byKind: { invalid: 21 } },
  })
  const verdict = '21 records were rejected, more than max-errors (0). Fix the records.'

  it(`puts the verdict first and leaves it room within GitHub's ${MAX_ANNOTATIONS_PER_KIND} errors`, () => {
    const printed = commands(() => annotate(failed, [verdict], { maxErrors: 0, minItems: 0 }, '/w'))
    expect(printed).toHaveLength(MAX_ANNOTATIONS_PER_KIND)
    expect(printed[0]).toBe(`::error::${verdict}`)
    expect(printed[1]).toBe(
      '::error title=Rejected record%3A invalid record::s3://b/k.json:1: invalid JSON at column 3',
    )
    expect(printed.every((line) => line.startsWith('::error'))).toBe(true)
    expect(process.exitCode).toBe(1)
    process.exitCode = undefined
  })

  it('warns, once, naming source and min-items, when no record was read and the step passes', () => {
    const empty = result({ source: 'empty.json', processedItemCount: 0, importedItemCount: 0 })
    const limits = { maxErrors: 0, minItems: 0 }
    expect(commands(() => annotate(empty, [], limits, '/w'))).toEqual([
      '::warning title=Nothing imported::0 items imported from empty.json: the source holds no records. Check source, or set min-items: 1 to make an empty import fail the step.',
    ])
    // When min-items fails the step, its verdict says it.
    const failing = ['0 items imported, fewer than min-items (1).']
    const printed = commands(() => annotate(empty, failing, { maxErrors: 0, minItems: 1 }, '/w'))
    expect(printed).toEqual([`::error::${failing[0]}`])
    process.exitCode = undefined
  })

  it('prints warnings, ten of them, when max-errors accepts the rejections', () => {
    const accepted = result({
      errorCount: 12,
      rejections: { samples: rejections(12), byKind: { invalid: 12 } },
    })
    const printed = commands(() => annotate(accepted, [], { maxErrors: 20, minItems: 0 }, '/w'))
    expect(printed).toHaveLength(MAX_ANNOTATIONS_PER_KIND)
    expect(printed.every((line) => line.startsWith('::warning '))).toBe(true)
  })

  it('attaches a record of a workspace file to its file and line, by its workspace path', () => {
    const local = result({
      errorCount: 1,
      rejections: {
        samples: [
          {
            kind: 'invalid',
            location: '/w/fixtures/orders/0002.json:2',
            reason: 'bad',
            records: 1,
          },
        ],
        byKind: { invalid: 1 },
      },
    })
    const printed = commands(() => annotate(local, [], { maxErrors: 5, minItems: 0 }, '/w'))
    expect(printed).toEqual([
      '::warning title=Rejected record%3A invalid record,file=fixtures/orders/0002.json,line=2::fixtures/orders/0002.json:2: bad',
    ])
  })

  it('fails the step with the reason alone when there is no result', () => {
    const printed = commands(() =>
      annotate(undefined, ['Invalid inputs'], { maxErrors: 0, minItems: 0 }, '/w'),
    )
    expect(printed).toEqual(['::error::Invalid inputs'])
    process.exitCode = undefined
  })
})

describe('recordPlace', () => {
  it.each([
    ['/w/a/b.json:12', { file: 'a/b.json', line: 12 }],
    ['s3://bucket/a/b.json:12', {}],
    ['/elsewhere/b.json:3', {}],
    ['/w/b.json', {}],
  ])('%s → %o', (location, place) => {
    expect(recordPlace(location, '/w')).toEqual(place)
  })
})

describe('setOutputs', () => {
  it('sets exactly the outputs action.yml declares', () => {
    const printed: string[] = []
    // Without GITHUB_OUTPUT the toolkit prints `::set-output name=…::` commands.
    vi.stubEnv('GITHUB_OUTPUT', '')
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk))
      return true
    })
    try {
      setOutputs(result())
    } finally {
      write.mockRestore()
    }
    const names = printed.join('').match(/::set-output name=([a-z-]+)::/g) ?? []
    expect(names.map((n) => n.slice('::set-output name='.length, -2)).sort()).toEqual(
      actionManifest().outputs,
    )
  })
})
