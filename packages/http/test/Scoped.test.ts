// The scoped routes over real sockets against the fake server: lists below a class, a school and
// a line item, and the multi-item creates, including one committed before its answer was lost.
import { describe, expect, it } from "@effect/vitest"
import { Category, Filter, GradebookError, LineItem, Result, ScoreScale } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { stack, withRecordedSpans } from "./fixtures.js"

const BASE = FakeTimebackServer.BASE_PATH
const ref = (sourcedId: string) => ({ sourcedId })
const lineItem = (sourcedId: string, classId: string, schoolId: string, categoryId: string) => ({
  sourcedId,
  title: `Line item ${sourcedId}`,
  assignDate: "2024-09-01",
  dueDate: "2024-09-08",
  class: ref(classId),
  school: ref(schoolId),
  category: ref(categoryId)
})
const result = (sourcedId: string, lineItemId: string, studentId: string, score: number) => ({
  sourcedId,
  lineItem: ref(lineItemId),
  student: ref(studentId),
  scoreStatus: "fully graded" as const,
  scoreDate: "2024-09-02",
  score
})

/** Two classes in two schools: line items, their categories and score scales, and results. */
const seeded = (options: FakeTimebackServer.ServerOptions = {}) =>
  Effect.gen(function*() {
    const context = yield* stack({ server: options })
    const { store } = context.server
    for (const id of ["cat-1", "cat-2", "cat-3"]) {
      yield* store.of(Category.resource).create({ sourcedId: id, title: id, status: "active" })
    }
    yield* store.of(LineItem.resource).create(lineItem("li-1", "c-1", "s-1", "cat-1"))
    yield* store.of(LineItem.resource).create(lineItem("li-2", "c-1", "s-1", "cat-2"))
    yield* store.of(LineItem.resource).create(lineItem("li-3", "c-2", "s-2", "cat-3"))
    for (const [id, classId] of [["ss-1", "c-1"], ["ss-2", "c-2"]]) {
      yield* store.of(ScoreScale.resource).create({
        sourcedId: id!,
        title: id!,
        type: "letter",
        class: ref(classId!),
        status: "active",
        scoreScaleValue: [{ itemValueLHS: "0", itemValueRHS: "100" }]
      })
    }
    const results = store.of(Result.resource)
    yield* results.create(result("r-1", "li-1", "stu-1", 80))
    yield* results.create(result("r-2", "li-1", "stu-2", 60))
    yield* results.create(result("r-3", "li-2", "stu-1", 90))
    yield* results.create(result("r-4", "li-3", "stu-1", 70))
    // a result that names its class itself
    yield* results.create({ ...result("r-5", "li-9", "stu-3", 50), class: ref("c-2") })
    return context
  })

const ids = (items: ReadonlyArray<{ readonly sourcedId?: string | undefined }>) => items.map((i) => i.sourcedId)

