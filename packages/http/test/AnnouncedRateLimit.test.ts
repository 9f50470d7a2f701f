// A server that announces its rate limit in every answer (RateLimit-Policy, RateLimit), over real
// sockets: the client paces to it, and clients sharing it share it. A layer's first request goes
// out alone, and its answer says the limit before any other request is sent, so none is refused.
// No timed assertions: what is checked is what reached the server. The buckets are deep enough (the
// client keeps them a quarter to half full: 200 ms of the rate) that a busy machine's stalls, which
// make the in-process server read several requests at once, do not empty them.
import { describe, expect, it } from "@effect/vitest"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import type { FakeTimebackServer } from "@timeback/testkit"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as References from "effect/References"
import { input, stack } from "./fixtures.js"

const puts = (gradebook: Gradebook.GradebookService, ids: ReadonlyArray<string>, concurrency: number) =>
  Effect.forEach(ids, (id, i) => Effect.result(gradebook.assessmentResults.put(id, { ...input, score: i })), {
    concurrency
  })

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`)

/** A second client of `server` (the same credentials: it shares the server's bucket). */
const anotherClient = (server: FakeTimebackServer.FakeTimebackServerService) =>
  Effect.map(
    Layer.build(HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer))),
    (context) => Context.get(context, Gradebook.Gradebook)
  )

describe("a server that announces its rate limit", () => {
  it.live("one client paces to it from its first answer: no request is refused", () => {
    const logs: Array<string> = []
    return Effect.gen(function*() {
      const { gradebook, server } = yield* stack({
        server: { rateLimit: { requestsPerSecond: 100, burst: 40, retryAfter: "milliseconds", announce: true } },
        config: { maxAttempts: 1 }
      })
      const outcomes = yield* puts(gradebook, ids("solo", 300), 32)
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      expect((yield* server.store.all).length).toBe(300)
      // paced to what each answer says is left (that the first request goes out alone: FirstRequest.test.ts)
      expect(yield* server.rateLimited).toBe(0)
      expect(logs.filter((l) => l.startsWith("the server announces its rate limit (100 requests/s)")).length)
        .toBe(1)
    }).pipe(
      Effect.provide(Logger.layer([Logger.make(({ message }) => logs.push(String(message)))])),
      Effect.provideService(References.MinimumLogLevel, "Debug")
    )
  })

  it.live("two clients share it: every call succeeds, and none is refused but (at most) their first requests", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({
        server: { rateLimit: { requestsPerSecond: 100, burst: 80, retryAfter: "milliseconds", announce: true } },
        config: { maxAttempts: 1 }
      })
      const other = yield* anotherClient(server)
      // the second client has twice the work: once the first is done, it has the whole limit
      const [first, second] = yield* Effect.all([
        puts(gradebook, ids("a", 150), 16),
        puts(other, ids("b", 300), 16)
      ], { concurrency: 2 })
      expect([...first, ...second].filter((o) => o._tag === "Failure")).toStrictEqual([])
      expect((yield* server.store.all).length).toBe(450)
      // each client's first request goes out before it knows the limit (and what the other left of it)
      expect(yield* server.rateLimited).toBeLessThanOrEqual(2)
    }))
})
