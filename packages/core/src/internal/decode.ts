import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/** Whether `input` has a key, at any depth, that decoding (which drops excess keys) left out of `output`. */
const hasExcessKeys = (input: unknown, output: unknown): boolean => {
  if (input === output || !Predicate.isObject(input) || !Predicate.isObject(output)) return false
  if (Array.isArray(input)) return input.some((v, i) => hasExcessKeys(v, (output as Array<unknown>)[i]))
  for (const key of Object.keys(input)) {
    if (!(key in output)) return true
    if (hasExcessKeys((input as Record<string, unknown>)[key], (output as Record<string, unknown>)[key])) return true
  }
  return false
}

/**
 * A decoder with the outcome of `{ errors: "all", onExcessProperty: "error" }` (`strict`) or of
 * `{ errors: "all" }`, at the cost of a plain decode when the input is valid. Effect checks excess
 * keys by running a union parser per key, which triples the cost of a valid input; here a valid
 * input is decoded once the cheap way and its keys compared with the output's, and only a failing
 * input pays for the full report.
 */
export const decoder = <A, I>(schema: Schema.Schema<A, I>, options: { readonly strict: boolean }) => {
  const fast = Schema.decodeUnknownEither(schema)
  const report = Schema.decodeUnknown(schema, {
    errors: "all",
    ...(options.strict && { onExcessProperty: "error" as const })
  })
  return (u: unknown): Effect.Effect<A, ParseResult.ParseError> => {
    const decoded = fast(u)
    // an Either is an Effect: the valid path allocates no effect of its own
    return Either.isRight(decoded) && !(options.strict && hasExcessKeys(u, decoded.right)) ? decoded : report(u)
  }
}