describe("scoped reads", () => {
  it.live("below a class, a line item of it, a student of it, and a school", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* seeded()
      const c1 = gradebook.classes("c-1")
      expect(ids((yield* c1.lineItems.list()).results)).toStrictEqual(["li-1", "li-2"])
      expect(ids((yield* c1.results.list()).results)).toStrictEqual(["r-1", "r-2", "r-3"])
      expect(ids((yield* c1.results.list({ filter: Filter.gte("score", 70) })).results)).toStrictEqual(["r-1", "r-3"])
      expect(ids((yield* c1.lineItems("li-1").results.list()).results)).toStrictEqual(["r-1", "r-2"])
      expect(ids((yield* c1.students("stu-1").results.list()).results)).toStrictEqual(["r-1", "r-3"])
      expect(ids((yield* c1.categories.list()).results)).toStrictEqual(["cat-1", "cat-2"])
      expect(ids((yield* c1.scoreScales.list()).results)).toStrictEqual(["ss-1"])
      expect(ids((yield* gradebook.classes("c-2").results.list()).results)).toStrictEqual(["r-4", "r-5"])
      expect(ids((yield* gradebook.schools("s-1").lineItems.list()).results)).toStrictEqual(["li-1", "li-2"])
      expect(ids((yield* gradebook.schools("s-2").scoreScales.list()).results)).toStrictEqual(["ss-2"])
      const some = yield* c1.results.list({ fields: ["score"], sort: "score", orderBy: "desc" })
      expect(some.results).toStrictEqual([{ score: 90 }, { score: 80 }, { score: 60 }])
      expect((yield* apiRequests).map((r) => r.url.split("?")[0])).toStrictEqual([
        `${BASE}/classes/c-1/lineItems`,
        `${BASE}/classes/c-1/results`,
        `${BASE}/classes/c-1/results`,
        `${BASE}/classes/c-1/lineItems/li-1/results`,
        `${BASE}/classes/c-1/students/stu-1/results`,
        `${BASE}/classes/c-1/categories`,
        `${BASE}/classes/c-1/scoreScales`,
        `${BASE}/classes/c-2/results`,
        `${BASE}/schools/s-1/lineItems`,
        `${BASE}/schools/s-2/scoreScales`,
        `${BASE}/classes/c-1/results`
      ])
    }))

  it.live("an unknown parent is a 404, and a line item of another class too", () =>
    Effect.gen(function*() {
      const { gradebook } = yield* seeded()
      const unknown = yield* Effect.flip(gradebook.classes("c-404").lineItems.list())
      expect(unknown).toMatchObject({ _tag: "RequestError", status: 404, operation: "listLineItemsForClass" })
      const elsewhere = yield* Effect.flip(gradebook.classes("c-2").lineItems("li-1").results.list())
      expect(elsewhere).toMatchObject({ status: 404, operation: "listResultsForClassLineItem" })
      const school = yield* Effect.flip(Stream.runCollect(gradebook.schools("s-404").scoreScales.stream()))
      expect(school).toMatchObject({ status: 404, operation: "listScoreScalesForSchool" })
    }))

  it.live("refuses a bad parent id or query before sending", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* seeded()
      const badId = yield* Effect.flip(gradebook.classes("..").results.list())
      expect((badId as GradebookError.RequestError).fields).toStrictEqual(["classSourcedId"])
      const badNested = yield* Effect.flip(gradebook.classes("c-1").students(" s").results.list())
      expect((badNested as GradebookError.RequestError).fields).toStrictEqual(["studentSourcedId"])
      const badQuery = yield* Effect.flip(gradebook.classes("c-1").lineItems.list({ sort: "score" as any }))
      expect((badQuery as GradebookError.RequestError).fields).toStrictEqual(["sort"])
      expect(yield* apiRequests).toStrictEqual([])
    }))

  it.live.each(["body", "headers", "none"] as const)(
    "streams 2,500 results of a class across pages (paging in %s)",
    (paging) =>
      Effect.gen(function*() {
        const { apiRequests, gradebook, server } = yield* seeded({ paging })
        yield* Effect.forEach(
          Array.from({ length: 2500 }, (_, i) => i),
          (i) => server.store.of(Result.resource).create(result(`bulk-${i}`, "li-2", `stu-${i}`, i % 100)),
          { discard: true }
        )
        const streamed = yield* Stream.runCount(gradebook.classes("c-1").results.stream({ limit: 1000 }))
        expect(streamed).toBe(2503)
        // three pages: the third is short, whatever the server reports
        expect((yield* apiRequests).length).toBe(3)
      })
  )
})

