import { describe, expect, it } from "@effect/vitest"
import { Gradebook, GradebookError } from "@timeback/core"
import { MemoryGradebook } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"

const input = {
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "partially graded",
  scoreDate: "2024-09-01T10:00:00Z",
  score: 40
} as const

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("layerMemory", () => {
  it.effect("create allocates a uuid v4 when no sourcedId is given, and keeps a given one", () =>
    Effect.gen(function*() {
      const allocated = yield* Gradebook.createAssessmentResult(input)
      expect(allocated.suppliedSourcedId).toMatch(UUID_V4)
      expect(allocated.allocatedSourcedId).toBe(allocated.suppliedSourcedId)
      const given = yield* Gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" })
      expect(given).toStrictEqual({ suppliedSourcedId: "ar-1", allocatedSourcedId: "ar-1" })
      const memory = yield* MemoryGradebook.MemoryGradebook
      const results = yield* memory.results
      expect(results.map((r) => r.sourcedId)).toStrictEqual([allocated.allocatedSourcedId, "ar-1"])
      expect(results[1]).toMatchObject({ ...input, sourcedId: "ar-1", status: "active" })
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  it.effect("stores and records what was written: changing the caller's object afterwards changes nothing", () =>
    Effect.gen(function*() {
      // one object reused for a class of students, as a loop might
      const written = {
        ...input,
        student: { sourcedId: "stu-1" },
        metadata: { attempt: 1 },
        learningObjectiveSet: [{
          source: "case",
          learningObjectiveResults: [{ learningObjectiveId: "lo-1", score: 1 }]
        }]
      }
      yield* Gradebook.putAssessmentResult("ar-1", written)
      written.student.sourcedId = "stu-2"
      written.metadata.attempt = 2
      written.learningObjectiveSet[0]!.learningObjectiveResults[0]!.score = 2
      yield* Gradebook.putAssessmentResult("ar-2", written)
      const memory = yield* MemoryGradebook.MemoryGradebook
      const [first, second] = yield* memory.results
      expect(first).toMatchObject({
        student: { sourcedId: "stu-1" },
        metadata: { attempt: 1 },
        learningObjectiveSet: [{ learningObjectiveResults: [{ score: 1 }] }]
      })
      expect(second).toMatchObject({ student: { sourcedId: "stu-2" }, metadata: { attempt: 2 } })
      const [call] = yield* memory.calls
      expect(call!.input).toMatchObject({ student: { sourcedId: "stu-1" }, metadata: { attempt: 1 } })
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  it.effect("create refuses an existing sourcedId with a 409 invaliddata, and stores nothing new", () =>
    Effect.gen(function*() {
      yield* Gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" })
      const error = yield* Effect.flip(Gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1", score: 99 }))
      expect(error).toBeInstanceOf(GradebookError.RequestError)
      expect(error.status).toBe(409)
      expect(error.imsx?.codeMinor).toStrictEqual([{ name: "sourcedId", value: "invaliddata" }])
      const memory = yield* MemoryGradebook.MemoryGradebook
      expect((yield* memory.results).map((r) => r.score)).toStrictEqual([40])
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  it.effect("put creates, then replaces, stamping dateLastModified from the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2025-01-01T00:00:00Z"))
      const created = yield* Gradebook.putAssessmentResult("ar-7", input)
      expect(created.dateLastModified).toBe("2025-01-01T00:00:00.000Z")
      yield* TestClock.adjust("1 hour")
      const updated = yield* Gradebook.putAssessmentResult("ar-7", { ...input, scoreStatus: "fully graded", score: 95 })
      expect(updated).toMatchObject({ sourcedId: "ar-7", scoreStatus: "fully graded", score: 95 })
      expect(updated.dateLastModified).toBe("2025-01-01T01:00:00.000Z")
      const memory = yield* MemoryGradebook.MemoryGradebook
      expect(yield* memory.results).toStrictEqual([updated])
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  it.effect("refuses invalid input (empty refs, bad dates) with the same validation as core", () =>
    Effect.gen(function*() {
      const emptyRef = yield* Effect.flip(Gradebook.createAssessmentResult({ ...input, student: { sourcedId: "" } }))
      expect((emptyRef as GradebookError.RequestError).fields).toStrictEqual(["student.sourcedId"])
      const emptyLineItem = yield* Effect.flip(
        Gradebook.putAssessmentResult("ar-1", { ...input, assessmentLineItem: { sourcedId: "" } })
      )
      expect((emptyLineItem as GradebookError.RequestError).fields).toStrictEqual(["assessmentLineItem.sourcedId"])
      const memory = yield* MemoryGradebook.MemoryGradebook
      expect(yield* memory.results).toStrictEqual([])
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  it.effect("logs every call in order, with failures", () =>
    Effect.gen(function*() {
      yield* Gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" })
      yield* Effect.flip(Gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" }))
      yield* Gradebook.putAssessmentResult("ar-2", input)
      const calls = yield* (yield* MemoryGradebook.MemoryGradebook).calls
      expect(calls.map((c) => [c.operation, c.sourcedId, c.error?.status])).toStrictEqual([
        ["createAssessmentResult", undefined, undefined],
        ["createAssessmentResult", undefined, 409],
        ["putAssessmentResult", "ar-2", undefined]
      ])
      // what the backend is handed is the wire form: status filled in
      expect(calls[0]!.input).toStrictEqual({ ...input, sourcedId: "ar-1", status: "active" })
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  const members: ReadonlyArray<GradebookError.GradebookError> = [
    new GradebookError.RequestError({ status: 404, description: "gone" }),
    new GradebookError.AuthError({ status: 401, description: "expired" }),
    new GradebookError.RateLimitError({ status: 429, retryAfter: 30 }),
    new GradebookError.ServerError({ status: 503 }),
    new GradebookError.NoResponseError({ reason: "Timeout" }),
    new GradebookError.MalformedResponseError({ status: 201, description: "bad body" })
  ]

  it.effect.each(members.map((e) => [e._tag, e] as const))(
    "failNext injects %s, then calls work again",
    ([, error]) =>
      Effect.gen(function*() {
        const memory = yield* MemoryGradebook.MemoryGradebook
        yield* memory.failNext(error, 2)
        expect(yield* Effect.flip(Gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" }))).toBe(error)
        expect(yield* Effect.flip(Gradebook.putAssessmentResult("ar-1", input))).toBe(error)
        expect(yield* memory.results).toStrictEqual([])
        yield* Gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" })
        expect((yield* memory.results).length).toBe(1)
        expect((yield* memory.calls).map((c) => c.error?._tag)).toStrictEqual([error._tag, error._tag, undefined])
      }).pipe(Effect.provide(MemoryGradebook.layerMemory))
  )

  it.effect("each build of the layer starts empty", () =>
    Effect.gen(function*() {
      const count = Effect.flatMap(MemoryGradebook.MemoryGradebook, (m) => m.results).pipe(
        Effect.map((r) => r.length)
      )
      const first = yield* Gradebook.createAssessmentResult(input).pipe(
        Effect.andThen(count),
        Effect.provide(MemoryGradebook.layerMemory)
      )
      const second = yield* count.pipe(Effect.provide(MemoryGradebook.layerMemory))
      expect([first, second]).toStrictEqual([1, 0])
    }))
})
