/**
 * The example's story: what a service recording scores does, told through the `Gradebook` service
 * alone, so any layer (live HTTP, fake server, in-memory) can run it.
 */
import { type AssessmentResult, Gradebook, type GradebookError } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"

/** One call of the story and what came of it. */
export interface Step {
  readonly step: string
  readonly call: string
  readonly outcome: string
  readonly ok: boolean
}

export interface StoryOptions {
  readonly lineItem: string
  readonly student: string
  /** Prefix for the sourcedIds the story chooses (unique per run against a live API). */
  readonly idPrefix: string
}

const describeError = (e: GradebookError.GradebookError) => `${e._tag}: ${e.message}`

/**
 * Runs the story. Expected failures (the invalid result) are steps; anything else fails the
 * story with its typed error.
 */
export const story = (
  options: StoryOptions
): Effect.Effect<ReadonlyArray<Step>, GradebookError.GradebookError, Gradebook.Gradebook> =>
  Effect.gen(function*() {
    const base = {
      assessmentLineItem: { sourcedId: options.lineItem },
      student: { sourcedId: options.student },
      scoreDate: new Date().toISOString()
    } as const
    const steps: Array<Step> = []
    const record = (step: string, call: string, outcome: string, ok = true) => steps.push({ step, call, outcome, ok })

    const allocated = yield* Gradebook.createAssessmentResult({ ...base, scoreStatus: "submitted" })
    record("1", "create (no sourcedId)", `201 allocated ${allocated.allocatedSourcedId}`)

    const chosenId = `${options.idPrefix}-quiz`
    const chosen = yield* Gradebook.createAssessmentResult({
      ...base,
      sourcedId: chosenId,
      scoreStatus: "partially graded",
      score: 40
    })
    record("2", `create ${chosenId}`, `201 kept ${chosen.allocatedSourcedId}, partially graded 40`)

    const updated = yield* Gradebook.putAssessmentResult(chosenId, {
      ...base,
      sourcedId: chosenId,
      scoreStatus: "fully graded",
      score: 92,
      comment: "Regraded after review"
    })
    record("3", `put ${chosenId}`, `201 updated: ${updated.scoreStatus} ${updated.score}`)

    const putId = `${options.idPrefix}-essay`
    const created = yield* Gradebook.putAssessmentResult(putId, { ...base, scoreStatus: "fully graded", score: 78 })
    record("4", `put ${putId}`, `201 created: ${created.scoreStatus} ${created.score}`)

    const invalid: AssessmentResult.AssessmentResultInput = {
      ...base,
      scoreStatus: "fully graded",
      scoreDate: "2024-13-45"
    }
    const refused = yield* Effect.either(Gradebook.createAssessmentResult(invalid))
    record(
      "5",
      "create (scoreDate 2024-13-45)",
      Either.isLeft(refused) ? `refused before sending: ${describeError(refused.left)}` : "accepted (unexpected!)",
      false
    )
    return steps
  })

/** A plain-text table. */
export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ").trimEnd()
  return [line(headers), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n")
}

/** The stored results as a table. */
export const resultsTable = (results: ReadonlyArray<AssessmentResult.AssessmentResult>) =>
  table(
    ["sourcedId", "student", "scoreStatus", "score", "comment"],
    results.map((
      r
    ) => [
      r.sourcedId,
      r.student.sourcedId,
      r.scoreStatus,
      r.score === undefined ? "" : String(r.score),
      r.comment ?? ""
    ])
  )
