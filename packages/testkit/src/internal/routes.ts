/**
 * The fake server's gradebook routes, derived from the resource declarations and the scoped
 * routes of `@timeback/core`: for each resource create, put, get, list, delete (and patch where
 * declared), and for each scoped route its list and its multi-item create.
 */
import { Filter, Gradebook, GradebookError, type Resource, Scope } from "@timeback/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FindMyWay from "effect/http/FindMyWay"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Predicate from "effect/Predicate"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type { GradebookStore } from "../GradebookStore.js"
import * as WireError from "../WireError.js"
import type { Shape } from "./faults.js"

export interface Options {
  readonly putResponse: "body" | "empty"
  readonly paging: "body" | "headers" | "none"
  readonly pagingFaults?: PagingFaults | undefined
}

/** How a list answer pages wrongly (see `ServerOptions.pagingFaults`). */
export interface PagingFaults {
  /** Every page is answered as if `offset` were 0 (a misspelt or unsupported paging parameter). */
  readonly ignoreOffset?: boolean | undefined
  /** Added to the true total in what the server reports (`totalCount`, `X-Total-Count`, `Link`): negative, a total lower than the truth. */
  readonly totalCountError?: number | undefined
  /** A page holds at most this many items, whatever `limit` asks (and reports this limit). */
  readonly maxPageSize?: number | undefined
}

/** The query a list is answered with, once `faults` have had their way with it. */
const pagedWrongly = <Q extends { readonly offset?: number | undefined; readonly limit?: number | undefined }>(
  query: Q,
  faults: PagingFaults | undefined
): Q =>
  faults === undefined ? query : {
    ...query,
    ...(faults.ignoreOffset && { offset: 0 }),
    ...(faults.maxPageSize !== undefined && { limit: Math.min(query.limit ?? 100, faults.maxPageSize) })
  }

/** The path parameters of the route a request hit (`:sourcedId` → its value). */
class RouteParams extends Context.Service<RouteParams, Readonly<Record<string, string | undefined>>>()(
  "@timeback/testkit/RouteParams"
) {}

type Handler = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  WireError.WireError,
  HttpServerRequest.HttpServerRequest | RouteParams
>

export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH"
  /** Below `BASE_PATH`, parameters as `:name`. */
  readonly path: string
  readonly shape: Shape
  readonly handler: Handler
}

const json = (body: unknown, status: number) => HttpServerResponse.jsonUnsafe(body, { status })

const invalid = (status: number, prefix: string, e: Schema.SchemaError) => {
  const issues = GradebookError.formatIssues(e)
  return new WireError.WireError({
    status,
    codeMinor: "invaliddata",
    description: issues.map((i) => `${prefix}${i.path || "(body)"}: ${i.message}`).join("; "),
    fields: [...new Set(issues.map((i) => `${prefix}${i.path}`.replace(/\.$/, "")))]
  })
}

/** The JSON body, which must be an object with `key` holding an object (or, `many`, an array). */
const readBody = (key: string, many = false) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.orElseSucceed(request.text, () => "")
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return yield* Effect.fail(WireError.make(400, "Request body is not valid JSON", ["body"]))
    }
    const value = Predicate.isObject(json) ? json[key] : undefined
    if (many ? !Array.isArray(value) : !Predicate.isObject(value)) {
      return yield* Effect.fail(
        WireError.make(400, `Request body must be an object with ${many ? "an array" : "an object"} ${key}`, [key])
      )
    }
    return value as unknown
  })

/** List and get query parameters, read with the resource's query schema; failures are 400s. */
const readQuery = (resource: Resource.Any, params: URLSearchParams) => {
  const raw: Record<string, unknown> = {}
  for (const name of ["limit", "offset"]) {
    const v = params.get(name)
    if (v !== null) raw[name] = /^-?\d+$/.test(v) ? Number(v) : v
  }
  for (const name of ["sort", "orderBy", "search"]) {
    const v = params.get(name)
    if (v !== null) raw[name] = v
  }
  const fields = params.get("fields")
  if (fields !== null) raw.fields = fields.split(",").map((f) => f.trim())
  const filter = params.get("filter")
  if (filter !== null) {
    const parsed = Filter.parse(filter, resource.filterFields)
    if (Result.isFailure(parsed)) {
      return Effect.fail(
        new WireError.WireError({
          status: 400,
          codeMinor: "invalid_filter_field",
          description: `filter: ${parsed.failure}`,
          fields: ["filter"]
        })
      )
    }
    raw.filter = parsed.success
  }
  return Effect.mapError(resource.decodeListQuery(raw), (e) => {
    const error = invalid(400, "", e)
    const field = error.fields?.[0]?.split(".")[0]
    return new WireError.WireError({
      ...error,
      codeMinor: field === "sort"
        ? "invalid_sort_field"
        : field === "fields"
        ? "invalid_selection_field"
        : "invaliddata"
    })
  })
}

