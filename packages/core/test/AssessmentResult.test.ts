import { describe, expect, it } from "@effect/vitest"
import { AssessmentResult } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

const full: AssessmentResult.AssessmentResultInput = {
  sourcedId: "ar-1",
  status: "active",
  dateLastModified: "2024-09-01T10:00:00.000Z",
  metadata: { attempt: 2, source: { app: "reader" } },
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1", href: "https://x/users/stu-1", type: "user" },
  score: 87.5,
  textScore: "B+",
  scoreDate: "2024-09-01T10:00:00Z",
  scoreScale: { sourcedId: "scale-1" },
  scorePercentile: 91,
  scoreStatus: "fully graded",
  comment: "Good work",
  learningObjectiveSet: [{
    source: "case",
    learningObjectiveResults: [{ learningObjectiveId: "lo-1", score: 3, textScore: "meets" }]
  }],
  inProgress: "false",
  incomplete: "false",
  late: "true",
  missing: "false"
}

const minimal = {
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "submitted",
  scoreDate: "2024-09-01"
}

const decodeInput = (u: unknown) => Effect.runSync(Effect.result(AssessmentResult.decodeInput(u)))
// what the SDK reads a server's answer with: the resource's decoder (it reads `null` as absent)
const decodeResult = (u: unknown) => Effect.runSync(Effect.result(AssessmentResult.resource.decodeStored(u)))

describe("AssessmentResultInput", () => {
  it("round-trips a fully populated result through encode and decode", () => {
    const decoded = decodeInput(full)
    expect(decoded).toStrictEqual(Result.succeed(full))
    const encoded = Schema.encodeSync(AssessmentResult.AssessmentResultInput)(full)
    expect(JSON.parse(JSON.stringify(encoded))).toStrictEqual(full)
    // the response schema reads the same object back
    const read = decodeResult(encoded)
    expect(Result.isSuccess(read) && { ...read.success }).toStrictEqual(full)
  })

  it.each(["assessmentLineItem", "student", "scoreStatus", "scoreDate"])("refuses input without %s", (field) => {
    const { [field as keyof typeof minimal]: _, ...rest } = minimal
    const result = decodeInput(rest)
    expect(Result.isFailure(result)).toBe(true)
    expect(String(Result.getFailure(result).pipe((o) => o._tag === "Some" && o.value.message))).toContain(field)
  })

  it.each([
    ["scoreStatus", "graded"],
    ["status", "deleted"],
    ["inProgress", "yes"],
    ["incomplete", true],
    ["late", "TRUE"],
    ["missing", "0"]
  ])("refuses %s = %j (not in its vocabulary)", (field, value) => {
    expect(Result.isFailure(decodeInput({ ...minimal, [field]: value }))).toBe(true)
  })

  it.each([
    "2024-09-01",
    "2024-02-29",
    "2000-02-29",
    "2024-07-31",
    "2024-08-31",
    "2024-12-31",
    "2024-09-01T10:00Z",
    "2024-09-01T10:00:00Z",
    "2024-09-01T10:00:00.123456+02:00",
    "2024-09-01T23:59:59-0230"
  ])(
    "accepts scoreDate %s",
    (scoreDate) => {
      expect(Result.isSuccess(decodeInput({ ...minimal, scoreDate }))).toBe(true)
    }
  )

  it.each([
    "2024-13-45",
    "2023-02-29",
    "1900-02-29",
    "2024-04-31",
    "2024-09-31",
    "2024-11-31",
    "2024-02-30",
    "yesterday",
    "2024-9-1",
    "2024-09-01T25:00:00Z",
    "2024-09-01T24:00:00Z",
    "2024-09-01T10:60:00Z",
    "2024-09-01T10:00:60Z",
    "2024-09-01T10:00:00+24:00",
    "2024-09-01T10:00:00+02:60",
    "2024-09-01T10:00:00",
    "01/09/2024",
    ""
  ])("refuses scoreDate %j", (scoreDate) => {
    expect(Result.isFailure(decodeInput({ ...minimal, scoreDate }))).toBe(true)
  })

  it.each([NaN, Infinity, -Infinity])("refuses a non-finite score (%s)", (score) => {
    expect(Result.isFailure(decodeInput({ ...minimal, score }))).toBe(true)
    expect(Result.isFailure(decodeInput({ ...minimal, scorePercentile: score }))).toBe(true)
  })

  it("refuses unknown keys and empty or padded sourcedIds", () => {
    expect(Result.isFailure(decodeInput({ ...minimal, scoreStats: "submitted" }))).toBe(true)
    expect(Result.isFailure(decodeInput({ ...minimal, student: { sourcedId: "" } }))).toBe(true)
    expect(Result.isFailure(decodeInput({ ...minimal, sourcedId: " ar-1" }))).toBe(true)
  })
})

