/**
 * Child process (run with --expose-gc): `putAll` of `<total>` generated results through the SDK,
 * reporting the client's heap growth, sampled after a full GC every 5,000 outcomes.
 * `tsx src/bulkHeap.ts <server url> <total>` prints `{ "outcomes", "failed", "baselineMb", "maxGrowthMb" }`.
 */
import { Gradebook } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { sdk } from "./clients.js"
import { fullInput } from "./fixtures.js"
import { heapMb } from "./heap.js"

const [url, totalArg] = process.argv.slice(2) as [string, string]
const total = Number(totalArg)

function* items() {
  for (let i = 0; i < total; i++) yield { ...fullInput, sourcedId: `bulk-${i}` }
}

const client = sdk(url)
await client.put(-1) // warm: token cached, modules loaded
const baselineMb = heapMb()
let maxGrowthMb = 0
let outcomes = 0
let failed = 0
await client.runtime.runPromise(
  Stream.unwrap(Effect.map(Gradebook.Gradebook, (gradebook) => gradebook.assessmentResults.putAll(items()))).pipe(
    Stream.runForEach((o) =>
      Effect.sync(() => {
        outcomes++
        if (o.outcome._tag === "Failure") failed++
        if (outcomes % 5000 === 0) maxGrowthMb = Math.max(maxGrowthMb, heapMb() - baselineMb)
      })
    )
  )
)
await client.dispose()
console.log(JSON.stringify({ outcomes, failed, baselineMb, maxGrowthMb }))
