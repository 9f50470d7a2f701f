import { expect, it } from "@effect/vitest"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"

// it.live, not it.effect: the server lives for the test's scope, and the SDK's waits must run
// on the real clock (it.effect's TestClock never moves by itself: the retry would wait forever)
it.live("a put survives a 503, retried after the Retry-After the server asked for", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    yield* server.inject({ method: "PUT", action: { _tag: "Status", status: 503, retryAfter: 1 } })
    const live = HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer))

    const stored = yield* Gradebook.putAssessmentResult("result-1", {
      assessmentLineItem: { sourcedId: "quiz-1" },
      student: { sourcedId: "student-1" },
      scoreStatus: "fully graded",
      scoreDate: "2024-09-01",
      score: 90
    }).pipe(Effect.provide(live))

    expect(stored.score).toBe(90)
    const puts = (yield* server.requests).filter((r) => r.method === "PUT")
    expect(puts.map((r) => r.fault)).toEqual(["Status", undefined])
    expect(puts[1]!.receivedAt - puts[0]!.receivedAt).toBeGreaterThanOrEqual(1000)
  }))
