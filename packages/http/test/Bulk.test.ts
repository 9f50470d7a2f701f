// Bulk writes over real sockets against the fake server: one outcome per item, in input order,
// failures confined to their items.
import { describe, expect, it } from "@effect/vitest"
import { Bulk, Category, GradebookError, Result } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as EResult from "effect/Result"
import * as Stream from "effect/Stream"
import { stack } from "./fixtures.js"

const N = 10_000

/** Item `i`: every 100th is invalid (a non-finite score), every 100th from 50 is refused by the server. */
function* items() {
  for (let i = 0; i < N; i++) {
    yield {
      sourcedId: i % 100 === 50 ? `r-${i}-x422` : `r-${i}`,
      lineItem: { sourcedId: "li-1" },
      student: { sourcedId: `stu-${i}` },
      scoreStatus: "fully graded" as const,
      scoreDate: "2024-09-01",
      score: i % 100 === 0 ? Number.NaN : i % 97
    }
  }
}

describe("putAll", () => {
  it.live(
    "10,000 items, 1 % invalid and 1 % refused with a 422: every outcome in order, exactly those failed",
    () =>
      Effect.gen(function*() {
        const { gradebook, server } = yield* stack()
        yield* server.inject({ method: "PUT", path: /-x422$/, times: N, action: { _tag: "Status", status: 422 } })
        const outcomes = yield* Stream.runCollect(gradebook.results.putAll(items()))
        expect(outcomes.length).toBe(N)
        const all = Array.from(outcomes)
        expect(all.map((o) => o.index)).toStrictEqual(Array.from({ length: N }, (_, i) => i))
        const failed = all.filter((o) => EResult.isFailure(o.outcome))
        expect(failed.map((o) => o.index)).toStrictEqual(
          Array.from({ length: N }, (_, i) => i).filter((i) => i % 100 === 0 || i % 100 === 50)
        )
        for (const { index, outcome } of failed) {
          const error = EResult.getFailure(outcome).pipe((e) => e._tag === "Some" ? e.value : undefined)!
          expect(error).toBeInstanceOf(GradebookError.RequestError)
          // invalid input is refused before sending (no status); the server's refusal is a 422
          expect((error as GradebookError.RequestError).status).toBe(index % 100 === 0 ? undefined : 422)
        }
        // what is stored is what was sent, once each
        const stored = yield* server.store.of(Result.resource).all
        expect(stored.length).toBe(N - 200)
        const sent = [...items()].filter((_, i) => i % 100 !== 0 && i % 100 !== 50)
        const byId = (rows: ReadonlyArray<{ readonly sourcedId: string; readonly score?: number | undefined }>) =>
          new Map(rows.map((r) => [r.sourcedId, r.score]))
        expect(byId(stored)).toStrictEqual(byId(sent))
      }),
    // a hang guard: 17 s idle, up to 115 s with every package's tests side by side beside two
    // CPU-bound processes (pnpm test:busy)
    { timeout: 600_000 }
  )

  it.live("one sourcedId twice: the later item is sent after the earlier is answered, and is what is stored", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      // the first put of r-dup is held 300 ms before the server handles it: sent together, the
      // second would be stored first and then overwritten by the first (a lost update)
      yield* server.inject({ method: "PUT", path: /\/r-dup$/, action: { _tag: "Delay", millis: 300 } })
      const result = (sourcedId: string, score: number) => ({
        sourcedId,
        lineItem: { sourcedId: "li-1" },
        student: { sourcedId: "stu-1" },
        scoreStatus: "fully graded" as const,
        scoreDate: "2024-09-01",
        score
      })
      const outcomes = Array.from(
        yield* Stream.runCollect(
          gradebook.results.putAll([result("r-dup", 1), result("r-other", 5), result("r-dup", 2)])
        )
      )
      expect(outcomes.map((o) => [o.sourcedId, EResult.isSuccess(o.outcome)])).toStrictEqual([
        ["r-dup", true],
        ["r-other", true],
        ["r-dup", true]
      ])
      const stored = yield* server.store.of(Result.resource).all
      expect(new Map(stored.map((r) => [r.sourcedId, r.score]))).toStrictEqual(new Map([["r-dup", 2], ["r-other", 5]]))
      const puts = (yield* server.requests).filter((r) => r.method === "PUT" && r.url.endsWith("/r-dup"))
      expect(puts.map((r) => Object.values(JSON.parse(r.body) as Record<string, { score: number }>)[0]!.score))
        .toStrictEqual([1, 2])
    }))

  it.live("a Stream in, a summary out; an item without a sourcedId is its own failure", () =>
    Effect.gen(function*() {
      const { gradebook } = yield* stack()
      const source = Stream.fromIterable([
        { sourcedId: "c-1", title: "Quizzes", status: "active" as const },
        { title: "No id", status: "active" } as any,
        { sourcedId: "c-2", title: "Tests", status: "active" as const, weight: 0.5 }
      ])
      const summary = yield* Bulk.summarize(gradebook.categories.putAll(source, { concurrency: 2 }))
      expect(summary).toMatchObject({ succeeded: 2, failed: { RequestError: 1 } })
    }))
})

