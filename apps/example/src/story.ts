/**
 * The example's story: what a service recording scores does, told through the `Gradebook` service
 * alone, so any layer (live HTTP, fake server, in-memory) can run it. It sets up a class's
 * gradebook (a category, a score scale, an assessment line item and the class's line item), posts
 * results for a class of students in one request, regrades one, and reads the class's results back.
 */
import { Gradebook, type GradebookError, type Result } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as EResult from "effect/Result"
import * as Stream from "effect/Stream"

/** One call of the story and what came of it. */
export interface Step {
  readonly step: string
  readonly call: string
  readonly outcome: string
  readonly ok: boolean
}

export interface StoryOptions {
  readonly classId: string
  readonly schoolId: string
  readonly students: ReadonlyArray<string>
  /** Prefix for the sourcedIds the story chooses (unique per run against a live API). */
  readonly idPrefix: string
}

const describeError = (e: GradebookError.GradebookError) => `${e._tag}: ${e.message}`

/**
 * Runs the story and returns its steps and the class's results as read back at the end. Expected
 * failures (the invalid result) are steps; anything else fails the story with its typed error.
 */
export const story = (
  options: StoryOptions
): Effect.Effect<
  { readonly steps: ReadonlyArray<Step>; readonly results: ReadonlyArray<Result.Result> },
  GradebookError.GradebookError,
  Gradebook.Gradebook
> =>
  Effect.gen(function*() {
    const gradebook = yield* Gradebook.Gradebook
    const id = (name: string) => `${options.idPrefix}-${name}`
    const steps: Array<Step> = []
    const record = (call: string, outcome: string, ok = true) =>
      steps.push({ step: String(steps.length + 1), call, outcome, ok })
    const today = new Date().toISOString().slice(0, 10)

    const category = yield* gradebook.categories.create({
      sourcedId: id("quizzes"),
      title: "Quizzes",
      status: "active",
      weight: 0.4
    })
    record("categories.create", `created ${category.allocatedSourcedId} (weight 0.4)`)

    const scale = yield* gradebook.scoreScales.create({
      sourcedId: id("letters"),
      title: "Letter grades",
      type: "letter",
      class: { sourcedId: options.classId },
      status: "active",
      scoreScaleValue: [
        { itemValueLHS: "90", itemValueRHS: "100", value: "A" },
        { itemValueLHS: "80", itemValueRHS: "89", value: "B" },
        { itemValueLHS: "0", itemValueRHS: "79", value: "C" }
      ]
    })
    record("scoreScales.create", `created ${scale.allocatedSourcedId} (A, B, C)`)

    const assessment = yield* gradebook.assessmentLineItems.create({ sourcedId: id("unit-3"), title: "Unit 3 quiz" })
    record("assessmentLineItems.create", `created ${assessment.allocatedSourcedId}`)

    const [column] = yield* gradebook.classes(options.classId).lineItems.createMany([{
      sourcedId: id("unit-3-column"),
      title: "Unit 3 quiz",
      assignDate: today,
      dueDate: today,
      school: { sourcedId: options.schoolId },
      category: { sourcedId: category.allocatedSourcedId },
      scoreScale: { sourcedId: scale.allocatedSourcedId },
      resultValueMin: 0,
      resultValueMax: 100
    }])
    const lineItem = column!.allocatedSourcedId
    record(`classes(${options.classId}).lineItems.createMany`, `created ${lineItem}`)

    const scores = [92, 85, 64, 78, 99]
    const posted = yield* gradebook.lineItems(lineItem).results.createMany(
      options.students.map((student, i) => ({
        sourcedId: id(`result-${student}`),
        student: { sourcedId: student },
        class: { sourcedId: options.classId },
        scoreStatus: "fully graded" as const,
        scoreDate: today,
        score: scores[i % scores.length]!
      }))
    )
    record(`lineItems(${lineItem}).results.createMany`, `created ${posted.length} results in one request`)

    const regraded = options.students[2]!
    const updated = yield* gradebook.results.put(id(`result-${regraded}`), {
      lineItem: { sourcedId: lineItem },
      student: { sourcedId: regraded },
      class: { sourcedId: options.classId },
      scoreStatus: "fully graded",
      scoreDate: today,
      score: 81,
      comment: "Regraded after review"
    })
    record(`results.put ${updated.sourcedId}`, `stored, regraded: ${updated.score}`)

    const refused = yield* Effect.result(gradebook.results.create({
      lineItem: { sourcedId: lineItem },
      student: { sourcedId: regraded },
      scoreStatus: "fully graded",
      scoreDate: "2024-13-45"
    }))
    record(
      "results.create (scoreDate 2024-13-45)",
      EResult.isFailure(refused)
        ? `refused before sending: ${describeError(refused.failure)}`
        : "accepted (unexpected!)",
      false
    )

    const results = yield* Stream.runCollect(
      gradebook.classes(options.classId).lineItems(lineItem).results.stream({ sort: "score", orderBy: "desc" })
    )
    record(`classes(${options.classId}).lineItems(${lineItem}).results.stream`, `read ${results.length} results`)
    return { steps, results: [...results] }
  })

/** A plain-text table. */
export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ").trimEnd()
  return [line(headers), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n")
}

/** The class's gradebook: one row per student. */
export const gradebookTable = (results: ReadonlyArray<Result.Result>) =>
  table(
    ["student", "score", "scoreStatus", "comment"],
    results.map((r) => [
      r.student.sourcedId,
      r.score === undefined ? "" : String(r.score),
      r.scoreStatus,
      r.comment ?? ""
    ])
  )
