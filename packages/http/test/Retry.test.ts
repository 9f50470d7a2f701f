import { describe, expect, it } from "@effect/vitest"
import { GradebookError } from "@timeback/core"
import { HttpGradebook, Retry, TimebackConfig } from "@timeback/http"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schedule from "effect/Schedule"
import { input, RESULTS, stack } from "./fixtures.js"

const tuning = Effect.runSync(TimebackConfig.make({ clientId: "id", clientSecret: Redacted.make("s") }))

/**
 * The delays the default policy chooses for a run of failures, read off its step function (each
 * step at the time the previous delay ends), until it stops.
 */
const delays = (errors: ReadonlyArray<GradebookError.GradebookError>, t = tuning) =>
  Effect.gen(function*() {
    const step = yield* Schedule.toStep(Retry.defaultPolicy(t))
    const out: Array<number> = []
    let now = 0
    for (const e of errors) {
      const next = yield* Effect.result(step(now, e))
      if (Result.isFailure(next)) break
      const delay = Duration.toMillis(next.success[1])
      out.push(delay)
      now += delay
    }
    return out
  })

describe("Retry.defaultPolicy", () => {
  it.effect("backs off exponentially with jitter, for at most 3 attempts", () =>
    Effect.gen(function*() {
      const e = new GradebookError.ServerError({ status: 503 })
      const chosen = yield* delays([e, e, e, e])
      expect(chosen.length).toBe(2)
      // 250 ms then 500 ms, each ±20 % jitter
      expect(chosen[0]).toBeGreaterThanOrEqual(200)
      expect(chosen[0]).toBeLessThanOrEqual(300)
      expect(chosen[1]).toBeGreaterThanOrEqual(400)
      expect(chosen[1]).toBeLessThanOrEqual(600)
    }))

  it.effect("caps each delay at maxDelay", () =>
    Effect.gen(function*() {
      const e = new GradebookError.ServerError({ status: 503 })
      const waits = yield* delays([e, e, e], { ...tuning, maxAttempts: 10, baseDelay: Duration.seconds(4) })
      expect(waits[2]).toBe(5000)
    }))

  it.effect("waits at least what Retry-After asks; fails fast beyond maxRetryAfter (20 s)", () =>
    Effect.gen(function*() {
      const asked = (retryAfter: number) => new GradebookError.RateLimitError({ status: 429, retryAfter })
      const [wait] = yield* delays([asked(2)])
      expect(wait).toBe(2000)
      expect(yield* delays([asked(20)])).toHaveLength(1)
      expect(yield* delays([asked(21)])).toStrictEqual([])
      expect(yield* delays([new GradebookError.ServerError({ status: 503, retryAfter: 3600 })])).toStrictEqual([])
    }))

  it.effect("does not retry permanent failures", () =>
    Effect.gen(function*() {
      for (const status of [400, 401, 403, 404, 409, 422, 501]) {
        expect(yield* delays([GradebookError.fromResponse({ status })])).toStrictEqual([])
      }
      expect(yield* delays([new GradebookError.MalformedResponseError({})])).toStrictEqual([])
    }))

  it.effect("retries 408, 429, 5xx and no-response", () =>
    Effect.gen(function*() {
      for (const status of [408, 429, 500, 502, 503, 504]) {
        expect((yield* delays([GradebookError.fromResponse({ status })])).length).toBe(1)
      }
      expect((yield* delays([new GradebookError.NoResponseError({ reason: "Transport" })])).length).toBe(1)
    }))
})

describe("the policy is replaceable", () => {
  it.live("a policy that never retries makes a 503 final after one attempt", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, times: 5, action: { _tag: "Status", status: 503 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "ServerError", attempts: 1 })
      expect((yield* apiRequests).length).toBe(1)
    }).pipe(Effect.provideService(Retry.RetryPolicy, () => Schedule.recurs(0))))
})

describe("a call's own attempts (Retry.MaxAttempts)", () => {
  it.live("replace the layer's maxAttempts for the calls it is provided to, and no others", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack({ config: { maxAttempts: 3 } })
      yield* server.inject({ path: RESULTS, times: 20, action: { _tag: "Status", status: 503 } })
      const once = yield* Effect.flip(
        gradebook.createAssessmentResult(input).pipe(Effect.provideService(Retry.MaxAttempts, 1))
      )
      expect(once).toMatchObject({ _tag: "ServerError", attempts: 1 })
      expect((yield* apiRequests).length).toBe(1)
      const five = yield* Effect.flip(
        gradebook.createAssessmentResult(input).pipe(Effect.provideService(Retry.MaxAttempts, 5))
      )
      expect(five).toMatchObject({ _tag: "ServerError", attempts: 5 })
      expect((yield* apiRequests).length).toBe(6)
      const layers = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(layers).toMatchObject({ _tag: "ServerError", attempts: 3 })
      expect((yield* apiRequests).length).toBe(9)
    }))
})

describe("a call's answers (HttpGradebook.OnResponse)", () => {
  it.live("are shown to the caller, each attempt's, with status, headers and request id", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, times: 1, action: { _tag: "Status", status: 503 } })
      const seen: Array<HttpGradebook.ResponseInfo> = []
      const pair = yield* gradebook.createAssessmentResult(input).pipe(
        Effect.provideService(HttpGradebook.OnResponse, (response) => seen.push(response))
      )
      expect(seen.map((r) => [r.method, r.status])).toEqual([["POST", 503], ["POST", 201]])
      expect(seen[1]!.url).toBe(`${server.connection.baseUrl}${HttpGradebook.BASE_PATH}/assessmentResults`)
      expect(seen[1]!.requestId).toMatch(/\S/)
      expect(seen[1]!.headers["x-request-id"]).toBe(seen[1]!.requestId)
      // a call without it shows nothing to anyone
      yield* gradebook.getAssessmentResult(pair.allocatedSourcedId)
      expect(seen.length).toBe(2)
    }))
})
