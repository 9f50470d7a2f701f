/**
 * An in-memory gradebook with the Timeback API's semantics, for every resource. Both faces of the
 * testkit, the `layerMemory` Gradebook and the fake HTTP server, run on it, so a test sees the same
 * rules and the same errors whichever it uses.
 *
 * @since 0.1.0
 */
import { AssessmentResult, type Filter, GradebookError, Resource, Scope } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Collections from "./internal/collection.js"
import * as Scopes from "./internal/scopes.js"
import * as WireError from "./WireError.js"

type AssessmentResults = Resource.TypesOf<typeof AssessmentResult.resource>

/**
 * @since 0.3.0
 * @category models
 */
export interface Collection<T extends Resource.Types> extends Collections.Collection<T> {}

/**
 * @since 0.3.0
 * @category models
 */
export interface StoreOptions {
  /**
   * Refuse (422) a write whose references name nothing: a gradebook reference (`lineItem`,
   * `category`, `scoreScale`, `assessmentLineItem`, `parentAssessmentLineItem`) must name a stored
   * item, and a roster reference (`class`, `school`, `student`, ...) an object registered with
   * `register`. Timeback requires a result's line item and student to exist. Default `false`.
   */
  readonly strictReferences?: boolean
}

/**
 * The store. Its top-level methods are the assessment results collection (as before there were
 * other resources); `of(resource)` is any resource's collection.
 *
 * @since 0.1.0
 * @category models
 */
export interface GradebookStore
  extends Omit<Collection<AssessmentResults>, "clear" | "resource" | "unsafeGet" | "unsafeAll">
{
  /** The collection of one resource. */
  readonly of: <T extends Resource.Types>(resource: Resource.Resource<T>) => Collection<T>
  /** One page of a scoped list; a 404 when a parent is unknown. */
  readonly listScoped: <T extends Resource.Types>(
    scope: Scope.Scope,
    query: Resource.ListQuery<T>
  ) => Effect.Effect<Collections.ListPage<T["stored"] | T["partial"]>, WireError.WireError>
  /**
   * A multi-item create: every item is checked (a 409 when one exists, a 404 when a gradebook
   * parent is unknown) before any is written, then all are written.
   */
  readonly createMany: <T extends Resource.Types>(
    scope: Scope.Scope,
    items: ReadonlyArray<T["input"]>
  ) => Effect.Effect<ReadonlyArray<Resource.SourcedIdPair>, WireError.WireError>
  /**
   * Makes a roster object known (a class, a school, a student, an academic session), with refs to
   * others, e.g. `register("classes", "c1", { school: "s1" })`. Scoped routes answer 404 for a parent
   * that is neither registered nor named by a stored item.
   */
  readonly register: (
    collection: string,
    sourcedId: string,
    refs?: Readonly<Record<string, string>>
  ) => Effect.Effect<void>
  /** Forgets everything, every resource and every registration. */
  readonly clear: Effect.Effect<void>
}

/**
 * A `RequestError` as the API would send it.
 *
 * @since 0.1.0
 * @category errors
 * @deprecated the store fails with the testkit's own `WireError` now; `toRequestError` maps one
 */
export const requestError = (options: {
  readonly status: number
  readonly codeMinor: string
  readonly description: string
  readonly fields?: ReadonlyArray<string> | undefined
  readonly operation?: string | undefined
}): GradebookError.RequestError => toRequestError(new WireError.WireError(options), options.operation)

/**
 * The `RequestError` a client reads from the answer a `WireError` makes (what the memory layer
 * fails with).
 *
 * @since 0.3.0
 * @category errors
 */
export const toRequestError = (error: WireError.WireError, operation?: string): GradebookError.RequestError => {
  const info = WireError.statusInfo(error)
  return new GradebookError.RequestError({
    status: error.status,
    description: error.description,
    imsx: {
      codeMajor: info.imsx_codeMajor,
      severity: info.imsx_severity,
      description: info.imsx_description,
      codeMinor: info.imsx_CodeMinor.imsx_codeMinorField.map((m) => ({
        name: m.imsx_codeMinorFieldName,
        value: m.imsx_codeMinorFieldValue
      }))
    },
    ...(error.fields && { fields: error.fields }),
    ...(operation && { operation })
  })
}

/**
 * Whether a result satisfies a filter, with the API's semantics: numbers compare as numbers,
 * everything else as strings; `~` is a case-insensitive contains; `@` any of a comma list.
 *
 * @since 0.1.0
 * @category filtering
 */
export const matches: (item: object, filter: Filter.Filter<string>) => boolean = Collections.matches

const GRADEBOOK: ReadonlySet<string> = new Set(Scope.resources.map((r) => r.name))

