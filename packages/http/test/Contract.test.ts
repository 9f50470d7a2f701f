// Timeback's published contract, over sockets: the fake server checks every request against the
// vendored OpenAPI (contract mode is its default), so what these tests send is what Timeback
// accepts; and answers generated from the contract's response schemas, odd but legal, are read.
// One describe per finding of the contract review (issue 28).
import { describe, expect, it } from "@effect/vitest"
import { Category, type Gradebook, GradebookError, Scope } from "@timeback/core"
import type { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { stack } from "./fixtures.js"

const ref = (sourcedId: string) => ({ sourcedId })
const bodyOf = (r: FakeTimebackServer.RecordedRequest) => JSON.parse(r.body)

const lineItem = {
  title: "Quiz 1",
  assignDate: "2024-09-01",
  dueDate: "2024-09-08T23:59Z",
  class: ref("class-1"),
  school: ref("school-1"),
  category: ref("cat-1")
}

describe("1. writes without status", () => {
  it.live("every create and put sends status \"active\" when the caller gave none, and Timeback's schema accepts it", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* gradebook.categories.create({ title: "Quizzes", weight: 0.4 })
      yield* gradebook.scoreScales.put("scale-1", {
        title: "Letters",
        type: "letter",
        class: ref("class-1"),
        scoreScaleValue: [{ itemValueLHS: "90", itemValueRHS: "100" }]
      })
      yield* gradebook.lineItems.put("li-1", lineItem)
      yield* gradebook.results.create({
        lineItem: ref("li-1"),
        student: ref("stu-1"),
        scoreStatus: "fully graded",
        scoreDate: "2024-09-06T10:00:00Z"
      })
      yield* gradebook.assessmentLineItems.create({ title: "Unit test" })
      yield* gradebook.assessmentResults.put("ar-1", {
        assessmentLineItem: ref("ali-1"),
        student: ref("stu-1"),
        scoreStatus: "submitted",
        scoreDate: "2024-09-06T10:00:00Z"
      })
      yield* gradebook.classes("class-1").lineItems.createMany([{ ...lineItem, sourcedId: "li-2" }])
      const sent = yield* apiRequests
      expect(sent.length).toBe(7)
      for (const request of sent) {
        const [item] = Object.values(bodyOf(request)) as Array<any>
        expect((Array.isArray(item) ? item[0] : item).status, request.url).toBe("active")
      }
      // a status the caller gives is sent as given
      yield* gradebook.categories.put("cat-gone", { title: "Old", status: "tobedeleted" })
      expect((yield* server.store.of(Category.resource).get("cat-gone")).status).toBe("tobedeleted")
    }))

  it.live("the contract-validating server refuses a write without status, naming it", () =>
    Effect.gen(function*() {
      const { server } = yield* stack()
      const token = yield* Effect.promise(() =>
        fetch(server.tokenUrl, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret"
        }).then((r) => r.json() as Promise<{ access_token: string }>)
      )
      const answer = yield* Effect.promise(() =>
        fetch(`${server.baseUrl}/ims/oneroster/gradebook/v1p2/categories`, {
          method: "POST",
          headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
          body: JSON.stringify({ category: { title: "Quizzes" } })
        }).then(async (r) => ({ status: r.status, body: await r.json() as any }))
      )
      expect(answer.status).toBe(422)
      expect(answer.body.imsx_description).toBe("category.status: is required by Timeback's contract")
    }))
})

describe("2. dates sent as dates", () => {
  it.live("a date alone is sent as its first instant in UTC, a date-time without seconds with them", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const stored = yield* gradebook.lineItems.put("li-1", lineItem)
      yield* gradebook.results.put("r-1", {
        lineItem: ref("li-1"),
        student: ref("stu-1"),
        scoreStatus: "fully graded",
        scoreDate: "2024-09-06",
        score: 9
      })
      yield* gradebook.assessmentResults.patch("ar-x", { scoreDate: "2024-09-07T08:30+0200" }).pipe(Effect.flip)
      const [put, result, patch] = (yield* apiRequests).map(bodyOf)
      expect([put.lineItem.assignDate, put.lineItem.dueDate]).toStrictEqual([
        "2024-09-01T00:00:00Z",
        "2024-09-08T23:59:00Z"
      ])
      expect(result.result.scoreDate).toBe("2024-09-06T00:00:00Z")
      expect(patch.assessmentResult.scoreDate).toBe("2024-09-07T08:30:00+02:00")
      // reads keep the server's string as it came
      expect(stored.dueDate).toBe("2024-09-08T23:59:00Z")
    }))
})

