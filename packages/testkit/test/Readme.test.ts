// The README's layerMemory example, verbatim, so the documentation cannot rot.
import { expect, it } from "@effect/vitest"
import { Gradebook, GradebookError } from "@timeback/core"
import { MemoryGradebook } from "@timeback/testkit"
import { Effect } from "effect"

// your code under test
const recordScore = (student: string, score: number) =>
  Gradebook.putAssessmentResult(`quiz-1-${student}`, {
    assessmentLineItem: { sourcedId: "quiz-1" },
    student: { sourcedId: student },
    scoreStatus: "fully graded",
    scoreDate: "2024-09-01",
    score
  }).pipe(Effect.catchTag("ServerError", () => Effect.succeed("queued for later" as const)))

it.effect("stores the score, and survives a server error", () =>
  Effect.gen(function*() {
    const memory = yield* MemoryGradebook.MemoryGradebook
    yield* recordScore("stu-1", 90)
    expect((yield* memory.results).map((r) => r.score)).toEqual([90])

    yield* memory.failNext(new GradebookError.ServerError({ status: 503 }))
    expect(yield* recordScore("stu-2", 70)).toBe("queued for later")
    expect((yield* memory.calls).length).toBe(2)
  }).pipe(Effect.provide(MemoryGradebook.layerMemory)))
