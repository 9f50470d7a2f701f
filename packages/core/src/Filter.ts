/**
 * A typed builder for the OneRoster `filter` query parameter, so nobody hand-writes filter strings.
 *
 * Grammar: `field OP 'value'`, OP one of `= != > >= < <= ~` (Timeback adds `@`, "any of" a
 * comma-separated list), single quotes doubled inside values, clauses joined by ` AND ` or ` OR `.
 * The API has no parentheses, so one filter is either all-AND or all-OR.
 *
 * ```ts
 * Filter.and(Filter.eq("student.sourcedId", "stu-1"), Filter.gte("score", 80))
 * // student.sourcedId='stu-1' AND score>='80'
 * ```
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import { isWellFormed } from "./internal/unicode.js"

/**
 * Fields a filter or a sort can name.
 *
 * @since 0.1.0
 * @category models
 */
export type Field =
  | "sourcedId"
  | "status"
  | "dateLastModified"
  | "score"
  | "textScore"
  | "scoreDate"
  | "scorePercentile"
  | "scoreStatus"
  | "comment"
  | "inProgress"
  | "incomplete"
  | "late"
  | "missing"
  | "assessmentLineItem.sourcedId"
  | "student.sourcedId"
  | "scoreScale.sourcedId"

/**
 * Every `Field`.
 *
 * @since 0.1.0
 * @category constants
 */
export const fields: ReadonlyArray<Field> = [
  "sourcedId",
  "status",
  "dateLastModified",
  "score",
  "textScore",
  "scoreDate",
  "scorePercentile",
  "scoreStatus",
  "comment",
  "inProgress",
  "incomplete",
  "late",
  "missing",
  "assessmentLineItem.sourcedId",
  "student.sourcedId",
  "scoreScale.sourcedId"
]

/**
 * @since 0.1.0
 * @category models
 */
export type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" | "@"

/**
 * Every `Operator`.
 *
 * @since 0.2.0
 * @category constants
 */
export const operators: ReadonlyArray<Operator> = ["=", "!=", ">", ">=", "<", "<=", "~", "@"]

/**
 * One `field OP 'value'` predicate.
 *
 * @since 0.1.0
 * @category models
 */
export interface Clause<F extends string = Field> {
  readonly _tag: "Clause"
  readonly field: F
  readonly operator: Operator
  readonly value: string
}

/**
 * A whole filter: one clause, or clauses all joined by AND, or all joined by OR.
 *
 * @since 0.1.0
 * @category models
 */
export type Filter<F extends string = Field> =
  | Clause<F>
  | { readonly _tag: "And"; readonly clauses: ReadonlyArray<Clause<F>> }
  | { readonly _tag: "Or"; readonly clauses: ReadonlyArray<Clause<F>> }

type Value = string | number | boolean

const clause = (operator: Operator) => <F extends string>(field: F, value: Value): Clause<F> => ({
  _tag: "Clause",
  field,
  operator,
  value: String(value)
})

/**
 * `field='value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const eq: <F extends string>(field: F, value: Value) => Clause<F> = clause("=")

/**
 * `field!='value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const neq: <F extends string>(field: F, value: Value) => Clause<F> = clause("!=")

/**
 * `field>'value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const gt: <F extends string>(field: F, value: Value) => Clause<F> = clause(">")

/**
 * `field>='value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const gte: <F extends string>(field: F, value: Value) => Clause<F> = clause(">=")

/**
 * `field<'value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const lt: <F extends string>(field: F, value: Value) => Clause<F> = clause("<")

/**
 * `field<='value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const lte: <F extends string>(field: F, value: Value) => Clause<F> = clause("<=")

/**
 * `field~'value'`: contains, case-insensitively.
 *
 * @since 0.1.0
 * @category constructors
 */
export const contains: <F extends string>(field: F, value: Value) => Clause<F> = clause("~")

/**
 * `field@'a,b,c'`: any of the values (Timeback only).
 *
 * @since 0.1.0
 * @category constructors
 */
export const anyOf = <F extends string>(field: F, values: ReadonlyArray<Value>): Clause<F> =>
  clause("@")(field, values.join(","))

/**
 * All clauses must hold.
 *
 * @since 0.1.0
 * @category combinators
 */
export const and = <F extends string>(...clauses: ReadonlyArray<Clause<F>>): Filter<F> => ({ _tag: "And", clauses })

/**
 * Any clause may hold.
 *
 * @since 0.1.0
 * @category combinators
 */