describe("3. learning objectives of line items and assessment line items", () => {
  it.live("are sent and read as { source, learningObjectiveIds }, and a stream over them runs to its end", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const learningObjectiveSet = [{ source: "case", learningObjectiveIds: ["lo-1", "lo-2"] }]
      const li = yield* gradebook.lineItems.put("li-1", { ...lineItem, learningObjectiveSet })
      const ali = yield* gradebook.assessmentLineItems.put("ali-1", { title: "Unit test", learningObjectiveSet })
      expect([li.learningObjectiveSet, ali.learningObjectiveSet]).toStrictEqual([
        learningObjectiveSet,
        learningObjectiveSet
      ])
      for (let i = 2; i <= 5; i++) {
        yield* gradebook.lineItems.put(`li-${i}`, { ...lineItem, title: `Quiz ${i}`, learningObjectiveSet })
      }
      const all = yield* Stream.runCollect(gradebook.lineItems.stream({ limit: 2 }))
      expect(all.length).toBe(5)
      expect(bodyOf((yield* apiRequests)[0]!).lineItem.learningObjectiveSet).toStrictEqual(learningObjectiveSet)
    }))
})

/** Every one of the 44 operations, called once with valid arguments; what each returned. */
const everyOperation = (
  gradebook: Gradebook.GradebookService
): Effect.Effect<Record<string, unknown>, GradebookError.GradebookError> =>
  // the services are reached by name (`any`): the outcomes are checked by the tests, not typed
  Effect.gen(function*() {
    const outcomes: Record<string, unknown> = {}
    const inputs: Record<string, Record<string, unknown>> = {
      categories: { title: "Q" },
      scoreScales: {
        title: "S",
        type: "t",
        class: ref("c"),
        scoreScaleValue: [{ itemValueLHS: "a", itemValueRHS: "b" }]
      },
      lineItems: lineItem,
      results: { lineItem: ref("li"), student: ref("s"), scoreStatus: "submitted", scoreDate: "2024-09-06" },
      assessmentLineItems: { title: "A" },
      assessmentResults: {
        assessmentLineItem: ref("ali"),
        student: ref("s"),
        scoreStatus: "submitted",
        scoreDate: "2024-09-06"
      }
    }
    for (const r of Scope.resources) {
      const s = (gradebook as any)[r.name]
      const input = inputs[r.name]!
      outcomes[`create ${r.name}`] = yield* s.create(input)
      outcomes[`put ${r.name}`] = yield* s.put("id-1", input)
      outcomes[`get ${r.name}`] = yield* s.get("id-1")
      outcomes[`list ${r.name}`] = yield* s.list({ limit: 5 })
      outcomes[`delete ${r.name}`] = yield* s.delete("id-1")
      if (r.Patch) {
        outcomes[`patch ${r.name}`] = yield* s.patch(
          "id-1",
          r.name === "assessmentResults" ? { comment: "c" } : { title: "T" }
        )
      }
    }
    for (const route of Scope.routes) {
      let node: any = gradebook
      for (const parent of route.parents) node = node[parent](`${parent}-1`)
      const scoped = node[route.resource.name]
      const name = Scope.template(route)
      if (route.reads) outcomes[`GET ${name}`] = yield* scoped.list({ limit: 5 })
      if (route.creates) {
        // the fields the route fills in are left to it
        const item = Object.fromEntries(
          Object.entries(inputs[route.resource.name]!).filter(([k]) => !(k in route.binds))
        )
        outcomes[`POST ${name}`] = yield* scoped.createMany([item])
      }
    }
    return outcomes
  }) as Effect.Effect<Record<string, unknown>, GradebookError.GradebookError>

