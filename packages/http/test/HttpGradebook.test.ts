import { describe, expect, it } from "@effect/vitest"
import { GradebookError } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import { input, RESULTS, stack } from "./fixtures.js"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("happy paths and bytes on the wire", () => {
  it.live("create without a sourcedId: one is allocated client-side and sent", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server, tokenRequests } = yield* stack()
      const pair = yield* gradebook.createAssessmentResult(input)
      expect(pair.suppliedSourcedId).toMatch(UUID_V4)
      expect(pair.allocatedSourcedId).toBe(pair.suppliedSourcedId)
      const [token] = yield* tokenRequests
      expect(token).toMatchObject({ method: "POST", url: "/oauth2/token" })
      expect(token!.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(token!.body).toBe("grant_type=client_credentials&client_id=demo-client&client_secret=[redacted]")
      const [post] = yield* apiRequests
      expect(post).toMatchObject({ method: "POST", url: RESULTS })
      expect(post!.headers).toMatchObject({
        authorization: "Bearer [redacted]",
        accept: "application/json",
        "content-type": "application/json"
      })
      expect(JSON.parse(post!.body)).toStrictEqual({
        assessmentResult: { ...input, sourcedId: pair.suppliedSourcedId }
      })
      expect((yield* server.store.all).map((r) => r.sourcedId)).toStrictEqual([pair.allocatedSourcedId])
    }))

  it.live("create with a sourcedId keeps it", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      expect(yield* gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" })).toStrictEqual({
        suppliedSourcedId: "ar-1",
        allocatedSourcedId: "ar-1"
      })
      expect(JSON.parse((yield* apiRequests)[0]!.body)).toStrictEqual({
        assessmentResult: { ...input, sourcedId: "ar-1" }
      })
    }))

  it.live("put creates, then updates, returning what is stored", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      const created = yield* gradebook.putAssessmentResult("ar/7", {
        ...input,
        scoreStatus: "partially graded",
        score: 40
      })
      expect(created).toMatchObject({ sourcedId: "ar/7", status: "active", scoreStatus: "partially graded", score: 40 })
      expect(created.dateLastModified).toMatch(/^\d{4}-/)
      const updated = yield* gradebook.putAssessmentResult("ar/7", input)
      expect(updated).toMatchObject({ sourcedId: "ar/7", scoreStatus: "fully graded", score: 88 })
      const [put] = yield* apiRequests
      expect(put).toMatchObject({ method: "PUT", url: `${RESULTS}/ar%2F7` })
      expect(JSON.parse(put!.body)).toStrictEqual({
        assessmentResult: { ...input, sourcedId: "ar/7", scoreStatus: "partially graded", score: 40 }
      })
      expect((yield* server.store.all).length).toBe(1)
    }))

  it.live("put accepts the official binding's empty 201", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ server: { putResponse: "empty" } })
      const written = { ...input, student: { sourcedId: "stu-1" }, metadata: { source: { app: "reader" } } }
      const stored = yield* gradebook.putAssessmentResult("ar-1", written)
      expect(stored).toMatchObject({ ...written, sourcedId: "ar-1" })
      expect((yield* server.store.all).length).toBe(1)
      // what was sent, not the caller's object
      written.student.sourcedId = "stu-2"
      written.metadata.source.app = "writer"
      expect(stored).toMatchObject({ student: { sourcedId: "stu-1" }, metadata: { source: { app: "reader" } } })
    }))

  it.live("HTTP Basic client authentication and scopes", () =>
    Effect.gen(function*() {
      const { gradebook, tokenRequests } = yield* stack({
        config: {
          clientAuthentication: "basic",
          scopes: ["https://purl.imsglobal.org/spec/or/v1p1/scope/gradebook.createput"]
        }
      })
      yield* gradebook.createAssessmentResult(input)
      const [token] = yield* tokenRequests
      expect(token!.headers.authorization).toBe("Basic [redacted]")
      expect(token!.body).toBe(
        "grant_type=client_credentials&scope=https%3A%2F%2Fpurl.imsglobal.org%2Fspec%2For%2Fv1p1%2Fscope%2Fgradebook.createput"
      )
    }))

  it.live("every request, token and API, says who sent it in its User-Agent", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ config: { userAgent: "grade-sync/2.1" } })
      yield* gradebook.putAssessmentResult("r-ua", input)
      yield* gradebook.getAssessmentResult("r-ua")
      const agents = (yield* server.requests).map((r) => [r.method, r.userAgent])
      expect(agents).toHaveLength(3)
      for (const [, agent] of agents) {
        expect(agent).toMatch(/^grade-sync\/2\.1 timeback-http\/\d+\.\d+\.\d+(-[\w.]+)? node\/\d+\.\d+\.\d+$/)
      }
      expect(agents.map(([method]) => method)).toStrictEqual(["POST", "PUT", "GET"])
    }))

  it.live("invalid input is refused before any request", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      const error = yield* Effect.flip(gradebook.createAssessmentResult({ ...input, scoreDate: "2024-13-45" }))
      expect(error).toBeInstanceOf(GradebookError.RequestError)
      expect((error as GradebookError.RequestError).fields).toStrictEqual(["scoreDate"])
      expect(yield* server.requests).toStrictEqual([])
    }))
})

