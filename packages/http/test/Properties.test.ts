/**
 * Property-based tests of the live layer over real sockets (fast-check; committed seed and sizes,
 * see `settings` in `properties.ts` for a longer run).
 *
 * 1. Any arguments to any operation of any resource: a typed `RequestError` with nothing sent, or
 *    exactly one well-formed request, to the intended path, whose body carries the input; never a
 *    defect.
 * 2. Random fault sequences through creates of every resource: exactly one stored item per
 *    intended create.
 */
import { describe, expect, it } from "@effect/vitest"
import { Filter, GradebookError, Resource, Scope, SourcedId } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { stack } from "./fixtures.js"
import { anyId, arbitraries, carries, settings, validId } from "./properties.js"

type Call =
  & { readonly resource: Resource.Any }
  & (
    | { readonly op: "create"; readonly input: unknown }
    | { readonly op: "put"; readonly id: unknown; readonly input: unknown }
    | { readonly op: "get"; readonly id: unknown; readonly options: unknown }
    | { readonly op: "list"; readonly query: unknown }
    | { readonly op: "delete"; readonly id: unknown }
    | { readonly op: "patch"; readonly id: unknown; readonly patch: unknown }
  )

const pathOf = (resource: Resource.Any) => `${FakeTimebackServer.BASE_PATH}/${resource.name}`

const isValidId = Schema.is(SourcedId.SourcedId)

/** What JSON and the SDK see of a caller's object: its own enumerable keys, nothing from a prototype. */
const ownKeys = (u: unknown) => typeof u === "object" && u !== null ? Object.fromEntries(Object.entries(u)) : undefined

const callOf = (resource: Resource.Any): fc.Arbitrary<Call> => {
  const { anyInput, anyPatch, anyQuery } = arbitraries(resource)
  return fc.oneof(
    fc.record({ resource: fc.constant(resource), op: fc.constant("create" as const), input: anyInput }),
    // put: the body's own sourcedId as the path id half the time, so that most puts get through
    fc.tuple(anyInput, anyId, fc.boolean()).map(([input, id, same]): Call => ({
      resource,
      op: "put",
      input,
      id: same && typeof input === "object" && input !== null && "sourcedId" in input ? input.sourcedId : id
    })),
    fc.record({
      resource: fc.constant(resource),
      op: fc.constant("get" as const),
      id: anyId,
      options: fc.oneof(fc.constant(undefined), anyQuery.map((q) => q as unknown))
    }),
    fc.record({ resource: fc.constant(resource), op: fc.constant("list" as const), query: anyQuery }),
    fc.record({ resource: fc.constant(resource), op: fc.constant("delete" as const), id: anyId }),
    ...(anyPatch
      ? [fc.record({ resource: fc.constant(resource), op: fc.constant("patch" as const), id: anyId, patch: anyPatch })]
      : [])
  )
}

const anyCall: fc.Arbitrary<Call> = fc.oneof(...Scope.resources.map(callOf))

