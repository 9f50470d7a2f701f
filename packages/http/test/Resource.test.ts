// get, list, stream, delete and patch over real sockets against the fake server.
import { describe, expect, it } from "@effect/vitest"
import { Filter, GradebookError } from "@timeback/core"
import type { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { input, RESULTS, stack } from "./fixtures.js"

const seed = (server: FakeTimebackServer.FakeTimebackServerService, n: number) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => i),
    (i) =>
      server.store.create({
        ...input,
        sourcedId: `ar-${String(i).padStart(5, "0")}`,
        student: { sourcedId: `stu-${i}` },
        score: i,
        comment: i === 4 ? "it's O'Brien's" : `comment ${i}`
      }),
    { discard: true }
  )

describe("get", () => {
  it.live("found, not found, and with fields", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* seed(server, 3)
      const found = yield* gradebook.getAssessmentResult("ar-00001")
      expect(found).toMatchObject({ sourcedId: "ar-00001", score: 1, student: { sourcedId: "stu-1" } })
      const missing = yield* Effect.flip(gradebook.getAssessmentResult("nope"))
      expect(missing).toBeInstanceOf(GradebookError.RequestError)
      expect(missing).toMatchObject({ status: 404, attempts: 1, operation: "getAssessmentResult" })
      expect(missing.imsx?.codeMinor[0]?.value).toBe("unknownobject")
      const some = yield* gradebook.getAssessmentResult("ar-00002", { fields: ["score", "comment"] })
      expect(some).toStrictEqual({ score: 2, comment: "comment 2" })
      expect((yield* apiRequests).map((r) => `${r.method} ${r.url}`)).toStrictEqual([
        `GET ${RESULTS}/ar-00001`,
        `GET ${RESULTS}/nope`,
        `GET ${RESULTS}/ar-00002?fields=score%2Ccomment`
      ])
    }))
})

describe("list", () => {
  it.live("each operator, AND/OR, a quote in a value, sort asc/desc", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* seed(server, 10)
      const scores = (query: Parameters<typeof gradebook.listAssessmentResults>[0]) =>
        Effect.map(gradebook.listAssessmentResults(query), (page) => page.results.map((r) => r.score))
      expect(yield* scores({ filter: Filter.eq("score", 3) })).toStrictEqual([3])
      expect(yield* scores({ filter: Filter.neq("score", 3), limit: 3 })).toStrictEqual([0, 1, 2])
      expect(yield* scores({ filter: Filter.gt("score", 7) })).toStrictEqual([8, 9])
      expect(yield* scores({ filter: Filter.gte("score", 8) })).toStrictEqual([8, 9])
      expect(yield* scores({ filter: Filter.lt("score", 2) })).toStrictEqual([0, 1])
      expect(yield* scores({ filter: Filter.lte("score", 1) })).toStrictEqual([0, 1])
      expect(yield* scores({ filter: Filter.contains("comment", "o'brien") })).toStrictEqual([4])
      expect(yield* scores({ filter: Filter.anyOf("student.sourcedId", ["stu-2", "stu-5"]) })).toStrictEqual([2, 5])
      expect(yield* scores({ filter: Filter.eq("comment", "it's O'Brien's") })).toStrictEqual([4])
      expect(yield* scores({ filter: Filter.and(Filter.gte("score", 3), Filter.lt("score", 6)) })).toStrictEqual([
        3,
        4,
        5
      ])
      expect(yield* scores({ filter: Filter.or(Filter.eq("score", 1), Filter.eq("score", 8)) })).toStrictEqual([1, 8])
      expect(yield* scores({ sort: "score", orderBy: "desc", limit: 3 })).toStrictEqual([9, 8, 7])
      expect(yield* scores({ sort: "score", orderBy: "asc", limit: 3 })).toStrictEqual([0, 1, 2])
      const page = yield* gradebook.listAssessmentResults({ filter: Filter.gte("score", 5), limit: 2, offset: 1 })
      expect(page).toMatchObject({ offset: 1, limit: 2, totalCount: 5 })
      const quoted = (yield* apiRequests).find((r) => r.url.includes("brien"))!.url
      expect(new URL(quoted, "http://x").searchParams.get("filter")).toBe("comment~'o''brien'")
    }))

  it.live("invalid queries are refused before sending", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const error = yield* Effect.flip(gradebook.listAssessmentResults({ limit: 0 }))
      expect((error as GradebookError.RequestError).fields).toStrictEqual(["limit"])
      expect(yield* apiRequests).toStrictEqual([])
    }))

  it.live("a server refusing a query answers a typed error with its codeMinor", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.inject({
        method: "GET",
        path: RESULTS,
        action: {
          _tag: "Status",
          status: 400,
          body: JSON.stringify({
            imsx_codeMajor: "failure",
            imsx_severity: "error",
            imsx_description: "search is not supported",
            imsx_CodeMinor: {
              imsx_codeMinorField: [{ imsx_codeMinorFieldName: "search", imsx_codeMinorFieldValue: "unsupported" }]
            }
          })
        }
      })
      const error = yield* Effect.flip(gradebook.listAssessmentResults({ search: "x" }))
      expect(error.message).toContain("(HTTP 400 unsupported): search is not supported")
    }))
})

