/**
 * What the `Gradebook` service does before a backend is called: validation of ids, inputs, queries
 * and a multi-item create's items, plain data, and paging for streams.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Stream from "effect/Stream"
import * as GradebookError from "../GradebookError.js"
import type * as Resource from "../Resource.js"
import type * as Scope from "../Scope.js"
import * as SourcedIdRules from "../SourcedId.js"
import { decoder } from "./decode.js"
import { plainData, snapshot } from "./plainData.js"

type Error = GradebookError.GradebookError

/** Turns a schema failure on caller input into a `RequestError` naming every offending field. */
export const invalidInput = (operation: string, error: Schema.SchemaError): GradebookError.RequestError => {
  const issues = GradebookError.formatIssues(error).map((i) => ({ field: i.path || "(input)", message: i.message }))
  return new GradebookError.RequestError({
    operation,
    fields: [...new Set(issues.map((i) => i.field))],
    description: issues.map((i) => `${i.field}: ${i.message}`).join("; ")
  })
}

export const refused = (operation: string | undefined, field: string, message: string) =>
  new GradebookError.RequestError({
    ...(operation !== undefined && { operation }),
    fields: [field],
    description: `${field}: ${message}`
  })

/** Input that cannot even be read (a throwing getter, a proxy trap): refused, naming `field`. */
export const unreadable = (operation: string | undefined, field = "(input)") =>
  refused(operation, field, "Expected a value that can be read, but reading it threw")

const validSourcedId = decoder(SourcedIdRules.SourcedId, "strict")

/** A sourcedId checked as the path segment it becomes (at once: an `Exit`); a failure names `field`. */
export const sourcedIdOf = (
  operation: string,
  sourcedId: string,
  field = "sourcedId"
): Exit.Exit<string, GradebookError.RequestError> =>
  Exit.mapError(validSourcedId(sourcedId), (e) =>
    invalidInput(
      operation,
      new Schema.SchemaError(new SchemaIssue.Pointer([field], e.issue))
    ))

/**
 * An input or query that is an object but not a plain one (a class instance, `Object.create(…)`, a
 * typed array): its own enumerable keys, in a plain object. Effect's parser reads a struct's keys
 * where they are inherited too; what is sent is what the caller's object itself holds.
 */
const ownKeys = (u: unknown): unknown => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return u
  const proto = Object.getPrototypeOf(u)
  if (proto === Object.prototype || proto === null) return u
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(u)) {
    Object.defineProperty(out, key, {
      value: (u as Record<string, unknown>)[key],
      enumerable: true,
      writable: true,
      configurable: true
    })
  }
  return out
}

/**
 * Decodes caller input with `decode`, then makes it plain data, the fields that were validated
 * (see `plainData`): an explicit `undefined` becomes an absent key, and nothing is read from a
 * prototype or a `toJSON` method. What is decoded is a `snapshot` of the input, read once: the
 * value validated is the value sent, whatever a getter answers on a later read.
 */
export const decodePlain = <I>(
  operation: string,
  decode: (u: unknown) => Exit.Exit<I, Schema.SchemaError>,
  input: unknown
): Effect.Effect<I, GradebookError.RequestError> => Effect.suspend(() => plainInput(operation, decode, input))

/**
 * `decodePlain`'s outcome, reached at once (an `Exit`: the input is read when this is called). For a
 * call's hot path, where each Effect step is CPU per call.
 */
export const plainInput = <I>(
  operation: string,
  decode: (u: unknown) => Exit.Exit<I, Schema.SchemaError>,
  input: unknown
): Exit.Exit<I, GradebookError.RequestError> => {
  let copy: unknown
  try {
    copy = ownKeys(snapshot(input))
  } catch {
    return Exit.fail(unreadable(operation))
  }
  const decoded = decode(copy)
  if (Exit.isFailure(decoded)) return Exit.mapError(decoded, (e) => invalidInput(operation, e))
  const plain = plainData(decoded.value)
  return plain === undefined ? Exit.fail(unreadable(operation)) : Exit.succeed(plain)
}

/** A stream's page that does not add up: what the server answered makes the stream unable to go on truthfully. */
const inconsistent = (operation: string, description: string) =>
  new GradebookError.MalformedResponseError({ operation, description })

/**
 * Page after page of `list`, from the query's offset. It cannot loop and does not stop early in
 * silence, whatever the server does with paging:
 * - the next offset is where the items received end (a server that caps pages below `limit` is
 *   read page by page); a page shorter than asked ends the stream unless the server says more
 *   follow (`totalCount` beyond it, or a `Link` with `rel="next"`); once it has, a page of that
 *   capped size counts as full; an empty page always ends it, and so does a `Link` without `next`;
 * - an item already streamed (same sourcedId: an insert shifted the offsets) is not yielded again;
 *   a page that holds nothing new (a server that ignores `offset`) fails the stream with a
 *   `MalformedResponseError` instead of asking again forever;
 * - a stream that ends with fewer items than the server announced (`totalCount`) fails with a
 *   `MalformedResponseError` saying how many it got, after yielding them: the caller learns the list
 *   was short, and what was read is not lost. (A total lower than the truth is no failure: full
 *   pages are followed to an empty or short one.)
 * The sourcedIds seen are kept for the stream's life (about 77 bytes each for uuids: see the README).
 */