describe("AssessmentResult (server responses)", () => {
  const fromServer = {
    sourcedId: "ar-9",
    status: "active",
    dateLastModified: "2025-01-07T18:22:10.123Z",
    metadata: { undeclared: { nested: [1, 2] }, xp: 40 },
    assessmentLineItem: { sourcedId: "ali-9", href: "https://api/ims/.../ali-9", type: "assessmentLineItem" },
    student: { sourcedId: "stu-9", href: "https://api/ims/.../stu-9", type: "user" },
    score: null,
    textScore: null,
    scoreDate: "2025-01-07T00:00:00.000Z",
    scoreScale: null,
    scorePercentile: null,
    scoreStatus: "not submitted",
    comment: null,
    learningObjectiveSet: null,
    inProgress: "false",
    incomplete: null,
    late: null,
    missing: "true",
    brandNewField: { surprise: true }
  }

  it("decodes a real-looking response with nulls, unknown fields and refs carrying href/type", () => {
    const result = decodeResult(fromServer)
    expect(Result.isSuccess(result)).toBe(true)
    const r = Result.getOrThrow(result)
    expect(r.sourcedId).toBe("ar-9")
    expect(r.score).toBeUndefined()
    expect(r.student).toStrictEqual({ sourcedId: "stu-9", href: "https://api/ims/.../stu-9", type: "user" })
    expect(r.metadata).toStrictEqual({ undeclared: { nested: [1, 2] }, xp: 40 })
    expect("brandNewField" in r).toBe(false)
  })

  it("keeps the server's scoreDate string as it came, whatever its form", () => {
    const read = decodeResult({ ...fromServer, scoreDate: "Sep 1 2024" })
    expect(Result.isSuccess(read) && read.success.scoreDate).toBe("Sep 1 2024")
  })

  it("decodes the official binding's date-only scoreDate and a bare ref", () => {
    expect(Result.isSuccess(decodeResult({ ...fromServer, scoreDate: "2025-01-07", student: { sourcedId: "s" } })))
      .toBe(true)
  })

  it.each([
    ["sourcedId", undefined],
    ["student", undefined],
    ["assessmentLineItem", { href: "x" }],
    ["scoreStatus", "graded"],
    ["scoreDate", 20240901],
    ["score", "87"]
  ])("fails when %s is missing or mistyped", (field, value) => {
    const result = decodeResult({ ...fromServer, [field]: value })
    expect(Result.isFailure(result)).toBe(true)
  })

  it("decodes create and put responses", () => {
    expect(
      Schema.decodeUnknownSync(AssessmentResult.CreateResponse)({
        sourcedIdPairs: { suppliedSourcedId: "a", allocatedSourcedId: "a" },
        extra: 1
      })
    ).toStrictEqual({ sourcedIdPairs: { suppliedSourcedId: "a", allocatedSourcedId: "a" } })
    expect(
      Effect.runSync(AssessmentResult.resource.decodeSingle(JSON.stringify({ assessmentResult: fromServer })))
        .assessmentResult!.sourcedId
    ).toBe("ar-9")
  })
})

describe("input schemas carry no transformations", () => {
  // @timeback/http serializes validated input with JSON.stringify instead of encoding it again:
  // this holds only while encoding is the identity.
  it("encoding a decoded write or patch gives back the same value", () => {
    const decoded = Result.getOrThrow(decodeInput(full))
    expect(Schema.encodeSync(AssessmentResult.WriteRequest)({ assessmentResult: decoded })).toStrictEqual({
      assessmentResult: full
    })
    expect(Schema.encodeSync(AssessmentResult.PatchInput)(decoded)).toStrictEqual(full)
    expect(AssessmentResult.AssessmentResultInput.ast._tag).toBe("Objects")
  })

  it("excess keys are refused at any depth, and every issue is reported", () => {
    const nested = decodeInput({ ...minimal, student: { sourcedId: "s", role: "x" } })
    expect(Result.isFailure(nested) && nested.failure.message).toContain("role")
    const several = decodeInput({
      ...minimal,
      extra: 1,
      scoreDate: "bad",
      learningObjectiveSet: [{ source: "s", learningObjectiveResults: [], x: 1 }]
    })
    const message = Result.isFailure(several) ? several.failure.message : ""
    for (const word of ["extra", "scoreDate", "x"]) expect(message).toContain(word)
  })
})
