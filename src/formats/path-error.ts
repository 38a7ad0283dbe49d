/**
 * A broken rule of an item, and where in it: the parsers of DynamoDB JSON, Ion and JSON
 * documents return or throw one from deep in a value, and each level adds its segment (`.name`,
 * `[3]`) on the way out, so the path costs nothing until something is wrong. Not an Error: a
 * hostile file can break a rule on every line, and a stack trace per line is wasted work.
 */
export class PathError {
  /** The path, innermost segment first, as the parse unwinds. */
  private readonly segments: string[] = []

  /**
   * @param message what is wrong, without the path.
   * @param whole true when the message is about the whole line (its syntax, its wrapper), which
   *   no attribute path applies to.
   */
  constructor(
    readonly message: string,
    readonly whole = false,
  ) {}

  /** Adds the next segment outwards (none to a whole-line error); returns itself. */
  at(segment: string): this {
    if (!this.whole) this.segments.push(segment)
    return this
  }

  /** The reason as reported: `label`, the path and the message (`Item.a[2]: N: …`). */
  reason(label: string): string {
    if (this.whole) return this.message
    return `${label}${this.segments.toReversed().join('')}: ${this.message}`
  }
}
