/**
 * The line each array element of a JSON text starts on, by its path (`DataModel[0].TableData[3]`,
 * `Items[7]`): the files whose items sit deep inside one document (a NoSQL Workbench model, a
 * scan output) are parsed whole with JSON.parse, which keeps no positions, so a rejected item is
 * located by one more pass over the text. Only the structure is followed (strings are skipped,
 * member names decoded), so the pass costs about what the parse does.
 */

/** One open container: an object (its current member name) or an array (its current index). */
type Frame =
  | { kind: 'object'; name: string | undefined; expectName: boolean }
  | { kind: 'array'; index: number }

const NEWLINE = 10

/**
 * The start line of every array element whose path `wanted` accepts, for a text that is valid
 * JSON (check it with JSON.parse first: an invalid text gives a partial map). `maxDepth` bounds
 * the nesting at which paths are built, so the members of deep items cost nothing. A duplicate
 * member name (JSON.parse keeps the last) maps to the last one too.
 */
export function elementLines(
  text: string,
  maxDepth: number,
  wanted: (path: string) => boolean,
): Map<string, number> {
  const lines = new Map<string, number>()
  const stack: Frame[] = []
  let line = 1
  const valueStarts = () => {
    const top = stack[stack.length - 1]
    if (top?.kind !== 'array' || stack.length > maxDepth) return
    const path = pathOf(stack)
    if (path !== undefined && wanted(path)) lines.set(path, line)
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === NEWLINE) {
      line++
      continue
    }
    const top = stack[stack.length - 1]
    switch (text[i]) {
      case '{':
        valueStarts()
        stack.push({ kind: 'object', name: undefined, expectName: true })
        break
      case '[':
        valueStarts()
        stack.push({ kind: 'array', index: 0 })
        break
      case '}':
      case ']':
        stack.pop()
        break
      case ',':
        if (top?.kind === 'array') top.index++
        else if (top?.kind === 'object') top.expectName = true
        break
      case ':':
        if (top?.kind === 'object') top.expectName = false
        break
      case '"': {
        const end = stringEnd(text, i)
        if (top?.kind === 'object' && top.expectName) {
          top.name = memberName(text.slice(i, end + 1))
        } else valueStarts()
        i = end
        break
      }
      case ' ':
      case '\t':
      case '\r':
        break
      default:
        // A number or a literal: its characters hold no structure.
        valueStarts()
        while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1] as string)) i++
    }
  }
  return lines
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]
    if (c === '\\') i++
    else if (c === '"') return i
  }
  return text.length
}

function memberName(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string
  } catch {
    return undefined
  }
}

/** `DataModel[0].TableData[3]`: member names joined with dots, indexes in brackets. */
function pathOf(stack: Frame[]): string | undefined {
  let path = ''
  for (const frame of stack) {
    if (frame.kind === 'array') path += `[${frame.index}]`
    else if (frame.name === undefined) return undefined
    else path += path === '' ? frame.name : `.${frame.name}`
  }
  return path
}