describe("4. reads as tolerant as the contract", () => {
  it.live("all 44 operations read answers generated from the contract: nulls everywhere allowed, unknown strings, extra keys", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack({ server: { generatedAnswers: "odd" } })
      const outcomes = yield* everyOperation(gradebook)
      // 44 operations; the two PATCHes are answered with an object that is not the item, so each is read back
      expect((yield* apiRequests).length).toBe(44 + 2)
      const result = outcomes["get results"] as any
      expect(result.sourcedId).toBe("id-1")
      // a flag the contract types as any string is read as it came
      expect(result.inProgress).toBe("a value no enumeration names")
      // null optionals read as absent
      const assessment = outcomes["get assessmentResults"] as any
      expect(["inProgress", "score", "comment", "metadata"].filter((k) => k in assessment)).toStrictEqual([])
      expect((outcomes["list results"] as any).results.length).toBe(2)
      expect((outcomes["patch assessmentResults"] as any).sourcedId).toBe("id-1")
    }))

  it.live("and answers with every optional field set", () =>
    Effect.gen(function*() {
      const { gradebook } = yield* stack({ server: { generatedAnswers: "full" } })
      const outcomes = yield* everyOperation(gradebook)
      const ali = outcomes["get assessmentLineItems"] as any
      expect(ali.course).toStrictEqual({ sourcedId: "id-1-course" })
      expect(ali.learningObjectiveSet).toStrictEqual([{
        source: "source-value",
        learningObjectiveIds: ["learningObjectiveIds-value"]
      }])
      expect((outcomes["get results"] as any).learningObjectiveSet[0].learningObjectiveResults[0].score).toBe(87.5)
    }))

  it.live("a PATCH answered with the item reads it without a second request", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      yield* gradebook.assessmentLineItems.put("ali-1", { title: "Unit test" })
      const patched = yield* gradebook.assessmentLineItems.patch("ali-1", { description: "patched" })
      expect(patched).toMatchObject({ sourcedId: "ali-1", title: "Unit test", description: "patched" })
      expect((yield* apiRequests).map((r) => r.method)).toStrictEqual(["PUT", "PATCH"])
    }))
})

describe("5. assessment line items' fields", () => {
  it.live("course is written and survives a read-then-put; the fields the contract does not have are refused before sending", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      yield* gradebook.assessmentLineItems.put("ali-1", {
        title: "Unit test",
        course: ref("course-1"),
        metadata: { lms: { id: 7 } }
      })
      const read = yield* gradebook.assessmentLineItems.get("ali-1")
      const { sourcedId: _, dateLastModified: _d, ...again } = read
      yield* gradebook.assessmentLineItems.put("ali-1", { ...again, title: "Unit test (v2)" })
      expect(yield* gradebook.assessmentLineItems.get("ali-1")).toMatchObject({
        course: ref("course-1"),
        metadata: { lms: { id: 7 } },
        title: "Unit test (v2)"
      })
      const before = (yield* apiRequests).length
      for (const field of ["assignDate", "dueDate", "school", "category", "gradingPeriod", "academicSession"]) {
        const value = field.endsWith("Date") ? "2024-09-01" : ref("x")
        const refused = yield* Effect.flip(gradebook.assessmentLineItems.create({ title: "A", [field]: value } as any))
        expect(refused).toBeInstanceOf(GradebookError.RequestError)
        expect((refused as GradebookError.RequestError).fields).toStrictEqual([field])
      }
      expect((yield* apiRequests).length).toBe(before)
    }))
})

describe("6. dateLastModified and null on writes", () => {
  it.live("a dateLastModified that is not a date-time is refused before sending; one that is, is sent as RFC 3339", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const refused = yield* Effect.flip(gradebook.categories.put("c-1", { title: "Q", dateLastModified: "yesterday" }))
      expect((refused as GradebookError.RequestError).fields).toStrictEqual(["dateLastModified"])
      expect(yield* apiRequests).toStrictEqual([])
      yield* gradebook.categories.put("c-1", { title: "Q", dateLastModified: "2024-09-01T10:00Z" })
      expect(bodyOf((yield* apiRequests)[0]!).category.dateLastModified).toBe("2024-09-01T10:00:00Z")
    }))

  it.live("null clears a field where the contract allows it, and is accepted by its schema", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      yield* gradebook.categories.put("c-1", { title: "Q", weight: null })
      const result = yield* gradebook.results.put("r-1", {
        lineItem: ref("li-1"),
        student: ref("stu-1"),
        class: null,
        scoreScale: null,
        scoreStatus: "not submitted",
        scoreDate: "2024-09-06",
        score: null,
        textScore: null,
        comment: null
      })
      expect(["score", "comment", "class"].filter((k) => k in result)).toStrictEqual([])
      yield* gradebook.assessmentResults.put("ar-1", {
        assessmentLineItem: ref("ali-1"),
        student: ref("stu-1"),
        scoreStatus: "fully graded",
        scoreDate: "2024-09-06",
        score: 80,
        comment: "good"
      })
      const cleared = yield* gradebook.assessmentResults.patch("ar-1", { score: null, comment: null, late: null })
      expect(["score", "comment", "late"].filter((k) => k in cleared)).toStrictEqual([])
      yield* gradebook.lineItems.put("li-1", {
        ...lineItem,
        description: null,
        resultValueMax: null,
        gradingPeriod: null
      })
      expect((yield* apiRequests).map((r) => r.method)).toStrictEqual(["PUT", "PUT", "PUT", "PATCH", "PUT"])
    }))
})
