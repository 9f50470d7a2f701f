// The README's bulk sample (readme/bulk.ts, verbatim in the README), run through the live layer
// against the fake server in rate-limit mode.
import { expect, it } from "@effect/vitest"
import { Result } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import { readmeShows } from "./fixtures.js"
import { sample as syncScores } from "./readme/bulk.js"

it("the README shows the sample as it is tested", () => {
  expect(readmeShows("readme/bulk.ts")).toBe(true)
})

it.live("the README's bulk sample stores every valid row against a rate-limited server", () =>
  Effect.gen(function*() {
    // its bucket refuses a client as fast as an idle machine's; the scripted 429s make sure a slower one
    // meets refusals too
    const server = yield* FakeTimebackServer.make({
      rateLimit: { requestsPerSecond: 60, burst: 6, retryAfter: "milliseconds" }
    })
    yield* server.inject({ method: "PUT", times: 20, action: { _tag: "Status", status: 429, retryAfterMs: 50 } })
    const rows = Array.from({ length: 300 }, (_, i) => ({ student: `stu-${i}`, score: i === 7 ? Infinity : i % 100 }))
    const summary = yield* syncScores("quiz-1", rows).pipe(
      Effect.provide(HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer)))
    )
    expect(summary).toMatchObject({ succeeded: 299, failed: { RequestError: 1 } })
    expect((yield* server.store.of(Result.resource).all).length).toBe(299)
    expect((yield* server.requests).filter((r) => r.fault === "Status").length).toBe(20)
  }))