describe("multi-item creates", () => {
  it.live("below a class, a school, a line item and an academic session: the route fills what it binds", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* seeded()
      const item = {
        title: "Reading log",
        assignDate: "2024-09-01",
        dueDate: "2024-09-30",
        school: ref("s-9"),
        category: ref("cat-1")
      }
      const pairs = yield* gradebook.classes("c-9").lineItems.createMany([
        { ...item, sourcedId: "li-a" },
        { ...item, class: ref("c-9") }
      ])
      expect(pairs.length).toBe(2)
      expect(pairs[0]).toStrictEqual({ suppliedSourcedId: "li-a", allocatedSourcedId: "li-a" })
      const [post] = yield* apiRequests
      expect(post!.url).toBe(`${BASE}/classes/c-9/lineItems`)
      // each item in its wire form: status filled in, the dates as RFC 3339 date-times
      const sent = { ...item, status: "active", assignDate: "2024-09-01T00:00:00Z", dueDate: "2024-09-30T00:00:00Z" }
      expect(JSON.parse(post!.body)).toStrictEqual({
        lineItems: [
          { ...sent, sourcedId: "li-a", class: ref("c-9") },
          { ...sent, class: ref("c-9"), sourcedId: pairs[1]!.suppliedSourcedId }
        ]
      })
      expect(ids((yield* gradebook.classes("c-9").lineItems.list()).results)).toStrictEqual(ids(
        pairs.map((p) => ({ sourcedId: p.allocatedSourcedId }))
      ))
      const schoolItems = yield* gradebook.schools("s-9").lineItems.createMany([{ ...item, class: ref("c-9") }])
      expect(schoolItems.length).toBe(1)
      const scored = yield* gradebook.lineItems("li-a").results.createMany([
        { student: ref("stu-7"), scoreStatus: "fully graded", scoreDate: "2024-09-10", score: 77 },
        { student: ref("stu-8"), scoreStatus: "submitted", scoreDate: "2024-09-10" }
      ])
      const stored = yield* server.store.of(Result.resource).get(scored[0]!.allocatedSourcedId)
      expect(stored).toMatchObject({ lineItem: ref("li-a"), student: ref("stu-7"), score: 77 })
      const session = yield* gradebook.classes("c-1").academicSessions("term-1").results.createMany([
        result("r-term", "li-1", "stu-9", 65)
      ])
      expect(yield* server.store.of(Result.resource).get(session[0]!.allocatedSourcedId)).toMatchObject({
        class: ref("c-1")
      })
      expect((yield* apiRequests).slice(1).map((r) => `${r.method} ${r.url}`)).toStrictEqual([
        `GET ${BASE}/classes/c-9/lineItems`,
        `POST ${BASE}/schools/s-9/lineItems`,
        `POST ${BASE}/lineItems/li-a/results`,
        `POST ${BASE}/classes/c-1/academicSessions/term-1/results`
      ])
    }))

  it.live("committed before its answer was lost, a retried multi-item create stores every item once", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* seeded()
      yield* server.inject({
        method: "POST",
        path: `${BASE}/lineItems/li-1/results`,
        action: { _tag: "DropAfterCommit" }
      })
      const students = Array.from({ length: 30 }, (_, i) => `new-${i}`)
      const pairs = yield* gradebook.lineItems("li-1").results.createMany(
        students.map((s, i) => ({ student: ref(s), scoreStatus: "fully graded", scoreDate: "2024-09-03", score: i }))
      )
      expect(pairs.length).toBe(30)
      const stored = (yield* server.store.of(Result.resource).all).filter((r) => r.student.sourcedId.startsWith("new-"))
      expect(stored.map((r) => r.student.sourcedId).sort()).toStrictEqual([...students].sort())
      expect(stored.map((r) => r.sourcedId).sort()).toStrictEqual(pairs.map((p) => p.allocatedSourcedId).sort())
      const posts = (yield* apiRequests).filter((r) => r.method === "POST")
      expect(posts.length).toBe(2)
      // both attempts sent the same bytes
      expect(posts[1]!.body).toBe(posts[0]!.body)
    }))

  it.live("a retried multi-item create that meets items someone else stored fails with the 409", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* seeded()
      yield* server.store.of(Result.resource).create(result("taken", "li-1", "someone-else", 1))
      yield* server.inject({
        method: "POST",
        path: `${BASE}/lineItems/li-1/results`,
        action: { _tag: "Status", status: 502 }
      })
      // the first item is not stored at all, the second is someone else's
      const error = yield* Effect.flip(
        gradebook.lineItems("li-1").results.createMany([
          { sourcedId: "fresh", student: ref("stu-2"), scoreStatus: "fully graded", scoreDate: "2024-09-03" },
          { sourcedId: "taken", student: ref("stu-1"), scoreStatus: "fully graded", scoreDate: "2024-09-03" }
        ])
      )
      expect(error).toMatchObject({
        _tag: "RequestError",
        status: 409,
        attempts: 2,
        operation: "createResultsForLineItem"
      })
    }))

  it.live("refuses bad items before sending, naming the item and field", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* seeded()
      const scores = gradebook.lineItems("li-1").results
      const valid = { student: ref("stu-1"), scoreStatus: "fully graded", scoreDate: "2024-09-03" } as const
      const fieldsOf = (e: GradebookError.GradebookError) => (e as GradebookError.RequestError).fields
      expect(fieldsOf(yield* Effect.flip(scores.createMany([valid, { ...valid, scoreDate: "soon" }])))).toStrictEqual([
        "items.1.scoreDate"
      ])
      expect(fieldsOf(yield* Effect.flip(scores.createMany([{ ...valid, lineItem: ref("li-2") }])))).toStrictEqual([
        "items.0.lineItem"
      ])
      expect(fieldsOf(yield* Effect.flip(scores.createMany([])))).toStrictEqual(["items"])
      expect(
        fieldsOf(yield* Effect.flip(scores.createMany([{ ...valid, sourcedId: "x" }, { ...valid, sourcedId: "x" }])))
      ).toStrictEqual(["items.1.sourcedId"])
      expect(fieldsOf(yield* Effect.flip(gradebook.lineItems("").results.createMany([valid])))).toStrictEqual([
        "lineItemSourcedId"
      ])
      expect(yield* apiRequests).toStrictEqual([])
      const unknown = yield* Effect.flip(gradebook.lineItems("li-404").results.createMany([valid]))
      expect(unknown).toMatchObject({ status: 404, operation: "createResultsForLineItem" })
    }))
})

