import { Filter, TimebackGradebook } from "@timeback/client"

await using gradebook = TimebackGradebook.fromEnv({ userAgent: "grade-sync/1.0" })

// every result scored under 60, fetched page after page as the loop runs (the filter is checked first)
for await (const result of gradebook.assessmentResults.stream({ filter: "score<'60'", limit: 100 })) {
  console.log(result.sourcedId, result.score)
}

// the same filter built, narrowed to fully graded results; one page, its answer shown as it arrives
const page = await gradebook.assessmentResults.list(
  { filter: Filter.and(Filter.lt("score", 60), Filter.eq("scoreStatus", "fully graded")), limit: 10 },
  { maxRetries: 1, timeout: 10_000, onResponse: (r) => console.log(`HTTP ${r.status}, request id ${r.requestId}`) }
)
console.log(`${page.results.length} fully graded under 60`)
