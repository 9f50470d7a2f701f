// The README's @timeback/http example (all but the runMain line), run against the fake server.
import { expect, it } from "@effect/vitest"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { readmeShows } from "./fixtures.js"

// configuration from TIMEBACK_* environment variables; you bring the HttpClient
const GradebookLive = HttpGradebook.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

const program = Effect.gen(function*() {
  const { allocatedSourcedId } = yield* Gradebook.createAssessmentResult({
    assessmentLineItem: { sourcedId: "line-item-1" },
    student: { sourcedId: "student-1" },
    scoreStatus: "partially graded",
    scoreDate: "2024-09-01T10:00:00Z",
    score: 40
  })
  const stored = yield* Gradebook.putAssessmentResult(allocatedSourcedId, {
    assessmentLineItem: { sourcedId: "line-item-1" },
    student: { sourcedId: "student-1" },
    scoreStatus: "fully graded",
    scoreDate: "2024-09-02T10:00:00Z",
    score: 95
  })
  yield* Effect.log(`stored ${stored.sourcedId}: ${stored.scoreStatus} ${stored.score}`)
})

it.live("the README example runs against the fake server, configured by TIMEBACK_* variables", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    const env = ConfigProvider.fromEnv({
      env: {
        TIMEBACK_CLIENT_ID: server.clientId,
        TIMEBACK_CLIENT_SECRET: Redacted.value(server.clientSecret),
        TIMEBACK_BASE_URL: server.baseUrl,
        TIMEBACK_TOKEN_URL: server.tokenUrl
      }
    })
    yield* program.pipe(Effect.provide(GradebookLive), Effect.provideService(ConfigProvider.ConfigProvider, env))
    const [stored] = yield* server.store.all
    expect(stored).toMatchObject({ scoreStatus: "fully graded", score: 95 })
  }))

it("the README's fake-server sample is readme/fakeServer.test.ts, verbatim (it runs as a test of its own)", () => {
  expect(readmeShows("readme/fakeServer.test.ts")).toBe(true)
})