describe("createAll", () => {
  it.live("allocates a sourcedId before sending, names it in the outcome, and a dropped answer stores once", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.inject({
        method: "POST",
        path: `${FakeTimebackServer.BASE_PATH}/categories`,
        action: { _tag: "DropAfterCommit" }
      })
      const outcomes = Array.from(
        yield* Stream.runCollect(gradebook.categories.createAll([
          { title: "A", status: "active" },
          { title: "B", status: "active", sourcedId: "given" }
        ]))
      )
      expect(outcomes.map((o) => EResult.isSuccess(o.outcome))).toStrictEqual([true, true])
      expect(outcomes[1]!.sourcedId).toBe("given")
      const stored = yield* server.store.of(Category.resource).all
      expect(stored.map((c) => c.sourcedId).sort()).toStrictEqual([outcomes[0]!.sourcedId, "given"].sort())
    }))

  it.live("one sourcedId twice: the earlier item is created, the later one is the conflict", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.inject({
        method: "POST",
        path: `${FakeTimebackServer.BASE_PATH}/categories`,
        action: { _tag: "Delay", millis: 300 }
      })
      const outcomes = Array.from(
        yield* Stream.runCollect(gradebook.categories.createAll([
          { sourcedId: "c-dup", title: "First", status: "active" },
          { sourcedId: "c-dup", title: "Second", status: "active" }
        ]))
      )
      expect(EResult.isSuccess(outcomes[0]!.outcome)).toBe(true)
      const conflict = EResult.getFailure(outcomes[1]!.outcome).pipe(Option.getOrUndefined)
      expect(conflict).toBeInstanceOf(GradebookError.RequestError)
      expect((conflict as GradebookError.RequestError).status).toBe(409)
      const stored = yield* server.store.of(Category.resource).all
      expect(stored.map((c) => [c.sourcedId, c.title])).toStrictEqual([["c-dup", "First"]])
    }))

  it.effect("a concurrency that is not a whole number ≥ 1 is a defect naming it, before any item is read", () =>
    Effect.gen(function*() {
      for (const concurrency of [0, -1, 1.5, Number.NaN, Infinity]) {
        let read = 0
        function* counted() {
          read++
          yield { title: "t", status: "active" as const }
        }
        const exit = yield* Effect.exit(Stream.runCollect(
          Bulk.run(counted(), { concurrency }, (item) => ({ sourcedId: item.title, result: Effect.succeed(item) }))
        ))
        const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
        expect(defect).toBeInstanceOf(Cause.IllegalArgumentError)
        expect(String(defect)).toContain(`concurrency must be a whole number`)
        expect(String(defect)).toContain(`got ${concurrency}`)
        expect(read).toBe(0)
      }
    }))

  it.live("items of one sourcedId are written one at a time, in input order; other items still run together", () =>
    Effect.gen(function*() {
      const running = new Set<string>()
      const started: Array<string> = []
      let most = 0
      let overlapped = false
      const ids = ["a", "b", "a", "c", "a", "d", "b"]
      const outcomes = yield* Stream.runCollect(
        Bulk.run(ids, { concurrency: 4 }, (id, index) => ({
          sourcedId: id,
          result: Effect.gen(function*() {
            if (running.has(id)) overlapped = true
            running.add(id)
            started.push(`${id}${index}`)
            most = Math.max(most, running.size)
            yield* Effect.sleep("20 millis")
            running.delete(id)
            return index
          })
        }))
      )
      expect(Array.from(outcomes).map((o) => EResult.getOrThrow(o.outcome))).toStrictEqual([
        0,
        1,
        2,
        3,
        4,
        5,
        6
      ])
      expect(overlapped).toBe(false)
      expect(started.filter((s) => s.startsWith("a"))).toStrictEqual(["a0", "a2", "a4"])
      expect(started.filter((s) => s.startsWith("b"))).toStrictEqual(["b1", "b6"])
      expect(most).toBeGreaterThan(1)
    }))

  it.effect("reads its input lazily: a million items are never all in memory", () =>
    Effect.gen(function*() {
      let read = 0
      function* many() {
        for (let i = 0; i < 1_000_000; i++) {
          read++
          yield { title: `t-${i}`, status: "active" as const }
        }
      }
      let prepared = 0
      const taken = yield* Stream.runCollect(
        Bulk.run(many(), { concurrency: 8 }, (item) => {
          prepared++
          return { sourcedId: item.title, result: Effect.succeed(item) }
        }).pipe(Stream.take(100))
      )
      expect(taken.length).toBe(100)
      // read no further ahead than the stream's chunk, and each item's write prepared only as it is
      // taken in (a few beyond the items in flight), not for the whole chunk read
      expect(read).toBeLessThan(5_000)
      expect(prepared).toBeLessThan(100 + 4 * 8)
    }))
})
