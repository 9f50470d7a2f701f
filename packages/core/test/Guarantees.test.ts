/**
 * The input rules behind the guarantees: ids that arrive as the path segment meant, metadata that
 * JSON carries as it is, filters that render, `undefined` as an absent key, and refusals that are
 * typed errors with bounded messages whatever the input.
 */
import { describe, expect, it } from "@effect/vitest"
import { AssessmentResult, Filter, Gradebook, GradebookError, Json, SourcedId } from "@timeback/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { hasNoLoneSurrogate } from "../src/internal/unicode.js"

// in its wire form already (status given, scoreDate an RFC 3339 date-time): what reaches the
// backend is then the input's own fields (Wire.test.ts covers what is filled in otherwise)
const valid: AssessmentResult.AssessmentResultInput = {
  status: "active",
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-01T00:00:00Z"
}

/** A Gradebook whose backend records what reaches it. */
const recorded = () => {
  const calls: Array<unknown> = []
  // what reaches the backend, without the resource declaration (and the scope) it is called with
  const record = (_: unknown, ...args: ReadonlyArray<unknown>) => Effect.sync(() => void calls.push(args)) as any
  const gradebook = Gradebook.make({
    create: record,
    put: record,
    get: record,
    list: (resource, query) => record(resource, query),
    delete: record,
    patch: record,
    createMany: record
  })
  return { calls, gradebook }
}

/** The typed failure of `effect`; a defect or a success fails the test. */
const failure = (effect: Effect.Effect<unknown, GradebookError.GradebookError>) => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const found = Cause.findErrorOption(exit.cause)
  if (found._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return found.value as GradebookError.RequestError
}