describe("status mapping", () => {
  it.live.each(
    [
      [400, "RequestError", "invaliddata"],
      [403, "RequestError", "forbidden"],
      [404, "RequestError", "unknownobject"],
      [409, "RequestError", "invaliddata"],
      [422, "RequestError", "invaliddata"],
      [429, "RateLimitError", "server_busy"],
      [500, "ServerError", "internal_server_error"],
      [502, "ServerError", "internal_server_error"],
      [503, "ServerError", "server_busy"],
      [504, "ServerError", "internal_server_error"]
    ] as const
  )("%i → %s with status, codeMinor, description and request id", ([status, tag, codeMinor]) =>
    Effect.gen(function*() {
      // rateLimit off: a 429 is an attempt that failed, as any other status here
      const { gradebook, server } = yield* stack({ config: { maxAttempts: 1, rateLimit: false } })
      yield* server.inject({ path: RESULTS, action: { _tag: "Status", status } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error._tag).toBe(tag)
      expect(error).toMatchObject({
        status,
        operation: "createAssessmentResult",
        description: `Injected ${status}`,
        requestId: expect.stringMatching(/^req-\d+$/),
        attempts: 1
      })
      expect(error.imsx?.codeMinor.map((m) => m.value)).toStrictEqual([codeMinor])
      expect(error.message).toContain(`(HTTP ${status} ${codeMinor}): Injected ${status} [request id req-`)
    }))

  it.live("a real 409 from the server (duplicate sourcedId) is a RequestError after one attempt", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      yield* gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" })
      const error = yield* Effect.flip(gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" }))
      expect(error).toMatchObject({ _tag: "RequestError", status: 409, attempts: 1 })
      expect(error.description).toContain("already exists")
      expect((yield* apiRequests).length).toBe(2)
    }))

  it.live("statusInfoSet error bodies are read too", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({
        server: { errorShape: "statusInfoSet" },
        config: { maxAttempts: 1 }
      })
      yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 404 } })
      const error = yield* Effect.flip(gradebook.putAssessmentResult("ar-1", input))
      expect(error).toMatchObject({ _tag: "RequestError", status: 404, description: "Injected 404" })
    }))

  it.live("a 2xx with a malformed body is a MalformedResponseError", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, action: { _tag: "Malformed", status: 201 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "MalformedResponseError", status: 201, attempts: 1 })
      yield* server.inject({
        path: RESULTS,
        action: { _tag: "Malformed", status: 201, body: "{\"sourcedIdPairs\":{}}" }
      })
      const shape = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(shape.message).toContain("sourcedIdPairs.suppliedSourcedId: is missing")
    }))
})

