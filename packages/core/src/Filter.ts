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
import * as Either from "effect/Either"
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
export interface Clause {
  readonly _tag: "Clause"
  readonly field: Field
  readonly operator: Operator
  readonly value: string
}

/**
 * A whole filter: one clause, or clauses all joined by AND, or all joined by OR.
 *
 * @since 0.1.0
 * @category models
 */
export type Filter =
  | Clause
  | { readonly _tag: "And"; readonly clauses: ReadonlyArray<Clause> }
  | { readonly _tag: "Or"; readonly clauses: ReadonlyArray<Clause> }

type Value = string | number | boolean

const clause = (operator: Operator) => (field: Field, value: Value): Clause => ({
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
export const eq: (field: Field, value: Value) => Clause = clause("=")

/**
 * `field!='value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const neq: (field: Field, value: Value) => Clause = clause("!=")

/**
 * `field>'value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const gt: (field: Field, value: Value) => Clause = clause(">")

/**
 * `field>='value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const gte: (field: Field, value: Value) => Clause = clause(">=")

/**
 * `field<'value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const lt: (field: Field, value: Value) => Clause = clause("<")

/**
 * `field<='value'`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const lte: (field: Field, value: Value) => Clause = clause("<=")

/**
 * `field~'value'`: contains, case-insensitively.
 *
 * @since 0.1.0
 * @category constructors
 */
export const contains: (field: Field, value: Value) => Clause = clause("~")

/**
 * `field@'a,b,c'`: any of the values (Timeback only).
 *
 * @since 0.1.0
 * @category constructors
 */
export const anyOf = (field: Field, values: ReadonlyArray<Value>): Clause => clause("@")(field, values.join(","))

/**
 * All clauses must hold.
 *
 * @since 0.1.0
 * @category combinators
 */
export const and = (...clauses: ReadonlyArray<Clause>): Filter => ({ _tag: "And", clauses })

/**
 * Any clause may hold.
 *
 * @since 0.1.0
 * @category combinators
 */
export const or = (...clauses: ReadonlyArray<Clause>): Filter => ({ _tag: "Or", clauses })

/**
 * The clauses of a filter, and how they are joined.
 *
 * @since 0.1.0
 * @category getters
 */
export const clauses = (filter: Filter): { readonly join: "AND" | "OR"; readonly clauses: ReadonlyArray<Clause> } =>
  filter._tag === "Clause"
    ? { join: "AND", clauses: [filter] }
    : { join: filter._tag === "And" ? "AND" : "OR", clauses: filter.clauses }

const renderClause = (c: Clause) => `${c.field}${c.operator}'${c.value.replaceAll("'", "''")}'`

/**
 * The filter as the `filter` query parameter's value.
 *
 * @since 0.1.0
 * @category encoding
 */
export const render = (filter: Filter): string => {
  const { clauses: cs, join } = clauses(filter)
  return cs.map(renderClause).join(` ${join} `)
}

/**
 * Why a filter cannot be sent, or `undefined` when it can.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (filter: Filter): string | undefined => {
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
    if (!fields.includes(c.field as Field)) return `unknown filter field ${String(JSON.stringify(c.field))}`
    if (!operators.includes(c.operator as Operator)) {
      return `unknown operator ${String(JSON.stringify(c.operator))}`
    }
    if (typeof c.value !== "string") return `the clause on ${c.field as Field} has no value (expected a string)`
    if (!isWellFormed(c.value)) return `the value for ${c.field as Field} is not well-formed Unicode (a lone surrogate)`
  }
  return undefined
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const CLAUSE = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(!=|>=|<=|=|>|<|~|@)\s*'((?:[^']|'')*)'\s*/

/**
 * Parses a filter string (what a server does). Fails with a message on anything outside the
 * grammar, and on a mix of AND and OR.
 *
 * @since 0.1.0
 * @category decoding
 */
export const parse = (input: string): Either.Either<Filter, string> => {
  const found: Array<Clause> = []
  const joins = new Set<string>()
  let rest = input
  for (;;) {
    const m = CLAUSE.exec(rest)
    if (!m) return Either.left(`cannot parse filter at ${JSON.stringify(rest.slice(0, 40))}`)
    if (!fields.includes(m[1] as Field)) return Either.left(`unknown filter field ${JSON.stringify(m[1])}`)
    found.push({ _tag: "Clause", field: m[1] as Field, operator: m[2] as Operator, value: m[3]!.replaceAll("''", "'") })
    rest = rest.slice(m[0].length)
    if (rest === "") break
    const join = /^(AND|OR)\s+/.exec(rest)
    if (!join) return Either.left(`expected AND or OR at ${JSON.stringify(rest.slice(0, 40))}`)
    joins.add(join[1]!)
    rest = rest.slice(join[0].length)
  }
  if (joins.size > 1) return Either.left("a filter cannot mix AND and OR")
  return Either.right(found.length === 1 ? found[0]! : joins.has("OR") ? or(...found) : and(...found))
}
