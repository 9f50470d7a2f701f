// The compiled decoders (internal/compile.ts) must agree with Effect's own parser: same outcome,
// same value, on valid inputs and on every mutation of them.
import { describe, expect, it, vi } from "@effect/vitest"
import * as Core from "@timeback/core"
import { AssessmentResult } from "@timeback/core"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { compile, FAIL, type Mode } from "../src/internal/compile.js"

const input = {
  sourcedId: "ar-1",
  status: "active",
  dateLastModified: "2024-09-01T10:00:00.000Z",
  metadata: { attempt: 2, source: { app: "reader" }, tags: ["a"], gone: null },
  assessmentLineItem: { sourcedId: "ali-1", href: "https://x/ali-1", type: "assessmentLineItem" },
  student: { sourcedId: "stu-1" },
  score: 87.5,
  textScore: "B+",
  scoreDate: "2024-09-01T10:00:00Z",
  scoreScale: { sourcedId: "scale-1" },
  scorePercentile: 91,
  scoreStatus: "fully graded",
  comment: "Good work",
  learningObjectiveSet: [{
    source: "case",
    learningObjectiveResults: [{ learningObjectiveId: "lo-1", score: 3, textScore: "meets" }, {
      learningObjectiveId: "lo-2"
    }]
  }],
  inProgress: "false",
  incomplete: "false",
  late: "true",
  missing: "false"
}
// what a server sends: nulls for absent optionals, fields the SDK does not know
const stored = {
  ...input,
  textScore: null,
  comment: null,
  student: { sourcedId: "stu-1", href: null, type: "user" },
  learningObjectiveSet: [{ source: "case", learningObjectiveResults: [{ learningObjectiveId: "lo-1", score: null }] }],
  unknownField: { x: 1 }
}
const query = { limit: 10, offset: 20, sort: "scoreDate", orderBy: "desc", fields: ["sourcedId", "score"] }

/** Every value reachable from `root`, each as a copy of `root` with one change at one path. */
const mutations = function*(root: unknown): Generator<unknown> {
  const replacements = [undefined, null, 0, -1, Infinity, "", " x ", "x", "2024-02-30", true, [], {}, [1], {
    extra: 1
  }]
  const at = function*(value: unknown, rebuild: (v: unknown) => unknown): Generator<unknown> {
    for (const r of replacements) yield rebuild(r)
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        yield* at(value[i], (v) => rebuild(value.map((x, j) => j === i ? v : x)))
      }
      yield rebuild([...value, value[0]])
    } else if (value !== null && typeof value === "object") {
      yield rebuild({ ...value, excess: "x" })
      yield rebuild({ ...value, [Symbol.for("excess")]: "x" })
      for (const key of Object.keys(value)) {
        const { [key]: _, ...rest } = value as Record<string, unknown>
        yield rebuild(rest)
        yield* at((value as Record<string, unknown>)[key], (v) => rebuild({ ...value, [key]: v }))
      }
    }
  }
  yield root
  yield* at(root, (v) => v)
}

const deepFreeze = <A>(u: A): A => {
  if (u !== null && typeof u === "object") Object.values(u).forEach(deepFreeze)
  return Object.freeze(u)
}

/** What `JSON.parse` would make of `u` (the only values a "json" decoder is given). */
const viaJson = (u: unknown): unknown => JSON.parse(JSON.stringify(u) ?? "null")

const agree = <A, I>(
  schema: Schema.Schema<A, I>,
  mode: Mode,
  roots: ReadonlyArray<unknown>,
  as: (u: unknown) => unknown = mode === "json" ? viaJson : (u) => u,
  atLeast = 5
) => {
  const compiled = compile(schema.ast, mode)
  expect(compiled).toBeDefined()
  const effect = Schema.decodeUnknownEither(schema, { onExcessProperty: mode === "strict" ? "error" : "ignore" })
  let valid = 0
  let invalid = 0
  for (const root of roots) {
    for (const mutation of mutations(root)) {
      // frozen: a decoder that wrote to its input would throw
      const u = deepFreeze(as(mutation))
      const expected = effect(u)
      const actual = compiled!(u)
      if (Either.isRight(expected)) {
        valid++
        expect(actual).not.toBe(FAIL)
        expect(actual).toStrictEqual(expected.right)
      } else {
        invalid++
        expect(actual, JSON.stringify(u)).toBe(FAIL)
      }
    }
  }
  // the mutations reach both outcomes
  expect(valid).toBeGreaterThanOrEqual(atLeast)
  expect(invalid).toBeGreaterThanOrEqual(atLeast)
}

// small samples: every node of a sampled value is mutated, so size costs quadratically
fc.configureGlobal({ baseSize: "xsmall" })

/** Every schema `@timeback/core` exports, by module and name, and every schema of every declared resource. */
const exportedSchemas = Object.entries(Core).flatMap(([module, exports]) =>
  Object.entries(exports).flatMap(([name, value]) =>
    Schema.isSchema(value)
      ? [[`${module}.${name}`, value as Schema.Schema<unknown, unknown>] as const]
      : Core.Resource.isResource(value)
      ? (["Stored", "Partial", "Input", "Patch", "ListQuery", "GetQuery", "SingleResponse"] as const).flatMap((key) =>
        value[key] ? [[`${module}.${name}.${key}`, value[key] as Schema.Schema<unknown, unknown>] as const] : []
      )
      : []
  )
)

