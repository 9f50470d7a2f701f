// A layer's first request goes out alone: the calls that start with it wait for its answer, which
// may announce the server's limit or refuse, before a wave of requests goes out. Over real sockets;
// what is checked is the order in which requests reached the server, not how long anything took.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { eventually, input, stack } from "./fixtures.js"

const DELAY_MS = 150

describe("a layer's first request", () => {
  it.live("goes out alone: the calls started with it are sent after its answer", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ method: "PUT", action: { _tag: "Delay", millis: DELAY_MS } })
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 10 }, (_, i) => `first-${i}`),
        (id) => Effect.result(gradebook.assessmentResults.put(id, input)),
        { concurrency: "unbounded" }
      )
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      const [first, ...rest] = [...(yield* apiRequests)].sort((a, b) => a.receivedAt - b.receivedAt)
      expect(first!.fault).toBeDefined()
      expect(rest).toHaveLength(9)
      // the first was answered no earlier than DELAY_MS after it arrived (1 ms for the timer's rounding)
      for (const request of rest) expect(request.receivedAt).toBeGreaterThanOrEqual(first!.receivedAt + DELAY_MS - 1)
    }))

  it.live("that hangs holds the others only briefly: they are stored while it still hangs", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack({ config: { attemptTimeout: "20 seconds" } })
      yield* server.inject({ method: "PUT", action: { _tag: "Hang" } })
      const hung = yield* Effect.forkChild(gradebook.assessmentResults.put("hung", input))
      yield* eventually(Effect.map(apiRequests, (requests) => requests.length === 1))
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 9 }, (_, i) => `after-${i}`),
        (id) => Effect.result(gradebook.assessmentResults.put(id, input)),
        { concurrency: "unbounded" }
      )
      expect(outcomes.filter((o) => o._tag === "Failure")).toStrictEqual([])
      expect((yield* server.store.all).length).toBe(9)
      // had the others waited for its answer, they would have waited for its 20 s attempt timeout
      expect(hung.pollUnsafe() === undefined).toBe(true)
      yield* Fiber.interrupt(hung)
    }))
})
