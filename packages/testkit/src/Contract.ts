/**
 * Timeback's published OneRoster Gradebook contract (its OpenAPI 3.1 document, vendored in the
 * package's `contract/` folder with its source): every operation, the request schemas the fake
 * server validates bodies and query parameters against, and the response schemas it can generate
 * answers from. `$ref`s are resolved and OpenAPI 3.0's `nullable: true` is read as a `null` type
 * (see `contract/README.md`).
 *
 * @since 0.4.0
 */
import type { Ajv2020 } from "ajv/dist/2020.js"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

/**
 * A JSON Schema as the contract writes it (after `$ref`s are resolved).
 *
 * @since 0.4.0
 * @category models
 */
export interface JsonSchema {
  readonly type?: string | ReadonlyArray<string>
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
  readonly enum?: ReadonlyArray<unknown>
  readonly format?: string
  readonly additionalProperties?: boolean | JsonSchema
  readonly minimum?: number
  readonly maximum?: number
  readonly [key: string]: unknown
}

/**
 * One operation of the contract.
 *
 * @since 0.4.0
 * @category models
 */
export interface Operation {
  readonly operationId: string
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH"
  /** Below the gradebook base path, parameters as `{}`, no trailing slash: `/classes/{}/results`. */
  readonly path: string
  /** The JSON body's schema, for operations that take one. */
  readonly request: JsonSchema | undefined
  /** Query parameters by name. */
  readonly query: Readonly<Record<string, JsonSchema>>
  /** The success status and the schema of its JSON body (`undefined` for an empty body). */
  readonly success: { readonly status: number; readonly body: JsonSchema | undefined }
}

/**
 * A place a request breaks the contract: a dotted path (`result.scoreDate`) and what is wrong.
 *
 * @since 0.4.0
 * @category models
 */
export interface Violation {
  readonly path: string
  readonly message: string
}

const BASE = "/ims/oneroster/gradebook/v1p2"
const METHODS = ["get", "post", "put", "delete", "patch"] as const

/** The vendored document, parsed. */
const raw: { paths: Record<string, Record<string, any>>; components: Record<string, Record<string, unknown>> } = JSON
  .parse(readFileSync(new URL("../contract/oneroster-gradebook.json", import.meta.url), "utf8"))

/** A schema with its `$ref`s replaced by what they name and `nullable: true` as a `null` type. */
const resolve = (value: unknown): any => {
  if (Array.isArray(value)) return value.map(resolve)
  if (typeof value !== "object" || value === null) return value
  const o = value as Record<string, unknown>
  if (typeof o.$ref === "string") {
    const [, , kind, name] = o.$ref.split("/")
    return resolve(raw.components[kind!]![name!])
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (k !== "nullable" && k !== "example") out[k] = resolve(v)
  if (o.nullable === true && typeof o.type === "string") out.type = [o.type, "null"]
  return out
}

/**
 * A component schema by name (`Result`, `AssessmentLineItem`, …), resolved.
 *
 * @since 0.4.0
 * @category accessors
 */
export const component = (name: string): JsonSchema => {
  const schema = raw.components.schemas?.[name]
  if (schema === undefined) throw new Error(`No component ${name} in the contract`)
  return resolve(schema)
}

const jsonBody = (content: any): JsonSchema | undefined =>
  content?.["application/json"]?.schema ? resolve(content["application/json"].schema) : undefined

/**
 * Every operation of the contract (44).
 *
 * @since 0.4.0
 * @category constants
 */
export const operations: ReadonlyArray<Operation> = Object.entries(raw.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m] !== undefined).map((m): Operation => {
    const op = item[m]
    const [status, answer] = Object.entries(op.responses as Record<string, any>).find(([s]) => s.startsWith("2"))!
    return {
      operationId: op.operationId,
      method: m.toUpperCase() as Operation["method"],
      path: path.slice(BASE.length).replace(/\/$/, "").replace(/\{[^}]+\}/g, "{}"),
      request: jsonBody(op.requestBody?.content),
      query: Object.fromEntries(
        ((op.parameters ?? []) as Array<any>).filter((p) => p.in === "query").map((p) => [p.name, resolve(p.schema)])
      ),
      success: { status: Number(status), body: jsonBody(answer.content) }
    }
  })
)

const matcher = (template: string) => new RegExp(`^${template.replace(/\{\}/g, "[^/]+")}/?$`)
const matchers = operations.map((op) => [op, matcher(op.path)] as const)

/**
 * The operation a request hits, by method and path below the gradebook base path; `undefined` for
 * one the contract does not have.
 *
 * @since 0.4.0
 * @category accessors
 */
export const find = (method: string, path: string): Operation | undefined =>
  matchers.find(([op, re]) => op.method === method && re.test(path))?.[0]

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/

/**
 * Whether a string is an RFC 3339 date-time (what `format: date-time` means): a real calendar date,
 * `T`, hours, minutes and seconds, and a zone.
 *
 * @since 0.4.0
 * @category predicates
 */
export const isDateTime = (s: string): boolean => {
  const m = RFC3339.exec(s)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

// ajv is loaded when something is first validated, not when the testkit is imported: loading it
// costs about 250 ms, which every importer (the CLI, a `layerMemory` test) would otherwise pay
let ajv: Ajv2020 | undefined
const compiled = new Map<JsonSchema, ReturnType<Ajv2020["compile"]>>()
const validator = (schema: JsonSchema) => {
  let v = compiled.get(schema)
  if (v === undefined) {
    if (ajv === undefined) {
      const { Ajv2020 } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")
      ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
      ajv.addFormat("date-time", { type: "string", validate: isDateTime })
    }
    compiled.set(schema, v = ajv.compile(schema as object))
  }
  return v
}

const dotted = (pointer: string) => pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))

/**
 * What is wrong with `value` against `schema`, one violation per place (empty when it is valid).
 *
 * @since 0.4.0
 * @category validation
 */
export const validate = (schema: JsonSchema, value: unknown): ReadonlyArray<Violation> => {
  const v = validator(schema)
  if (v(value)) return []
  return (v.errors ?? []).map((e) => {
    const path = dotted(e.instancePath)
    if (e.keyword === "required") path.push(String(e.params.missingProperty))
    const message = e.keyword === "required"
      ? "is required by Timeback's contract"
      : e.keyword === "enum"
      ? `must be one of ${(e.params.allowedValues as Array<unknown>).map((a) => JSON.stringify(a)).join(", ")}`
      : e.keyword === "format"
      ? `must be an RFC 3339 ${e.params.format} (date, time with seconds, zone), got ${JSON.stringify(e.data)}`
      : `${e.message ?? "is invalid"}${e.data === null ? ", got null" : ""}`
    return { path: path.join(".") || "(body)", message }
  })
}

/**
 * What is wrong with a request's query parameters: a name the operation does not take, an integer
 * out of range or not an integer, a value outside an enumeration.
 *
 * @since 0.4.0
 * @category validation
 */
export const validateQuery = (op: Operation, params: URLSearchParams): ReadonlyArray<Violation> => {
  const found: Array<Violation> = []
  for (const [name, value] of params) {
    const schema = op.query[name]
    if (schema === undefined) {
      found.push({ path: name, message: `is not a query parameter of ${op.operationId}` })
      continue
    }
    const typed = schema.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value
    for (const v of validate(schema, typed)) found.push({ path: name, message: v.message })
  }
  return found
}