describe("stream", () => {
  it.live.each(["body", "headers", "none"] as const)(
    "2,500 results at limit 100 → exactly 2,500 unique results in order (paging reported: %s)",
    (paging) =>
      Effect.gen(function*() {
        const { apiRequests, gradebook, server } = yield* stack({ server: { paging } })
        yield* seed(server, 2500)
        const all = yield* Stream.runCollect(gradebook.streamAssessmentResults({ limit: 100 }))
        const ids = [...all].map((r) => r.sourcedId)
        expect(ids.length).toBe(2500)
        expect(new Set(ids).size).toBe(2500)
        expect(ids).toStrictEqual(Array.from({ length: 2500 }, (_, i) => `ar-${String(i).padStart(5, "0")}`))
        // a Link without next ends the last full page; otherwise one extra (empty) page is how the end
        // is found (a body totalCount is not trusted to end a full page: it may be lower than the truth)
        expect((yield* apiRequests).length).toBe(paging === "headers" ? 25 : 26)
      })
  )

  it.live("a 503 on page 7 is retried and the stream continues from page 7", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* seed(server, 1000)
      yield* server.inject({ method: "GET", path: /[?&]offset=600(&|$)/, action: { _tag: "Status", status: 503 } })
      const all = yield* Stream.runCollect(gradebook.streamAssessmentResults({ limit: 100 }))
      expect(new Set([...all].map((r) => r.sourcedId)).size).toBe(1000)
      const offsets = (yield* apiRequests).map((r) => new URL(r.url, "http://x").searchParams.get("offset"))
      expect(offsets).toStrictEqual(["0", "100", "200", "300", "400", "500", "600", "600", "700", "800", "900", "1000"])
    }))

  it.live("a page that keeps failing fails the stream after what was already emitted", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* seed(server, 500)
      yield* server.inject({ method: "GET", path: /offset=300/, times: 3, action: { _tag: "Status", status: 503 } })
      const seen: Array<string> = []
      const results = gradebook.streamAssessmentResults({ limit: 100 })
      const error = yield* Effect.flip(Stream.runForEach(results, (r) => Effect.sync(() => seen.push(r.sourcedId))))
      expect(error).toMatchObject({ _tag: "ServerError", attempts: 3 })
      expect(seen.length).toBe(300)
    }))
})

describe("delete and patch", () => {
  it.live("delete then get shows tobedeleted; deleting an unknown result is a 404", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* seed(server, 2)
      yield* gradebook.deleteAssessmentResult("ar-00001")
      expect((yield* gradebook.getAssessmentResult("ar-00001")).status).toBe("tobedeleted")
      expect((yield* apiRequests)[0]).toMatchObject({ method: "DELETE", url: `${RESULTS}/ar-00001` })
      expect(yield* Effect.flip(gradebook.deleteAssessmentResult("nope"))).toMatchObject({ status: 404 })
    }))

  it.live("patch merges metadata and keeps what it does not name", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* seed(server, 1)
      yield* server.store.patch("ar-00000", { metadata: { attempt: 1, app: "reader" } })
      const patched = yield* gradebook.patchAssessmentResult("ar-00000", {
        scoreStatus: "fully graded",
        metadata: { attempt: 2, reviewedBy: "t-1" }
      })
      expect(patched).toMatchObject({
        sourcedId: "ar-00000",
        score: 0,
        scoreStatus: "fully graded",
        metadata: { attempt: 2, app: "reader", reviewedBy: "t-1" }
      })
      const [patch] = yield* apiRequests
      expect(patch).toMatchObject({ method: "PATCH", url: `${RESULTS}/ar-00000` })
      expect(JSON.parse(patch!.body)).toStrictEqual({
        assessmentResult: { scoreStatus: "fully graded", metadata: { attempt: 2, reviewedBy: "t-1" } }
      })
    }))
})
