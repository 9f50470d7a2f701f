/**
 * Parity with Timeback's published contract: every declared resource's write schema (as Effect's
 * JSONSchema renders it, in its wire form: the fields `Resource.Wire` fills in count as required)
 * against the contract's component, field by field, and every route the SDK calls against the
 * contract's paths. A drift fails by name; a deliberate departure is listed in
 * `contract/departures.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Resource, Scope } from "@timeback/core"
import { Contract } from "@timeback/testkit"
import * as Schema from "effect/Schema"
import { departure, DEPARTURES } from "./contract/departures.js"

interface Shape {
  readonly types: ReadonlyArray<string>
  readonly enum?: ReadonlyArray<string>
  readonly format?: string
  readonly properties?: Readonly<Record<string, Shape>>
  readonly required?: ReadonlyArray<string>
  readonly items?: Shape
}

/** A schema reduced to the facets compared, `$ref`s into `defs` followed, `anyOf` merged. */
const shape = (schema: any, defs: Record<string, any> = {}): Shape => {
  if (schema.$ref) return shape(defs[schema.$ref.split("/").pop()], defs)
  if (schema.anyOf) {
    const members = schema.anyOf.map((m: any) => shape(m, defs))
    const telling = members.find((m: Shape) => !(m.types.length === 1 && m.types[0] === "null")) ?? members[0]
    return { ...telling, types: [...new Set(members.flatMap((m: Shape) => m.types))].sort() }
  }
  const types: Array<string> = schema.type === undefined
    ? schema.enum
      ? [...new Set(schema.enum.map((v: unknown) => v === null ? "null" : typeof v))] as Array<string>
      : schema.properties
      ? ["object"]
      : []
    : [schema.type].flat()
  return {
    types: types.map((t) => t === "integer" ? "number" : t).sort(),
    ...(schema.enum && { enum: schema.enum.filter((v: unknown) => v !== null).map(String).sort() }),
    ...(schema.format && { format: schema.format }),
    ...(schema.properties && {
      properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, shape(v, defs)])),
      required: [...(schema.required ?? [])].sort()
    }),
    ...(schema.items && { items: shape(schema.items, defs) })
  }
}

/** Every difference between a declaration and the contract, as `path:facet` keys. */
const differences = (declared: Shape, contract: Shape, path: string): Array<string> => {
  const out: Array<string> = []
  const at = (facet: string) => out.push(`${path}:${facet}`)
  const nonNull = (s: Shape) => s.types.filter((t) => t !== "null").join("|")
  if (nonNull(declared) !== nonNull(contract) && nonNull(contract) !== "") at("type")
  if (declared.types.includes("null") !== contract.types.includes("null")) at("nullable")
  if (JSON.stringify(declared.enum) !== JSON.stringify(contract.enum)) at("enum")
  if (declared.format !== contract.format) at("format")
  if (declared.properties && contract.properties) {
    const prefix = path === "" ? "" : `${path}.`
    for (const k of Object.keys(declared.properties)) {
      if (!(k in contract.properties)) out.push(`${prefix}${k}:extra`)
      else out.push(...differences(declared.properties[k]!, contract.properties[k]!, `${prefix}${k}`))
    }
    for (const k of Object.keys(contract.properties)) if (!(k in declared.properties)) out.push(`${prefix}${k}:missing`)
    for (const k of new Set([...declared.required ?? [], ...contract.required ?? []])) {
      if ((declared.required ?? []).includes(k) !== (contract.required ?? []).includes(k)) {
        out.push(`${prefix}${k}:required`)
      }
    }
  }
  if (declared.items && contract.items) out.push(...differences(declared.items, contract.items, path))
  return out
}

/**
 * A JSON Schema object without the `null` Effect adds to each optional property's `anyOf` for its
 * `undefined` (JSON has no `undefined`; a caller's `undefined` is an absent key): a property is
 * nullable when its schema says `null` besides.
 */
