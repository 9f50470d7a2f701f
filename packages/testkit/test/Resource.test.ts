// The rest of the resource on both faces: get, list (filter, sort, fields, search, paging), delete, patch.
import { describe, expect, it } from "@effect/vitest"
import { Filter, Gradebook, GradebookError } from "@timeback/core"
import { FakeTimebackServer, MemoryGradebook } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

const RESULTS = FakeTimebackServer.ASSESSMENT_RESULTS_PATH

const result = (i: number) => ({
  sourcedId: `ar-${String(i).padStart(4, "0")}`,
  assessmentLineItem: { sourcedId: `ali-${i % 3}` },
  student: { sourcedId: `stu-${i}` },
  scoreStatus: i % 2 === 0 ? "fully graded" as const : "submitted" as const,
  scoreDate: "2024-09-01",
  score: i,
  comment: i === 7 ? "O'Brien's best" : `comment ${i}`
})

const seeded = (options: FakeTimebackServer.ServerOptions = {}, n = 10) =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make(options)
    for (let i = 0; i < n; i++) yield* server.store.create(result(i))
    const token = yield* Effect.promise(() =>
      fetch(server.tokenUrl, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: server.clientId,
          client_secret: Redacted.value(server.clientSecret)
        })
      }).then((r) => r.json()).then((b: any) => b.access_token as string)
    )
    const call = (method: string, path: string, body?: unknown) =>
      Effect.promise(async () => {
        const r = await fetch(`${server.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(body !== undefined && { body: JSON.stringify(body) })
        })
        const text = await r.text()
        return { status: r.status, headers: r.headers, json: text ? JSON.parse(text) : undefined }
      })
    return { server, call }
  })

const q = (params: Record<string, string>) => `${RESULTS}?${new URLSearchParams(params)}`

describe("fake server: list", () => {
  it.live("pages with Timeback's body fields", () =>
    Effect.gen(function*() {
      const { call } = yield* seeded({}, 250)
      const page = yield* call("GET", q({ limit: "100", offset: "200" }))
      expect(page.status).toBe(200)
      expect(page.json).toMatchObject({ totalCount: 250, pageCount: 3, pageNumber: 3, offset: 200, limit: 100 })
      expect(page.json.assessmentResults.length).toBe(50)
      expect(page.json.assessmentResults[0].sourcedId).toBe("ar-0200")
      const first = yield* call("GET", RESULTS)
      expect(first.json.assessmentResults.length).toBe(100)
    }))

  it.live("pages with X-Total-Count and Link headers, or with nothing", () =>
    Effect.gen(function*() {
      const { call, server } = yield* seeded({ paging: "headers" }, 250)
      const page = yield* call("GET", q({ limit: "100", offset: "100" }))
      expect(Object.keys(page.json)).toStrictEqual(["assessmentResults"])
      expect(page.headers.get("x-total-count")).toBe("250")
      expect(page.headers.get("link")).toBe(
        `<${server.baseUrl}${RESULTS}?limit=100&offset=200>; rel="next", <${server.baseUrl}${RESULTS}?limit=100&offset=200>; rel="last"`
      )
      const last = yield* call("GET", q({ limit: "100", offset: "200" }))
      expect(last.headers.get("link")).not.toContain("rel=\"next\"")
      const bare = yield* seeded({ paging: "none" }, 5)
      const plain = yield* bare.call("GET", RESULTS)
      expect(Object.keys(plain.json)).toStrictEqual(["assessmentResults"])
      expect(plain.headers.get("x-total-count")).toBeNull()
    }))

  it.live("filters with each operator, AND/OR and quotes; sorts; selects fields; searches", () =>
    Effect.gen(function*() {
      const { call } = yield* seeded()
      const ids = (filter: Filter.Filter, extra: Record<string, string> = {}) =>
        Effect.map(
          call("GET", q({ filter: Filter.render(filter), ...extra })),
          (r) => r.json.assessmentResults.map((x: any) => x.sourcedId.slice(3))
        )
      expect(yield* ids(Filter.eq("score", 3))).toStrictEqual(["0003"])
      expect(yield* ids(Filter.neq("scoreStatus", "submitted"))).toStrictEqual(["0000", "0002", "0004", "0006", "0008"])
      expect(yield* ids(Filter.gt("score", 7))).toStrictEqual(["0008", "0009"])
      expect(yield* ids(Filter.gte("score", 8))).toStrictEqual(["0008", "0009"])
      expect(yield* ids(Filter.lt("score", 2))).toStrictEqual(["0000", "0001"])
      expect(yield* ids(Filter.lte("score", 1))).toStrictEqual(["0000", "0001"])
      expect(yield* ids(Filter.contains("comment", "BRIEN"))).toStrictEqual(["0007"])
      expect(yield* ids(Filter.anyOf("student.sourcedId", ["stu-1", "stu-4"]))).toStrictEqual(["0001", "0004"])
      expect(yield* ids(Filter.eq("comment", "O'Brien's best"))).toStrictEqual(["0007"])
      expect(yield* ids(Filter.and(Filter.eq("assessmentLineItem.sourcedId", "ali-0"), Filter.gt("score", 3))))
        .toStrictEqual(["0006", "0009"])
      expect(yield* ids(Filter.or(Filter.eq("score", 1), Filter.eq("score", 9)))).toStrictEqual(["0001", "0009"])
      expect(yield* ids(Filter.gte("score", 5), { sort: "score", orderBy: "desc" })).toStrictEqual([
        "0009",
        "0008",
        "0007",
        "0006",
        "0005"
      ])
      const selected = yield* call("GET", q({ fields: "sourcedId,score", limit: "2" }))
      expect(selected.json.assessmentResults).toStrictEqual([{ sourcedId: "ar-0000", score: 0 }, {
        sourcedId: "ar-0001",
        score: 1
      }])
      const searched = yield* call("GET", q({ search: "brien" }))
      expect(searched.json.assessmentResults.map((r: any) => r.sourcedId)).toStrictEqual(["ar-0007"])
    }))

  it.live("refuses bad queries with the API's codeMinor", () =>
    Effect.gen(function*() {
      const { call } = yield* seeded()
      const minor = (path: string) =>
        Effect.map(
          call("GET", path),
          (r) => [r.status, r.json.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue]
        )
      expect(yield* minor(q({ filter: "grade='A'" }))).toStrictEqual([400, "invalid_filter_field"])
      expect(yield* minor(q({ filter: "score>3" }))).toStrictEqual([400, "invalid_filter_field"])
      expect(yield* minor(q({ sort: "grade" }))).toStrictEqual([400, "invalid_sort_field"])
      expect(yield* minor(q({ fields: "sourcedId,grade" }))).toStrictEqual([400, "invalid_selection_field"])
      expect(yield* minor(q({ limit: "3001" }))).toStrictEqual([400, "invaliddata"])
      expect(yield* minor(q({ offset: "-1" }))).toStrictEqual([400, "invaliddata"])
    }))
})

describe("fake server: get, delete, patch", () => {
  it.live("get with fields; delete is a soft delete; patch merges metadata", () =>
    Effect.gen(function*() {
      const { call, server } = yield* seeded()
      const one = yield* call("GET", `${RESULTS}/ar-0003?fields=score,comment`)
      expect(one).toMatchObject({ status: 200, json: { assessmentResult: { score: 3, comment: "comment 3" } } })
      expect(Object.keys(one.json.assessmentResult)).toStrictEqual(["score", "comment"])

      expect((yield* call("DELETE", `${RESULTS}/ar-0003`)).status).toBe(204)
      expect((yield* call("DELETE", `${RESULTS}/ar-0003`)).status).toBe(204)
      expect((yield* call("GET", `${RESULTS}/ar-0003`)).json.assessmentResult.status).toBe("tobedeleted")
      expect((yield* call("DELETE", `${RESULTS}/nope`)).status).toBe(404)

      yield* server.store.patch("ar-0004", { metadata: { a: 1, keep: true } })
      const patched = yield* call("PATCH", `${RESULTS}/ar-0004`, {
        assessmentResult: { score: 99, metadata: { a: 2, b: 3 } }
      })
      expect(patched.status).toBe(200)
      expect(patched.json.assessmentResult).toMatchObject({
        sourcedId: "ar-0004",
        score: 99,
        scoreStatus: "fully graded",
        metadata: { a: 2, keep: true, b: 3 }
      })
      expect((yield* call("PATCH", `${RESULTS}/nope`, { assessmentResult: { score: 1 } })).status).toBe(404)
      expect((yield* call("PATCH", `${RESULTS}/ar-0004`, { assessmentResult: { scoreDate: "soon" } })).status).toBe(
        422
      )
    }))
})

describe("layerMemory: the same operations", () => {
  it.effect("get, list, stream, delete, patch", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 10; i++) yield* Gradebook.createAssessmentResult(result(i))
      expect((yield* Gradebook.getAssessmentResult("ar-0002")).score).toBe(2)
      expect(yield* Gradebook.getAssessmentResult("ar-0002", { fields: ["score"] })).toStrictEqual({ score: 2 })
      const missing = yield* Effect.flip(Gradebook.getAssessmentResult("nope"))
      expect(missing).toMatchObject({ _tag: "RequestError", status: 404 })

      const page = yield* Gradebook.listAssessmentResults({
        filter: Filter.gte("score", 4),
        sort: "score",
        orderBy: "desc",
        limit: 3
      })
      expect(page.results.map((r) => r.score)).toStrictEqual([9, 8, 7])
      expect(page.totalCount).toBe(6)

      const all = yield* Stream.runCollect(Gradebook.streamAssessmentResults({ limit: 3 }))
      expect([...all].map((r) => r.score)).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])

      yield* Gradebook.deleteAssessmentResult("ar-0001")
      expect((yield* Gradebook.getAssessmentResult("ar-0001")).status).toBe("tobedeleted")

      const patched = yield* Gradebook.patchAssessmentResult("ar-0000", { comment: "regraded", metadata: { x: 1 } })
      expect(patched).toMatchObject({ comment: "regraded", score: 0, metadata: { x: 1 } })

      const memory = yield* MemoryGradebook.MemoryGradebook
      yield* memory.failNext(new GradebookError.ServerError({ status: 503 }))
      const failed = yield* Effect.flip(Stream.runCollect(Gradebook.streamAssessmentResults({ limit: 3 })))
      expect(failed._tag).toBe("ServerError")
      const ops = (yield* memory.calls).map((c) => c.operation)
      expect(ops.filter((o) => o === "listAssessmentResults").length).toBe(1 + 4 + 1)
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))
})
