// Every resource, over real sockets against the fake server, by one table (resources.ts): create,
// put, get, list, stream, delete, patch, refusals before sending, 404, and a create whose answer
// is lost. Then what is particular to each resource.
import { describe, expect, it } from "@effect/vitest"
import { Filter, type Gradebook, GradebookError, type Resource } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { stack } from "./fixtures.js"
import { type Case, CASES, wire } from "./resources.js"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A resource's service with its types erased: the table mixes resources. */
interface AnyService {
  readonly create: (input: unknown) => Effect.Effect<Resource.SourcedIdPair, GradebookError.RequestError>
  readonly put: (sourcedId: string, input: unknown) => Effect.Effect<any, GradebookError.RequestError>
  readonly get: (sourcedId: string, options?: unknown) => Effect.Effect<any, GradebookError.RequestError>
  readonly list: (query?: unknown) => Effect.Effect<Resource.Page<any>, GradebookError.RequestError>
  readonly stream: (query?: unknown) => Stream.Stream<any, GradebookError.RequestError>
  readonly delete: (sourcedId: string) => Effect.Effect<void, GradebookError.RequestError>
  readonly patch: (sourcedId: string, patch: unknown) => Effect.Effect<any, GradebookError.RequestError>
}

/** The service of a case's resource (errors typed as `RequestError`, which is what these tests get). */
const serviceOf = (gradebook: Gradebook.GradebookService, c: Case): AnyService =>
  (gradebook as unknown as Record<string, AnyService>)[c.resource.name]!
const pathOf = (c: Case) => `${FakeTimebackServer.BASE_PATH}/${c.resource.name}`
const seed = (server: FakeTimebackServer.FakeTimebackServerService, c: Case, n: number) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => i),
    (i) =>
      server.store.of(c.resource).create({
        ...c.valid(i),
        sourcedId: `${c.resource.one}-${String(i).padStart(5, "0")}`
      }),
    { discard: true }
  )

