/**
 * Shared pieces of the property suites: the run settings, hostile values, and an oracle for "the
 * body carries the input" that does not use `JSON.stringify` (the code under test does).
 */
import { AssessmentResult, Filter, type Resource, SourcedId } from "@timeback/core"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import fc from "fast-check"

/**
 * A fast-check arbitrary over valid values of `schema`: `count` values generated once by Effect's
 * own generator from the schema (seeded, so every run draws the same), then drawn from by fast-check.
 */
const fromSchema = <A>(schema: Schema.Codec<A, any>, count = 300): fc.Arbitrary<A> =>
  fc.constantFrom(
    ...Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(schema), { count, seed: 20261207 }))
  )

/** A filter over `fields` as the `Filter` module builds it: one clause, or an AND / OR of clauses. */
const filterOver = (fields: ReadonlyArray<string>) => {
  const clause = fc.record({
    _tag: fc.constant("Clause" as const),
    field: fc.constantFrom(...fields),
    operator: fc.constantFrom(...Filter.operators),
    value: fc.string()
  })
  return fc.oneof(
    clause,
    fc.record({ _tag: fc.constantFrom("And" as const, "Or" as const), clauses: fc.array(clause, { minLength: 1 }) })
  )
}

/** Valid list queries: the query schema's other fields from the schema, a filter from `filterOver`. */
const validQueries = (resource: Resource.Any): fc.Arbitrary<unknown> => {
  const { filter: _, ...fields } = (resource.ListQuery as unknown as Schema.Struct<Schema.Struct.Fields>).fields
  return fc.tuple(
    fromSchema(Schema.Struct(fields) as unknown as Schema.Codec<object>),
    fc.option(filterOver(resource.filterFields), { nil: undefined })
  )
    .map(([query, filter]) => filter === undefined ? query : { ...query, filter })
}

/**
 * Runs and seed. `pnpm test` uses the committed seed and sizes (seconds); a longer hunt, e.g. ten
 * times the runs on another seed:
 * `TIMEBACK_PROPERTY_SCALE=10 TIMEBACK_PROPERTY_SEED=$RANDOM npx vitest run test/Properties.test.ts`.
 */
export const settings = (defaultRuns: number): fc.Parameters<unknown> => {
  const scale = Number(process.env.TIMEBACK_PROPERTY_SCALE ?? 1)
  const seed = process.env.TIMEBACK_PROPERTY_SEED
  return {
    numRuns: Math.max(1, Math.round(defaultRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    seed: seed === undefined ? 20261123 : Number(seed),
    endOnFailure: true
  }
}

/** Strings that break paths, URLs and JSON: dot segments, separators, controls, lone surrogates. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    "",
    ".",
    "..",
    " a",
    "a ",
    "a\u0000b",
    "\ud800",
    "a\udc00b",
    "%2e",
    "%2E%2E",
    "/",
    "a/b",
    "a/../b",
    "?x=1",
    "#frag",
    "\\..\\",
    "a\nb",
    "😀",
    "'",
    "a' OR score>'0"
  ),
  fc.string({ unit: "binary" }),
  fc.string({
    unit: fc.constantFrom(".", "/", "%", "\ud800", "\udc00", "\ud83d", "\ude00", "a", " ", "\\", "?", "#", "'")
  })
)

/** Anything JavaScript can hand a function, biased to the kinds that JSON and URLs cannot carry. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(undefined, null, Number.NaN, Infinity, -0, 1n, new Date(0), () => 1, Symbol("s")),
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withSparseArray: true,
    withBoxedValues: true,
    withTypedArray: true,
    withObjectString: true
  })
)

export const validId: fc.Arbitrary<string> = fromSchema(SourcedId.SourcedId)

/** `base` with one key replaced by a hostile value (or a new key added), at the top or one level down. */
const mutated = <A extends object>(base: fc.Arbitrary<A>, keys: ReadonlyArray<string>) =>
  fc.tuple(base, fc.constantFrom(...keys, "unknownKey"), hostileValue, fc.boolean()).map(([v, key, bad, nested]) => {
    const current = (v as Record<string, unknown>)[key]
    return nested && typeof current === "object" && current !== null && !Array.isArray(current)
      ? { ...v, [key]: { ...current, sourcedId: bad } }
      : { ...v, [key]: bad }
  })

/** Mostly `valid`, often with one hostile field, sometimes anything at all. */
const mostlyValid = (valid: fc.Arbitrary<unknown>, keys: ReadonlyArray<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 3, arbitrary: mutated(valid as fc.Arbitrary<object>, keys) },
    { weight: 1, arbitrary: hostileValue }
  )

/** The generators of one resource, from its declaration's schemas. */
export const arbitraries = (resource: Resource.Any) => {
  const validInput = fromSchema(resource.Input) as fc.Arbitrary<Record<string, unknown>>
  const validQuery = validQueries(resource)
  const inputKeys = Object.keys((resource.Input as unknown as Schema.Struct<Schema.Struct.Fields>).fields)
  return {
    validInput,
    anyInput: mostlyValid(validInput, inputKeys),
    anyPatch: resource.Patch ? mostlyValid(fromSchema(resource.Patch), inputKeys) : undefined,
    anyQuery: fc.oneof(
      {
        weight: 6,
        arbitrary: mostlyValid(validQuery, ["limit", "offset", "sort", "orderBy", "fields", "search", "filter"])
      },
      {
        weight: 2,
        arbitrary: fc.record({
          filter: fc.record({
            _tag: fc.constantFrom("Clause", "And", "Or"),
            field: hostileValue,
            clauses: hostileValue
          }, {
            requiredKeys: ["_tag"]
          })
        })
      }
    )
  }
}

/** The assessment results' generators (what the suites used before there were other resources). */
export const { anyInput, anyPatch, anyQuery, validInput } = arbitraries(AssessmentResult.resource)

export const anyId = fc.oneof({ weight: 3, arbitrary: validId as fc.Arbitrary<unknown> }, {
  weight: 2,
  arbitrary: hostileString
}, { weight: 1, arbitrary: hostileValue })

/**
 * Whether `sent` (parsed from the wire) carries `input`: the same keys (an `undefined` input value
 * counts as absent), numbers by `===` (so `-0` and `0` agree, as JSON has it), the rest alike.
 */
export const carries = (sent: unknown, input: unknown): boolean => {
  if (typeof input === "number") return typeof sent === "number" && sent === input
  if (typeof input !== "object" || input === null) return sent === input
  if (typeof sent !== "object" || sent === null || Array.isArray(sent) !== Array.isArray(input)) return false
  if (Array.isArray(input)) {
    const s = sent as ReadonlyArray<unknown>
    return s.length === input.length && input.every((v, i) => carries(s[i], v))
  }
  const keys = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined)
  const sentKeys = Object.keys(sent)
  return sentKeys.length === keys.length &&
    keys.every((k) => Object.hasOwn(sent, k) && carries((sent as any)[k], (input as any)[k]))
}
