import { type Filter, type Resource } from "@timeback/core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as WireError from "../WireError.js"

/** One page of a list, with the total of matching items. */
export interface ListPage<A> {
  readonly results: ReadonlyArray<A>
  readonly totalCount: number
  readonly offset: number
  readonly limit: number
}

/**
 * One resource's items, with the Timeback API's semantics.
 *
 * @since 0.3.0
 * @category models
 */
export interface Collection<T extends Resource.Types> {
  readonly resource: Resource.Resource<T>
  /** Stores a new item. Without a sourcedId one is allocated (uuid v4); an existing one is a 409. */
  readonly create: (input: T["input"]) => Effect.Effect<Resource.SourcedIdPair, WireError.WireError>
  /** Creates or replaces the item and stamps `dateLastModified`. */
  readonly put: (
    sourcedId: string,
    input: T["input"]
  ) => Effect.Effect<{ readonly result: T["stored"]; readonly created: boolean }, WireError.WireError>
  /** The stored item, or a 404 (codeMinor `unknownobject`). */
  readonly get: (sourcedId: string) => Effect.Effect<T["stored"], WireError.WireError>
  /** The stored item, only `fields` of it when given; a 404 when unknown. */
  readonly select: (
    sourcedId: string,
    fields: ReadonlyArray<T["field"]> | undefined
  ) => Effect.Effect<T["stored"] | T["partial"], WireError.WireError>
  /** One page of the items matching the query (and `where`, for a scoped route), and the total. */
  readonly list: (
    query: Resource.ListQuery<T>,
    where?: (item: T["stored"]) => boolean
  ) => Effect.Effect<ListPage<T["stored"] | T["partial"]>>
  /** Soft delete: status becomes `tobedeleted` (again is fine); a 404 when unknown. */
  readonly remove: (sourcedId: string) => Effect.Effect<void, WireError.WireError>
  /** Partial update: given fields replace stored ones, `metadata` is merged; a 404 when unknown. */
  readonly patch: (sourcedId: string, patch: T["patch"]) => Effect.Effect<T["stored"], WireError.WireError>
  /** Every stored item, in insertion order. */
  readonly all: Effect.Effect<ReadonlyArray<T["stored"]>>
  /** Forgets every item. */
  readonly clear: Effect.Effect<void>
  /** The stored item or `undefined`, synchronously. */
  readonly unsafeGet: (sourcedId: string) => T["stored"] | undefined
  /** Every stored item, synchronously. */
  readonly unsafeAll: () => ReadonlyArray<T["stored"]>
}

const valueAt = (item: object, field: string): unknown =>
  field.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], item)

const compare = (a: unknown, b: string): number =>
  typeof a === "number" ? a - Number(b) : String(a) < b ? -1 : String(a) > b ? 1 : 0

const holds = (item: object, c: Filter.Clause<string>): boolean => {
  const actual = valueAt(item, c.field)
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
 * Whether an item satisfies a filter, with the API's semantics: numbers compare as numbers,
 * everything else as strings; `~` is a case-insensitive contains; `@` any of a comma list.
 */
export const matches = (item: object, filter: Filter.Filter<string>): boolean => {
  const { clauses, join } = filter._tag === "Clause"
    ? { clauses: [filter], join: "AND" }
    : { clauses: filter.clauses, join: filter._tag === "And" ? "AND" : "OR" }
  return join === "AND" ? clauses.every((c) => holds(item, c)) : clauses.some((c) => holds(item, c))
}

const searchable = (item: Record<string, unknown>, fields: ReadonlyArray<string>) =>
  [
    item.sourcedId,
    ...fields.map((f) => {
      const v = item[f]
      return typeof v === "object" && v !== null ? (v as { sourcedId?: unknown }).sourcedId : v
    })
  ]
    .filter((v) => v !== undefined)
    .join(" ")
    .toLowerCase()

const pick = (item: Record<string, unknown>, fields: ReadonlyArray<string> | undefined) =>
  fields === undefined ? item : Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]))