describe("retries", () => {
  it.live("503, 503, 201 → success after 3 attempts, all three POSTs carrying the same bytes", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ method: "POST", path: RESULTS, times: 2, action: { _tag: "Status", status: 503 } })
      const pair = yield* gradebook.createAssessmentResult(input)
      const posts = yield* apiRequests
      expect(posts.length).toBe(3)
      expect(new Set(posts.map((p) => p.body)).size).toBe(1)
      expect(JSON.parse(posts[0]!.body).assessmentResult.sourcedId).toBe(pair.allocatedSourcedId)
      expect((yield* server.store.all).length).toBe(1)
    }))

  it.live("always 503 → exactly 3 attempts, then ServerError with attempts = 3", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, times: 100, action: { _tag: "Status", status: 503 } })
      const error = yield* Effect.flip(gradebook.putAssessmentResult("ar-1", input))
      expect(error).toMatchObject({ _tag: "ServerError", status: 503, attempts: 3 })
      expect(error.message).toContain("after 3 attempts")
      expect((yield* apiRequests).length).toBe(3)
    }))

  it.live.each([409, 422, 400, 404])("%i → one attempt, no retry", (status) =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, times: 100, action: { _tag: "Status", status } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "RequestError", status, attempts: 1 })
      expect((yield* apiRequests).length).toBe(1)
    }))

  it.live("Retry-After: 1 → the retry waits at least 1 s", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 429, retryAfter: 1 } })
      const started = Date.now()
      yield* gradebook.createAssessmentResult(input)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
      expect((yield* apiRequests).length).toBe(2)
    }))

  it.live("retry-after-ms and an HTTP-date Retry-After on a 503 are honoured", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 503, retryAfterMs: 300 } })
      const started = Date.now()
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
      yield* server.inject({
        path: RESULTS,
        action: { _tag: "Status", status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() }
      })
      const again = Date.now()
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect(Date.now() - again).toBeGreaterThanOrEqual(1000)
      expect((yield* apiRequests).length).toBe(4)
    }))

  it.live("Retry-After: 3600 → immediate RateLimitError with retryAfter 3600", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 429, retryAfter: 3600 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toBeInstanceOf(GradebookError.RateLimitError)
      expect(error).toMatchObject({ retryAfter: 3600, attempts: 1 })
      expect(error.message).toContain("retry after 3600 s")
      expect((yield* apiRequests).length).toBe(1)
    }))

  it.live("the server stores a POST and drops the connection: the call succeeds and exactly one result exists", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ method: "POST", path: RESULTS, action: { _tag: "DropAfterCommit" } })
      const pair = yield* gradebook.createAssessmentResult(input)
      const stored = yield* server.store.all
      expect(stored.map((r) => r.sourcedId)).toStrictEqual([pair.allocatedSourcedId])
      expect((yield* apiRequests).map((r) => [r.method, r.fault])).toStrictEqual([
        ["POST", "DropAfterCommit"],
        ["POST", undefined],
        ["GET", undefined]
      ])
    }))

  it.live("a 409 on a retry for a different stored result stays a conflict", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.store.create({ ...input, sourcedId: "ar-1", student: { sourcedId: "someone-else" } })
      yield* server.inject({ method: "POST", path: RESULTS, action: { _tag: "Status", status: 503 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult({ ...input, sourcedId: "ar-1" }))
      expect(error).toMatchObject({ _tag: "RequestError", status: 409, attempts: 2 })
    }))

  it.live("a server that never answers, or stalls the body → NoResponseError (Timeout) per attempt", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ config: { attemptTimeout: "300 millis", maxAttempts: 2 } })
      yield* server.inject({ path: RESULTS, times: 2, action: { _tag: "Hang" } })
      const hung = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(hung).toMatchObject({ _tag: "NoResponseError", reason: "Timeout", attempts: 2 })
      expect(hung.message).toContain("within 300ms")
      yield* server.inject({ path: RESULTS, times: 2, action: { _tag: "StallBody" } })
      const stalled = yield* Effect.flip(gradebook.putAssessmentResult("ar-1", input))
      expect(stalled).toMatchObject({ _tag: "NoResponseError", reason: "Timeout", attempts: 2 })
    }))

  it.live("a truncated body is a transport failure and is retried", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, action: { _tag: "Truncated" } })
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect((yield* apiRequests).length).toBe(2)
    }))

  it.live("nothing listening → NoResponseError (Transport) after 3 attempts", () =>
    Effect.gen(function*() {
      const closed = yield* Effect.scoped(Effect.map(FakeTimebackServer.make(), (s) => s.baseUrl))
      const { gradebook } = yield* stack({ config: { baseUrl: closed } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "NoResponseError", reason: "Transport", attempts: 3 })
      expect(error.message).toContain("could not reach POST")
    }))
})
