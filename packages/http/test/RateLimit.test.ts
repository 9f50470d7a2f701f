// The rate governor over real sockets, against the fake server's rate-limit mode and fault script.
// No timed assertions: what is checked is what reached the server, and when, relative to the
// server's own instructions.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as References from "effect/References"
import { eventually, input, RESULTS, stack } from "./fixtures.js"

const puts = (
  gradebook: Effect.Success<ReturnType<typeof stack>>["gradebook"],
  n: number,
  concurrency: number
) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => i),
    (i) => Effect.result(gradebook.assessmentResults.put(`ar-${i}`, { ...input, score: i })),
    { concurrency }
  )

describe("rate governor", () => {
  // The storms are scripted (the first requests refused, whatever the machine's speed): a rate-limited
  // fake server refuses only a client fast enough to outrun its bucket, and a busy machine is not.
  // How fast the governor then sends is its arithmetic's, checked on virtual time in Governor.test.ts.
  it.live("a storm of 429s ends with every call succeeding, none spending an attempt on a 429", () =>
    Effect.gen(function*() {
      // one attempt per call: a 429 counted as a failed attempt would fail the call
      const { apiRequests, gradebook, server } = yield* stack({ config: { maxAttempts: 1 } })
      yield* server.inject({ method: "PUT", times: 40, action: { _tag: "Status", status: 429, retryAfterMs: 50 } })
      const outcomes = yield* puts(gradebook, 120, 32)
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      expect((yield* server.store.all).length).toBe(120)
      // each refused request was sent again, once: 120 puts, 40 refusals
      expect((yield* apiRequests).length).toBe(160)
    }))

  it.live("the same storm with whole-second Retry-After, and several attempts allowed; the pace is logged", () => {
    const logs: Array<string> = []
    return Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      // ten successes to learn a pace from, then a wave of 64 whose first 20 are refused
      yield* puts(gradebook, 10, 10)
      yield* server.inject({ method: "PUT", times: 20, action: { _tag: "Status", status: 429, retryAfter: 1 } })
      const outcomes = yield* puts(gradebook, 64, 64)
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      expect((yield* apiRequests).length).toBe(10 + 64 + 20)
      // each change of pace, at debug level: why a bulk write runs at the rate it does
      const paces = logs.filter((l) => l.startsWith("rate limited by the server (429, Retry-After 1 s)"))
      expect(paces.length).toBeGreaterThan(0)
      expect(paces.length).toBeLessThan(10)
      for (const line of paces) expect(line).toMatch(/this client now sends at most \d+ requests\/s$/)
    }).pipe(
      Effect.provide(Logger.layer([Logger.make(({ message }) => logs.push(String(message)))])),
      Effect.provideService(References.MinimumLogLevel, "Debug")
    )
  })

  it.live("Retry-After pauses the whole client: no waiting call sends before it", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 429, retryAfter: 1 } })
      const first = yield* Effect.forkChild(gradebook.assessmentResults.put("ar-first", input))
      // the 429 has been answered: the others start while the client is paused
      yield* eventually(Effect.map(apiRequests, (r) => r.length === 1))
      yield* Effect.sleep("50 millis")
      const others = yield* puts(gradebook, 10, 10)
      yield* Fiber.await(first)
      expect(others.filter((o) => o._tag === "Failure")).toStrictEqual([])
      const [refused, ...after] = yield* apiRequests
      expect(after.length).toBe(11)
      for (const request of after) expect(request.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(1000)
    }))

  it.live("a call already waiting for its turn when another is refused waits for the pause too", () =>
    Effect.gen(function*() {
      // paced at 20/s: the calls queue for their turns; the third request is refused with Retry-After: 1
      const { apiRequests, gradebook, server } = yield* stack({ config: { maxRequestsPerSecond: 20 } })
      yield* server.inject({ path: /ar-2$/, action: { _tag: "Status", status: 429, retryAfter: 1 } })
      const outcomes = yield* puts(gradebook, 10, 10)
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      const sent = yield* apiRequests
      const refused = sent.findIndex((r) => r.url.endsWith("/ar-2"))
      expect(sent.length).toBe(11)
      for (const request of sent.slice(refused + 1)) {
        expect(request.receivedAt - sent[refused]!.receivedAt).toBeGreaterThanOrEqual(1000)
      }
    }))

  it.live("a 429 without Retry-After pauses for baseDelay, never a tight loop of refusals", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack({ config: { baseDelay: "250 millis", maxAttempts: 1 } })
      yield* server.inject({ path: RESULTS, times: 3, action: { _tag: "Status", status: 429 } })
      yield* gradebook.assessmentResults.put("ar-1", input)
      const sent = yield* apiRequests
      expect(sent.length).toBe(4)
      // baseDelay with ±20 % jitter between each refusal and the next request
      for (let i = 1; i < sent.length; i++) {
        expect(sent[i]!.receivedAt - sent[i - 1]!.receivedAt).toBeGreaterThanOrEqual(200)
      }
    }))

  it.live("a Retry-After above maxRetryAfter fails that call at once; the client pauses for maxRetryAfter at most, then goes on", () =>
    Effect.gen(function*() {
      for (const retryAfter of ["3600", "100000000000000000000"]) {
        const { apiRequests, gradebook, server } = yield* stack({ config: { maxRetryAfter: "1 second" } })
        yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 429, retryAfter } })
        const error = yield* Effect.flip(gradebook.assessmentResults.put("ar-1", input))
        expect(error).toMatchObject({ _tag: "RateLimitError", retryAfter: Number(retryAfter), attempts: 1 })
        // every later call, to any resource, is sent once the bounded pause is over, and succeeds
        yield* gradebook.categories.put("c-1", { title: "Quizzes" })
        yield* gradebook.assessmentResults.put("ar-1", input)
        const sent = yield* apiRequests
        expect(sent.map((r) => r.method)).toStrictEqual(["PUT", "PUT", "PUT"])
        // not before the pause (a lower bound: a busy machine only makes it later)
        expect(sent[1]!.receivedAt - sent[0]!.receivedAt).toBeGreaterThanOrEqual(800)
      }
    }))

  it.live("an HTTP-date Retry-After is read against the answer's Date, not this machine's clock", () =>
    Effect.gen(function*() {
      for (const clockOffsetMs of [3_600_000, -3_600_000]) {
        const { apiRequests, gradebook, server } = yield* stack({ server: { clockOffsetMs } })
        // the server asks for 2 s, by its own clock, an hour ahead of ours or behind it
        const retryAfter = new Date(server.serverNow() + 2000).toUTCString()
        yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 503, retryAfter } })
        yield* gradebook.assessmentResults.put("ar-1", input)
        const [first, second] = yield* apiRequests
        // ahead: not an hour's wait (past maxRetryAfter, it would have failed); behind: not at once
        expect(second!.receivedAt - first!.receivedAt, String(clockOffsetMs)).toBeGreaterThanOrEqual(900)
      }
    }))

  it.live("rateLimit: false behaves as before: a 429 is a failed attempt, retried under the policy", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack({ config: { rateLimit: false, maxAttempts: 1 } })
      yield* server.inject({ path: RESULTS, action: { _tag: "Status", status: 429, retryAfterMs: 10 } })
      const error = yield* Effect.flip(gradebook.assessmentResults.put("ar-1", input))
      expect(error).toMatchObject({ _tag: "RateLimitError", status: 429, attempts: 1 })
      // and the client is not paused: the next call goes straight out
      yield* gradebook.assessmentResults.put("ar-1", input)
      expect((yield* apiRequests).length).toBe(2)
    }))

  // A paced client's k-th turn comes at least k intervals after its first (Governor.test.ts checks that
  // on virtual time). What the server sees can only be later, except that the first request itself may
  // be read late: so request k reaches the server at least k intervals, less that delay, after the first.
  // STALL_MS allows half a second for it: a busy machine stalls for tens of milliseconds, and the faults
  // these tests catch send whole runs of requests together.
  const STALL_MS = 500
  const expectSpaced = (received: ReadonlyArray<{ readonly receivedAt: number }>, intervalMs: number) => {
    for (let k = 1; k < received.length; k++) {
      expect(received[k]!.receivedAt - received[0]!.receivedAt, `request ${k}`).toBeGreaterThanOrEqual(
        k * intervalMs - STALL_MS
      )
    }
  }

  it.live("maxRequestsPerSecond and maxConcurrency hold the client under a known quota, no 429 needed", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack({ config: { maxRequestsPerSecond: 10, maxConcurrency: 4 } })
      const outcomes = yield* puts(gradebook, 16, 16)
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      const sent = yield* apiRequests
      expect(sent.length).toBe(16)
      expectSpaced(sent, 100)
    }))

  it.live("calls that waited together for the first token still go out in their turns, under the quota", () =>
    Effect.gen(function*() {
      // 10/s, and the token takes 1 s, in which ten calls' turns come: sent when the token came, they
      // would go out together
      const { apiRequests, gradebook, server, tokenRequests } = yield* stack({ config: { maxRequestsPerSecond: 10 } })
      yield* server.inject({ path: "/oauth2/token", action: { _tag: "Delay", millis: 1000 } })
      const outcomes = yield* puts(gradebook, 16, 16)
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      expect((yield* tokenRequests).length).toBe(1)
      expectSpaced(yield* apiRequests, 100)
    }))

  it.live("calls that waited for a slot under maxConcurrency still go out in their turns, under the quota", () =>
    Effect.gen(function*() {
      // one in flight at 10/s: the first answer takes 1.5 s, in which fifteen turns come; taken before
      // the slot, they would go out back to back once it is answered
      const { apiRequests, gradebook, server } = yield* stack({
        config: { maxRequestsPerSecond: 10, maxConcurrency: 1 }
      })
      yield* gradebook.assessmentResults.get("ar-none").pipe(Effect.ignore)
      yield* server.inject({ path: RESULTS, action: { _tag: "Delay", millis: 1500 } })
      const outcomes = yield* puts(gradebook, 12, 12)
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      // the ones sent after the delayed answer, from the first of them
      const [, , ...after] = yield* apiRequests
      expect(after.length).toBe(11)
      expectSpaced(after, 100)
    }))
})
