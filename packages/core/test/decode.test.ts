// The SDK's decoders (internal/decode.ts: Effect's schema JIT enabled, a server's nulls dropped) must
// agree with Effect's own interpreter: same outcome, same value, on valid inputs and on every mutation
// of them. (Ported from the differential test of the compiled decoders the move to Effect 4 removed.)
import { describe, expect, it } from "@effect/vitest"
import * as Core from "@timeback/core"
import { AssessmentResult } from "@timeback/core"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { decoder, type Mode } from "../src/internal/decode.js"

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

/** Whether a value holds a `null` anywhere (the json decoders drop those of optional fields first). */
const hasNull = (u: unknown): boolean =>
  u === null || (typeof u === "object" && Object.values(u as object).some(hasNull))

/**
 * The SDK's decoder of `schema` against Effect's interpreter on every mutation of `roots`. The
 * interpreter decodes a copy of the schema (`annotate` makes a new root node, for which the JIT was
 * not enabled). In `"json"` mode, mutations holding a `null` are left to the tests of the null
 * dropping (the interpreter would refuse them where the SDK reads them as absent).
 */
const agree = <A>(
  schema: Schema.Codec<A, any>,
  mode: Mode,
  roots: ReadonlyArray<unknown>,
  atLeast = 5
) => {
  const sdk = decoder(schema, mode)
  const interpreter = Schema.decodeUnknownExit(schema.annotate({ description: "reference" }) as Schema.Codec<A, any>)
  const options = { errors: "all", onExcessProperty: mode === "strict" ? "error" : "ignore" } as const
  let valid = 0
  let invalid = 0
  for (const root of roots) {
    for (const mutation of mutations(root)) {
      const u = deepFreeze(mode === "json" ? viaJson(mutation) : mutation)
      if (mode === "json" && hasNull(u)) continue
      // frozen: a decoder that wrote to its input would throw
      const expected = interpreter(u, options)
      const actual = Effect.runSync(Effect.exit(sdk(u)))
      if (Exit.isSuccess(expected)) {
        valid++
        expect(Exit.isSuccess(actual), JSON.stringify(u)).toBe(true)
        expect(Exit.isSuccess(actual) && actual.value).toStrictEqual(expected.value)
      } else {
        invalid++
        expect(Exit.isFailure(actual), JSON.stringify(u)).toBe(true)
      }
    }
  }
  // the mutations reach both outcomes
  expect(valid).toBeGreaterThanOrEqual(atLeast)
  expect(invalid).toBeGreaterThanOrEqual(atLeast)
}

/** Every schema `@timeback/core` exports, by module and name, and every schema of every declared resource. */
const exportedSchemas = Object.entries(Core).flatMap(([module, exports]) =>
  Object.entries(exports).flatMap(([name, value]) =>
    Schema.isSchema(value)
      ? [[`${module}.${name}`, value as Schema.Codec<unknown, unknown>] as const]
      : Core.Resource.isResource(value)
      ? (["Stored", "Partial", "Input", "Patch", "ListQuery", "GetQuery", "SingleResponse"] as const).flatMap((key) =>
        value[key] ? [[`${module}.${name}.${key}`, value[key] as Schema.Codec<unknown, unknown>] as const] : []
      )
      : []
  )
)

/** A few valid values of `schema`, from Effect's own generator (seeded), encoded. */
const sampled = (schema: Schema.Codec<unknown, unknown>): ReadonlyArray<unknown> =>
  Effect.runSync(
    Effect.catch(
      Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: 3, seed: 20261123, size: 2 }),
      () => Effect.succeed([])
    )
  ).map((v) => Schema.encodeSync(schema)(v))

