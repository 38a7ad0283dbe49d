import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { ActionError } from '../errors.js'
import { Input } from '../names.js'
import type { Source, SourceObject, WorkspaceSelection } from './source.js'

const IS_WINDOWS = process.platform === 'win32'
/** Path separators inside a pattern: `\` is an escape on POSIX, as in `@actions/glob`. */
const SEPARATOR = IS_WINDOWS ? /[\\/]/ : /\//
/** Characters that make a segment a wildcard: conservative (an escaped `\*` counts too). */
const WILDCARD = /[*?[]/

/** The workspace root, real path: symlinks are followed before the inside/outside check. */
export function workspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  return fs.realpathSync(env['GITHUB_WORKSPACE'] || process.cwd())
}

/** True when `target` is `root` or below it. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  // `..data` is a name inside the workspace; only a first segment that is exactly `..` leaves it.
  const leaves = relative === '..' || relative.startsWith(`..${path.sep}`)
  return !leaves && !path.isAbsolute(relative)
}

/**
 * Whether a workspace `source` is glob patterns rather than one path: several lines, a wildcard
 * (`*`, `?`, `[`), or a leading `!`. S3 sources are refused with these, as key prefixes.
 */
export function isGlob(value: string): boolean {
  const trimmed = value.trim()
  return /[\r\n]/.test(trimmed) || WILDCARD.test(trimmed) || trimmed.startsWith('!')
}

/** A workspace `source` value as what it selects: one path, or glob patterns (see isGlob). */
export function workspaceSelection(value: string): WorkspaceSelection {
  if (!isGlob(value)) return { path: value }
  // As @actions/glob reads them: each line trimmed; blank lines and `#` lines are no pattern.
  const patterns = value
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  return { path: patterns.join(', '), patterns }
}

/** What is wrong with a selection before anything is read, as Reader.fail takes it. */
export interface SelectionProblem {
  /** The path, or the pattern line, at fault. */
  got: string
  expected: string
}

/**
 * A path or a pattern that leaves the workspace (`..`, an absolute path elsewhere, `~`), or
 * patterns that select nothing by construction. Links are checked when the files are listed.
 */
export function selectionProblem(
  root: string,
  selection: WorkspaceSelection,
): SelectionProblem | undefined {
  const { patterns } = selection
  if (patterns === undefined) {
    if (isInside(root, path.resolve(root, selection.path))) return undefined
    return { got: selection.path, expected: `a path inside the workspace ${root}` }
  }
  if (!patterns.some((line) => !isExclude(line))) {
    return {
      got: selection.path,
      expected: 'at least one pattern that selects files (not only # comments and ! excludes)',
    }
  }
  for (const line of patterns) {
    const { body } = negation(line)
    // @actions/glob refuses `..` anywhere; before a wildcard it could also leave the workspace.
    if (body.split(SEPARATOR).includes('..') || !isInside(root, searchRoot(root, body))) {
      return {
        got: line,
        expected: `patterns inside the workspace ${root} (relative to it, without ..)`,
      }
    }
  }
  return undefined
}

/**
 * Files of the workspace as a source: an exact file, a directory and every file under it, or
 * the files that glob patterns match (`@actions/glob`: `**`, `!` excludes, directories matched
 * take everything under them). Paths and patterns are relative to the workspace root; a path,
 * pattern, file or link that resolves outside it is refused.
 */
export function localSource(root: string, source: string | WorkspaceSelection): Source {
  const selection = typeof source === 'string' ? workspaceSelection(source) : source
  const problem = selectionProblem(root, selection)
  if (problem) {
    throw new ActionError(`${Input.Source}: expected ${problem.expected}, got "${problem.got}"`)
  }
  const { patterns } = selection
  const absolute = path.resolve(root, selection.path)
  return {
    description: patterns ? `${root} (${selection.path})` : absolute,
    async list() {
      if (patterns) return listPatterns(root, patterns, selection.path)
      const objects = await objectsOf(root, [escapeGlob(absolute)])
      // An empty directory is an empty source, as an empty S3 prefix is (the start step warns).
      if (objects.length === 0 && !isDirectory(absolute)) throw notFound(root, selection.path)
      return objects
    },
    async open(object) {
      return fs.createReadStream(object.url)
    },
  }
}

/**
 * The files the patterns match; a pattern that matches no file on its own is an error, so that a
 * typo in one line of several is not a silently smaller import.
 */
