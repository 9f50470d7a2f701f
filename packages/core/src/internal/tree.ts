/**
 * The service's shape below the resources: reads of a collection, and the scoped routes as calls
 * that open a scope (`classes(id).lineItems(id).results`), built from `Scope.routes`.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as Gradebook from "../Gradebook.js"
import type * as GradebookError from "../GradebookError.js"
import type * as Resource from "../Resource.js"
import * as Scope from "../Scope.js"
import * as Calls from "./calls.js"

/**
 * `list` and `stream` of a collection: the query validated, then one page or every page from the
 * backend, below the scope `scopeOf` gives (validated when the call is made; none at the top).
 */
export const reads = (
  backend: Gradebook.GradebookBackend,
  resource: Resource.Any,
  operations: { readonly list: string; readonly stream: string },
  scopeOf: (operation: string) => Effect.Effect<Scope.Scope | undefined, GradebookError.GradebookError>
) => {
  const query = (operation: string, q: unknown) =>
    Effect.flatMap(
      scopeOf(operation),
      (scope) =>
        Effect.map(Calls.decodePlain(operation, resource.decodeListQuery, q ?? {}), (query) => ({ scope, query }))
    )
  return {
    list: (q?: unknown) =>
      Effect.flatMap(query(operations.list, q), ({ query, scope }) => backend.list(resource, query, scope)),
    stream: (q?: unknown) =>
      Stream.unwrap(
        Effect.map(query(operations.stream, q), ({ query, scope }) =>
          Calls.paged(operations.stream, query, (page) => backend.list(resource, page, scope)))
      )
  }
}

/** A scoped route's calls, its parents' ids given (and validated when a call is made). */
const scoped = (backend: Gradebook.GradebookBackend, route: Scope.Route, ids: ReadonlyArray<string>) => {
  const scopeOf = (operation: string) =>
    Effect.map(
      Effect.forEach(ids, (id, i) => Calls.sourcedIdOf(operation, id, Scope.idParameter(route.parents[i]!))),
      (valid): Scope.Scope => ({ route, ids: valid })
    )
  const operation = Scope.operation("create", route)
  return {
    ...(route.reads &&
      reads(
        backend,
        route.resource,
        { list: Scope.operation("list", route), stream: Scope.operation("stream", route) },
        scopeOf
      )),
    ...(route.creates && {
      createMany: (items: unknown) =>
        Effect.flatMap(scopeOf(operation), (scope) =>
          Effect.flatMap(
            Calls.boundItems(operation, route, scope, items),
            (valid) => backend.createMany(route.resource, scope, valid)
          ))
    })
  }
}

/**
 * The object below `parents` (with their ids): the collections of the routes whose parents are
 * all bound, and for the next parent down, a call that binds its id (merged with what `base` has
 * under that name: `lineItems` is a collection and, called with an id, a scope).
 */
export const node = (
  backend: Gradebook.GradebookBackend,
  parents: ReadonlyArray<string>,
  ids: ReadonlyArray<string>,
  base: Record<string, unknown> = {}
): Record<string, unknown> => {
  const depth = parents.length
  const below = Scope.routes.filter((r) => r.parents.length >= depth && parents.every((p, i) => r.parents[i] === p))
  const result: Record<string, unknown> = { ...base }
  for (const r of below.filter((r) => r.parents.length === depth)) {
    result[r.resource.name] = { ...(result[r.resource.name] as object | undefined), ...scoped(backend, r, ids) }
  }
  for (const next of new Set(below.filter((r) => r.parents.length > depth).map((r) => r.parents[depth]!))) {
    const open = (id: string) => node(backend, [...parents, next], [...ids, id])
    result[next] = Object.assign(open, result[next])
  }
  return result
}

const none = Effect.succeed(undefined)

/** The scope of a collection at the top: none. */
export const topLevel = (): Effect.Effect<undefined> => none
