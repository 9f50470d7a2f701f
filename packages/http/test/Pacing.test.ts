// Pacing meets tokens, deadlines and 5xx answers (issue 29, findings 6-8), over sockets. Each test
// asserts counts and orderings that do not depend on how fast the machine is.
import { describe, expect, it } from "@effect/vitest"
import { GradebookError } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as References from "effect/References"
import * as Result from "effect/Result"
import { eventually, input, RESULTS, stack } from "./fixtures.js"

describe("6. a token revoked while calls queue for their turns", () => {
  it.live("is not sent by the calls still waiting: only the request in flight meets the 401", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack({ config: { maxRequestsPerSecond: 20 } })
      const calls = yield* Effect.forkChild(
        Effect.forEach(
          Array.from({ length: 20 }, (_, i) => `ar-${i}`),
          (id) => gradebook.assessmentResults.put(id, input),
          { concurrency: "unbounded" }
        )
      )
      // the calls are queued for their turns (20 a second): revoke the token after the third is sent
      yield* eventually(Effect.map(apiRequests, (sent) => sent.length >= 3))
      yield* server.revokeTokens
      yield* Fiber.join(calls)
      // before: every queued call had taken the token before its turn, and each met a 401
      expect(yield* server.unauthorized).toBeLessThanOrEqual(2)
    }))
})

describe("7. the caller's deadline", () => {
  it.live("bounds the wait for a turn: calls whose turn cannot come by then fail typed, unsent", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack({
        config: { maxRequestsPerSecond: 2, deadline: "2 seconds", maxAttempts: 1 }
      })
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => `ar-${i}`),
        (id) => Effect.result(gradebook.assessmentResults.put(id, input)),
        { concurrency: "unbounded" }
      )
      const failed = outcomes.filter(Result.isFailure).map((o) => o.failure)
      for (const e of failed) {
        expect(e).toBeInstanceOf(GradebookError.RateLimitError)
        expect(e.message).toMatch(/did not come before the call's deadline|longer than this call may wait/)
      }
      // 2 a second for 2 s: a handful are sent, the rest end at their deadline without being sent
      const sent = (yield* apiRequests).length
      expect(sent).toBe(outcomes.length - failed.length)
      expect(failed.length).toBeGreaterThanOrEqual(10)
    }))
})

describe("8. a trickle of 503s that ask for no wait", () => {
  it.live("does not slow the client: a 503 with Retry-After: 0 is retried, and the pace is never cut", () => {
    const logs: Array<string> = []
    return Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      // every 20th put's first attempt: a 503 that asks for no wait
      for (let i = 19; i < 200; i += 20) {
        yield* server.inject({
          method: "PUT",
          path: `${RESULTS}/ar-${i}`,
          action: { _tag: "Status", status: 503, retryAfter: 0 }
        })
      }
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 200 }, (_, i) => `ar-${i}`),
        (id) => Effect.result(gradebook.assessmentResults.put(id, input)),
        { concurrency: 16 }
      )
      expect(outcomes.filter(Result.isFailure)).toStrictEqual([])
      expect((yield* apiRequests).filter((r) => r.fault === "Status").length).toBe(10)
      // before: each 503 cut the pace, down toward 1 request a second
      expect(logs.filter((l) => l.startsWith("rate limited by the server"))).toStrictEqual([])
    }).pipe(
      Effect.provide(Logger.layer([Logger.make(({ message }) => logs.push(String(message)))])),
      Effect.provideService(References.MinimumLogLevel, "Debug")
    )
  })
})
