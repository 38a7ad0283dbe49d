import { afterEach, describe, expect, it, vi } from 'vitest'
import { annotate, MAX_ANNOTATIONS_PER_KIND, setOutputs } from '../../src/report/outputs.js'
import type { Rejection } from '../../src/formats/record.js'
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

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('annotate', () => {
  it(`prints at most ${MAX_ANNOTATIONS_PER_KIND} annotations, errors when they fail the step`, () => {
    const failed = result({
      status: 'FAILED',
      errorCount: 15,
      rejections: { samples: rejections(15), byKind: { invalid: 15 } },
    })
    const printed = commands(() => annotate(failed, { maxErrors: 0, minItems: 0 }))
    expect(printed).toHaveLength(MAX_ANNOTATIONS_PER_KIND)
    expect(printed[0]).toBe(
      '::error title=Rejected record%3A invalid record::s3://b/k.json:1: invalid JSON at column 3',
    )
    expect(printed.every((line) => line.startsWith('::error '))).toBe(true)
  })

  it('prints warnings when max-errors accepts the rejections', () => {
    const accepted = result({
      errorCount: 2,
      rejections: { samples: rejections(2), byKind: { invalid: 2 } },
    })
    const printed = commands(() => annotate(accepted, { maxErrors: 2, minItems: 0 }))
    expect(printed.map((line) => line.split(' ')[0])).toEqual(['::warning', '::warning'])
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
