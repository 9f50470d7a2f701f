/**
 * Child process (run with --expose-gc): streams 100,000 items through the SDK and reports the
 * client's heap growth, sampled after a full GC every 5,000 items. `<what>` is `assessmentResults`
 * (default), `lineItems`, or `classResults` (a scoped route: `GET /classes/class-1/results`).
 * `tsx src/streamHeap.ts <server url> <total> [what]` prints `{ "results", "pages", "baselineMb", "maxGrowthMb" }`.
 */
import { Gradebook } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { sdk } from "./clients.js"
import { heapMb } from "./heap.js"

const [url, totalArg, what = "assessmentResults"] = process.argv.slice(2) as [string, string, string?]
const total = Number(totalArg)

const client = sdk(url)
await client.put(-1) // warm: token cached, modules loaded
const baselineMb = heapMb()
let maxGrowthMb = 0
let results = 0
const stream = Stream.unwrap(
  Effect.map(Gradebook.Gradebook, (gradebook): Stream.Stream<unknown, unknown> =>
    what === "lineItems"
      ? gradebook.lineItems.stream({ limit: 1000 })
      : what === "classResults"
      ? gradebook.classes("class-1").results.stream({ limit: 1000 })
      : gradebook.assessmentResults.stream({ limit: 1000 }))
)
await client.runtime.runPromise(
  stream.pipe(
    Stream.runForEach(() =>
      Effect.sync(() => {
        results++
        if (results % 5000 === 0) maxGrowthMb = Math.max(maxGrowthMb, heapMb() - baselineMb)
      })
    )
  )
)
await client.dispose()
console.log(JSON.stringify({ results, pages: Math.ceil(total / 1000), baselineMb, maxGrowthMb }))