/**
 * A store with options.
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeWith = (options: StoreOptions = {}): Effect.Effect<GradebookStore> =>
  Effect.sync(() => {
    const roster = new Map<string, Map<string, Readonly<Record<string, string>>>>()
    const collections = new Map<string, Collection<any>>()

    const lookup: Scopes.Lookup = {
      item: (collection, sourcedId) => collections.get(collection)?.unsafeGet(sourcedId),
      items: (collection) => collections.get(collection)?.unsafeAll() ?? [],
      registered: (collection, sourcedId) => roster.get(collection)?.get(sourcedId)
    }
    /** Whether a stored item names `collection`/`sourcedId` through one of its references. */
    const referenced = (collection: string, sourcedId: string) =>
      Scope.resources.some((r) =>
        r.refFields.some((field) =>
          Resource.REFERENCES[field] === collection &&
          lookup.items(r.name).some((item) =>
            (item[field] as { sourcedId?: string } | undefined)?.sourcedId === sourcedId
          )
        )
      )
    const danglingReference = (resource: Resource.Any) => (item: Record<string, unknown>) => {
      if (!options.strictReferences) return undefined
      for (const field of resource.refFields) {
        const id = (item[field] as { readonly sourcedId?: string } | undefined)?.sourcedId
        const target = Resource.REFERENCES[field]
        if (id === undefined || target === undefined) continue
        const exists = GRADEBOOK.has(target) ? lookup.item(target, id) !== undefined : lookup.registered(target, id)
        if (!exists) {
          return new WireError.WireError({
            status: 422,
            codeMinor: "invaliddata",
            description: `${field} ${id} does not exist`,
            fields: [`${field}.sourcedId`]
          })
        }
      }
      return undefined
    }

    const of = <T extends Resource.Types>(resource: Resource.Resource<T>): Collection<T> => {
      let found = collections.get(resource.name)
      if (!found) {
        found = Collections.make(resource, danglingReference(resource))
        collections.set(resource.name, found)
      }
      return found
    }
    for (const resource of Scope.resources as ReadonlyArray<Resource.Any>) of(resource)

    const unknownParent = (scope: Scope.Scope) => {
      const why = Scopes.unknownParent(scope, lookup, GRADEBOOK, referenced)
      return why === undefined ? undefined : WireError.make(404, why, [Scope.idParameter(scope.route.parents[0]!)])
    }

    const results = of(AssessmentResult.resource as Resource.Resource<AssessmentResults>)
    return {
      ...results,
      of,
      listScoped: (scope, query) =>
        Effect.suspend(() => {
          const refused = unknownParent(scope)
          if (refused) return Effect.fail(refused)
          const rule = Scopes.rule(scope.route)
          return of(scope.route.resource).list(query, (item) => rule(item as any, scope.ids, lookup))
        }),
      createMany: (scope, items) =>
        Effect.suspend(() => {
          const gradebookParent = scope.route.parents.findIndex((p) => GRADEBOOK.has(p))
          if (
            gradebookParent >= 0 &&
            lookup.item(scope.route.parents[gradebookParent]!, scope.ids[gradebookParent]!) === undefined
          ) {
            return Effect.fail(
              WireError.make(404, `${scope.route.parents[gradebookParent]} ${scope.ids[gradebookParent]} not found`, [
                Scope.idParameter(scope.route.parents[gradebookParent]!)
              ])
            )
          }
          const collection = of(scope.route.resource)
          const ids = items.map((item) => item.sourcedId ?? crypto.randomUUID())
          // one that exists, or one that an earlier item of the batch would create: nothing is written
          const existing = ids.findIndex((id, i) =>
            lookup.item(scope.route.resource.name, id) !== undefined || ids.indexOf(id) !== i
          )
          if (existing >= 0) {
            return Effect.fail(
              WireError.make(409, `A ${scope.route.resource.label} with sourcedId ${ids[existing]} already exists`, [
                `${scope.route.resource.name}.${existing}.sourcedId`
              ])
            )
          }
          const refused = items.map((item) => danglingReference(scope.route.resource)(item as any)).find((e) => e)
          if (refused) return Effect.fail(refused)
          return Effect.forEach(items, (item, i) => collection.create({ ...item, sourcedId: ids[i]! }))
        }),
      register: (collection, sourcedId, refs = {}) =>
        Effect.sync(() => {
          const known = roster.get(collection) ?? new Map()
          known.set(sourcedId, refs)
          roster.set(collection, known)
        }),
      clear: Effect.sync(() => {
        roster.clear()
        for (const c of collections.values()) Effect.runSync(c.clear)
      })
    }
  })

/**
 * A store without reference checks.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<GradebookStore> = makeWith()
