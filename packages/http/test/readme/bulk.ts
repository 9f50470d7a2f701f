import { Bulk, Gradebook } from "@timeback/core"
import { Effect } from "effect"

// a nightly sync: every score of an export, as `{ student, score }` rows, read lazily
export const syncScores = (lineItem: string, rows: Iterable<{ readonly student: string; readonly score: number }>) =>
  Effect.gen(function*() {
    const gradebook = yield* Gradebook.Gradebook
    const items = function*() {
      for (const row of rows) {
        yield {
          sourcedId: `${lineItem}-${row.student}`,
          lineItem: { sourcedId: lineItem },
          student: { sourcedId: row.student },
          scoreStatus: "fully graded" as const,
          scoreDate: "2024-09-08",
          score: row.score
        }
      }
    }
    // 16 in flight, one outcome per row in order; a bad row never stops the others
    const summary = yield* Bulk.summarize(gradebook.results.putAll(items(), { concurrency: 16 }))
    yield* Effect.log(`${summary.succeeded} stored, failed: ${JSON.stringify(summary.failed)}`)
    return summary
  })
// (below: not in the README)
export const sample: typeof syncScores = syncScores