describe("any arguments, any operation", () => {
  it.live(
    "a typed RequestError with nothing sent, or exactly one request that carries the call",
    () =>
      Effect.gen(function*() {
        const { gradebook, server } = yield* stack({ config: { maxAttempts: 1 } })
        const api = Effect.map(server.requests, (all) =>
          all.filter((r) => r.url.startsWith(FakeTimebackServer.BASE_PATH)))
        const counts: Record<string, number> = {}
        const perform = (call: Call): Effect.Effect<unknown, GradebookError.GradebookError> => {
          const g = (gradebook as any)[call.resource.name]
          switch (call.op) {
            case "create":
              return g.create(call.input)
            case "put":
              return g.put(call.id, call.input)
            case "get":
              return g.get(call.id, call.options)
            case "list":
              return g.list(call.query)
            case "delete":
              return g.delete(call.id)
            case "patch":
              return g.patch(call.id, call.patch)
          }
        }

        const check = (call: Call) =>
          Effect.gen(function*() {
            yield* server.clearRequests
            const exit = yield* Effect.exit(Effect.suspend(() =>
              perform(call)
            ))
            const sent = yield* api
            if (Exit.isFailure(exit)) {
              const failure = Cause.findErrorOption(exit.cause)
              if (failure._tag === "None") throw new Error(`not a typed failure: ${Cause.pretty(exit.cause)}`)
              expect(GradebookError.isGradebookError(failure.value)).toBe(true)
              const e = failure.value
              if (e._tag === "RequestError" && e.status === undefined) {
                expect(sent).toStrictEqual([])
                expect(e.fields?.length).toBeGreaterThan(0)
                counts[`${call.op} refused`] = (counts[`${call.op} refused`] ?? 0) + 1
                return
              }
              // the server may say the item is unknown (404) or already exists (409); anything else
              // means the SDK sent something the API refuses (or could not read the answer)
              expect([e._tag, e.status, e.description]).toEqual([
                "RequestError",
                call.op === "create" ? 409 : 404,
                expect.any(String)
              ])
            }
            counts[`${call.op} sent`] = (counts[`${call.op} sent`] ?? 0) + 1
            counts[`${call.resource.name} sent`] = (counts[`${call.resource.name} sent`] ?? 0) + 1
            expect(sent.length).toBe(1)
            const [request] = sent
            const url = new URL(request!.url, "http://x")
            const base = pathOf(call.resource)
            expect(url.pathname === base || url.pathname.startsWith(`${base}/`)).toBe(true)
            const segments = url.pathname.slice(base.length).split("/").slice(1).map(decodeURIComponent)
            const one = call.resource.one
            const body = request!.body === "" ? undefined : JSON.parse(request!.body)
            switch (call.op) {
              case "create": {
                expect([request!.method, segments]).toStrictEqual(["POST", []])
                const { sourcedId, ...rest } = body[one]
                expect(isValidId(sourcedId)).toBe(true)
                const given = (call.input as { sourcedId?: unknown }).sourcedId
                if (given !== undefined) expect(sourcedId).toBe(given)
                if (Exit.isSuccess(exit)) expect((exit.value as any).allocatedSourcedId).toBe(sourcedId)
                // what is sent is the input's wire form (status filled in, dates as RFC 3339)
                const sentForm = Resource.toWire(call.resource.wire, true)(call.input as object)
                expect(carries(rest, { ...sentForm, sourcedId: undefined })).toBe(true)
                break
              }
              case "put":
              case "patch": {
                expect([request!.method, segments]).toStrictEqual([call.op === "put" ? "PUT" : "PATCH", [call.id]])
                const written = Resource.toWire(call.resource.wire, call.op === "put")(
                  (call.op === "put" ? call.input : call.patch) as object
                )
                const expected = call.op === "put" ? { ...(written as object), sourcedId: call.id } : written
                expect(carries(body[one], expected)).toBe(true)
                break
              }
              case "get":
              case "delete": {
                expect([request!.method, segments, body]).toStrictEqual([
                  call.op === "get" ? "GET" : "DELETE",
                  [call.id],
                  undefined
                ])
                const fields = call.op === "get"
                  ? (call.options as { fields?: ReadonlyArray<string> })?.fields
                  : undefined
                expect(Object.fromEntries(url.searchParams)).toStrictEqual(
                  fields === undefined ? {} : { fields: fields.join(",") }
                )
                break
              }
              case "list": {
                expect([request!.method, segments, body]).toStrictEqual(["GET", [], undefined])
                const q = ownKeys(call.query) as Resource.ListQuery | undefined
                const params = Object.fromEntries(url.searchParams)
                const expected: Record<string, string> = {}
                for (const key of ["limit", "offset", "sort", "orderBy", "search"] as const) {
                  if (q?.[key] !== undefined) expected[key] = String(q[key])
                }
                if (q?.fields !== undefined) expected.fields = q.fields.join(",")
                if (q?.filter !== undefined) expected.filter = Filter.render(q.filter)
                expect(params).toStrictEqual(expected)
                // and the server reads the filter back as the same clauses
                if (q?.filter !== undefined) {
                  const clauses = (f: Filter.Filter<string>) => {
                    const { clauses, join } = Filter.clauses(f)
                    // the join of a single clause means nothing (an `or` of one renders as the clause)
                    return {
                      join: clauses.length > 1 ? join : "-",
                      clauses: clauses.map((c) => [c.field, c.operator, c.value])
                    }
                  }
                  expect(Result.map(Filter.parse(params.filter!, call.resource.filterFields), clauses)).toStrictEqual(
                    Result.succeed(clauses(q.filter))
                  )
                }
                break
              }
            }
          })

        yield* Effect.promise(() =>
          fc.assert(fc.asyncProperty(anyCall, (call) => Effect.runPromise(check(call))), settings(600))
        )
        // the generators reach both outcomes of every operation, and every resource
        for (const op of ["create", "put", "get", "list", "delete", "patch"]) {
          expect(counts[`${op} refused`]).toBeGreaterThan(0)
          expect(counts[`${op} sent`]).toBeGreaterThan(0)
        }
        for (const resource of Scope.resources) expect(counts[`${resource.name} sent`]).toBeGreaterThan(0)
      }),
    120_000
  )
})

