// The memory layer serves every resource and the scoped routes with the fake server's rules.
import { describe, expect, it } from "@effect/vitest"
import { Bulk, Gradebook, type GradebookError, LineItem, Result, Scope } from "@timeback/core"
import { GradebookStore, MemoryGradebook } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

const ref = (sourcedId: string) => ({ sourcedId })
const item = {
  title: "Quiz",
  assignDate: "2024-09-01",
  dueDate: "2024-09-08",
  school: ref("s-1"),
  category: ref("cat-1")
}

describe("layerMemory, every resource", () => {
  it.effect("line items below a class, results below a line item, and the calls recorded", () =>
    Effect.gen(function*() {
      const gradebook = yield* Gradebook.Gradebook
      const pairs = yield* gradebook.classes("c-1").lineItems.createMany([item, { ...item, title: "Test" }])
      const [first] = pairs
      yield* gradebook.lineItems(first!.allocatedSourcedId).results.createMany(
        ["stu-1", "stu-2", "stu-3"].map((s, i) => ({
          student: ref(s),
          scoreStatus: "fully graded" as const,
          scoreDate: "2024-09-02",
          score: 70 + i
        }))
      )
      const scores = yield* Stream.runCollect(
        gradebook.classes("c-1").lineItems(first!.allocatedSourcedId).results.stream({ limit: 2, fields: ["score"] })
      )
      expect([...scores]).toStrictEqual([{ score: 70 }, { score: 71 }, { score: 72 }])
      const titles = (yield* gradebook.schools("s-1").lineItems.list()).results.map((li) => li.title)
      expect(titles).toStrictEqual(["Quiz", "Test"])
      const unknown = yield* Effect.flip(gradebook.classes("c-404").results.list())
      expect(unknown).toMatchObject({ _tag: "RequestError", status: 404, operation: "listResultsForClass" })
      const memory = yield* MemoryGradebook.MemoryGradebook
      const calls = yield* memory.calls
      expect(calls.map((c) => c.operation)).toStrictEqual([
        "createLineItemsForClass",
        "createResultsForLineItem",
        "listResultsForClassLineItem",
        "listResultsForClassLineItem",
        "listLineItemsForSchool",
        "listResultsForClass"
      ])
      expect(calls[0]).toMatchObject({ resource: "lineItems", scope: ["c-1"] })
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  it.effect("assessment line items: create, patch, soft delete", () =>
    Effect.gen(function*() {
      const gradebook = yield* Gradebook.Gradebook
      const { allocatedSourcedId: id } = yield* gradebook.assessmentLineItems.create({ title: "Unit 1" })
      const patched = yield* gradebook.assessmentLineItems.patch(id, { description: "first unit", metadata: { a: 1 } })
      expect(patched).toMatchObject({ title: "Unit 1", description: "first unit", metadata: { a: 1 } })
      yield* gradebook.assessmentLineItems.delete(id)
      expect(yield* gradebook.assessmentLineItems.get(id, { fields: ["status"] })).toStrictEqual({
        status: "tobedeleted"
      })
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))

  it.effect("strictReferences: a result whose line item does not exist is refused", () =>
    Effect.gen(function*() {
      const gradebook = yield* Gradebook.Gradebook
      const error = yield* Effect.flip(gradebook.results.create({
        lineItem: ref("li-404"),
        student: ref("stu-1"),
        scoreStatus: "submitted",
        scoreDate: "2024-09-02"
      }))
      expect((error as GradebookError.RequestError).status).toBe(422)
      expect(error.message).toContain("lineItem li-404 does not exist")
    }).pipe(Effect.provide(MemoryGradebook.layerMemoryWith({ strictReferences: true }))))
})

describe("layerMemory, bulk writes", () => {
  it.effect("putAll and createAll: one outcome per item, in order, failures confined to their items", () =>
    Effect.gen(function*() {
      const gradebook = yield* Gradebook.Gradebook
      const outcomes = yield* Stream.runCollect(gradebook.lineItems.putAll([
        { ...item, sourcedId: "li-1", class: ref("c-1") },
        { ...item, sourcedId: "li-2", class: ref("c-1"), dueDate: "someday" },
        { ...item, sourcedId: "li-3", class: ref("c-1") }
      ]))
      expect([...outcomes].map((o) => [o.index, o.sourcedId, o.outcome._tag])).toStrictEqual([
        [0, "li-1", "Success"],
        [1, "li-2", "Failure"],
        [2, "li-3", "Success"]
      ])
      const summary = yield* Bulk.summarize(
        gradebook.results.createAll([{
          lineItem: ref("li-1"),
          student: ref("s"),
          scoreStatus: "submitted",
          scoreDate: "2024-09-01"
        }])
      )
      expect(summary).toMatchObject({ succeeded: 1, failed: {} })
    }).pipe(Effect.provide(MemoryGradebook.layerMemory)))
})

describe("store: multi-item creates are all or nothing", () => {
  it.effect("a batch that names one sourcedId twice is a 409 and stores nothing", () =>
    Effect.gen(function*() {
      const store = yield* GradebookStore.make
      yield* store.of(LineItem.resource).create({ ...item, sourcedId: "li-1", class: ref("c-1") })
      const route = Scope.routes.find((r) => r.parents.join("/") === "lineItems" && r.resource === Result.resource)!
      const result = {
        lineItem: ref("li-1"),
        student: ref("s"),
        scoreStatus: "submitted",
        scoreDate: "2024-09-01"
      } as const
      const error = yield* Effect.flip(
        store.createMany({ route, ids: ["li-1"] }, [{ ...result, sourcedId: "r-1" }, { ...result, sourcedId: "r-1" }])
      )
      expect(error).toMatchObject({ _tag: "WireError", status: 409, fields: ["results.1.sourcedId"] })
      expect(yield* store.of(Result.resource).all).toStrictEqual([])
    }))
})
