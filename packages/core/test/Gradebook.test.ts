import { describe, expect, it } from "@effect/vitest"
import { AssessmentResult, Gradebook, GradebookError } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const valid: AssessmentResult.AssessmentResultInput = {
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-01",
  score: 90
}

/** A backend that records what reaches it. */
const recording = () => {
  const calls: Array<unknown> = []
  const backend: Gradebook.GradebookBackend = {
    createAssessmentResult: (input) =>
      Effect.sync(() => {
        calls.push(input)
        return { suppliedSourcedId: input.sourcedId ?? "new", allocatedSourcedId: input.sourcedId ?? "new" }
      }),
    putAssessmentResult: (sourcedId, input) =>
      Effect.sync(() => {
        calls.push(input)
        return AssessmentResult.AssessmentResult.make({ ...input, sourcedId })
      })
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