describe("strictReferences", () => {
  it.live("a write whose references name nothing is a 422; registered and stored ones pass", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack({ server: { strictReferences: true } })
      const written = result("r-1", "li-1", "stu-1", 1)
      const dangling = yield* Effect.flip(gradebook.results.create(written))
      expect([dangling._tag, (dangling as GradebookError.RequestError).status]).toStrictEqual(["RequestError", 422])
      expect(dangling.imsx?.codeMinor.map((m) => m.name)).toStrictEqual(["lineItem.sourcedId"])
      yield* server.store.register("classes", "c-1", { school: "s-1" })
      yield* server.store.register("schools", "s-1")
      yield* gradebook.categories.create({ sourcedId: "cat-1", title: "Quizzes", status: "active" })
      yield* gradebook.lineItems.create(lineItem("li-1", "c-1", "s-1", "cat-1"))
      const noStudent = yield* Effect.flip(gradebook.results.create(written))
      expect(noStudent.imsx?.codeMinor.map((m) => m.name)).toStrictEqual(["student.sourcedId"])
      yield* server.store.register("students", "stu-1")
      expect(yield* gradebook.results.create(written)).toMatchObject({ allocatedSourcedId: "r-1" })
    }))
})

describe("spans", () => {
  it.live("every call runs in a span named by its operation, with the route template and attempts", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* seeded()
      yield* server.inject({ path: `${BASE}/classes/c-1/lineItems`, action: { _tag: "Status", status: 503 } })
      const spans = yield* withRecordedSpans((spans) =>
        Effect.as(
          Effect.all([
            gradebook.classes("c-1").lineItems.list(),
            gradebook.lineItems("li-1").results.createMany([
              { student: ref("stu-9"), scoreStatus: "submitted", scoreDate: "2024-09-03" }
            ]),
            gradebook.categories.get("cat-1")
          ]),
          spans
        )
      )
      const seen = spans.filter((s) => s.name.startsWith("Gradebook.")).map((s) => [
        s.name,
        s.attributes.get("http.request.method"),
        s.attributes.get("http.route"),
        s.attributes.get("timeback.attempts")
      ])
      expect(seen).toStrictEqual([
        ["Gradebook.listLineItemsForClass", "GET", `${BASE}/classes/{classSourcedId}/lineItems`, 2],
        ["Gradebook.createResultsForLineItem", "POST", `${BASE}/lineItems/{lineItemSourcedId}/results`, 1],
        ["Gradebook.getCategory", "GET", `${BASE}/categories/{sourcedId}`, 1]
      ])
    }))
})
