/**
 * An in-memory gradebook with the Timeback API's semantics. Both faces of the testkit, the
 * `layerMemory` Gradebook and the fake HTTP server, run on it, so a test sees the same rules and
 * the same errors whichever it uses.
 *
 * @since 0.1.0
 */
import { AssessmentResult, Filter, GradebookError } from "@timeback/core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/**
 * @since 0.1.0
 * @category models
 */
export interface GradebookStore {
  /** Stores a new result. Without a sourcedId one is allocated (uuid v4); an existing one is a 409. */
  readonly create: (
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<AssessmentResult.SourcedIdPair, GradebookError.RequestError>
  /** Creates or replaces the result and stamps `dateLastModified`. */
  readonly put: (
    sourcedId: string,
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<{ readonly result: AssessmentResult.AssessmentResult; readonly created: boolean }>
  /** The stored result, or a 404 `RequestError` (codeMinor `unknownobject`). */
  readonly get: (sourcedId: string) => Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.RequestError>
  /** The stored result, only `fields` of it when given; a 404 `RequestError` when unknown. */
  readonly select: (
    sourcedId: string,
    fields: ReadonlyArray<AssessmentResult.SelectableField> | undefined
  ) => Effect.Effect<
    AssessmentResult.AssessmentResult | AssessmentResult.PartialAssessmentResult,
    GradebookError.RequestError
  >
  /** One page of the results matching the query (filter, search, sort, offset, limit, fields), and the total. */
  readonly list: (
    query: AssessmentResult.ListQuery
  ) => Effect.Effect<
    {
      readonly results: ReadonlyArray<AssessmentResult.AssessmentResult | AssessmentResult.PartialAssessmentResult>
      readonly totalCount: number
      readonly offset: number
      readonly limit: number
    }
  >
  /** Soft delete: status becomes `tobedeleted` (again is fine); a 404 when unknown. */
  readonly remove: (sourcedId: string) => Effect.Effect<void, GradebookError.RequestError>
  /** Partial update: given fields replace stored ones, `metadata` is merged; a 404 when unknown. */
  readonly patch: (
    sourcedId: string,
    patch: AssessmentResult.PatchInput
  ) => Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.RequestError>
  /** Every stored result, in insertion order. */
  readonly all: Effect.Effect<ReadonlyArray<AssessmentResult.AssessmentResult>>
  /** Forgets everything. */
  readonly clear: Effect.Effect<void>
}

/**
 * A `RequestError` as the API would send it: status, imsx status info with one codeMinor per
 * field, and the description.
 *
 * @since 0.1.0
 * @category errors
 */
export const requestError = (options: {
  readonly status: number
  readonly codeMinor: string
  readonly description: string
  readonly fields?: ReadonlyArray<string> | undefined
  readonly operation?: string | undefined
}): GradebookError.RequestError =>
  new GradebookError.RequestError({
    status: options.status,
    description: options.description,
    imsx: {
      codeMajor: "failure",
      severity: "error",
      description: options.description,
      codeMinor: (options.fields ?? ["sourcedId"]).map((name) => ({ name, value: options.codeMinor }))
    },
    ...(options.fields && { fields: options.fields }),
    ...(options.operation && { operation: options.operation })
  })

const valueAt = (result: AssessmentResult.AssessmentResult, field: string): unknown =>
  field.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], result)

const compare = (a: unknown, b: string): number =>
  typeof a === "number" ? a - Number(b) : String(a) < b ? -1 : String(a) > b ? 1 : 0

const holds = (result: AssessmentResult.AssessmentResult, c: Filter.Clause): boolean => {
  const actual = valueAt(result, c.field)
  if (actual === undefined) return c.operator === "!="
  switch (c.operator) {
    case "=":
      return compare(actual, c.value) === 0
    case "!=":
      return compare(actual, c.value) !== 0
    case ">":
      return compare(actual, c.value) > 0
    case ">=":
      return compare(actual, c.value) >= 0
    case "<":
      return compare(actual, c.value) < 0
    case "<=":
      return compare(actual, c.value) <= 0
    case "~":
      return String(actual).toLowerCase().includes(c.value.toLowerCase())
    case "@":
      return c.value.split(",").some((v) => compare(actual, v) === 0)
  }
}