const withoutUndefined = (schema: any, defs: Record<string, any>): any => {
  if (schema.$ref) return withoutUndefined(defs[schema.$ref.split("/").pop()], defs)
  const out = { ...schema }
  if (schema.anyOf) out.anyOf = schema.anyOf.map((m: any) => withoutUndefined(m, defs))
  if (schema.items) out.items = withoutUndefined(schema.items, defs)
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]: [string, any]) => {
        const inner = withoutUndefined(v, defs)
        if ((schema.required ?? []).includes(k) || !inner.anyOf) return [k, inner]
        const i = inner.anyOf.findIndex((m: any) => m.type === "null")
        const anyOf = inner.anyOf.filter((_: unknown, j: number) => j !== i)
        return [k, anyOf.length === 1 ? anyOf[0] : { ...inner, anyOf }]
      })
    )
  }
  return out
}

/** A declaration's write schema in its wire form: the fields `Wire.defaults` fills are required. */
const wireShape = (schema: any, wire: Resource.Wire | undefined): Shape => {
  const document = Schema.toJsonSchemaDocument(schema) as any
  const s = shape(withoutUndefined(document.schema, document.definitions), document.definitions)
  return wire ? { ...s, required: [...new Set([...s.required ?? [], ...Object.keys(wire.defaults)])].sort() } : s
}

/** A drift not listed as a departure, as `resource:path:facet`. */
const drifts = (name: string, declared: Shape, contract: Shape) =>
  differences(declared, contract, "").map((d) => `${name}:${d.replace(/^:/, "")}`).filter((k) => !departure(k))

/** The contract's PATCH body for a resource's item. */
const patchShape = (resource: Resource.Any) =>
  shape(Contract.find("PATCH", `/${resource.name}/x`)!.request!.properties![resource.one]!)

const COMPONENT: Record<string, string> = {
  categories: "Category",
  scoreScales: "ScoreScale",
  lineItems: "LineItem",
  results: "Result",
  assessmentLineItems: "AssessmentLineItem",
  assessmentResults: "AssessmentResult"
}

describe("the declarations against Timeback's contract", () => {
  it.each(Scope.resources.map((r) => [r.name, r] as const))(
    "%s: what the SDK writes is the contract's schema",
    (name, resource) => {
      const contract = shape(Contract.component(COMPONENT[name]!))
      expect(drifts(name, wireShape(resource.Input, resource.wire), contract)).toStrictEqual([])
    }
  )

  it.each(
    Scope.resources.filter((r) => r.Patch !== undefined).map((r) => [r.name, r] as const)
  )("%s: a patch is the contract's PATCH body", (name, resource) => {
    expect(drifts(name, wireShape(resource.Patch, undefined), patchShape(resource))).toStrictEqual([])
  })

  it("every departure listed is still needed (none is stale)", () => {
    const all = Scope.resources.flatMap((r) =>
      [
        ...differences(wireShape(r.Input, r.wire), shape(Contract.component(COMPONENT[r.name]!)), ""),
        ...(r.Patch ? differences(wireShape(r.Patch, undefined), patchShape(r), "") : [])
      ].map((d) => departure(`${r.name}:${d.replace(/^:/, "")}`))
    )
    expect(Object.keys(DEPARTURES).filter((k) => !all.includes(k))).toStrictEqual([])
  })
})

describe("the routes against Timeback's contract", () => {
  it("the SDK calls exactly the contract's 44 operations", () => {
    const sdk = new Set<string>()
    for (const r of Scope.resources) {
      sdk.add(`POST /${r.name}`).add(`GET /${r.name}`)
      for (const m of ["GET", "PUT", "DELETE"]) sdk.add(`${m} /${r.name}/{}`)
      if (r.Patch) sdk.add(`PATCH /${r.name}/{}`)
    }
    for (const route of Scope.routes) {
      const path = Scope.template(route).replace(/\{[^}]+\}/g, "{}")
      if (route.reads) sdk.add(`GET ${path}`)
      if (route.creates) sdk.add(`POST ${path}`)
    }
    const contract = new Set(Contract.operations.map((op) => `${op.method} ${op.path}`))
    expect([...sdk].filter((k) => !contract.has(k)).sort()).toStrictEqual([])
    expect([...contract].filter((k) => !sdk.has(k)).sort()).toStrictEqual([])
    expect(contract.size).toBe(44)
  })
})
