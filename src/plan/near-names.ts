/**
 * Existing tables whose name is close to the one requested: before the action creates a table,
 * they are the sign of a typo in `table` (`order-dev` for `orders-dev`), which would otherwise
 * create and seed a new table while the tests read the real one, empty.
 *
 * Close means, after ignoring case and writing `_` and `.` as `-`:
 * - the same name (`Orders-Dev`, `orders_dev`);
 * - the same but for a trailing `s` on any `-`-separated part (`order-dev`, `orders-items-dev`);
 * - one or two edits (insert, delete, substitute, swap two adjacent characters: the optimal
 *   string alignment form of Damerau-Levenshtein), with or without those trailing `s`
 *   (`ordersdev`, `orders-dve`). Names of at most SHORT_NAME_LENGTH characters allow one edit
 *   only: two would change nearly half of such a name, and `logs` and `jobs`, or `cats` and
 *   `cars`, are different tables.
 *
 * Never close: names whose numbers differ (`app-pr-12` and `app-pr-13`, `orders-2024` and
 * `orders-2025`, `t01` and `t02`): tables numbered by pull request, run, date or version are
 * made on purpose, one beside the other, and a run must be able to create the next one.
 */

/** How many close names a message lists, closest first. */
export const MAX_NEAR_NAMES = 3
/** Names of up to this many characters allow one edit, longer ones two. */
export const SHORT_NAME_LENGTH = 5
const MAX_EDITS = 2

/**
 * The names in `existing` close to `requested` (see above), closest first (same but for case or
 * separators, case alone first; then a trailing `s`; then by edits), at most MAX_NEAR_NAMES. `requested` itself is
 * never among them.
 */
export function nearNames(requested: string, existing: Iterable<string>): string[] {
  const close: Array<{ name: string; score: number; edits: number }> = []
  for (const name of existing) {
    const score = closeness(requested, name)
    // Among equal scores, a difference of case only comes first: the likeliest slip.
    const edits = editDistance(requested.toLowerCase(), name.toLowerCase())
    if (score !== undefined) close.push({ name, score, edits })
  }
  close.sort((x, y) => x.score - y.score || x.edits - y.edits || (x.name < y.name ? -1 : 1))
  return close.slice(0, MAX_NEAR_NAMES).map((c) => c.name)
}

/**
 * How close `name` is to `requested`: 0 for the same name but for case and separators, 1 for a
 * trailing `s`, else the number of edits (1 or 2); undefined when not close, or the same name.
 */
export function closeness(requested: string, name: string): number | undefined {
  if (name === requested || numbers(name) !== numbers(requested)) return undefined
  const a = fold(requested)
  const b = fold(name)
  if (a === b) return 0
  const singularA = singular(a)
  const singularB = singular(b)
  if (singularA === singularB) return 1
  const limit = Math.min(a.length, b.length) <= SHORT_NAME_LENGTH ? 1 : MAX_EDITS
  const edits = Math.min(editDistance(a, b, limit), editDistance(singularA, singularB, limit))
  return edits <= limit ? edits : undefined
}

/**
 * The optimal string alignment distance (Damerau-Levenshtein without editing a substring twice):
 * inserts, deletes, substitutions and swaps of two adjacent characters. Stops early once the
 * distance exceeds `limit`, returning limit + 1.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  // Three rows of the dynamic programming table: the two before this one, and this one.
  let before = new Array<number>(b.length + 1).fill(0)
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  let current = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (before[j - 2] as number) + 1)
      }
      current[j] = d
      rowMin = Math.min(rowMin, d)
    }
    if (rowMin > limit) return limit + 1
    ;[before, previous, current] = [previous, current, before]
  }
  return Math.min(previous[b.length] as number, limit + 1)
}

/** Lower case, with `_` and `.` written as `-`: the differences a reader does not see as names. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[_.]/g, '-')
}

/** Each `-`-separated part without one trailing `s`: `orders-items` → `order-item`. */
function singular(folded: string): string {
  return folded
    .split('-')
    .map((part) => (part.length > 1 && part.endsWith('s') ? part.slice(0, -1) : part))
    .join('-')
}

/** The numbers in a name, in order: names that differ in them are never close. */
function numbers(name: string): string {
  return (name.match(/\d+/g) ?? []).join(',')
}

/**
 * The failure when close names exist: the table, where it was looked for, the names (closest
 * first), and the two ways on.
 */
export function nearNameMessage(table: string, where: string, near: string[]): string {
  const [closest] = near
  const found =
    near.length === 1
      ? `but ${closest} does: did you mean ${closest}?`
      : `but tables with close names do: ${near.join(', ')}. Did you mean ${closest}?`
  return `Table ${table} does not exist${where}, ${found} Fix table, or set create-table: true to create ${table}.`
}
