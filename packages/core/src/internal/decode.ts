import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { compile, FAIL, type Mode } from "./compile.js"

/**
 * `TIMEBACK_DECODERS=effect` in the environment (read once, at load, where there is a `process`)
 * makes every decoder use Effect's parser alone: the way back if a compiled decoder is ever
 * suspected of a wrong answer. Outcomes are the same (tests pin it); valid input costs more and is
 * returned as a copy.
 */
const compiled =
  (globalThis as { readonly process?: { readonly env?: Record<string, string | undefined> } }).process?.env
    ?.TIMEBACK_DECODERS !== "effect"

/**
 * A decoder with the outcome of `{ errors: "all", onExcessProperty: "error" }` (`"strict"`) or of
 * `{ errors: "all" }` (`"json"`: for values `JSON.parse` made), at the cost of a compiled decode
 * when the input is valid: Effect's parser costs 10–40 µs for one assessment result, most of it
 * bookkeeping for issues that a valid input never has. A valid input is decoded by the compiled
 * closures (see `compile`); any other input, or a schema with a node kind `compile` does not
 * know, goes to Effect's parser, which reports. `after` maps a valid value (the wire form of an
 * input: see `Resource.Wire`).
 */
export const decoder = <A, I>(schema: Schema.Schema<A, I>, mode: Mode, after?: (a: A) => A) => {
  const fast = compiled ? compile(schema.ast, mode) : undefined
  const report = Schema.decodeUnknown(schema, {
    errors: "all",
    ...(mode === "strict" && { onExcessProperty: "error" as const })
  })
  return (u: unknown): Effect.Effect<A, ParseResult.ParseError> => {
    try {
      const decoded = fast ? fast(u) : FAIL
      // an Either is an Effect: the valid path allocates no effect of its own
      if (decoded === FAIL) return after ? Effect.map(report(u), after) : report(u)
      return Either.right(after ? after(decoded as A) : decoded as A)
    } catch (e) {
      // a getter or a proxy trap that throws: the value cannot be read, which is an invalid value
      return Either.left(
        new ParseResult.ParseError({
          issue: new ParseResult.Type(
            schema.ast,
            u,
            `Expected a value that can be read, but reading it threw${e instanceof Error ? `: ${e.message}` : ""}`
          )
        })
      )
    }
  }
}
