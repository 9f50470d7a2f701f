/**
 * One test per finding of the faults-and-fuzzing report (issue 12), each as a caller would hit it,
 * over real sockets against the fake server.
 */
import { describe, expect, it } from "@effect/vitest"
import { Filter, GradebookError } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import { input, RESULTS, stack } from "./fixtures.js"

/** The call's failure, which must be a typed `RequestError` for invalid input (a defect fails the test). */
const refused = (call: Effect.Effect<unknown, GradebookError.GradebookError>) =>
  Effect.map(Effect.exit(Effect.suspend(() => call)), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected the call to be refused")
    const failure = Cause.findErrorOption(exit.cause)
    if (failure._tag === "None") throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
    expect(failure.value).toBeInstanceOf(GradebookError.RequestError)
    expect(failure.value.status).toBeUndefined()
    return failure.value as GradebookError.RequestError
  })

describe("1. an explicit undefined sourcedId", () => {
  it.live("is a missing one: a create whose first answer is lost stores exactly one result", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ method: "POST", path: RESULTS, action: { _tag: "DropAfterCommit" } })
      const pair = yield* gradebook.createAssessmentResult({ ...input, sourcedId: undefined })
      const stored = yield* server.store.all
      expect(stored.map((r) => r.sourcedId)).toStrictEqual([pair.allocatedSourcedId])
      const posts = (yield* apiRequests).filter((r) => r.method === "POST")
      expect(posts.map((p) => JSON.parse(p.body).assessmentResult.sourcedId)).toStrictEqual([
        pair.allocatedSourcedId,
        pair.allocatedSourcedId
      ])
    }))

  it.live("on put and patch, an undefined field is left out of the body, as if absent", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      yield* gradebook.putAssessmentResult("ar-1", { ...input, sourcedId: undefined, comment: undefined })
      const patched = yield* gradebook.patchAssessmentResult("ar-1", { score: undefined, comment: "fine" })
      expect(patched.score).toBe(input.score)
      const [put, patch] = yield* apiRequests
      expect(JSON.parse(put!.body)).toStrictEqual({ assessmentResult: { ...input, sourcedId: "ar-1" } })
      expect(JSON.parse(patch!.body)).toStrictEqual({ assessmentResult: { comment: "fine" } })
    }))
})

describe("2 and 3. ids that would not arrive as the path segment meant", () => {
  const ids = [".", "..", "a\ud800b", "\udc00", "a\u0000b", "line\nbreak"]
  it.live.each(ids)(
    "%j is refused by get, put, patch and delete before anything is sent",
    (id) =>
      Effect.gen(function*() {
        const { gradebook, server } = yield* stack()
        for (
          const call of [
            gradebook.getAssessmentResult(id),
            gradebook.putAssessmentResult(id, input),
            gradebook.patchAssessmentResult(id, { score: 1 }),
            gradebook.deleteAssessmentResult(id),
            gradebook.createAssessmentResult({ ...input, sourcedId: id })
          ]
        ) {
          const error = yield* refused(call)
          expect(error.fields).toStrictEqual(["sourcedId"])
        }
        expect(yield* server.requests).toStrictEqual([])
      })
  )

  it.live("ids that look like paths still reach their own item", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      for (const id of ["...", ".a", "a/../b", "%2E%2E", "a?b#c", "ä/ü"]) {
        yield* gradebook.putAssessmentResult(id, input)
        expect((yield* gradebook.getAssessmentResult(id)).sourcedId).toBe(id)
      }
      expect((yield* server.store.all).map((r) => r.sourcedId)).toStrictEqual([
        "...",
        ".a",
        "a/../b",
        "%2E%2E",
        "a?b#c",
        "ä/ü"
      ])
      expect((yield* apiRequests).every((r) => r.url.startsWith(`${RESULTS}/`))).toBe(true)
    }))
})

describe("4. metadata that JSON cannot carry", () => {
  const cyclic: Record<string, unknown> = { a: 1 }
  cyclic.self = { back: cyclic }
  let deep: Record<string, unknown> = {}
  for (let i = 0; i < 100_000; i++) deep = { d: deep }
  const cases: ReadonlyArray<[string, Record<string, unknown>, string]> = [
    ["a BigInt", { n: 1n }, "metadata.n"],
    ["a cycle", cyclic, "metadata.self.back"],
    ["100,000 levels of nesting", deep, `metadata.${Array.from({ length: 32 }, () => "d").join(".")}`],
    ["a Date", new Date(0) as unknown as Record<string, unknown>, "metadata"],
    ["a Date inside", { at: new Date(0) }, "metadata.at"],
    ["a function", { f: () => 1 }, "metadata.f"],
    ["NaN", { x: [1, Number.NaN] }, "metadata.x.1"],
    ["a symbol key", { [Symbol("s")]: 1 }, "metadata"],
    ["undefined in an array", { list: [1, undefined] }, "metadata.list.1"]
  ]
  it.live.each(cases)(
    "%s is a RequestError naming the field, from create, put and patch",
    ([, metadata, field]) =>
      Effect.gen(function*() {
        const { gradebook, server } = yield* stack()
        for (
          const call of [
            gradebook.createAssessmentResult({ ...input, metadata }),
            gradebook.putAssessmentResult("ar-1", { ...input, metadata }),
            gradebook.patchAssessmentResult("ar-1", { metadata })
          ]
        ) {
          const error = yield* refused(call)
          expect(error.fields).toStrictEqual([field])
        }
        expect(yield* server.requests).toStrictEqual([])
      })
  )

  it.live("JSON metadata is sent as given; an undefined value is an absent key", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const metadata = { a: null, b: [1, "x", true, { c: [] }], gone: undefined, "__proto__x": {} }
      yield* gradebook.putAssessmentResult("ar-1", { ...input, metadata })
      const [put] = yield* apiRequests
      const { gone: _, ...sent } = metadata
      expect(JSON.parse(put!.body).assessmentResult.metadata).toStrictEqual(sent)
    }))
})