async function listPatterns(
  root: string,
  patterns: string[],
  shown: string,
): Promise<SourceObject[]> {
  const rooted = patterns.map((line) => rootedPattern(root, line))
  const objects = await objectsOf(root, rooted)
  const includes = patterns.filter((line) => !isExclude(line))
  if (objects.length > 0 && includes.length === 1) return objects
  for (const line of includes) {
    if (!(await matchesAny(rootedPattern(root, line)))) {
      throw new ActionError(`${Input.Source}: ${line} matches no file of the workspace ${root}`)
    }
  }
  if (objects.length === 0) {
    throw new ActionError(
      `${Input.Source}: ${shown} matches no file of the workspace ${root}: the ! patterns exclude every file the others match`,
    )
  }
  return objects
}

/** The files the (absolute) patterns match, each checked to be inside the workspace. */
async function objectsOf(root: string, patterns: string[]): Promise<SourceObject[]> {
  const objects: SourceObject[] = []
  for await (const file of matchingFiles(patterns)) {
    const key = toPosix(path.relative(root, file))
    const real = fs.realpathSync(file)
    if (!isInside(root, real)) {
      throw new ActionError(
        `${Input.Source}: ${key} links to ${real}, outside the workspace ${root}`,
      )
    }
    const stats = fs.statSync(real)
    if (stats.isFile()) objects.push({ url: file, key, size: stats.size })
  }
  return objects
}

async function matchesAny(pattern: string): Promise<boolean> {
  for await (const _ of matchingFiles([pattern])) return true
  return false
}

/**
 * The paths @actions/glob matches, files only. Loaded when a workspace source is listed: S3
 * sources never need it.
 */
async function* matchingFiles(patterns: string[]): AsyncGenerator<string> {
  const glob = await import(/* webpackMode: "eager" */ '@actions/glob')
  const globber = await glob.create(patterns.join('\n'), {
    matchDirectories: false,
    implicitDescendants: true,
    followSymbolicLinks: true,
    omitBrokenSymbolicLinks: true,
  })
  yield* globber.globGenerator()
}

/** A pattern line made absolute: @actions/glob roots relative patterns at the process's cwd. */
function rootedPattern(root: string, line: string): string {
  const { bang, body } = negation(line)
  // `.` segments are no-ops for a path, but @actions/glob refuses them.
  const segments = body.split(SEPARATOR).filter((s, i) => s !== '.' && (s !== '' || i === 0))
  // A trailing separator matches directories only, in @actions/glob as in a shell.
  const end = SEPARATOR.test(body.slice(-1)) && body.length > 1 ? '/' : ''
  if (segments[0] === '~') {
    return bang + [escapeGlob(os.homedir()), ...segments.slice(1)].join('/') + end
  }
  if (path.isAbsolute(body)) return bang + segments.join('/') + end
  return bang + [escapeGlob(root), ...segments].join('/') + end
}

/** Where a pattern's matches can start: its segments before the first wildcard, absolute. */
function searchRoot(root: string, body: string): string {
  const segments = body.split(SEPARATOR)
  const wildcard = segments.findIndex((s) => WILDCARD.test(s))
  const literal = wildcard === -1 ? segments : segments.slice(0, wildcard)
  if (literal[0] === '~') literal[0] = os.homedir()
  return path.resolve(root, literal.join(path.sep) || '.')
}

function isExclude(line: string): boolean {
  return negation(line).bang.length % 2 === 1
}

/** A pattern's leading `!`s (each may be followed by spaces, as @actions/glob reads them). */
function negation(line: string): { bang: string; body: string } {
  let bang = ''
  let body = line.trim()
  while (body.startsWith('!')) {
    bang += '!'
    body = body.slice(1).trim()
  }
  return { bang, body }
}

/** A literal path as a pattern that matches only it (the escapes of @actions/glob's Pattern). */
function escapeGlob(literal: string): string {
  return (IS_WINDOWS ? literal : literal.replace(/\\/g, '\\\\'))
    .replace(/(\[)(?=[^/]+\])/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]')
}

/**
 * A path that names nothing. When files start with it (what `source` selected before it named
 * exactly one path), the glob that selects them again.
 */
function notFound(root: string, value: string): ActionError {
  const where = `${Input.Source}: ${value} matches no file or directory of the workspace ${root}`
  if (!/[/\\]$/.test(value) && hasPrefixSiblings(path.resolve(root, value))) {
    return new ActionError(
      `${where}; to import the files whose names start with it, write ${value}*`,
    )
  }
  return new ActionError(
    `${where}. Check the path (relative to the repository root), or for a bucket write s3://${value.replace(/^\/+/, '')}`,
  )
}

/** Whether some entry of the directory of `absolute` has a name that starts with its last part. */
function hasPrefixSiblings(absolute: string): boolean {
  try {
    const base = path.basename(absolute)
    return fs.readdirSync(path.dirname(absolute)).some((name) => name.startsWith(base))
  } catch {
    return false
  }
}

function isDirectory(absolute: string): boolean {
  try {
    return fs.statSync(absolute).isDirectory()
  } catch {
    return false
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
