import { describe, expect, it } from "@effect/vitest"
import { GradebookError } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/testing/TestClock"
import { eventually, input, stack } from "./fixtures.js"

describe("tokens", () => {
  it.live("100 concurrent calls on a cold cache → 1 token request", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server, tokenRequests } = yield* stack()
      yield* Effect.forEach(
        Array.from({ length: 100 }, (_, i) => i),
        (i) => gradebook.putAssessmentResult(`ar-${i}`, input),
        { concurrency: "unbounded" }
      )
      expect((yield* tokenRequests).length).toBe(1)
      expect((yield* apiRequests).length).toBe(100)
      expect((yield* server.store.all).length).toBe(100)
    }))

  it.live("a token shorter-lived than the refresh window does not cause a token request per call", () =>
    Effect.gen(function*() {
      // 20 s tokens against the default 5 min window: refresh at half-life, not on every call
      const { gradebook, tokenRequests } = yield* stack({ server: { tokenLifetimeSeconds: 20 } })
      for (let i = 0; i < 20; i++) yield* gradebook.putAssessmentResult(`ar-${i}`, input)
      expect((yield* tokenRequests).length).toBe(1)
    }))

  it.effect("refreshes ahead of expiry in the background, keeping the valid token meanwhile", () =>
    Effect.gen(function*() {
      const { gradebook, tokenRequests } = yield* stack({
        server: { tokenLifetimeSeconds: 3600 },
        config: { refreshWindow: "5 minutes" }
      })
      yield* gradebook.putAssessmentResult("ar-1", input)
      yield* TestClock.adjust("54 minutes")
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect((yield* tokenRequests).length).toBe(1)
      yield* TestClock.adjust("1 minute")
      // inside the window: this call still uses the cached token while a refresh starts
      yield* gradebook.putAssessmentResult("ar-1", input)
      yield* eventually(Effect.map(tokenRequests, (r) => r.length === 2))
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect((yield* tokenRequests).length).toBe(2)
    }))

  it.live("a token endpoint failure is not cached: a call that got it fails, the next call asks again", () =>
    Effect.gen(function*() {
      const { gradebook, server, tokenRequests } = yield* stack({ config: { maxAttempts: 1 } })
      yield* server.inject({ path: "/oauth2/token", action: { _tag: "Status", status: 503 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "ServerError", status: 503, operation: "token", attempts: 1 })
      yield* gradebook.createAssessmentResult(input)
      expect((yield* tokenRequests).length).toBe(2)
    }))

  it.live("a hung token endpoint → every waiting caller gets a NoResponseError from the one timed-out request", () =>
    Effect.gen(function*() {
      const { gradebook, server, tokenRequests } = yield* stack({
        config: { tokenTimeout: "300 millis", maxAttempts: 1 }
      })
      yield* server.inject({ path: "/oauth2/token", action: { _tag: "Hang" } })
      const failures = yield* Effect.forEach(
        Array.from({ length: 10 }, (_, i) => i),
        (i) => Effect.flip(gradebook.putAssessmentResult(`ar-${i}`, input)),
        { concurrency: "unbounded" }
      )
      for (const e of failures) {
        expect(e).toMatchObject({ _tag: "NoResponseError", reason: "Timeout", operation: "token" })
        expect(e.message).toContain("token endpoint gave no answer")
        expect(e.message).toContain("within 300ms")
      }
      // all ten were released by the same request: none waited for a token request of its own
      expect((yield* tokenRequests).length).toBe(1)
      // the next call asks again
      yield* server.clearFaults
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect((yield* tokenRequests).length).toBe(2)
    }))

  it.live("a token revoked server-side → one refresh, one replay, success", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server, tokenRequests } = yield* stack()
      yield* gradebook.putAssessmentResult("ar-1", input)
      yield* server.revokeTokens
      yield* gradebook.putAssessmentResult("ar-1", { ...input, score: 1 })
      expect((yield* tokenRequests).length).toBe(2)
      expect((yield* apiRequests).length).toBe(3)
      expect((yield* server.store.all)[0]!.score).toBe(1)
    }))

  it.live("an always-401 API → AuthError after a bounded number of refreshes (3), in one attempt", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server, tokenRequests } = yield* stack()
      yield* server.inject({ path: "/ims", times: 100, action: { _tag: "Status", status: 401 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "AuthError", status: 401, attempts: 1 })
      expect((yield* tokenRequests).length).toBe(4)
      expect((yield* apiRequests).length).toBe(4)
    }))

  it.live("token endpoint refusals are AuthErrors with the OAuth error", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ config: { clientSecret: Redacted.make("not-the-secret") } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "AuthError", status: 401, oauthError: "invalid_client" })
      expect(error.message).toBe(
        "token: authentication failed (HTTP 401): Client authentication failed [oauth error invalid_client; request id req-1; after 1 attempt]" +
          " → check the client id and secret (the clientId and clientSecret options, or TIMEBACK_CLIENT_ID and TIMEBACK_CLIENT_SECRET)" +
          " and that the token URL is the environment's"
      )
      expect(yield* server.store.all).toStrictEqual([])
    }))

  it.live.each([
    ["an empty token", "{\"access_token\":\"\",\"token_type\":\"Bearer\",\"expires_in\":3600}", "access_token"],
    ["a non-Bearer type", "{\"access_token\":\"t\",\"token_type\":\"mac\",\"expires_in\":3600}", "token_type"],
    ["a zero lifetime", "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":0}", "expires_in"],
    ["no JSON", "<html>", "body"]
  ])("a token response with %s is refused", ([, body, field]) =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.inject({ path: "/oauth2/token", action: { _tag: "Malformed", status: 200, body } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toBeInstanceOf(GradebookError.AuthError)
      expect(error.message).toContain(`unusable token response (check ${field}`)
    }))
})
