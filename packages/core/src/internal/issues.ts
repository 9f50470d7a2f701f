import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as SchemaAST from "effect/SchemaAST"

const MAX_DEPTH = 3
const MAX_ITEMS = 8
const MAX_STRING = 120

/**
 * A short, bounded rendering of any value: at most `MAX_DEPTH` levels, `MAX_ITEMS` entries a level,
 * `MAX_STRING` characters a string. Never throws and never recurses past its bounds (Effect's own
 * `formatUnknown` walks a value whole: a value nested 100,000 deep overflows the stack).
 */
export const preview = (u: unknown): string => {
  const seen = new Set<object>()
  const go = (v: unknown, depth: number): string => {
    switch (typeof v) {
      case "string":
        return JSON.stringify(v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…` : v)
      case "bigint":
        return `${v}n`
      case "function":
        return "[function]"
      case "symbol":
        return v.toString()
      case "object": {
        if (v === null) return "null"
        if (seen.has(v)) return "[circular]"
        if (depth >= MAX_DEPTH) return Array.isArray(v) ? "[…]" : "{…}"
        seen.add(v)
        try {
          if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? "invalid" : v.toISOString()})`
          const entries = Array.isArray(v)
            ? v.slice(0, MAX_ITEMS).map((x) => go(x, depth + 1))
            : Object.keys(v).slice(0, MAX_ITEMS).map((k) =>
              `${JSON.stringify(k)}: ${go((v as Record<string, unknown>)[k], depth + 1)}`
            )
          const more = (Array.isArray(v) ? v.length : Object.keys(v).length) > MAX_ITEMS ? ", …" : ""
          return Array.isArray(v) ? `[${entries.join(", ")}${more}]` : `{ ${entries.join(", ")}${more} }`
        } catch {
          return "[unreadable]"
        } finally {
          seen.delete(v)
        }
      }
      default:
        return String(v)
    }
  }
  return go(u, 0)
}

/** Whether `u` is within the preview's bounds, so that Effect's own rendering of it is bounded too. */
const small = (u: unknown, depth = 0): boolean => {
  if (typeof u === "string") return u.length <= MAX_STRING
  if (typeof u !== "object" || u === null) return true
  if (depth >= MAX_DEPTH) return false
  try {
    const values = Array.isArray(u) ? u : Object.values(u)
    return values.length <= MAX_ITEMS && values.every((v) => small(v, depth + 1))
  } catch {
    return false
  }
}

/** A stand-in that Effect's formatter renders through its `toString`. */
const standIn = (u: unknown) => small(u) ? u : { toString: () => preview(u) }

/** A mismatch on a member of a union that Effect reports one line each for. */
const isPlainMismatch = (issue: ParseResult.ParseIssue): issue is ParseResult.Type =>
  issue._tag === "Type" && issue.message === undefined &&
  (SchemaAST.isLiteral(issue.ast) || SchemaAST.isUndefinedKeyword(issue.ast))

/** `undefined` (an optional field) or `null` (a field that may be cleared): the alternatives that say nothing. */
const isAbsence = (ast: SchemaAST.AST) =>
  SchemaAST.isUndefinedKeyword(ast) || (SchemaAST.isLiteral(ast) && ast.literal === null)

/**
 * The issue as a person should read it, bounded:
 * - every `actual` that Effect would render is a bounded preview when it is large;
 * - a union failure loses its `undefined` and `null` members' mismatches when another member says
 *   more (the `Expected undefined` or `Expected null` beside what is wrong with an optional field), and a union of literals
 *   that all mismatched is one `Expected "a" | "b", actual "c"` instead of one line each.
 */
const simplified = (issue: ParseResult.ParseIssue): ParseResult.ParseIssue => {
  switch (issue._tag) {
    case "Type":
      // a schema with a message annotation renders the value itself (and may read it)
      return issue.message === undefined && !small(issue.actual) &&
          Option.isNone(SchemaAST.getMessageAnnotation(issue.ast))
        ? new ParseResult.Type(issue.ast, standIn(issue.actual))
        : issue
    case "Pointer":
      return new ParseResult.Pointer(issue.path, issue.actual, simplified(issue.issue))
    case "Composite": {
      const members = (Array.isArray(issue.issues) ? issue.issues : [issue.issues]) as ReadonlyArray<
        ParseResult.ParseIssue
      >
      if (SchemaAST.isUnion(issue.ast)) {
        if (members.every(isPlainMismatch)) return new ParseResult.Type(issue.ast, standIn(issue.actual))
        const telling = members.filter((m) => !(isPlainMismatch(m) && isAbsence(m.ast)))
        if (telling.length === 1) return simplified(telling[0]!)
        if (telling.length > 1 && telling.length < members.length) {
          return new ParseResult.Composite(issue.ast, issue.actual, telling.map(simplified) as any, issue.output)
        }
      }
      return new ParseResult.Composite(issue.ast, issue.actual, members.map(simplified) as any, issue.output)
    }
    case "Refinement":
      return new ParseResult.Refinement(issue.ast, issue.actual, issue.kind, simplified(issue.issue))
    case "Transformation":
      return new ParseResult.Transformation(issue.ast, issue.actual, issue.kind, simplified(issue.issue))
    default:
      return issue
  }
}

/**
 * Every issue of a schema failure as a dotted path and a message (see `simplified`): a value in a
 * message is a bounded preview, so formatting never overflows the stack or copies a huge input
 * into a message.
 */
export const formatIssues = (
  error: ParseResult.ParseError
): ReadonlyArray<{ readonly path: string; readonly message: string }> =>
  ParseResult.ArrayFormatter.formatIssueSync(simplified(error.issue)).map((i) => ({
    path: i.path.map(String).join("."),
    message: i.message
  }))
