// Trusting the answer too much (issue 29, findings 11-14), over sockets: redirects are never
// followed, answers must match what was asked, the request is what was validated, and a retried
// DELETE whose first attempt was applied is done.
import { describe, expect, it } from "@effect/vitest"
import { Category, GradebookError } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import { stack } from "./fixtures.js"

const BASE = FakeTimebackServer.BASE_PATH
const ref = (sourcedId: string) => ({ sourcedId })

describe("11. redirects are never followed", () => {
  it.live("a 302 on a create, a 301 on a get: a typed error naming the location; the other origin hears nothing", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      const elsewhere = yield* FakeTimebackServer.make()
      yield* server.inject({
        method: "POST",
        path: `${BASE}/categories`,
        action: { _tag: "Redirect", status: 302, location: `${elsewhere.baseUrl}${BASE}/categories/x` }
      })
      const created = yield* Effect.flip(gradebook.categories.create({ title: "Quizzes" }))
      expect(created).toBeInstanceOf(GradebookError.RequestError)
      expect(created).toMatchObject({ status: 302, attempts: 1 })
      expect(created.message).toContain(`a redirect to ${elsewhere.baseUrl}${BASE}/categories/x`)
      yield* server.inject({
        method: "GET",
        action: { _tag: "Redirect", status: 301, location: `${elsewhere.baseUrl}${BASE}/categories/c-1` }
      })
      const read = yield* Effect.flip(gradebook.categories.get("c-1"))
      expect(read).toMatchObject({ _tag: "RequestError", status: 301 })
      expect(yield* elsewhere.requests).toStrictEqual([])
      expect((yield* apiRequests).length).toBe(2)
      expect(yield* server.store.of(Category.resource).all).toStrictEqual([])
    }))

  it.live("a 307 from the token endpoint is an AuthError naming it; the client secret goes nowhere else", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      const elsewhere = yield* FakeTimebackServer.make()
      yield* server.inject({
        path: new URL(server.tokenUrl).pathname,
        action: { _tag: "Redirect", status: 307, location: elsewhere.tokenUrl }
      })
      const error = yield* Effect.flip(gradebook.categories.get("c-1"))
      expect(error).toBeInstanceOf(GradebookError.AuthError)
      expect(error.message).toContain(`a redirect to ${elsewhere.tokenUrl}`)
      expect(yield* elsewhere.requests).toStrictEqual([])
    }))
})

describe("12. answers that do not match what was asked", () => {
  it.live("a multi-item create answered with fewer pairs, or pairs for other ids, is a typed error saying the write may have happened", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      const items = [{ sourcedId: "r-1" }, { sourcedId: "r-2" }].map((i) => ({
        ...i,
        student: ref(i.sourcedId),
        scoreStatus: "submitted" as const,
        scoreDate: "2024-09-06"
      }))
      for (
        const pairs of [
          [{ suppliedSourcedId: "r-1", allocatedSourcedId: "r-1" }],
          [{ suppliedSourcedId: "r-1", allocatedSourcedId: "r-1" }, {
            suppliedSourcedId: "other",
            allocatedSourcedId: "other"
          }]
        ]
      ) {
        yield* server.inject({
          method: "POST",
          path: BASE,
          action: { _tag: "Status", status: 201, body: JSON.stringify({ sourcedIdPairs: pairs }) }
        })
        const error = yield* Effect.flip(gradebook.lineItems("li-1").results.createMany(items))
        expect(error).toBeInstanceOf(GradebookError.MalformedResponseError)
        expect(error.message).toMatch(/pair\(s\) for 2 item\(s\) sent, none for "r-2".*the write may have happened/)
      }
    }))

  it.live("a create whose pair names another id, and a get answered with another item, are typed errors", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.inject({
        method: "POST",
        path: BASE,
        action: {
          _tag: "Status",
          status: 201,
          body: JSON.stringify({ sourcedIdPairs: { suppliedSourcedId: "someone-else", allocatedSourcedId: "x" } })
        }
      })
      const created = yield* Effect.flip(gradebook.categories.create({ sourcedId: "c-1", title: "Q" }))
      expect(created).toBeInstanceOf(GradebookError.MalformedResponseError)
      yield* server.inject({
        method: "GET",
        action: {
          _tag: "Status",
          status: 200,
          body: JSON.stringify({ category: { sourcedId: "c-2", title: "Not asked for", status: "active" } })
        }
      })
      const read = yield* Effect.flip(gradebook.categories.get("c-1"))
      expect(read).toBeInstanceOf(GradebookError.MalformedResponseError)
      expect(read.message).toContain(`the answer is about "c-2", not "c-1" as asked`)
      expect(read.message).not.toContain("write may have happened")
    }))
})

describe("13. the request is what was validated", () => {
  it.live("an input whose getter answers differently on a second read is sent as it was validated", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      let reads = 0
      const input = {
        get title() {
          return reads++ === 0 ? "Quizzes" : 12345
        }
      }
      yield* gradebook.categories.put("c-1", input as unknown as { title: string })
      const [put] = yield* apiRequests
      expect(JSON.parse(put!.body).category.title).toBe("Quizzes")
      expect(reads).toBe(1)
    }))
})

describe("14. a retried DELETE", () => {
  it.live("whose first attempt was applied and its answer lost is done when the retry finds nothing (404)", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* gradebook.categories.put("c-1", { title: "Q" })
      // a server that deletes for real: the first DELETE is applied, its answer lost; the retry finds nothing
      yield* server.inject({ method: "DELETE", action: { _tag: "DropAfterCommit" } })
      yield* server.inject({ method: "DELETE", action: { _tag: "Status", status: 404 } })
      yield* gradebook.categories.delete("c-1")
      expect((yield* apiRequests).map((r) => r.method)).toStrictEqual(["PUT", "DELETE", "DELETE"])
      // a first attempt's 404 is still the caller's error: nothing was there to delete
      const unknown = yield* Effect.flip(gradebook.categories.delete("nope"))
      expect(unknown).toMatchObject({ _tag: "RequestError", status: 404 })
    }))
})
