// One row per resource: valid input, an input refused before sending, a filter, an update, and a
// patch where the API has one. The suites in Resources.test.ts run every row.
import {
  AssessmentLineItem,
  AssessmentResult,
  Category,
  Filter,
  LineItem,
  Resource,
  Result,
  ScoreScale
} from "@timeback/core"

export interface Case {
  readonly resource: Resource.Any
  /** A valid input, without sourcedId, different for each `i`. */
  readonly valid: (i: number) => Record<string, unknown>
  /** An input refused before sending, and the fields the refusal names. */
  readonly invalid: { readonly input: Record<string, unknown>; readonly fields: ReadonlyArray<string> }
  /** A filter, and which of `valid(0..n)` it matches. */
  readonly filter: { readonly filter: Filter.Filter<string>; readonly matches: (i: number) => boolean }
  /** Fields `fields` selects in a get. */
  readonly fields: readonly [string, ...Array<string>]
  /** A change for a put that updates. */
  readonly update: Record<string, unknown>
  readonly patch?: Record<string, unknown>
}

const ref = (sourcedId: string) => ({ sourcedId })

/** An input as the SDK sends it: `status` filled in, dates as RFC 3339 date-times (see `Resource.Wire`). */
export const wire = (c: Case, input: Record<string, unknown>) => Resource.toWire(c.resource.wire, true)(input)

export const CASES: ReadonlyArray<Case> = [
  {
    resource: Category.resource,
    valid: (i) => ({ title: `Category ${i}`, status: "active", weight: i % 5 }),
    invalid: { input: { status: "active", weight: Infinity }, fields: ["title", "weight"] },
    filter: { filter: Filter.eq("weight", 3), matches: (i) => i % 5 === 3 },
    fields: ["title", "weight"],
    update: { title: "Homework", weight: 0.25 }
  },
  {
    resource: ScoreScale.resource,
    valid: (i) => ({
      title: `Scale ${i}`,
      type: "letter",
      class: ref(`class-${i % 3}`),
      status: "active",
      scoreScaleValue: [{ itemValueLHS: "90", itemValueRHS: "100", value: "A" }, {
        itemValueLHS: "0",
        itemValueRHS: "89",
        value: "B",
        description: "below A"
      }]
    }),
    invalid: {
      input: { title: "Scale", type: "letter", class: ref("class-1"), status: "active", scoreScaleValue: [] },
      fields: ["scoreScaleValue.0"]
    },
    filter: { filter: Filter.eq("class.sourcedId", "class-1"), matches: (i) => i % 3 === 1 },
    fields: ["title", "scoreScaleValue"],
    update: { title: "Pass/fail" }
  },
  {
    resource: LineItem.resource,
    valid: (i) => ({
      title: `Quiz ${i}`,
      assignDate: "2024-09-01T08:00:00Z",
      dueDate: "2024-09-08",
      class: ref(`class-${i % 3}`),
      school: ref("school-1"),
      category: ref("cat-1"),
      resultValueMin: 0,
      resultValueMax: 100
    }),
    invalid: {
      input: {
        title: "Quiz",
        assignDate: "2024-09-01T25:00:00Z",
        dueDate: "2024-02-30",
        class: ref("class-1"),
        school: ref("school-1")
      },
      fields: ["assignDate", "dueDate", "category"]
    },
    filter: { filter: Filter.eq("class.sourcedId", "class-2"), matches: (i) => i % 3 === 2 },
    fields: ["title", "dueDate"],
    update: { title: "Quiz (retake)", dueDate: "2024-09-15T23:59:00Z" }
  },
  {
    resource: Result.resource,
    valid: (i) => ({
      lineItem: ref(`li-${i % 3}`),
      student: ref(`stu-${i}`),
      scoreStatus: "fully graded",
      scoreDate: "2024-09-01",
      score: i
    }),
    invalid: {
      input: { lineItem: ref("li-1"), scoreStatus: "graded", scoreDate: "2024-09-01" },
      fields: ["student", "scoreStatus"]
    },
    filter: { filter: Filter.and(Filter.gte("score", 3), Filter.lt("score", 6)), matches: (i) => i >= 3 && i < 6 },
    fields: ["score", "student"],
    update: { score: 99, comment: "regraded" }
  },
  {
    resource: AssessmentLineItem.resource,
    valid: (i) => ({ title: `Unit test ${i}`, parentAssessmentLineItem: ref(i % 2 === 0 ? "even" : "odd") }),
    invalid: { input: { description: "no title" }, fields: ["title"] },
    filter: { filter: Filter.eq("parentAssessmentLineItem.sourcedId", "odd"), matches: (i) => i % 2 === 1 },
    fields: ["title"],
    update: { title: "Unit test (v2)" },
    patch: { description: "patched", metadata: { reviewed: true } }
  },
  {
    resource: AssessmentResult.resource,
    valid: (i) => ({
      assessmentLineItem: ref("ali-1"),
      student: ref(`stu-${i}`),
      scoreStatus: i % 2 === 0 ? "fully graded" : "submitted",
      scoreDate: "2024-09-01T10:00:00Z",
      score: i
    }),
    invalid: {
      input: { assessmentLineItem: ref("ali-1"), student: ref(""), scoreStatus: "fully graded" },
      fields: ["student.sourcedId", "scoreDate"]
    },
    filter: { filter: Filter.eq("scoreStatus", "submitted"), matches: (i) => i % 2 === 1 },
    fields: ["score", "scoreStatus"],
    update: { score: 100 },
    patch: { comment: "patched", metadata: { reviewed: true } }
  }
]
