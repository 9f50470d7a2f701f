import { describe, expect, it } from "@effect/vitest"
import { AssessmentResult, Filter, Gradebook, GradebookError } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

const valid = {
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-01",
  score: 90
} satisfies AssessmentResult.AssessmentResultInput

const stored = (sourcedId: string) => AssessmentResult.AssessmentResult.make({ ...valid, sourcedId })

/** A backend that records what reaches it. */
const recording = (pages: {
  readonly total: number
  readonly report: "totalCount" | "hasNext" | "nothing"
} = { total: 0, report: "nothing" }) => {
  const calls: Array<unknown> = []
  const backend: Gradebook.GradebookBackend = {
    get: (_, sourcedId, fields) =>
      Effect.sync(() => {
        calls.push({ get: sourcedId, fields })
        return stored(sourcedId)
      }),
    list: (_, query) =>
      Effect.sync(() => {
        calls.push(query)
        const offset = query.offset ?? 0
        const limit = query.limit ?? 100
        const results = Array.from({ length: Math.max(0, Math.min(limit, pages.total - offset)) }, (_, i) =>
          stored(`ar-${offset + i}`))
        return {
          results,
          offset,
          limit,
          ...(pages.report === "totalCount" && { totalCount: pages.total }),
          ...(pages.report === "hasNext" && { hasNext: offset + results.length < pages.total })
        }
      }),
    delete: (_, sourcedId) => Effect.sync(() => void calls.push({ delete: sourcedId })),
    patch: (_, sourcedId, patch) =>
      Effect.sync(() => {
        calls.push(patch)
        return stored(sourcedId)
      }),
    create: (_, input) =>
      Effect.sync(() => {
        calls.push(input)
        return { suppliedSourcedId: input.sourcedId ?? "new", allocatedSourcedId: input.sourcedId ?? "new" }
      }),
    put: (_, sourcedId, input) =>
      Effect.sync(() => {
        calls.push(input)
        return AssessmentResult.AssessmentResult.make({
          ...(input as typeof valid),
          sourcedId
        })
      }),
    createMany: (_, __, items) =>
      Effect.sync(() => items.map(() => ({ suppliedSourcedId: "x", allocatedSourcedId: "x" })))
  }
  return { calls, layer: Layer.succeed(Gradebook.Gradebook, Gradebook.make(backend)) }
}

