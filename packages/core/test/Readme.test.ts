// The README's endpoint table lists every endpoint, and each call it names reaches that endpoint.
import { describe, expect, it } from "@effect/vitest"
import { Gradebook, type Resource, Scope } from "@timeback/core"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { readFileSync } from "node:fs"
import { endpointTable } from "./endpoints.js"

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8")

/** A gradebook whose backend answers every call with the endpoint it would reach. */
const reached: Array<string> = []
const item = (method: string) => (resource: { readonly name: string }) =>
  Effect.sync(() => void reached.push(`${method} /${resource.name}/{sourcedId}`)) as any
const gradebook = Gradebook.make({
  create: (resource) => Effect.sync(() => void reached.push(`POST /${resource.name}`)) as any,
  put: item("PUT"),
  get: item("GET"),
  delete: item("DELETE"),
  patch: item("PATCH"),
  list: (resource, _, scope) =>
    Effect.sync(() => {
      reached.push(`GET ${scope ? Scope.template(scope.route) : `/${resource.name}`}`)
      return { results: [], offset: 0, limit: 100 }
    }),
  createMany: (_, scope) =>
    Effect.sync(() => {
      reached.push(`POST ${Scope.template(scope.route)}`)
      return []
    })
})

/** A valid input of a resource (sampled from its schema), without the fields `omit` names. */
const validInput = (name: string, omit: ReadonlyArray<string> = []) => {
  const resource = (Scope.resources as ReadonlyArray<Resource.Any>).find((r) => r.name === name)!
  const [sample] = Effect.runSync(
    Arbitrary.sampleEffect(Arbitrary.schema(resource.Input), { count: 1, seed: 1 })
  ) as Array<
    Record<string, unknown>
  >
  return Object.fromEntries(Object.entries(sample!).filter(([k]) => k !== "sourcedId" && !omit.includes(k)))
}

/** Runs a call as the table writes it, e.g. `gradebook.classes(classId).results.list(query)`. */
const run = (endpoint: string, call: string): Effect.Effect<unknown, unknown> => {
  const resourceName = /(\w+)\.\w+\([^)]*\)$/.exec(call)![1]!
  const route = Scope.routes.find((r) => `POST ${Scope.template(r)}` === endpoint)
  const VALID_ARGUMENT: Record<string, unknown> = {
    sourcedId: "id-1",
    query: {},
    patch: {},
    "{ fields? }": {},
    input: validInput(resourceName),
    items: [validInput(resourceName, Object.keys(route?.binds ?? {}))]
  }
  let target: any = gradebook
  const segments = call.replace(/^gradebook\./, "").split(".")
  for (const [i, segment] of segments.entries()) {
    const [, name, args] = /^(\w+)(?:\((.*)\))?$/.exec(segment)!
    const last = i === segments.length - 1
    if (args === undefined) target = target[name!]
    else if (!last) target = target[name!]("id-1")
    else {
      const values = args.split(", ").map((a) => VALID_ARGUMENT[a] ?? a)
      const result = target[name!](...values)
      return Stream.isStream(result) ? Stream.runDrain(result as Stream.Stream<unknown, unknown>) : result
    }
  }
  throw new Error(`not a call: ${call}`)
}

describe("README", () => {
  it("lists every endpoint, derived from the declarations (44)", () => {
    expect(readme).toContain(endpointTable())
    expect(endpointTable().split("\n").length - 2).toBe(44)
  })

  it.effect("each call in the table reaches its endpoint", () =>
    Effect.gen(function*() {
      for (const row of endpointTable().split("\n").slice(2)) {
        const [, endpoint, calls] = /^\| `([^`]+)` \| (.*) \|$/.exec(row)!
        for (const call of calls!.split(", `").map((c) => c.replaceAll("`", ""))) {
          reached.length = 0
          yield* run(endpoint!, call)
          expect(reached, call).toStrictEqual([endpoint])
        }
      }
    }))
})