describe("every exported schema is compiled, and agrees with Effect's parser", () => {
  it("finds the schemas", () => {
    expect(exportedSchemas.length).toBeGreaterThan(60)
    // every resource's schemas are among them
    expect(exportedSchemas.filter(([name]) => name.endsWith(".resource.Input")).length).toBe(6)
  })

  // roots: valid values sampled from the schema itself (`Arbitrary`), encoded; then every mutation of them
  it.each(exportedSchemas)("%s", (_, schema) => {
    const roots = fc.sample(Arbitrary.make(schema), { numRuns: 3, seed: 20261123 }).map((v) =>
      Schema.encodeSync(schema)(v)
    )
    for (const mode of ["strict", "json"] as const) {
      // a schema the compiler does not know would silently take Effect's slower parser: name it here
      expect(compile(schema.ast, mode), `${mode} decoder`).toBeDefined()
      agree(schema, mode, mode === "json" ? roots.map(viaJson) : roots, mode === "json" ? viaJson : (u) => u, 1)
    }
  })
})

describe("compiled decoders agree with Effect's parser", () => {
  it("write input (strict)", () => agree(AssessmentResult.AssessmentResultInput, "strict", [input]))

  it("patch input (strict)", () => agree(AssessmentResult.PatchInput, "strict", [input, { metadata: { a: 1 } }]))

  it("list query (strict)", () => agree(AssessmentResult.ListQuery, "strict", [query]))

  it("a stored result, a partial one and a list (drift-tolerant), from JSON text", () => {
    agree(AssessmentResult.SingleResponse, "json", [{ assessmentResult: stored }])
    agree(AssessmentResult.ListResponse(AssessmentResult.PartialAssessmentResult), "json", [{
      assessmentResults: [{ sourcedId: "a", score: 1 }, { scoreStatus: null }],
      totalCount: 2,
      offset: null
    }])
    agree(AssessmentResult.CreateResponse, "json", [{
      sourcedIdPairs: { suppliedSourcedId: "a", allocatedSourcedId: "a" }
    }])
    const json = Schema.parseJson(AssessmentResult.SingleResponse)
    agree(json, "json", [{ assessmentResult: stored }], (u) => JSON.stringify(u) ?? "{")
  })

  it("structs whose type side is stricter than their encoded side, or whose transformations change values", () => {
    const stricter = Schema.Struct({
      a: Schema.optionalToOptional(Schema.NullOr(Schema.String), Schema.NonEmptyString, {
        decode: Option.filter(Predicate.isNotNull),
        encode: (o) => o
      }),
      b: Schema.optionalWith(Schema.String, { nullable: true })
    })
    agree(stricter, "strict", [{ a: "x", b: "y" }])
    agree(stricter, "json", [{ a: null, b: null }])
    const keepsNull = Schema.Struct({
      a: Schema.optionalToOptional(Schema.NullOr(Schema.String), Schema.String, {
        decode: (o) => o as Option.Option<string>,
        encode: (o) => o
      }),
      b: Schema.optionalWith(Schema.NumberFromString, { nullable: true })
    })
    agree(keepsNull, "json", [{ a: "x", b: "1" }])
    const changes = Schema.Struct({
      a: Schema.optionalWith(Schema.String, { nullable: true, default: () => "default" }),
      b: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("c"))
    })
    agree(changes, "strict", [{ a: null, c: "r" }, { c: "" }])
    // keys `Object.prototype` has too: absent is absent
    const inherited = Schema.Struct({ constructor: Schema.optional(Schema.String), toString: Schema.String })
    agree(inherited, "json", [{ constructor: "x", toString: "y" }])
    agree(inherited, "strict", [{ constructor: "x", toString: "y" }])
  })

  it("a decoded result is an instance of the class", () => {
    const decoded = compile(AssessmentResult.SingleResponse.ast, "json")!({ assessmentResult: stored }) as {
      assessmentResult: unknown
    }
    expect(decoded.assessmentResult).toBeInstanceOf(AssessmentResult.AssessmentResult)
  })
})

describe("TIMEBACK_DECODERS=effect", () => {
  it("makes every decoder use Effect's parser alone, with the same outcomes", async () => {
    const valid = { sourcedId: "a", status: "active" }
    const struct = Schema.Struct({ sourcedId: Schema.String, status: Schema.optional(Schema.String) })
    delete process.env.TIMEBACK_DECODERS
    vi.resetModules()
    const { decoder: compiledDecoder } = await import("../src/internal/decode.js")
    // the compiled path returns a valid value as it is; Effect's parser returns a copy
    expect(Either.getOrThrow(compiledDecoder(struct, "strict")(valid) as Either.Either<unknown>)).toBe(valid)
    process.env.TIMEBACK_DECODERS = "effect"
    try {
      vi.resetModules()
      const { decoder: effectDecoder } = await import("../src/internal/decode.js")
      const decode = effectDecoder(struct, "strict")
      const decoded = Either.getOrThrow(decode(valid) as Either.Either<unknown>)
      expect(decoded).not.toBe(valid)
      expect(decoded).toStrictEqual(valid)
      expect(Either.isLeft(decode({ ...valid, extra: 1 }) as Either.Either<unknown, unknown>)).toBe(true)
    } finally {
      delete process.env.TIMEBACK_DECODERS
      vi.resetModules()
    }
  })
})