describe("Gradebook.make", () => {
  it.effect("passes valid input to the backend", () => {
    const { calls, layer } = recording()
    return Effect.gen(function*() {
      const pair = yield* Gradebook.createAssessmentResult({ ...valid, sourcedId: "ar-1" })
      expect(pair).toStrictEqual({ suppliedSourcedId: "ar-1", allocatedSourcedId: "ar-1" })
      const stored = yield* Gradebook.putAssessmentResult("ar-2", valid)
      expect(stored.sourcedId).toBe("ar-2")
      expect(calls).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("refuses invalid input with a RequestError naming every offending field, without calling the backend", () => {
    const { calls, layer } = recording()
    return Effect.gen(function*() {
      const bad = { ...valid, scoreDate: "2024-13-45", student: { sourcedId: "" }, score: NaN } as const
      const error = yield* Effect.flip(Gradebook.createAssessmentResult(bad))
      expect(error).toBeInstanceOf(GradebookError.RequestError)
      expect(error.status).toBeUndefined()
      expect((error as GradebookError.RequestError).fields).toStrictEqual(["student.sourcedId", "score", "scoreDate"])
      expect(error.message).toContain("createAssessmentResult: invalid input, nothing was sent: ")
      expect(error.message).toContain("scoreDate: Expected an ISO 8601 date")
      const missing = yield* Effect.flip(Gradebook.putAssessmentResult("ar-1", { scoreDate: "2024-09-01" } as any))
      expect((missing as GradebookError.RequestError).fields).toStrictEqual([
        "assessmentLineItem",
        "student",
        "scoreStatus"
      ])
      expect(calls).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("put refuses a bad path sourcedId and a body sourcedId that differs from the path", () => {
    const { calls, layer } = recording()
    return Effect.gen(function*() {
      const empty = yield* Effect.flip(Gradebook.putAssessmentResult("", valid))
      expect((empty as GradebookError.RequestError).fields).toStrictEqual(["sourcedId"])
      const mismatch = yield* Effect.flip(Gradebook.putAssessmentResult("ar-1", { ...valid, sourcedId: "ar-2" }))
      expect((mismatch as GradebookError.RequestError).fields).toStrictEqual(["sourcedId"])
      expect(mismatch.message).toContain("does not match path sourcedId \"ar-1\"")
      expect(calls).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })
})

describe("reads, deletes and patches", () => {
  it.effect("validate before the backend is called", () => {
    const { calls, layer } = recording()
    return Effect.gen(function*() {
      const badLimit = yield* Effect.flip(Gradebook.listAssessmentResults({ limit: 3001 }))
      expect((badLimit as GradebookError.RequestError).fields).toStrictEqual(["limit"])
      const badQuery = yield* Effect.flip(Gradebook.listAssessmentResults({
        limit: 0,
        offset: -1,
        sort: "nope" as any,
        fields: [] as any,
        filter: Filter.and(Filter.or(Filter.eq("score", 1)) as any)
      }))
      expect((badQuery as GradebookError.RequestError).fields).toStrictEqual([
        "limit",
        "offset",
        "sort",
        "fields.0",
        "filter"
      ])
      expect(badQuery.message).toContain("filter: clauses of and/or must be single clauses")
      const streamed = yield* Effect.flip(Stream.runCollect(Gradebook.streamAssessmentResults({ limit: 5000 })))
      expect((streamed as GradebookError.RequestError).fields).toStrictEqual(["limit"])
      const badGet = yield* Effect.flip(Gradebook.getAssessmentResult("ar-1", { fields: ["score", "grade" as any] }))
      expect((badGet as GradebookError.RequestError).fields).toStrictEqual(["fields.1"])
      expect((yield* Effect.flip(Gradebook.deleteAssessmentResult(""))).message).toContain("sourcedId")
      const badPatch = yield* Effect.flip(Gradebook.patchAssessmentResult("ar-1", { score: Infinity, grade: 1 } as any))
      expect((badPatch as GradebookError.RequestError).fields).toStrictEqual(["grade", "score"])
      const mismatch = yield* Effect.flip(Gradebook.patchAssessmentResult("ar-1", { sourcedId: "ar-2" }))
      expect((mismatch as GradebookError.RequestError).fields).toStrictEqual(["sourcedId"])
      expect(calls).toStrictEqual([])
    }).pipe(Effect.provide(layer))
  })

  it.effect.each(["totalCount", "hasNext", "nothing"] as const)(
    "streams every page exactly once, stopping on what the server reports (%s)",
    (report) => {
      const { calls, layer } = recording({ total: 250, report })
      return Effect.gen(function*() {
        const all = yield* Stream.runCollect(Gradebook.streamAssessmentResults({ limit: 50 }))
        const ids = [...all].map((r) => r.sourcedId)
        expect(ids).toStrictEqual(Array.from({ length: 250 }, (_, i) => `ar-${i}`))
        // 250 is a whole number of pages: one more (empty) page is needed to know, unless a Link says
        // there is no next (a totalCount is not trusted to end a full page: it may be lower than the truth)
        expect(calls.length).toBe(report === "hasNext" ? 5 : 6)
        expect((calls as Array<AssessmentResult.ListQuery>).map((q) => q.offset)).toStrictEqual(
          [0, 50, 100, 150, 200, 250].slice(0, calls.length)
        )
      }).pipe(Effect.provide(layer))
    }
  )

  it.effect("a stream stops on a short page and starts at the given offset", () => {
    const { calls, layer } = recording({ total: 120, report: "nothing" })
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(Gradebook.streamAssessmentResults({ limit: 50, offset: 10 }))
      expect(all.length).toBe(110)
      expect(calls.length).toBe(3)
    }).pipe(Effect.provide(layer))
  })
})
