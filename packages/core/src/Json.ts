/**
 * Values that JSON carries as they are: what free-form fields such as `metadata` may hold.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"

/**
 * How many levels of objects and arrays a JSON object may nest, itself included. Deeper values
 * are refused: some servers' JSON parsers stop far earlier than `JSON.stringify` does, and no
 * gradebook metadata needs more.
 *
 * @since 0.2.0
 * @category constants
 */
export const MAX_DEPTH = 32

/**
 * What is wrong with a value, and where (keys below the value that was checked).
 *
 * @since 0.2.0
 * @category models
 */
export interface Problem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly actual: unknown
  readonly message: string
}

const kind = (u: unknown): string =>
  u === null
    ? "null"
    : Array.isArray(u)
    ? "an array"
    : typeof u === "object"
    ? `a ${(u as object).constructor?.name ?? "null-prototype object"}`
    : typeof u

const isPlainObject = (u: object) => {
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/**
 * Why `u` is not a plain JSON object that `JSON.stringify` sends as it is, or `undefined` when it
 * is. Refused: anything but a plain object at the top; below it, values other than `null`,
 * booleans, finite numbers, strings, plain objects and dense arrays of those (a `Date`, a `BigInt`,
 * a function, `NaN`, a class instance, `undefined` in an array, a symbol or non-enumerable key);
 * cycles; nesting past `MAX_DEPTH`. A key whose value is `undefined` is an absent key, as in JSON.
 *
 * @since 0.2.0
 * @category validation
 */
export const objectProblem = (u: unknown): Problem | undefined => {
  if (typeof u !== "object" || u === null || Array.isArray(u) || !isPlainObject(u)) {
    return found(u, `Expected a plain JSON object, got ${kind(u)}`)
  }
  return containerProblem(u, [])
}

// Module-level functions, no closure per call: this runs on every write with metadata. A problem's
// path is built as the recursion unwinds (`within`), so the valid path allocates no path at all.

interface Found {
  path: Array<PropertyKey>
  readonly actual: unknown
  readonly message: string
}

const found = (actual: unknown, message: string): Found => ({ path: [], actual, message })

const within = (key: PropertyKey, problem: Found | undefined) => {
  if (problem) problem.path.unshift(key)
  return problem
}

const containerProblem = (v: object, ancestors: Array<object>): Found | undefined => {
  if (ancestors.includes(v)) return found(v, "Expected JSON, got a circular reference")
  if (ancestors.length >= MAX_DEPTH) return found(v, `Expected JSON nested at most ${MAX_DEPTH} levels deep`)
  ancestors.push(v)
  const problem = Array.isArray(v) ? arrayProblem(v, ancestors) : keysProblem(v, ancestors)
  ancestors.pop()
  return problem
}

const arrayProblem = (v: ReadonlyArray<unknown>, ancestors: Array<object>): Found | undefined => {
  for (let i = 0; i < v.length; i++) {
    const item = v[i]
    const problem = item !== undefined
      ? valueProblem(item, ancestors)
      : found(undefined, `Expected a JSON value, got ${i in v ? "undefined" : "a hole"} (JSON would send null)`)
    if (problem) return within(i, problem)
  }
  return undefined
}

const keysProblem = (v: object, ancestors: Array<object>): Found | undefined => {
  const keys = Object.keys(v)
  if (Object.getOwnPropertyNames(v).length !== keys.length) {
    return found(v, "Expected JSON, got an object with non-enumerable keys")
  }
  if (Object.getOwnPropertySymbols(v).length > 0) return found(v, "Expected JSON, got an object with symbol keys")
  for (let i = 0; i < keys.length; i++) {
    const item = (v as Record<string, unknown>)[keys[i]!]
    const problem = item === undefined ? undefined : valueProblem(item, ancestors)
    if (problem) return within(keys[i]!, problem)
  }
  return undefined
}

const valueProblem = (v: unknown, ancestors: Array<object>): Found | undefined => {
  switch (typeof v) {
    case "string":
    case "boolean":
      return undefined
    case "number":
      return Number.isFinite(v) ? undefined : found(v, `Expected a finite number, got ${v} (JSON would send null)`)
    case "object":
      if (v === null) return undefined
      if (!Array.isArray(v) && !isPlainObject(v)) return found(v, `Expected a JSON value, got ${kind(v)}`)
      return containerProblem(v, ancestors)
    default:
      return found(v, `Expected a JSON value, got ${kind(v)}`)
  }
}

/**
 * A JSON object, as written by a caller: see `objectProblem` for what is refused. A failure names
 * the offending place, e.g. `metadata.scores.3`.
 *
 * @since 0.2.0
 * @category schemas
 */
type Obj = { readonly [x: string]: unknown }

// A declaration that lets any value through to its check, not a `Record`: the check sees the value
// itself (a `Record` would hand it a copy of the enumerable keys, without the prototype or the keys
// that make it not JSON). As JSON (and in JSON Schema) it is an object of any values.
export const JsonObject: Schema.Codec<Obj> = Schema.declare((_: unknown): _ is Obj => true, {
  identifier: "JsonObject",
  toCodecJson: () =>
    Schema.link<Obj>()(Schema.Record(Schema.String, Schema.Unknown), {
      decode: SchemaGetter.passthrough(),
      encode: SchemaGetter.passthrough()
    })
}).pipe(
  Schema.check(Schema.makeFilter((u: unknown) => {
    const found = objectProblem(u)
    if (found === undefined) return true
    const issue = new SchemaIssue.InvalidValue({ message: found.message }, found.actual, { reportInput: true } as any)
    return found.path.length === 0 ? issue : { path: found.path, issue }
  }, { expected: "a plain JSON object" }))
)