export const or = <F extends string>(...clauses: ReadonlyArray<Clause<F>>): Filter<F> => ({ _tag: "Or", clauses })

/**
 * The clauses of a filter, and how they are joined.
 *
 * @since 0.1.0
 * @category getters
 */
export const clauses = <F extends string>(
  filter: Filter<F>
): { readonly join: "AND" | "OR"; readonly clauses: ReadonlyArray<Clause<F>> } =>
  filter._tag === "Clause"
    ? { join: "AND", clauses: [filter] }
    : { join: filter._tag === "And" ? "AND" : "OR", clauses: filter.clauses }

const renderClause = (c: Clause<string>) => `${c.field}${c.operator}'${c.value.replaceAll("'", "''")}'`

/**
 * The filter as the `filter` query parameter's value.
 *
 * @since 0.1.0
 * @category encoding
 */
export const render = (filter: Filter<string>): string => {
  const { clauses: cs, join } = clauses(filter)
  return cs.map(renderClause).join(` ${join} `)
}

/**
 * Why a filter cannot be sent, or `undefined` when it can. `allowed` are the fields it may name
 * (by default the assessment result fields; a resource's `filterFields` for another resource).
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (filter: Filter<string>, allowed: ReadonlyArray<string> = fields): string | undefined => {
  const f: unknown = filter
  if (!isObject(f) || !["Clause", "And", "Or"].includes(f._tag as string)) {
    return "expected a filter built with the Filter module"
  }
  const cs: unknown = f._tag === "Clause" ? [f] : f.clauses
  if (!Array.isArray(cs)) return "expected the clauses of and/or as an array"
  if (cs.length === 0) return "a filter needs at least one clause"
  for (const c of cs as ReadonlyArray<unknown>) {
    if (!isObject(c) || c._tag !== "Clause") {
      return "clauses of and/or must be single clauses (the API has no parentheses)"
    }
    if (!allowed.includes(c.field as string)) return `unknown filter field ${String(JSON.stringify(c.field))}`
    if (!operators.includes(c.operator as Operator)) {
      return `unknown operator ${String(JSON.stringify(c.operator))}`
    }
    if (typeof c.value !== "string") return `the clause on ${c.field as string} has no value (expected a string)`
    if (!isWellFormed(c.value)) {
      return `the value for ${c.field as string} is not well-formed Unicode (a lone surrogate)`
    }
  }
  return undefined
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const CLAUSE = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(!=|>=|<=|=|>|<|~|@)\s*'((?:[^']|'')*)'\s*/
/** A clause whose value is not in quotes (`score<60`): what a person writes first. */
const UNQUOTED = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(!=|>=|<=|=|>|<|~|@)\s*([^'\s]+)/

/** Why `rest` is not a clause, with the quoted form when only the quotes are missing. */
const unparsed = (rest: string) => {
  const unquoted = UNQUOTED.exec(rest)
  return `cannot parse filter at ${JSON.stringify(rest.slice(0, 40))}${
    unquoted ? `: values are in single quotes, as in ${unquoted[1]}${unquoted[2]}'${unquoted[3]}'` : ""
  }`
}

/**
 * Parses a filter string (what a server does). Fails with a message on anything outside the
 * grammar, on a field not in `allowed`, and on a mix of AND and OR.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parse = (
  input: string,
  allowed: ReadonlyArray<string> = fields
): Result.Result<Filter<string>, string> => {
  const found: Array<Clause<string>> = []
  const joins = new Set<string>()
  let rest = input
  for (;;) {
    const m = CLAUSE.exec(rest)
    if (!m) return Result.fail(unparsed(rest))
    if (!allowed.includes(m[1]!)) return Result.fail(`unknown filter field ${JSON.stringify(m[1])}`)
    found.push({ _tag: "Clause", field: m[1]!, operator: m[2] as Operator, value: m[3]!.replaceAll("''", "'") })
    rest = rest.slice(m[0].length)
    if (rest === "") break
    const join = /^(AND|OR)\s+/.exec(rest)
    if (!join) return Result.fail(`expected AND or OR at ${JSON.stringify(rest.slice(0, 40))}`)
    joins.add(join[1]!)
    rest = rest.slice(join[0].length)
  }
  if (joins.size > 1) return Result.fail("a filter cannot mix AND and OR")
  return Result.succeed(found.length === 1 ? found[0]! : joins.has("OR") ? or(...found) : and(...found))
}