const byField = (field: string, sign: number) => (a: object, b: object) => {
  const [x, y] = [valueAt(a, field), valueAt(b, field)]
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1
  return sign * (typeof x === "number" && typeof y === "number"
    ? x - y
    : String(x) < String(y)
    ? -1
    : String(x) > String(y)
    ? 1
    : 0)
}

/**
 * A collection for `resource`. `check` refuses an item before it is written (the store's
 * reference checks).
 */
export const make = <T extends Resource.Types>(
  resource: Resource.Resource<T>,
  check: (item: Record<string, unknown>) => WireError.WireError | undefined = () => undefined
): Collection<T> => {
  const items = new Map<string, T["stored"]>()
  const label = resource.label.charAt(0).toUpperCase() + resource.label.slice(1)

  const write = (sourcedId: string, input: Record<string, unknown>) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const refused = check(input)
      if (refused) return Effect.fail(refused)
      return Effect.map(
        Effect.orDie(resource.decodeStored({
          ...input,
          sourcedId,
          status: input.status ?? "active",
          dateLastModified: new Date(now).toISOString()
        })),
        (stored) => {
          items.set(sourcedId, stored)
          return stored
        }
      )
    })

  const get = (sourcedId: string) =>
    Effect.suspend(() => {
      const item = items.get(sourcedId)
      return item
        ? Effect.succeed(item)
        : Effect.fail(WireError.make(404, `${label} ${sourcedId} not found`, ["sourcedId"]))
    })

  return {
    resource,
    create: (input) =>
      Effect.suspend(() => {
        const sourcedId = input.sourcedId ?? crypto.randomUUID()
        return items.has(sourcedId)
          ? Effect.fail(WireError.make(409, `A ${resource.label} with sourcedId ${sourcedId} already exists`))
          : Effect.as(write(sourcedId, input), { suppliedSourcedId: sourcedId, allocatedSourcedId: sourcedId })
      }),
    put: (sourcedId, input) =>
      Effect.suspend(() => {
        const created = !items.has(sourcedId)
        return Effect.map(write(sourcedId, input), (result) => ({ result, created }))
      }),
    get,
    select: (sourcedId, fields) => Effect.map(get(sourcedId), (item) => pick(item as any, fields) as T["stored"]),
    list: (query, where) =>
      Effect.sync(() => {
        const offset = query.offset ?? 0
        const limit = query.limit ?? 100
        let found = [...items.values()] as Array<Record<string, unknown>>
        if (where) found = found.filter(where)
        if (query.filter) found = found.filter((item) => matches(item, query.filter!))
        if (query.search) {
          const text = query.search.toLowerCase()
          found = found.filter((item) => searchable(item, resource.searchFields).includes(text))
        }
        if (query.sort) found.sort(byField(query.sort, query.orderBy === "desc" ? -1 : 1))
        return {
          results: found.slice(offset, offset + limit).map((item) => pick(item, query.fields) as T["stored"]),
          totalCount: found.length,
          offset,
          limit
        }
      }),
    remove: (sourcedId) =>
      Effect.flatMap(get(sourcedId), (item) => write(sourcedId, { ...(item as object), status: "tobedeleted" })),
    patch: (sourcedId, patch) =>
      Effect.flatMap(get(sourcedId), (item) => {
        const stored = item as Record<string, unknown>
        const changes = patch as Record<string, unknown>
        return write(sourcedId, {
          ...stored,
          ...changes,
          ...(stored.metadata || changes.metadata
            ? { metadata: { ...(stored.metadata as object), ...(changes.metadata as object) } }
            : {})
        })
      }),
    all: Effect.sync(() => [...items.values()]),
    clear: Effect.sync(() => items.clear()),
    unsafeGet: (sourcedId) => items.get(sourcedId),
    unsafeAll: () => [...items.values()]
  }
}