describe.each(CASES.map((c) => [c.resource.name, c] as const))("%s", (_, c) => {
  it.live("create without a sourcedId (one is allocated before sending) and with one", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      const service = serviceOf(gradebook, c)
      const allocated = yield* service.create(c.valid(1))
      expect(allocated.suppliedSourcedId).toMatch(UUID_V4)
      const given = yield* service.create({ ...c.valid(2), sourcedId: "given-1" })
      expect(given).toStrictEqual({ suppliedSourcedId: "given-1", allocatedSourcedId: "given-1" })
      const posts = yield* apiRequests
      expect(posts.map((r) => `${r.method} ${r.url}`)).toStrictEqual([`POST ${pathOf(c)}`, `POST ${pathOf(c)}`])
      expect(JSON.parse(posts[0]!.body)).toStrictEqual({
        [c.resource.one]: { ...wire(c, c.valid(1)), sourcedId: allocated.suppliedSourcedId }
      })
      const stored = yield* server.store.of(c.resource).all
      expect(stored.map((s: any) => s.sourcedId)).toStrictEqual([allocated.suppliedSourcedId, "given-1"])
      expect(stored[1]).toMatchObject(wire(c, c.valid(2)))
    }))

  it.live("put creates, then updates; get returns it, and only `fields` when asked", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const service = serviceOf(gradebook, c)
      const created = yield* service.put("id/1", c.valid(1))
      expect(created).toMatchObject({ ...wire(c, c.valid(1)), sourcedId: "id/1" })
      const updated = yield* service.put("id/1", { ...c.valid(1), ...c.update })
      expect(updated).toMatchObject({ ...c.update, sourcedId: "id/1" })
      expect(yield* service.get("id/1")).toStrictEqual(updated)
      const some = yield* service.get("id/1", { fields: c.fields })
      expect(Object.keys(some).sort()).toStrictEqual([...c.fields].sort())
      expect((yield* apiRequests).map((r) => `${r.method} ${r.url}`)).toStrictEqual([
        `PUT ${pathOf(c)}/id%2F1`,
        `PUT ${pathOf(c)}/id%2F1`,
        `GET ${pathOf(c)}/id%2F1`,
        `GET ${pathOf(c)}/id%2F1?fields=${encodeURIComponent(c.fields.join(","))}`
      ])
    }))

  it.live("list with a filter, and a page of it", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* seed(server, c, 12)
      const expected = Array.from({ length: 12 }, (_, i) => i).filter(c.filter.matches)
      const page = yield* serviceOf(gradebook, c).list({ filter: c.filter.filter, limit: 2, offset: 1 })
      expect(page).toMatchObject({ offset: 1, limit: 2, totalCount: expected.length })
      expect(page.results.map((r: any) => r.sourcedId)).toStrictEqual(
        expected.slice(1, 3).map((i) => `${c.resource.one}-${String(i).padStart(5, "0")}`)
      )
    }))

  it.live("stream reads 2,500 across pages, each page once, and one empty page to be sure", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* seed(server, c, 2500)
      const ids = yield* Stream.runCollect(Stream.map(serviceOf(gradebook, c).stream(), (r: any) => r.sourcedId))
      expect(new Set(ids).size).toBe(2500)
      // 25 pages, and one empty one: a totalCount is not trusted to end a full page (it may be low)
      expect((yield* apiRequests).length).toBe(26)
    }))

  it.live("delete is a soft delete; a get of an unknown id is a 404", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* seed(server, c, 1)
      const id = `${c.resource.one}-00000`
      yield* serviceOf(gradebook, c).delete(id)
      expect(yield* server.store.of(c.resource).get(id)).toMatchObject({ status: "tobedeleted" })
      const missing = yield* Effect.flip(serviceOf(gradebook, c).get("nope"))
      expect(missing).toBeInstanceOf(GradebookError.RequestError)
      expect(missing).toMatchObject({ status: 404, attempts: 1, operation: c.resource.operations.get })
      expect(missing.imsx?.codeMinor[0]?.value).toBe("unknownobject")
    }))

  it.live("invalid input is refused before anything is sent, naming the fields", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const service = serviceOf(gradebook, c)
      const refused = yield* Effect.flip(service.create(c.invalid.input))
      expect(refused).toBeInstanceOf(GradebookError.RequestError)
      expect([...refused.fields!].sort()).toStrictEqual([...c.invalid.fields].sort())
      expect(refused.operation).toBe(c.resource.operations.create)
      const badId = yield* Effect.flip(service.put("..", c.valid(1)))
      expect(badId.fields).toStrictEqual(["sourcedId"])
      const badQuery = yield* Effect.flip(service.list({ limit: 0, sort: "nope" }))
      expect(badQuery.fields).toStrictEqual(["limit", "sort"])
      expect(yield* apiRequests).toStrictEqual([])
    }))

  it.live("a create committed before its answer was lost is retried into exactly one stored item", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook, server } = yield* stack()
      yield* server.inject({ method: "POST", path: pathOf(c), action: { _tag: "DropAfterCommit" } })
      const pair = yield* serviceOf(gradebook, c).create(c.valid(3))
      const stored = yield* server.store.of(c.resource).all
      expect(stored.map((s: any) => s.sourcedId)).toStrictEqual([pair.allocatedSourcedId])
      const posts = (yield* apiRequests).filter((r) => r.method === "POST")
      expect(posts.map((p) => JSON.parse(p.body)[c.resource.one].sourcedId)).toStrictEqual([
        pair.allocatedSourcedId,
        pair.allocatedSourcedId
      ])
      // a confirmation GET, then the answer
      expect((yield* apiRequests).map((r) => r.method)).toStrictEqual(["POST", "POST", "GET"])
    }))

  it.live("a 409 for an item that is someone else's stays a 409", () =>
    Effect.gen(function*() {
      const { gradebook, server } = yield* stack()
      yield* server.store.of(c.resource).create({ ...c.valid(7), sourcedId: "taken" })
      yield* server.inject({ method: "POST", path: pathOf(c), action: { _tag: "Status", status: 503 } })
      const error = yield* Effect.flip(serviceOf(gradebook, c).create({ ...c.valid(8), sourcedId: "taken" }))
      expect(error).toMatchObject({ _tag: "RequestError", status: 409, attempts: 2 })
    }))

  if (c.patch) {
    const patch = c.patch
    it.live("patch changes the given fields and merges metadata", () =>
      Effect.gen(function*() {
        const { gradebook, server } = yield* stack()
        yield* server.store.of(c.resource).create({ ...c.valid(1), sourcedId: "p-1", metadata: { kept: 1 } })
        const patched = yield* serviceOf(gradebook, c).patch("p-1", patch)
        expect(patched).toMatchObject({ ...c.valid(1), ...patch, metadata: { kept: 1, ...patch.metadata as object } })
      }))
  } else {
    it("has no patch", () => {
      expect(c.resource.Patch).toBeUndefined()
    })
  }
})

