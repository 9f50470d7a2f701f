// Streams over servers that page wrongly (issue 29, findings 1-3): they cannot loop, do not stop
// early in silence, and never yield an item twice. Over sockets, against the fake server's paging
// faults.
import { describe, expect, it } from "@effect/vitest"
import { Category, GradebookError } from "@timeback/core"
import type { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { stack } from "./fixtures.js"

const seed = (server: FakeTimebackServer.FakeTimebackServerService, n: number) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => `cat-${String(i).padStart(2, "0")}`),
    (id) => server.store.of(Category.resource).put(id, { title: id, status: "active" }),
    { discard: true }
  )

const lists = (server: FakeTimebackServer.FakeTimebackServerService) =>
  Effect.map(server.requests, (all) => all.filter((r) => r.method === "GET").map((r) => new URL(r.url, "http://x")))

/** The ids a stream yielded before it ended, and how it ended. */
const drain = <A extends { readonly sourcedId?: string }>(stream: Stream.Stream<A, GradebookError.GradebookError>) =>
  Effect.gen(function*() {
    const ids: Array<string> = []
    const end = yield* Effect.result(Stream.runForEach(stream, (item) => Effect.sync(() => ids.push(item.sourcedId!))))
    return { ids, end }
  })

describe("1. a server that ignores offset", () => {
  it.live("fails the stream with a typed error after the repeated page, instead of asking forever", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ server: { pagingFaults: { ignoreOffset: true } } })
      yield* seed(server, 10)
      const { end, ids } = yield* drain(gradebook.categories.stream({ limit: 3 }))
      expect(ids).toStrictEqual(["cat-00", "cat-01", "cat-02"])
      expect(Result.isFailure(end) && end.failure).toBeInstanceOf(GradebookError.MalformedResponseError)
      expect(Result.isFailure(end) && end.failure.message).toMatch(
        /offset 3 holds only items already streamed.*after 3 items/
      )
      expect((yield* lists(server)).map((u) => u.searchParams.get("offset"))).toStrictEqual(["0", "3"])
    }))

  it.live("and with `fields` that leave out sourcedId, the same page again is caught too", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ server: { pagingFaults: { ignoreOffset: true } } })
      yield* seed(server, 10)
      const end = yield* Effect.result(Stream.runDrain(gradebook.categories.stream({ limit: 3, fields: ["title"] })))
      expect(Result.isFailure(end) && end.failure._tag).toBe("MalformedResponseError")
      expect((yield* lists(server)).length).toBe(2)
    }))
})

describe("2. streams that would end early", () => {
  it.live("a totalCount lower than the truth: full pages are followed to the end", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ server: { pagingFaults: { totalCountError: -15 } } })
      yield* seed(server, 25)
      const { end, ids } = yield* drain(gradebook.categories.stream({ limit: 10 }))
      expect(Result.isSuccess(end)).toBe(true)
      expect(ids.length).toBe(25)
    }))

  it.live("pages capped below limit are followed while totalCount says more, in the body or in headers", () =>
    Effect.gen(function*() {
      for (const paging of ["body", "headers"] as const) {
        const { gradebook, server } = yield* stack({ server: { paging, pagingFaults: { maxPageSize: 4 } } })
        yield* seed(server, 12)
        const { end, ids } = yield* drain(gradebook.categories.stream({ limit: 10 }))
        expect(Result.isSuccess(end), paging).toBe(true)
        expect(ids.length, paging).toBe(12)
        // a full last page is followed by one more request, unless a Link says there is no next
        expect((yield* lists(server)).map((u) => u.searchParams.get("offset")), paging).toStrictEqual(
          paging === "body" ? ["0", "4", "8", "12"] : ["0", "4", "8"]
        )
      }
    }))

  it.live("a stream that ends short of the announced total yields what it read, then fails saying so", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ server: { pagingFaults: { totalCountError: 5 } } })
      yield* seed(server, 12)
      const { end, ids } = yield* drain(gradebook.categories.stream({ limit: 5 }))
      expect(ids.length).toBe(12)
      expect(Result.isFailure(end) && end.failure.message).toMatch(
        /announced 17 matching items and the stream ended at 12/
      )
    }))
})

describe("3. an item on two pages", () => {
  it.live("is yielded once when an insert shifts the offsets between pages", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* seed(server, 10)
      const ids: Array<string> = []
      const end = yield* Effect.result(
        gradebook.categories.stream({ limit: 3, sort: "sourcedId" }).pipe(
          Stream.runForEach((c) =>
            Effect.gen(function*() {
              ids.push(c.sourcedId)
              // after the first page: a new item sorts first, every later item moves one offset on
              if (ids.length === 3) {
                yield* server.store.of(Category.resource).put("aaa", { title: "new", status: "active" })
              }
            })
          )
        )
      )
      expect(ids).toStrictEqual(Array.from({ length: 10 }, (_, i) => `cat-${String(i).padStart(2, "0")}`))
      expect(new Set(ids).size).toBe(ids.length)
      // the new item went in before the cursor: the stream says it is one short rather than end in silence
      expect(Result.isFailure(end) && end.failure.message).toMatch(
        /announced 11 matching items and the stream ended at 10/
      )
    }))

  it.live("a stream run twice starts afresh (what one run saw does not hide items from the next)", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* seed(server, 4)
      const stream = gradebook.categories.stream({ limit: 3 })
      expect((yield* Stream.runCollect(stream)).length).toBe(4)
      expect((yield* Stream.runCollect(stream)).length).toBe(4)
    }))
})
