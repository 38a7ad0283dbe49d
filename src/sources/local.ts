import * as fs from 'node:fs'
import * as path from 'node:path'
import { ActionError } from '../errors.js'
import type { Source, SourceObject } from './source.js'

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
 * Files of the workspace as a source, with S3's prefix rule on their workspace-relative paths:
 * `fixtures/orders` selects `fixtures/orders.json` and everything under `fixtures/orders/`.
 * Files (or links) that resolve outside the workspace are refused.
 */
export function localSource(root: string, prefix: string): Source {
  const absolute = path.resolve(root, prefix)
  if (!isInside(root, absolute)) {
    throw new ActionError(
      `source: ${prefix} is outside the workspace ${root}; use a path inside it`,
    )
  }
  const relativePrefix = toPosix(path.relative(root, absolute)) + (/[/\\]$/.test(prefix) ? '/' : '')
  const start = relativePrefix.endsWith('/') ? absolute : path.dirname(absolute)
  return {
    description: absolute,
    async list() {
      const objects: SourceObject[] = []
      for (const file of walk(start)) {
        const key = toPosix(path.relative(root, file))
        if (!key.startsWith(relativePrefix)) continue
        const real = fs.realpathSync(file)
        if (!isInside(root, real)) {
          throw new ActionError(`source: ${key} links to ${real}, outside the workspace ${root}`)
        }
        objects.push({ url: file, key, size: fs.statSync(real).size })
      }
      if (objects.length === 0 && !fs.existsSync(absolute) && !hasPrefixSiblings(absolute)) {
        throw new ActionError(
          `source: ${prefix} is no file or folder of the workspace ${root}, and no file's path ` +
            'starts with it. Check the path (relative to the repository root), or for a bucket write ' +
            `s3://${prefix.replace(/^\/+/, '')}`,
        )
      }
      return objects
    },
    async open(object) {
      return fs.createReadStream(object.url)
    },
  }
}

/** Whether some entry of the folder of `absolute` has a name that starts with its last part. */
function hasPrefixSiblings(absolute: string): boolean {
  try {
    const base = path.basename(absolute)
    return fs.readdirSync(path.dirname(absolute)).some((name) => name.startsWith(base))
  } catch {
    return false
  }
}

function* walk(dir: string): Generator<string> {
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(full)
    else if (entry.isFile() || entry.isSymbolicLink()) yield full
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