/**
 * Whether a result satisfies a filter, with the API's semantics: numbers compare as numbers,
 * everything else as strings; `~` is a case-insensitive contains; `@` any of a comma list.
 *
 * @since 0.1.0
 * @category filtering
 */
export const matches = (result: AssessmentResult.AssessmentResult, filter: Filter.Filter): boolean => {
  const { clauses, join } = Filter.clauses(filter)
  return join === "AND" ? clauses.every((c) => holds(result, c)) : clauses.some((c) => holds(result, c))
}

const searchable = (r: AssessmentResult.AssessmentResult) =>
  [r.sourcedId, r.comment, r.textScore, r.scoreStatus, r.student.sourcedId, r.assessmentLineItem.sourcedId]
    .filter((v) => v !== undefined)
    .join(" ")
    .toLowerCase()

const pick = (
  result: AssessmentResult.AssessmentResult,
  fields: ReadonlyArray<AssessmentResult.SelectableField> | undefined
): AssessmentResult.AssessmentResult | AssessmentResult.PartialAssessmentResult =>
  fields === undefined
    ? result
    : Object.fromEntries(fields.filter((f) => result[f] !== undefined).map((f) => [f, result[f]]))

/**
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<GradebookStore> = Effect.sync(() => {
  const results = new Map<string, AssessmentResult.AssessmentResult>()

  const write = (
    sourcedId: string,
    input: AssessmentResult.AssessmentResultInput | AssessmentResult.AssessmentResult
  ) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const result = AssessmentResult.AssessmentResult.make({
        ...input,
        sourcedId,
        status: input.status ?? "active",
        dateLastModified: new Date(now).toISOString()
      })
      results.set(sourcedId, result)
      return result
    })

  const get = (sourcedId: string) =>
    Effect.suspend(() => {
      const result = results.get(sourcedId)
      return result
        ? Effect.succeed(result)
        : Effect.fail(requestError({
          status: 404,
          codeMinor: "unknownobject",
          description: `Assessment result ${sourcedId} not found`,
          fields: ["sourcedId"]
        }))
    })

  return {
    create: (input) => {
      const sourcedId = input.sourcedId ?? crypto.randomUUID()
      return results.has(sourcedId)
        ? Effect.fail(requestError({
          status: 409,
          codeMinor: "invaliddata",
          description: `An assessment result with sourcedId ${sourcedId} already exists`,
          fields: ["sourcedId"]
        }))
        : Effect.as(write(sourcedId, input), { suppliedSourcedId: sourcedId, allocatedSourcedId: sourcedId })
    },
    put: (sourcedId, input) =>
      Effect.suspend(() => {
        const created = !results.has(sourcedId)
        return Effect.map(write(sourcedId, input), (result) => ({ result, created }))
      }),
    get,
    select: (sourcedId, fields) => Effect.map(get(sourcedId), (r) => pick(r, fields)),
    list: (query) =>
      Effect.sync(() => {
        const offset = query.offset ?? 0
        const limit = query.limit ?? 100
        let found = [...results.values()]
        if (query.filter) found = found.filter((r) => matches(r, query.filter!))
        if (query.search) found = found.filter((r) => searchable(r).includes(query.search!.toLowerCase()))
        if (query.sort) {
          const sign = query.orderBy === "desc" ? -1 : 1
          const field = query.sort
          found.sort((a, b) => {
            const [x, y] = [valueAt(a, field), valueAt(b, field)]
            if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1
            return sign * (typeof x === "number" && typeof y === "number"
              ? x - y
              : String(x) < String(y)
              ? -1
              : String(x) > String(y)
              ? 1
              : 0)
          })
        }
        return {
          results: found.slice(offset, offset + limit).map((r) => pick(r, query.fields)),
          totalCount: found.length,
          offset,
          limit
        }
      }),
    remove: (sourcedId) => Effect.flatMap(get(sourcedId), (r) => write(sourcedId, { ...r, status: "tobedeleted" })),
    patch: (sourcedId, patch) =>
      Effect.flatMap(get(sourcedId), (r) =>
        write(sourcedId, {
          ...r,
          ...patch,
          ...((r.metadata || patch.metadata) && { metadata: { ...r.metadata, ...patch.metadata } })
        })),
    all: Effect.sync(() => [...results.values()]),
    clear: Effect.sync(() => results.clear())
  }
})
