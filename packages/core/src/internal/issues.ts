import type * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"

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

/** What Effect says a schema node expects (`Expected string`, `Expected "a" | "b"`). */
const effectExpected = (ast: SchemaAST.AST): string => SchemaIssue.defaultLeafHook(new SchemaIssue.InvalidType(ast))

/** A union's members, nested unions flattened. */
const members = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> =>
  ast._tag === "Union" ? ast.types.flatMap(members) : [ast]

/**
 * The `Expected …` of a schema node, without the `null` and `undefined` alternatives of an optional
 * or clearable field when it has another (`Expected number`, not `Expected number | null | undefined`):
 * they say nothing about what is wrong with a value that is neither.
 */
const expected = (ast: SchemaAST.AST): string => {
  const all = members(ast)
  const telling = all.filter((m) => m._tag !== "Null" && m._tag !== "Undefined")
  return telling.length > 0 && telling.length < all.length
    ? `Expected ${telling.map((m) => effectExpected(m).replace(/^Expected /, "")).join(" | ")}`
    : effectExpected(ast)
}

/** `, actual <preview>` when the issue kept its input (the decoders ask for it: `reportInput`). */
const actual = (issue: SchemaIssue.Issue): string =>
  SchemaIssue.hasInput(issue) ? `, actual ${preview(issue.input)}` : ""

const leaf = (issue: SchemaIssue.Leaf): string => {
  switch (issue._tag) {
    case "InvalidType":
      return `${expected(issue.ast)}${actual(issue)}`
    case "MissingKey":
      return "is missing"
    case "UnexpectedKey":
      return "is unexpected"
    default:
      return SchemaIssue.defaultLeafHook(Object.create(issue))
  }
}

type Line = { readonly path: ReadonlyArray<PropertyKey>; readonly message: string }

/**
 * Every line of an issue tree: a filter's own message where it has one (every refinement of this
 * package words its failure), otherwise the leaf's, with a bounded preview of the value that failed.
 */
const lines = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>, message?: string): Array<Line> => {
  switch (issue._tag) {
    case "Filter":
      return lines(issue.issue, path, message ?? SchemaIssue.defaultCheckHook(issue))
    case "Encoding":
      return lines(issue.issue, path, message)
    case "Pointer":
      return lines(issue.issue, [...path, ...issue.path], message)
    case "Composite":
      return issue.issues.flatMap((i) => lines(i, path, message))
    case "AnyOf":
      return issue.issues.length > 0
        ? issue.issues.flatMap((i) => lines(i, path, message))
        : [{ path, message: message ?? `${expected(issue.ast)}${actual(issue)}` }]
    default:
      return [{ path, message: message ?? leaf(issue) }]
  }
}

/**
 * Every issue of a schema failure as a dotted path and a message, worded as this package always
 * has (`Expected number, actual "x"`, `is missing`): a value in a message is a bounded preview, so
 * formatting never overflows the stack or copies a huge input into a message.
 */
export const formatIssues = (
  error: Schema.SchemaError
): ReadonlyArray<{ readonly path: string; readonly message: string }> =>
  lines(error.issue, []).map((i) => ({ path: i.path.map(String).join("."), message: i.message }))
