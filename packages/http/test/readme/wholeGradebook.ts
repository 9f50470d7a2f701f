import { Filter, Gradebook } from "@timeback/core"
import { Effect, Stream } from "effect"

export const program = Effect.gen(function*() {
  const gradebook = yield* Gradebook.Gradebook
  const quizzes = yield* gradebook.categories.create({ title: "Quizzes", status: "active", weight: 0.4 })
  // the class's line items, several in one request; the route fills in `class`
  const [quiz] = yield* gradebook.classes("class-1").lineItems.createMany([{
    title: "Unit 3 quiz",
    assignDate: "2024-09-01",
    dueDate: "2024-09-08",
    school: { sourcedId: "school-1" },
    category: { sourcedId: quizzes.allocatedSourcedId }
  }])
  // a result per student in one request; each item's sourcedId is fixed before anything is sent
  yield* gradebook.lineItems(quiz!.allocatedSourcedId).results.createMany(
    ["student-1", "student-2"].map((student, i) => ({
      student: { sourcedId: student },
      scoreStatus: "fully graded" as const,
      scoreDate: "2024-09-08",
      score: 78 + 10 * i
    }))
  )
  // the class's results, lazily, page by page
  yield* gradebook.classes("class-1").results.stream({ filter: Filter.gte("score", 80) }).pipe(
    Stream.runForEach((result) => Effect.log(`${result.student.sourcedId}: ${result.score}`))
  )
})
// (below: not in the README)
export const sample: Effect.Effect<void, unknown, Gradebook.Gradebook> = program
