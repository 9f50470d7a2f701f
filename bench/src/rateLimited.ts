/**
 * Child process: `count` puts through the SDK with default settings at `concurrency`, against a
 * rate-limited server. `tsx src/rateLimited.ts <server url> <count> <concurrency> <first id>
 * [maxRequestsPerSecond]` prints `{ "succeeded", "failed", "elapsedMs" }`.
 */
import { Gradebook } from "@timeback/core"
import * as Effect from "effect/Effect"
import { sdk } from "./clients.js"
import { fullInput } from "./fixtures.js"

const [url, countArg, concurrencyArg, firstArg, ceilingArg] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string | undefined
]
const client = sdk(url, "undici", ceilingArg === undefined ? {} : { maxRequestsPerSecond: Number(ceilingArg) })
const started = performance.now()
const outcomes = await client.runtime.runPromise(
  Effect.forEach(
    Array.from({ length: Number(countArg) }, (_, i) => Number(firstArg) + i),
    (i) => Effect.result(Gradebook.putAssessmentResult(`bench-${i}`, { ...fullInput, sourcedId: `bench-${i}` })),
    { concurrency: Number(concurrencyArg) }
  )
)
const elapsedMs = performance.now() - started
await client.dispose()
const failed = outcomes.filter((o) => o._tag === "Failure").length
console.log(JSON.stringify({ succeeded: outcomes.length - failed, failed, elapsedMs }))