describe("every exported schema's decoders agree with Effect's interpreter", () => {
  it("finds the schemas", () => {
    expect(exportedSchemas.length).toBeGreaterThan(60)
    // every resource's schemas are among them
    expect(exportedSchemas.filter(([name]) => name.endsWith(".resource.Input")).length).toBe(6)
  })

  // roots: valid values sampled from the schema itself, encoded; then every mutation of them
  it.each(exportedSchemas)("%s", (_, schema) => {
    const roots = sampled(schema)
    for (const mode of ["strict", "json"] as const) agree(schema, mode, roots, roots.length > 0 ? 1 : 0)
  })
})

describe("the SDK's decoders agree with Effect's interpreter", () => {
  it("write input (strict)", () => agree(AssessmentResult.AssessmentResultInput, "strict", [input]))

  it("patch input (strict)", () => agree(AssessmentResult.PatchInput, "strict", [input, { metadata: { a: 1 } }]))

  it("list query (strict)", () => agree(AssessmentResult.ListQuery, "strict", [query]))

  it("a stored result, a partial one and a list (drift-tolerant)", () => {
    const withoutNulls = {
      ...stored,
      textScore: "B",
      comment: "c",
      student: { sourcedId: "stu-1", type: "user" },
      learningObjectiveSet: [{ source: "case", learningObjectiveResults: [{ learningObjectiveId: "lo-1" }] }]
    }
    agree(AssessmentResult.SingleResponse, "json", [{ assessmentResult: withoutNulls }])
    agree(AssessmentResult.ListResponse(AssessmentResult.PartialAssessmentResult), "json", [{
      assessmentResults: [{ sourcedId: "a", score: 1 }, { scoreStatus: "submitted" }],
      totalCount: 2
    }])
    agree(AssessmentResult.CreateResponse, "json", [{
      sourcedIdPairs: { suppliedSourcedId: "a", allocatedSourcedId: "a" }
    }])
  })

  it("keys `Object.prototype` has too: absent is absent", () => {
    const inherited = Schema.Struct({ constructor: Schema.optional(Schema.String), toString: Schema.String })
    agree(inherited, "json", [{ constructor: "x", toString: "y" }])
    agree(inherited, "strict", [{ constructor: "x", toString: "y" }])
  })
})

describe("a server's null in an optional field", () => {
  it("reads as absent, at any depth; in a required field it is refused, naming the field", () => {
    const read = decoder(AssessmentResult.resource.Stored, "json")
    const decoded = Effect.runSync(read(viaJson(stored))) as Record<string, unknown>
    expect("textScore" in decoded).toBe(false)
    expect(decoded.student).toStrictEqual({ sourcedId: "stu-1", type: "user" })
    expect(decoded.learningObjectiveSet).toStrictEqual([{
      source: "case",
      learningObjectiveResults: [{ learningObjectiveId: "lo-1" }]
    }])
    const refused = Effect.runSync(Effect.flip(read(viaJson({ ...stored, scoreStatus: null }))))
    expect(Core.GradebookError.formatIssues(refused)).toStrictEqual([
      { path: "scoreStatus", message: expect.stringMatching(/^Expected "exempt" \| .*, actual null$/) }
    ])
  })

  it("is dropped from a copy that keeps a `__proto__` key a key: nothing is read from it", () => {
    // JSON.parse makes `__proto__` an own key; copied by assignment it would become the copy's
    // prototype, and the parser would read `textScore` (dropped as null) from it
    const text = JSON.stringify({ assessmentResult: stored }).replace(
      `"textScore":null`,
      `"textScore":null,"__proto__":{"textScore":"injected"}`
    )
    const decoded = Effect.runSync(AssessmentResult.resource.decodeSingle(text)).assessmentResult as Record<
      string,
      unknown
    >
    expect(decoded.textScore).toBeUndefined()
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
  })

  it("is dropped from a copy: the value decoded is never written to", () => {
    const value = deepFreeze(viaJson(stored))
    const before = JSON.stringify(value)
    Effect.runSync(decoder(AssessmentResult.resource.Stored, "json")(value))
    expect(JSON.stringify(value)).toBe(before)
  })
})