export const paged = <T extends Resource.Types>(
  operation: string,
  query: Resource.ListQuery<T>,
  list: (query: Resource.ListQuery<T>) => Effect.Effect<Resource.Page<unknown>, Error>
) => {
  const limit = query.limit ?? 100
  const start = query.offset ?? 0
  return Stream.suspend(() => {
    const seen = new Set<string>()
    let yielded = 0
    let announced: number | undefined
    let capped: number | undefined
    let previous: string | undefined
    /** The next page's offset, or the shortfall that ends the stream once what it read is yielded. */
    type Next = number | { readonly short: number }
    const page = (offset: number) =>
      Effect.flatMap(list({ ...query, limit, offset }), (page) => {
        const fresh: Array<unknown> = []
        let anonymous = 0
        for (const item of page.results) {
          const id = (item as { readonly sourcedId?: unknown } | null)?.sourcedId
          if (typeof id !== "string") anonymous++
          else if (seen.has(id)) continue
          else seen.add(id)
          fresh.push(item)
        }
        const size = page.results.length
        // without sourcedIds (a `fields` selection), a repeat is the same page again
        const text = anonymous === size && size > 0 ? JSON.stringify(page.results) : undefined
        const same = text !== undefined && text === previous
        previous = text
        if (size > 0 && (fresh.length === 0 || same)) {
          return Effect.fail(inconsistent(
            operation,
            `the page at offset ${offset} holds only items already streamed (does the server ignore offset?); stopped after ${yielded} items`
          ))
        }
        yielded += fresh.length
        if (page.totalCount !== undefined) announced = page.totalCount
        const next = offset + size
        const more = page.hasNext === true || (page.totalCount !== undefined && next < page.totalCount)
        if (size < limit && more) capped = Math.max(capped ?? 0, size)
        const done = size === 0 || page.hasNext === false || (size < (capped ?? limit) && !more)
        const after: Option.Option<Next> = !done
          ? Option.some(next)
          : announced !== undefined && start + yielded < announced
          ? Option.some({ short: announced })
          : Option.none()
        return Effect.succeed([fresh, after] as const)
      })
    return Stream.paginate<Next, unknown, Error, never>(start, (next) =>
      typeof next === "number"
        ? page(next)
        : Effect.fail(inconsistent(
          operation,
          `the server announced ${next.short} matching items and the stream ended at ${
            start + yielded
          } (it started at offset ${start}): items were removed meanwhile, or the server pages wrongly`
        )))
  })
}

/**
 * The items of a multi-item create, each decoded as the resource's input once the fields the
 * route fills are set; a failure names the item (`items.2.title`). Ids must differ within a
 * request.
 */
export const boundItems = (
  operation: string,
  route: Scope.Route,
  scope: Scope.Scope,
  items: unknown
): Effect.Effect<ReadonlyArray<Resource.Types["input"]>, GradebookError.RequestError> =>
  Effect.gen(function*() {
    if (!Array.isArray(items)) return yield* Effect.fail(refused(operation, "items", "Expected an array of items"))
    if (items.length === 0) return yield* Effect.fail(refused(operation, "items", "Expected at least one item"))
    const decoded: Array<Resource.Types["input"]> = []
    const seen = new Set<string>()
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i]
      const bound = bind(route, scope, item)
      if (bound === UNREADABLE) return yield* Effect.fail(unreadable(operation, `items.${i}`))
      if ("field" in bound) {
        return yield* Effect.fail(
          refused(
            operation,
            `items.${i}.${bound.field}`,
            `Expected ${JSON.stringify(bound.id)} (the route's), got ${JSON.stringify(bound.given)}`
          )
        )
      }
      const one = yield* decodePlain(operation, route.resource.decodeInput, bound.item).pipe(
        Effect.mapError((e) =>
          new GradebookError.RequestError({
            operation,
            fields: (e.fields ?? ["(input)"]).map((f) => f === "(input)" ? `items.${i}` : `items.${i}.${f}`),
            description: (e.description ?? "").split("; ").map((d) => `items.${i}.${d}`).join("; ")
          })
        )
      )
      if (one.sourcedId !== undefined) {
        if (seen.has(one.sourcedId)) {
          return yield* Effect.fail(
            refused(operation, `items.${i}.sourcedId`, `${JSON.stringify(one.sourcedId)} is used by an earlier item`)
          )
        }
        seen.add(one.sourcedId)
      }
      decoded.push(one)
    }
    return decoded
  })

const UNREADABLE: unique symbol = Symbol("UNREADABLE")

/**
 * `item` with the fields its route binds filled in (a copy; a non-object is left for the decoder to
 * refuse); a bound field that names another parent; or `UNREADABLE` when reading the item threw.
 */
const bind = (
  route: Scope.Route,
  scope: Scope.Scope,
  item: unknown
):
  | { readonly item: unknown }
  | { readonly field: string; readonly id: string; readonly given: unknown }
  | typeof UNREADABLE =>
{
  if (typeof item !== "object" || item === null || Array.isArray(item)) return { item }
  try {
    const filled: Record<string, unknown> = { ...item }
    for (const [field, parent] of Object.entries(route.binds)) {
      const id = scope.ids[route.parents.indexOf(parent)]!
      const given = filled[field] as { readonly sourcedId?: unknown } | undefined
      if (given === undefined) filled[field] = { sourcedId: id }
      else if (typeof given === "object" && given !== null && given.sourcedId !== id) {
        return { field, id, given: given.sourcedId }
      }
    }
    return { item: filled }
  } catch {
    return UNREADABLE
  }
}