const param = (name: string) => Effect.map(RouteParams, (p) => p[name] ?? "")

const mismatch = (one: string, body: string, path: string) =>
  WireError.make(422, `sourcedId in body (${body}) does not match sourcedId in path (${path})`, [`${one}.sourcedId`])

/** Every route, for every resource and every scoped route. */
export const make = (store: GradebookStore, options: Options): ReadonlyArray<Route> => {
  /** A list answer, paging reported the way `options.paging` says. */
  const listAnswer = (
    key: string,
    page: { results: ReadonlyArray<unknown>; totalCount: number; offset: number; limit: number }
  ) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://x")
      const totalCount = Math.max(0, page.totalCount + (options.pagingFaults?.totalCountError ?? 0))
      page = { ...page, totalCount }
      const pageCount = Math.ceil(page.totalCount / page.limit)
      if (options.paging === "body") {
        return json({
          [key]: page.results,
          totalCount: page.totalCount,
          pageCount,
          pageNumber: Math.floor(page.offset / page.limit) + 1,
          offset: page.offset,
          limit: page.limit
        }, 200)
      }
      if (options.paging === "none") return json({ [key]: page.results }, 200)
      const link = (rel: string, offset: number) => {
        const params = new URLSearchParams(url.searchParams)
        params.set("offset", String(offset))
        params.set("limit", String(page.limit))
        return `<http://${request.headers.host}${url.pathname}?${params}>; rel="${rel}"`
      }
      const next = page.offset + page.limit
      const links = [
        ...(next < page.totalCount ? [link("next", next)] : []),
        link("last", Math.max(0, (pageCount - 1) * page.limit))
      ]
      return json({ [key]: page.results }, 200).pipe(
        HttpServerResponse.setHeaders({ "x-total-count": String(page.totalCount), link: links.join(", ") })
      )
    })

  const query = (resource: Resource.Any) =>
    Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) => readQuery(resource, new URL(request.url, "http://x").searchParams)
    )

  const resourceRoutes = (resource: Resource.Any): ReadonlyArray<Route> => {
    const collection = store.of(resource)
    const { name, one } = resource
    const item = `/${name}/:sourcedId`
    const input = Effect.flatMap(
      readBody(one),
      (body) => Effect.mapError(resource.decodeInput(body), (e) => invalid(422, `${one}.`, e))
    )
    const keyed = <A extends { readonly sourcedId?: string | undefined }>(
      read: Effect.Effect<A, WireError.WireError, HttpServerRequest.HttpServerRequest>
    ) =>
      Effect.gen(function*() {
        const sourcedId = yield* param("sourcedId")
        const body = yield* read
        if (body.sourcedId !== undefined && body.sourcedId !== sourcedId) {
          return yield* Effect.fail(mismatch(one, body.sourcedId, sourcedId))
        }
        return { sourcedId, body }
      })
    const routes: Array<Route> = [
      {
        method: "POST",
        path: `/${name}`,
        shape: { _tag: "Created" },
        handler: input.pipe(
          Effect.flatMap(collection.create),
          Effect.map((sourcedIdPairs) => json({ sourcedIdPairs }, 201))
        )
      },
      {
        method: "PUT",
        path: item,
        shape: { _tag: "Single", key: one },
        handler: Effect.gen(function*() {
          const { body, sourcedId } = yield* keyed(input)
          const { result } = yield* collection.put(sourcedId, body)
          return options.putResponse === "empty"
            ? HttpServerResponse.empty({ status: 201 })
            : json({ [one]: result }, 201)
        })
      },
      {
        method: "GET",
        path: `/${name}`,
        shape: { _tag: "List", key: name },
        handler: Effect.flatMap(
          query(resource),
          (q) =>
            Effect.flatMap(collection.list(pagedWrongly(q, options.pagingFaults)), (page) => listAnswer(name, page))
        )
      },
      {
        method: "GET",
        path: item,
        shape: { _tag: "Single", key: one },
        handler: Effect.gen(function*() {
          const { fields } = yield* query(resource)
          return json({ [one]: yield* collection.select(yield* param("sourcedId"), fields) }, 200)
        })
      },
      {
        method: "DELETE",
        path: item,
        shape: { _tag: "Nothing" },
        handler: param("sourcedId").pipe(
          Effect.flatMap(collection.remove),
          Effect.as(HttpServerResponse.empty({ status: 204 }))
        )
      }
    ]
    const decodePatch = resource.decodePatch
    if (decodePatch) {
      routes.push({
        method: "PATCH",
        path: item,
        shape: { _tag: "Single", key: one },
        handler: Effect.gen(function*() {
          const patch = Effect.flatMap(
            readBody(one),
            (body) => Effect.mapError(decodePatch(body), (e) => invalid(422, `${one}.`, e))
          )
          const { body, sourcedId } = yield* keyed(patch)
          return json({ [one]: yield* collection.patch(sourcedId, body) }, 200)
        })
      })
    }
    return routes
  }

  const scopedRoutes = (route: Scope.Route): ReadonlyArray<Route> => {
    const { name } = route.resource
    const path = route.parents.map((p) => `/${p}/:${Scope.idParameter(p)}`).join("") + `/${name}`
    const scope = Effect.map(
      Effect.forEach(route.parents, (p) => param(Scope.idParameter(p))),
      (ids): Scope.Scope => ({ route, ids })
    )
    const routes: Array<Route> = []
    if (route.reads) {
      routes.push({
        method: "GET",
        path,
        shape: { _tag: "List", key: name },
        handler: Effect.gen(function*() {
          const page = yield* store.listScoped(
            yield* scope,
            pagedWrongly(yield* query(route.resource), options.pagingFaults)
          )
          return yield* listAnswer(name, page)
        })
      })
    }
    if (route.creates) {
      routes.push({
        method: "POST",
        path,
        shape: { _tag: "CreatedMany" },
        handler: Effect.gen(function*() {
          const where = yield* scope
          const body = (yield* readBody(name, true)) as ReadonlyArray<unknown>
          const items = yield* Effect.forEach(body, (item, i) => {
            // the route fills the fields it binds, as the SDK does
            const filled = Predicate.isObject(item)
              ? {
                ...Object.fromEntries(
                  Object.entries(route.binds).map((
                    [field, parent]
                  ) => [field, { sourcedId: where.ids[route.parents.indexOf(parent)] }])
                ),
                ...item
              }
              : item
            return Effect.mapError(route.resource.decodeInput(filled), (e) => invalid(422, `${name}.${i}.`, e))
          })
          const pairs = yield* store.createMany(where, items)
          return json({ sourcedIdPairs: pairs }, 201)
        })
      })
    }
    return routes
  }

  return [...Scope.resources.flatMap(resourceRoutes), ...Scope.routes.flatMap(scopedRoutes)]
}