describe("5. a filter clause without a value", () => {
  it.live("is a RequestError naming the filter, from list and stream, before anything is sent", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      const filter = { _tag: "Clause", field: "score", operator: "=" } as unknown as Filter.Filter
      const and = { _tag: "And", clauses: [Filter.eq("score", 1), { _tag: "Clause", field: "score", operator: ">" }] }
      for (const f of [filter, and as unknown as Filter.Filter, { _tag: "And", clauses: "x" } as any]) {
        const listed = yield* refused(gradebook.listAssessmentResults({ filter: f }))
        expect(listed.fields).toStrictEqual(["filter"])
        const streamed = yield* refused(Stream.runDrain(gradebook.streamAssessmentResults({ filter: f })))
        expect(streamed.fields).toStrictEqual(["filter"])
      }
      expect(yield* server.requests).toStrictEqual([])
    }))
})

describe("6. token endpoint failures are transient", () => {
  it.live.each(
    [
      ["answers 503", { _tag: "Status", status: 503 }],
      ["answers 500", { _tag: "Status", status: 500 }],
      ["hangs past the token timeout", { _tag: "Hang" }],
      ["drops the connection", { _tag: "Truncated" }]
    ] as const
  )(
    "a token endpoint that %s once: every waiting call is retried and succeeds",
    ([, action]) =>
      Effect.gen(function*() {
        // a second for the token: the hang takes that long, and no sound answer does, even on a busy machine
        const { gradebook, server, tokenRequests } = yield* stack({ config: { tokenTimeout: "1 second" } })
        yield* server.inject({ path: "/oauth2/token", action })
        yield* Effect.forEach(
          Array.from({ length: 30 }, (_, i) => i),
          (i) => gradebook.putAssessmentResult(`ar-${i}`, input),
          { concurrency: "unbounded" }
        )
        expect((yield* server.store.all).length).toBe(30)
        // the failed request, then few enough refreshes that callers shared them
        const tokens = (yield* tokenRequests).length
        expect(tokens).toBeGreaterThanOrEqual(2)
        expect(tokens).toBeLessThan(10)
      })
  )

  it.live("a token endpoint that keeps answering 503 → ServerError with operation token, after every attempt", () =>
    Effect.gen(function*() {
      const { gradebook, server, tokenRequests } = yield* stack()
      yield* server.inject({ path: "/oauth2/token", times: 100, action: { _tag: "Status", status: 503 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "ServerError", status: 503, operation: "token", attempts: 3 })
      expect((yield* tokenRequests).length).toBe(3)
      expect(yield* server.store.all).toStrictEqual([])
    }))

  it.live("a token endpoint that refuses connections → NoResponseError with operation token", () =>
    Effect.gen(function*() {
      const closed = yield* Effect.scoped(Effect.map(FakeTimebackServer.make(), (s) => s.tokenUrl))
      const { gradebook } = yield* stack({ config: { tokenUrl: closed } })
      const error = yield* Effect.flip(gradebook.putAssessmentResult("ar-1", input))
      expect(error).toMatchObject({ _tag: "NoResponseError", reason: "Transport", operation: "token", attempts: 3 })
      expect(error.message).toContain("token: no response (transport failure)")
    }))

  it.live("a refusal is still an AuthError, and is not retried", () =>
    Effect.gen(function*() {
      const { gradebook, server, tokenRequests } = yield* stack()
      yield* server.inject({ path: "/oauth2/token", action: { _tag: "Status", status: 400 } })
      const error = yield* Effect.flip(gradebook.createAssessmentResult(input))
      expect(error).toMatchObject({ _tag: "AuthError", status: 400, operation: "token", attempts: 1 })
      expect((yield* tokenRequests).length).toBe(1)
    }))
})

describe("7. a 401 on the replay", () => {
  it.live("tokens revoked twice in quick succession: a third token is tried, and the call succeeds", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server, tokenRequests } = yield* stack()
      yield* server.inject({ path: "/ims", times: 2, action: { _tag: "Status", status: 401 } })
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect((yield* tokenRequests).length).toBe(3)
      expect((yield* apiRequests).length).toBe(3)
    }))

  it.live("after the bound, the 401 stands, and every refused token is dropped: the next call fetches a fresh one", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server, tokenRequests } = yield* stack()
      yield* server.inject({ path: "/ims", times: 4, action: { _tag: "Status", status: 401 } })
      const error = yield* Effect.flip(gradebook.putAssessmentResult("ar-1", input))
      expect(error).toMatchObject({ _tag: "AuthError", status: 401 })
      // the first token and three fresh ones
      expect((yield* tokenRequests).length).toBe(4)
      // the server has really revoked every token by now
      yield* server.revokeTokens
      yield* server.clearRequests
      yield* gradebook.putAssessmentResult("ar-1", input)
      expect((yield* apiRequests).length).toBe(1)
      expect((yield* tokenRequests).length).toBe(1)
    }))
})