/** A fault for the next matching request: on the create's POST, the confirming GET, or the token endpoint. */
const anyFault: fc.Arbitrary<FakeTimebackServer.Fault> = fc.record({
  method: fc.constantFrom("POST", "GET", undefined),
  path: fc.constantFrom(FakeTimebackServer.BASE_PATH, "/oauth2/token", undefined),
  times: fc.integer({ min: 1, max: 2 }),
  action: fc.oneof(
    fc.record({
      _tag: fc.constant("Status" as const),
      status: fc.constantFrom(408, 429, 500, 502, 503, 504),
      retryAfterMs: fc.integer({ min: 0, max: 30 })
    }),
    fc.constant({ _tag: "DropAfterCommit" as const }),
    fc.constant({ _tag: "Truncated" as const }),
    fc.constant({ _tag: "Malformed" as const, status: 502 }),
    fc.constant({ _tag: "StallBody" as const }),
    fc.constant({ _tag: "Hang" as const }),
    fc.record({ _tag: fc.constant("Delay" as const), millis: fc.integer({ min: 0, max: 30 }) })
  )
}, { requiredKeys: ["times", "action"] }) as fc.Arbitrary<FakeTimebackServer.Fault>

describe("creates under random faults", () => {
  // enough attempts that no create can run out: every failed attempt takes at least one fault
  const MAX_FAULTS = 5
  it.live(
    "exactly one stored item per intended create, of any resource, whatever fails on the way",
    () =>
      Effect.gen(function*() {
        const { gradebook, server } = yield* stack({
          config: {
            maxAttempts: 2 * MAX_FAULTS + 1,
            attemptTimeout: "150 millis",
            tokenTimeout: "150 millis",
            baseDelay: "2 millis",
            maxDelay: "20 millis"
          }
        })
        const creates = fc.array(
          fc.constantFrom(...Scope.resources).chain((resource) =>
            fc.tuple(
              fc.constant(resource as Resource.Any),
              arbitraries(resource).validInput,
              fc.constantFrom("absent", "undefined", "given"),
              validId
            )
          ),
          { minLength: 1, maxLength: 6 }
        )
        const check = (
          intended: ReadonlyArray<readonly [Resource.Any, Record<string, unknown>, string, string]>,
          faults: ReadonlyArray<FakeTimebackServer.Fault>,
          revoke: boolean,
          concurrency: number
        ) =>
          Effect.gen(function*() {
            yield* server.clearFaults
            yield* server.store.clear
            if (revoke) yield* server.revokeTokens
            const inputs = intended.map(([, input, mode, id], i) => {
              const { sourcedId: _, ...rest } = input
              return mode === "absent" ? rest : { ...rest, sourcedId: mode === "given" ? `${id}-${i}` : undefined }
            })
            for (const fault of faults) yield* server.inject(fault)
            const pairs = yield* Effect.forEach(
              inputs,
              (input, i) =>
                (gradebook as any)[intended[i]![0].name].create(input) as Effect.Effect<
                  Resource.SourcedIdPair,
                  GradebookError.GradebookError
                >,
              { concurrency }
            )
            yield* server.clearFaults
            // one item per create, in its resource, under the id the call reported, with what was written
            for (const resource of Scope.resources as ReadonlyArray<Resource.Any>) {
              const stored = (yield* server.store.of(resource).all) as ReadonlyArray<{ readonly sourcedId: string }>
              const mine = pairs.filter((_, i) => intended[i]![0] === resource).map((p) => p.allocatedSourcedId)
              expect(stored.map((s) => s.sourcedId).sort()).toStrictEqual([...mine].sort())
            }
            for (const [i, pair] of pairs.entries()) {
              const [resource] = intended[i]!
              if (inputs[i]!.sourcedId !== undefined) expect(pair.allocatedSourcedId).toBe(inputs[i]!.sourcedId)
              const stored = yield* server.store.of(resource).get(pair.allocatedSourcedId)
              const sentForm = Resource.toWire(resource.wire, true)(inputs[i]!)
              expect(resource.isSent(stored, { ...sentForm, sourcedId: pair.allocatedSourcedId })).toBe(true)
            }
          })
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              creates,
              fc.array(anyFault, { maxLength: MAX_FAULTS }),
              fc.boolean(),
              fc.integer({ min: 1, max: 6 }),
              (intended, faults, revoke, concurrency) =>
                Effect.runPromise(check(intended as any, faults, revoke, concurrency))
            ),
            settings(40)
          )
        )
      }),
    120_000
  )
})
