import { describe, expect, it } from "@effect/vitest"
import { AssessmentLineItem, AssessmentResult, Category, Fields, LineItem, Result } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as EResult from "effect/Result"

const decode = (f: (u: unknown) => Effect.Effect<any, any>, u: unknown) => Effect.runSync(Effect.result(f(u)))
const right = (f: (u: unknown) => Effect.Effect<any, any>, u: unknown) => {
  const r = decode(f, u)
  if (EResult.isFailure(r)) throw new Error(String(r.failure))
  return r.success
}

const result = {
  lineItem: { sourcedId: "li-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-06"
}

describe("the wire form of an input", () => {
  it("sends a date alone as that day's first instant in UTC, and a date-time with seconds and a zone", () => {
    expect(Fields.toRfc3339("2024-09-06")).toBe("2024-09-06T00:00:00Z")
    expect(Fields.toRfc3339("2024-09-01T10:00Z")).toBe("2024-09-01T10:00:00Z")
    expect(Fields.toRfc3339("2024-09-01T10:00+0200")).toBe("2024-09-01T10:00:00+02:00")
    expect(Fields.toRfc3339("2024-09-01T10:00:05.123-05:00")).toBe("2024-09-01T10:00:05.123-05:00")
    expect(right(Result.resource.decodeInput, result).scoreDate).toBe("2024-09-06T00:00:00Z")
    expect(right(LineItem.resource.decodeInput, {
      title: "Quiz",
      assignDate: "2024-09-01",
      dueDate: "2024-09-08T23:59Z",
      class: { sourcedId: "c" },
      school: { sourcedId: "s" },
      category: { sourcedId: "k" }
    })).toMatchObject({ assignDate: "2024-09-01T00:00:00Z", dueDate: "2024-09-08T23:59:00Z", status: "active" })
  })

  it("fills status with \"active\" on creates and puts, keeps a given one, and leaves patches alone", () => {
    expect(right(Result.resource.decodeInput, result).status).toBe("active")
    expect(right(Result.resource.decodeInput, { ...result, status: "tobedeleted" }).status).toBe("tobedeleted")
    expect(right(Category.resource.decodeInput, { title: "Quizzes" })).toStrictEqual({
      title: "Quizzes",
      status: "active"
    })
    expect(right(AssessmentResult.decodePatch, { score: 3, scoreDate: "2024-09-06" })).toStrictEqual({
      score: 3,
      scoreDate: "2024-09-06T00:00:00Z"
    })
  })

  it("does not touch the caller's object, and leaves an input in wire form already as it is", () => {
    const given = { ...result }
    right(Result.resource.decodeInput, given)
    expect(given).toStrictEqual(result)
    const wire = { ...result, status: "active", scoreDate: "2024-09-06T00:00:00Z" }
    expect(right(Result.resource.decodeInput, wire)).toStrictEqual(wire)
  })

  it("refuses a dateLastModified that is not a date-time, naming it", () => {
    const r = decode(Result.resource.decodeInput, { ...result, dateLastModified: "yesterday" })
    expect(EResult.isFailure(r) && String(r.failure)).toContain("dateLastModified")
  })

  it("accepts null where the contract allows it, to clear a field", () => {
    expect(EResult.isSuccess(decode(Category.resource.decodeInput, { title: "Q", weight: null }))).toBe(true)
    expect(
      EResult.isSuccess(decode(Result.resource.decodeInput, { ...result, score: null, comment: null, class: null }))
    ).toBe(true)
    expect(EResult.isFailure(decode(Result.resource.decodeInput, { ...result, student: null }))).toBe(true)
  })

  it("line items and assessment line items carry learningObjectiveIds; assessment line items have course", () => {
    const set = [{ source: "case", learningObjectiveIds: ["lo-1", "lo-2"] }]
    expect(
      right(AssessmentLineItem.resource.decodeInput, {
        title: "A",
        course: { sourcedId: "c" },
        learningObjectiveSet: set
      })
    )
      .toMatchObject({ learningObjectiveSet: set, course: { sourcedId: "c" } })
    for (const extra of ["assignDate", "dueDate", "school", "category", "gradingPeriod", "academicSession"]) {
      const r = decode(AssessmentLineItem.resource.decodeInput, { title: "A", [extra]: "2024-09-01" })
      expect(EResult.isFailure(r) && String(r.failure)).toContain(extra)
    }
  })
})