describe("SourcedId", () => {
  it.each([
    ["", "non-empty"],
    [".", "URLs drop"],
    ["..", "URLs drop"],
    [" a", "whitespace"],
    ["a\u0000b", "control characters"],
    ["a\tb", "control characters"],
    ["a\u007fb", "control characters"],
    ["a\ud800", "lone surrogate"],
    ["\udfffa", "lone surrogate"],
    ["\udc00\ud800", "lone surrogate"]
  ])("refuses %j", (id, why) => {
    expect(SourcedId.problem(id)).toContain(why)
    expect(Schema.is(SourcedId.SourcedId)(id)).toBe(false)
  })

  it.each(["a", "...", ".a", "a.", "a/b", "%2E", "a b", "😀", "\ud83d\ude00x", "ä", "?#&="])("accepts %j", (id) => {
    expect(SourcedId.problem(id)).toBeUndefined()
    expect(decodeURIComponent(SourcedId.pathSegment(id))).toBe(id)
    expect(SourcedId.pathSegment(id)).not.toMatch(/[/?#]/)
  })

  it("applies to refs too", () => {
    const error = failure(recorded().gradebook.createAssessmentResult({ ...valid, student: { sourcedId: ".." } }))
    expect(error.fields).toStrictEqual(["student.sourcedId"])
  })
})

describe("Json.objectProblem", () => {
  it.each([
    [{}, undefined],
    [{ a: null, b: [1, "x", true, { c: [] }], d: -0, e: 1e308 }, undefined],
    [Object.assign(Object.create(null), { a: 1 }), undefined],
    [{ skipped: undefined }, undefined]
  ])("accepts %j", (value, expected) => {
    expect(Json.objectProblem(value)).toBe(expected)
  })

  it.each([
    [[], [], "got an array"],
    [null, [], "got null"],
    [new Map(), [], "got a Map"],
    [{ a: { b: [0, Infinity] } }, ["a", "b", 1], "finite number"],
    [{ a: [1, , 3] }, ["a", 1], "hole"],
    [{ a: Symbol("x") }, ["a"], "got symbol"],
    [{ a: new (class Grade {})() }, ["a"], "got a Grade"],
    [{ a: Object.defineProperty({}, "hidden", { value: 1 }) }, ["a"], "non-enumerable"]
  ])("refuses %o at its path", (value, path, message) => {
    const found = Json.objectProblem(value)
    expect(found?.path).toStrictEqual(path)
    expect(found?.message).toContain(message)
  })

  it(`allows ${Json.MAX_DEPTH} levels, refuses one more`, () => {
    const nest = (levels: number) => {
      let v: Record<string, unknown> = {}
      for (let i = 1; i < levels; i++) v = { d: v }
      return v
    }
    expect(Json.objectProblem(nest(Json.MAX_DEPTH))).toBeUndefined()
    expect(Json.objectProblem(nest(Json.MAX_DEPTH + 1))?.message).toContain("at most 32 levels")
  })

  it("a shared, acyclic object is not a cycle", () => {
    const shared = { x: 1 }
    expect(Json.objectProblem({ a: shared, b: [shared, shared] })).toBeUndefined()
  })
})

describe("Filter.validate", () => {
  it.each([
    [{ _tag: "Clause", field: "score", operator: "=" }, "has no value"],
    [{ _tag: "Clause", field: "score", operator: "=", value: 1 }, "has no value"],
    [{ _tag: "Clause", field: "score", operator: "=", value: "\ud800" }, "well-formed"],
    [{ _tag: "And", clauses: "x" }, "as an array"],
    [{ _tag: "Or" }, "as an array"],
    [{ _tag: "And", clauses: [null] }, "single clauses"],
    [{ _tag: "Clause", field: "nope", operator: "=", value: "1" }, "unknown filter field"],
    [{ _tag: "Clause", field: "score", operator: "==", value: "1" }, "unknown operator"],
    [null, "built with the Filter module"],
    ["score='1'", "built with the Filter module"]
  ])("refuses %j", (filter, message) => {
    expect(Filter.validate(filter as unknown as Filter.Filter)).toContain(message)
  })
})

describe("Gradebook.make, on hostile input", () => {
  it("hands the backend no undefined key, at any depth (an explicit undefined is an absent key)", () => {
    const { calls, gradebook } = recorded()
    Effect.runSync(gradebook.createAssessmentResult({
      ...valid,
      sourcedId: undefined,
      comment: undefined,
      student: { sourcedId: "stu-1", href: undefined },
      metadata: { a: undefined, b: { c: undefined, d: 1 } }
    }))
    Effect.runSync(gradebook.patchAssessmentResult("ar-1", { score: undefined, comment: "ok" }))
    expect(calls).toStrictEqual([
      [{ ...valid, student: { sourcedId: "stu-1" }, metadata: { b: { d: 1 } } }],
      ["ar-1", { comment: "ok" }]
    ])
    expect(JSON.stringify(calls)).toBe(JSON.stringify(calls, (_, v) => v))
    expect(Object.keys((calls[0] as any)[0])).not.toContain("sourcedId")
  })

  it("an object with a toJSON method is sent as the fields that were validated, not what toJSON returns", () => {
    const { calls, gradebook } = recorded()
    class Ref {
      constructor(readonly sourcedId: string) {}
      toJSON() {
        return { sourcedId: "someone-else" }
      }
    }
    Effect.runSync(gradebook.createAssessmentResult({ ...valid, student: new Ref("stu-1") }))
    // a Date has no fields a patch knows: an empty patch, as Effect's own parser makes of it
    Effect.runSync(gradebook.patchAssessmentResult("ar-1", new Date(0) as any))
    expect(JSON.parse(JSON.stringify(calls))).toStrictEqual([[{ ...valid, student: { sourcedId: "stu-1" } }], [
      "ar-1",
      {}
    ]])
  })

  it("nothing is read from a prototype: a query or input that is not a plain object reaches the backend as plain data", () => {
    const { calls, gradebook } = recorded()
    Effect.runSync(gradebook.listAssessmentResults(Int32Array.from([]) as any))
    const inherits = Object.assign(Object.create({ sourcedId: "from-the-prototype", score: 1 }), valid)
    Effect.runSync(gradebook.createAssessmentResult(inherits))
    Effect.runSync(gradebook.getAssessmentResult("ar-1", Object.create({ fields: ["score"] })))
    expect(calls).toStrictEqual([[{}], [{ ...valid }], ["ar-1", undefined]])
    expect(Object.getPrototypeOf((calls[1] as Array<unknown>)[0])).toBe(Object.prototype)
    // get options are checked like any query: an unknown key is refused
    const error = failure(gradebook.getAssessmentResult("ar-1", { fields: ["score"], limit: 1 } as any))
    expect(error.fields).toStrictEqual(["limit"])
  })

  it(
    "what reaches the backend is a copy of the input read once: what was validated is what is sent",
    () => {
      const { calls, gradebook } = recorded()
      const input = { ...valid, metadata: { a: [1] } }
      Effect.runSync(gradebook.createAssessmentResult(input))
      expect((calls[0] as Array<unknown>)[0]).toStrictEqual(input)
      expect((calls[0] as Array<unknown>)[0]).not.toBe(input)
      // a getter that answers "fully graded" once, then something else: validated and sent as read once
      let reads = 0
      const fickle = {
        ...valid,
        get scoreStatus() {
          return reads++ === 0 ? "fully graded" : 12345
        }
      }
      Effect.runSync(gradebook.createAssessmentResult(fickle as any))
      expect((calls[1] as Array<any>)[0].scoreStatus).toBe("fully graded")
      expect(JSON.parse(JSON.stringify((calls[1] as Array<any>)[0])).scoreStatus).toBe("fully graded")
      expect(reads).toBe(1)
    }
  )

  it("a deeply nested value in any field is refused with a short message", () => {
    let deep: unknown = "x"
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const { calls, gradebook } = recorded()
    for (const field of ["comment", "scoreStatus", "student", "learningObjectiveSet", "score"]) {
      const error = failure(gradebook.createAssessmentResult({ ...valid, [field]: deep } as any))
      expect(error.fields).toStrictEqual([field === "learningObjectiveSet" ? "learningObjectiveSet.0" : field])
      expect(error.message.length).toBeLessThan(400)
    }
    const huge = "y".repeat(1_000_000)
    const long = failure(gradebook.putAssessmentResult("ar-1", { ...valid, scoreStatus: huge } as any))
    expect(long.message.length).toBeLessThan(600)
    expect(calls).toStrictEqual([])
  })

  it("an input whose reading throws is refused, not thrown", () => {
    const { calls, gradebook } = recorded()
    const trap = new Proxy({}, {
      ownKeys: () => {
        throw new Error("no keys for you")
      }
    })
    const hostile = {
      ...valid,
      get score(): number {
        throw new Error("boom")
      }
    }
    for (const input of [trap, hostile]) {
      const error = failure(Effect.suspend(() => gradebook.createAssessmentResult(input as any)))
      expect(error).toBeInstanceOf(GradebookError.RequestError)
      // an item of a multi-item create too, named by its position
      const result = { student: { sourcedId: "stu-1" }, scoreStatus: "fully graded", scoreDate: "2024-09-01" } as const
      const item = failure(gradebook.lineItems("li-1").results.createMany([result, input as any]))
      expect(item.fields).toStrictEqual(["items.1"])
    }
    expect(calls).toStrictEqual([])
  })

  it("one line per wrong field: no `Expected undefined` alternatives, literal unions folded", () => {
    const error = failure(
      recorded().gradebook.createAssessmentResult({
        ...valid,
        scoreScale: { sourcedId: "" },
        late: "yes",
        metadata: { n: 1n }
      } as any)
    )
    expect(error.fields).toStrictEqual(["metadata.n", "scoreScale.sourcedId", "late"])
    expect(error.description).toBe(
      "metadata.n: Expected a JSON value, got bigint; scoreScale.sourcedId: Expected a non-empty sourcedId; " +
        "late: Expected \"true\" | \"false\", actual \"yes\""
    )
  })
})

describe("well-formed Unicode without String.prototype.isWellFormed", () => {
  it("the fallback agrees with the native check on strings of any code units", () => {
    const native = (s: string) => (s as unknown as { isWellFormed: () => boolean }).isWellFormed()
    const units = fc.constantFrom("a", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00", "é")
    fc.assert(
      fc.property(fc.array(units, { maxLength: 8 }).map((u) => u.join("")), (s) => hasNoLoneSurrogate(s) === native(s)),
      { numRuns: 2000, seed: 20261123 }
    )
  })
})