const fieldsOf = (e: GradebookError.GradebookError) => (e as GradebookError.RequestError).fields

describe("particular to each resource", () => {
  it.live("score scales: every value round-trips; a value that is not a string is refused by name", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const values = [
        { itemValueLHS: "90", itemValueRHS: "100", value: "A", description: "excellent" },
        { itemValueLHS: "0", itemValueRHS: "89" }
      ] as const
      const scale = {
        title: "Letters",
        type: "letter",
        class: { sourcedId: "class-1" },
        course: { sourcedId: "course-1" },
        status: "active" as const,
        scoreScaleValue: values
      }
      const stored = yield* gradebook.scoreScales.put("scale-1", scale)
      expect(stored.scoreScaleValue).toStrictEqual(values)
      expect((yield* gradebook.scoreScales.get("scale-1")).course).toStrictEqual({ sourcedId: "course-1" })
      const sent = yield* apiRequests
      const bad = yield* Effect.flip(
        gradebook.scoreScales.create({ ...scale, scoreScaleValue: [{ itemValueLHS: 90, itemValueRHS: "100" }] } as any)
      )
      expect(fieldsOf(bad)).toStrictEqual(["scoreScaleValue.0.itemValueLHS"])
      expect(yield* apiRequests).toStrictEqual(sent)
    }))

  it.live("categories: weight is a finite number, stored, filtered and sorted as a number", () =>
    Effect.gen(function*() {
      const { gradebook } = yield* stack()
      for (const [id, weight] of [["c-a", 0.5], ["c-b", 10], ["c-c", 2]] as const) {
        yield* gradebook.categories.create({ sourcedId: id, title: id, status: "active", weight })
      }
      const heavy = yield* gradebook.categories.list({
        filter: Filter.gt("weight", 1),
        sort: "weight",
        orderBy: "desc"
      })
      expect(heavy.results.map((c) => [c.sourcedId, c.weight])).toStrictEqual([["c-b", 10], ["c-c", 2]])
      const refused = yield* Effect.flip(gradebook.categories.create({ title: "x", status: "active", weight: NaN }))
      expect(fieldsOf(refused)).toStrictEqual(["weight"])
      // Timeback's contract requires status: one left out is sent as "active"
      const noStatus = yield* gradebook.categories.put("c-d", { title: "x" })
      expect(noStatus.status).toBe("active")
    }))

  it.live("line items: a date-time with seconds kept byte for byte, a date sent as its first instant in UTC; anything else refused", () =>
    Effect.gen(function*() {
      const { gradebook } = yield* stack()
      const item = {
        title: "Essay",
        assignDate: "2024-09-01T08:00:00.000+02:00",
        dueDate: "2024-09-08",
        class: { sourcedId: "class-1" },
        school: { sourcedId: "school-1" },
        category: { sourcedId: "cat-1" }
      }
      const stored = yield* gradebook.lineItems.put("li-1", item)
      expect([stored.assignDate, stored.dueDate]).toStrictEqual([item.assignDate, "2024-09-08T00:00:00Z"])
      for (const dueDate of ["2024-09-08T10:00", "2024-09-31", "next week", "2024-9-8"]) {
        const refused = yield* Effect.flip(gradebook.lineItems.create({ ...item, dueDate }))
        expect(fieldsOf(refused), dueDate).toStrictEqual(["dueDate"])
      }
      const due = yield* gradebook.lineItems.list({ filter: Filter.lte("dueDate", "2024-09-30T00:00:00Z") })
      expect(due.results.map((li) => li.sourcedId)).toStrictEqual(["li-1"])
    }))
})