const patternOf = (path: string) => new RegExp(`^${Gradebook.BASE_PATH}${path.replace(/:[A-Za-z]+/g, "[^/]+")}$`)

/** What the route a request hits answers, for a fault to answer in its shape. */
export const shapeOf = (routes: ReadonlyArray<Route>) => {
  const patterns = routes.map((r) => ({ route: r, pattern: patternOf(r.path) }))
  return (method: string, pathname: string): Shape =>
    patterns.find((p) => p.route.method === method && p.pattern.test(pathname))?.route.shape ?? { _tag: "Created" }
}

/**
 * The routes as a router, each under `BASE_PATH`, refusals answered as imsx bodies: the answer of
 * the route a request hits, or `undefined` when it hits none.
 */
export const router = (routes: ReadonlyArray<Route>, errorShape: "top" | "statusInfoSet") => {
  const found = FindMyWay.make<Handler>()
  for (const r of routes) found.on(r.method, `${Gradebook.BASE_PATH}${r.path}` as FindMyWay.PathInput, r.handler)
  return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const hit = found.find(request.method, new URL(request.url, "http://x").pathname)
    if (hit === undefined) return Effect.succeed(undefined)
    return hit.handler.pipe(
      Effect.provideService(RouteParams, hit.params),
      Effect.catchTag("WireError", (e) => Effect.succeed(json(WireError.body(e, errorShape), e.status)))
    )
  })
}
