/**
 * The `Gradebook` service: what every layer (live HTTP, in-memory, your own) provides. One
 * `ResourceService` per resource (`gradebook.lineItems.create(...)`), and the scoped routes as
 * calls that open a scope (`gradebook.classes(classId).results.stream(query)`).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as AssessmentLineItem from "./AssessmentLineItem.js"
import * as AssessmentResult from "./AssessmentResult.js"
import * as Bulk from "./Bulk.js"
import type * as Category from "./Category.js"
import * as GradebookError from "./GradebookError.js"
import * as Calls from "./internal/calls.js"
import * as Tree from "./internal/tree.js"
import type * as LineItem from "./LineItem.js"
import type * as Resource from "./Resource.js"
import type * as Result from "./Result.js"
import * as Scope from "./Scope.js"
import type * as ScoreScale from "./ScoreScale.js"

/**
 * Base path of the OneRoster 1.2 gradebook API, below the API origin.
 *
 * @since 0.2.0
 * @category constants
 */
export const BASE_PATH = "/ims/oneroster/gradebook/v1p2"

type Error = GradebookError.GradebookError

/**
 * The reads of a collection: one page, or every item lazily.
 *
 * @since 0.3.0
 * @category models
 */
export interface Reads<T extends Resource.Types> {
  /** One page, with `totalCount` when the server reports it. With `fields`, only those fields. */
  readonly list: <Q extends Resource.ListQuery<T> = {}>(
    query?: Q
  ) => Effect.Effect<Resource.Page<Resource.Selected<Q, T>>, Error>
  /**
   * Every item matching `query`, page after page (`limit` per page, default 100), fetched lazily.
   * A page that fails is retried like any read; the stream never restarts from the first page.
   */
  readonly stream: <Q extends Resource.ListQuery<T> = {}>(query?: Q) => Stream.Stream<Resource.Selected<Q, T>, Error>
}

/**
 * What a scoped create takes: the resource's input, the fields the route fills in optional.
 *
 * @since 0.3.0
 * @category models
 */
export type ScopedInput<T extends Resource.Types, Bound extends string> =
  & Omit<T["input"], Bound>
  & { readonly [K in Bound & keyof T["input"]]?: T["input"][K] }

/**
 * A multi-item create.
 *
 * @since 0.3.0
 * @category models
 */
export interface CreatesMany<T extends Resource.Types, Bound extends string> {
  /**
   * Creates every item in one request. Each item without a `sourcedId` gets one (uuid v4) before
   * anything is sent, and retries never create a duplicate. A field the route fills (the class
   * of `classes(id).lineItems`) may be left out; if given, it must name the route's parent.
   */
  readonly createMany: (
    items: ReadonlyArray<ScopedInput<T, Bound>>
  ) => Effect.Effect<ReadonlyArray<Resource.SourcedIdPair>, Error>
}

/**
 * Create, put, get, list, stream and delete of one resource.
 *
 * @since 0.3.0
 * @category models
 */
export interface ResourceService<T extends Resource.Types> extends Reads<T> {
  /**
   * `POST /<collection>`. Without `sourcedId` one is allocated (uuid v4) before anything is sent.
   * Retries never create a duplicate.
   */
  readonly create: (input: T["input"]) => Effect.Effect<Resource.SourcedIdPair, Error>
  /** `PUT /<collection>/{sourcedId}`: creates or replaces the item, returns what is stored. */
  readonly put: (sourcedId: string, input: T["input"]) => Effect.Effect<T["stored"], Error>
  /**
   * `GET /<collection>/{sourcedId}`; 404 is a `RequestError` with status 404. With `fields`, only
   * those fields are returned.
   */
  readonly get: <O extends Resource.GetQuery<T> = {}>(
    sourcedId: string,
    options?: O
  ) => Effect.Effect<Resource.Selected<O, T>, Error>
  /** `DELETE /<collection>/{sourcedId}`: a soft delete (status becomes `tobedeleted`). */
  readonly delete: (sourcedId: string) => Effect.Effect<void, Error>
  /**
   * Puts every item (each `{ sourcedId, ...input }`), `concurrency` at a time (default 16), and
   * streams one outcome per item in input order; items are read no further ahead than that, so a
   * million items take the memory of a few. A failed item (invalid, a 422, retries exhausted) is a
   * `Left` outcome; the others go on.
   */
  readonly putAll: (
    items: Bulk.Items<T["input"] & { readonly sourcedId: string }>,
    options?: Bulk.Options
  ) => Stream.Stream<Bulk.Outcome<T["stored"]>>
  /**
   * Creates every item, as `putAll` puts them. An item without a sourcedId gets one (uuid v4)
   * before anything is sent, and its outcome names it; creates stay idempotent.
   */
  readonly createAll: (
    items: Bulk.Items<T["input"]>,
    options?: Bulk.Options
  ) => Stream.Stream<Bulk.Outcome<Resource.SourcedIdPair>>
}

/**
 * `PATCH`, where the API has it (Timeback only).
 *
 * @since 0.3.0
 * @category models
 */
export interface Patches<T extends Resource.Types> {
  /** `PATCH /<collection>/{sourcedId}`: partial update, metadata merged. */
  readonly patch: (sourcedId: string, patch: T["patch"]) => Effect.Effect<T["stored"], Error>
}

type CategoryT = Resource.TypesOf<typeof Category.resource>
type ScoreScaleT = Resource.TypesOf<typeof ScoreScale.resource>
type LineItemT = Resource.TypesOf<typeof LineItem.resource>
type ResultT = Resource.TypesOf<typeof Result.resource>
type AssessmentLineItemT = Resource.TypesOf<typeof AssessmentLineItem.resource>
type AssessmentResultT = Resource.TypesOf<typeof AssessmentResult.resource>

/**
 * What is below one class: `GET /classes/{c}/lineItems`, `/results`, `/categories`,
 * `/scoreScales`, `/lineItems/{l}/results`, `/students/{s}/results`, and the multi-item creates
 * `POST /classes/{c}/lineItems` and `/academicSessions/{a}/results`.
 *
 * @since 0.3.0
 * @category models
 */
export interface ClassScope {
  readonly lineItems:
    & Reads<LineItemT>
    & CreatesMany<LineItemT, "class">
    & ((lineItemSourcedId: string) => { readonly results: Reads<ResultT> })
  readonly results: Reads<ResultT>
  readonly categories: Reads<CategoryT>
  readonly scoreScales: Reads<ScoreScaleT>
  readonly students: (studentSourcedId: string) => { readonly results: Reads<ResultT> }
  readonly academicSessions: (
    academicSessionSourcedId: string
  ) => { readonly results: CreatesMany<ResultT, "class"> }
}

/**
 * What is below one school: `GET /schools/{s}/lineItems` and `/scoreScales`, and
 * `POST /schools/{s}/lineItems`.
 *
 * @since 0.3.0
 * @category models
 */
export interface SchoolScope {
  readonly lineItems: Reads<LineItemT> & CreatesMany<LineItemT, "school">
  readonly scoreScales: Reads<ScoreScaleT>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface GradebookService {
  readonly categories: ResourceService<CategoryT>
  readonly scoreScales: ResourceService<ScoreScaleT>
  /** The line items; called with an id, what is below one line item (`POST /lineItems/{l}/results`). */
  readonly lineItems:
    & ResourceService<LineItemT>
    & ((lineItemSourcedId: string) => { readonly results: CreatesMany<ResultT, "lineItem"> })
  readonly results: ResourceService<ResultT>
  readonly assessmentLineItems: ResourceService<AssessmentLineItemT> & Patches<AssessmentLineItemT>
  readonly assessmentResults: ResourceService<AssessmentResultT> & Patches<AssessmentResultT>
  readonly classes: (classSourcedId: string) => ClassScope
  readonly schools: (schoolSourcedId: string) => SchoolScope

  /** @deprecated use `assessmentResults.create` */
  readonly createAssessmentResult: ResourceService<AssessmentResultT>["create"]
  /** @deprecated use `assessmentResults.put` */
  readonly putAssessmentResult: ResourceService<AssessmentResultT>["put"]
  /** @deprecated use `assessmentResults.get` */
  readonly getAssessmentResult: ResourceService<AssessmentResultT>["get"]
  /** @deprecated use `assessmentResults.list` */
  readonly listAssessmentResults: ResourceService<AssessmentResultT>["list"]
  /** @deprecated use `assessmentResults.stream` */
  readonly streamAssessmentResults: ResourceService<AssessmentResultT>["stream"]
  /** @deprecated use `assessmentResults.delete` */
  readonly deleteAssessmentResult: ResourceService<AssessmentResultT>["delete"]
  /** @deprecated use `assessmentResults.patch` */
  readonly patchAssessmentResult: Patches<AssessmentResultT>["patch"]
}

/**
 * @since 0.1.0
 * @category models
 */
export interface GetOptions {
  readonly fields?: ReadonlyArray<AssessmentResult.SelectableField>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Gradebook extends Context.Service<Gradebook, GradebookService>()("@timeback/core/Gradebook") {}

/**
 * What an implementation provides, for every resource at once: each method receives the
 * resource's declaration. It receives input that has already been validated: `make` guarantees
 * that invalid input never reaches it, that every sourcedId (of an item or of a scope's parent)
 * is safe as a path segment, and that inputs, patches and queries are plain data, the fields that
 * were validated: no key whose value is `undefined` (an explicit `undefined` is an absent key), no
 * prototype but `Object.prototype`, no `toJSON` method. A multi-item create's items already carry
 * the fields the route fills in.
 *
 * @since 0.1.0
 * @category models
 */
export interface GradebookBackend {
  readonly create: <T extends Resource.Types>(
    resource: Resource.Resource<T>,
    input: T["input"]
  ) => Effect.Effect<Resource.SourcedIdPair, Error>
  readonly put: <T extends Resource.Types>(
    resource: Resource.Resource<T>,
    sourcedId: string,
    input: T["input"]
  ) => Effect.Effect<T["stored"], Error>
  readonly get: <T extends Resource.Types>(
    resource: Resource.Resource<T>,
    sourcedId: string,
    fields: ReadonlyArray<T["field"]> | undefined
  ) => Effect.Effect<T["stored"] | T["partial"], Error>
  /** One page of a collection, or of a scope's collection when `scope` is given. */
  readonly list: <T extends Resource.Types>(
    resource: Resource.Resource<T>,
    query: Resource.ListQuery<T>,
    scope: Scope.Scope | undefined
  ) => Effect.Effect<Resource.Page<T["stored"] | T["partial"]>, Error>
  readonly delete: <T extends Resource.Types>(
    resource: Resource.Resource<T>,
    sourcedId: string
  ) => Effect.Effect<void, Error>
  readonly patch: <T extends Resource.Types>(
    resource: Resource.Resource<T>,
    sourcedId: string,
    patch: T["patch"]
  ) => Effect.Effect<T["stored"], Error>
  readonly createMany: <T extends Resource.Types>(
    resource: Resource.Resource<T>,
    scope: Scope.Scope,
    items: ReadonlyArray<T["input"]>
  ) => Effect.Effect<ReadonlyArray<Resource.SourcedIdPair>, Error>
}

/**
 * Turns a schema failure on caller input into a `RequestError` naming every offending field.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalidInput: (operation: string, error: Schema.SchemaError) => GradebookError.RequestError =
  Calls.invalidInput

/**
 * Builds the service from a backend, validating every input first: invalid input fails with a
 * `RequestError` whose `fields` name what is wrong, and the backend is not called.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (backend: GradebookBackend): GradebookService => {
  /** A write to one item: its path sourcedId and its body are validated, and must agree. */
  const keyedWrite = <I extends { readonly sourcedId?: string | undefined }, A>(
    operation: string,
    decode: (u: unknown) => Exit.Exit<I, Schema.SchemaError>,
    write: (sourcedId: string, input: I) => Effect.Effect<A, Error>
  ) =>
  (sourcedId: string, input: unknown): Effect.Effect<A, Error> =>
    // checked at once, without an Effect step per check: this runs on every write (`putAll` too)
    Effect.suspend((): Effect.Effect<A, Error> => {
      const id = Calls.sourcedIdOf(operation, sourcedId)
      if (Exit.isFailure(id)) return Effect.failCause(id.cause)
      const decoded = Calls.plainInput(operation, decode, input)
      if (Exit.isFailure(decoded)) return Effect.failCause(decoded.cause)
      const given = decoded.value.sourcedId
      return given !== undefined && given !== id.value
        ? Effect.fail(
          Calls.refused(
            operation,
            "sourcedId",
            `body sourcedId ${JSON.stringify(given)} does not match path sourcedId ${JSON.stringify(id.value)}`
          )
        )
        : write(id.value, decoded.value)
    })

  const service = (resource: Resource.Any) => {
    const { create, delete: del, get, list, patch, put, stream } = resource.operations
    const createOne = (input: unknown) =>
      Effect.flatMap(Calls.decodePlain(create, resource.decodeInput, input), (i) => backend.create(resource, i))
    const putOne = keyedWrite(put, resource.decodeInput, (id, i) => backend.put(resource, id, i))
    return {
      create: createOne,
      put: putOne,
      putAll: (items: Bulk.Items<unknown>, options?: Bulk.Options) =>
        Bulk.run(items, options, (item) => {
          const sourcedId = Bulk.sourcedIdOf(item)
          return typeof sourcedId === "string"
            ? { sourcedId, result: putOne(sourcedId, item) }
            : { sourcedId: String(sourcedId), result: Effect.fail(Calls.refused(put, "sourcedId", Bulk.NO_SOURCED_ID)) }
        }),
      createAll: (items: Bulk.Items<unknown>, options?: Bulk.Options) =>
        Bulk.run(items, options, (item) => {
          const given = Bulk.sourcedIdOf(item)
          if (given !== undefined || typeof item !== "object" || item === null) {
            return { sourcedId: String(given), result: createOne(item) }
          }
          // fixed before anything is sent, so that the outcome names it (retries stay idempotent)
          const sourcedId = crypto.randomUUID()
          return { sourcedId, result: createOne({ ...item, sourcedId }) }
        }),
      get: (sourcedId: string, options?: unknown) =>
        Effect.gen(function*() {
          const id = yield* Calls.sourcedIdOf(get, sourcedId)
          const { fields } = yield* Calls.decodePlain(get, resource.decodeGetQuery, options ?? {})
          return yield* backend.get(resource, id, fields)
        }),
      ...Tree.reads(backend, resource, { list, stream }, Tree.topLevel),
      delete: (sourcedId: string) =>
        Effect.flatMap(Calls.sourcedIdOf(del, sourcedId), (id) => backend.delete(resource, id)),
      ...(resource.decodePatch && {
        patch: keyedWrite(patch, resource.decodePatch, (id, p) => backend.patch(resource, id, p))
      })
    }
  }

  // the resources, and the scopes below them (`lineItems` is both)
  const top = Tree.node(
    backend,
    [],
    [],
    Object.fromEntries(Scope.resources.map((r) => [r.name, service(r)]))
  ) as unknown as GradebookService
  const results = top.assessmentResults
  return {
    ...top,
    createAssessmentResult: results.create,
    putAssessmentResult: results.put,
    getAssessmentResult: results.get,
    listAssessmentResults: results.list,
    streamAssessmentResults: results.stream,
    deleteAssessmentResult: results.delete,
    patchAssessmentResult: results.patch
  }
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const createAssessmentResult = (
  input: AssessmentResult.AssessmentResultInput
): Effect.Effect<AssessmentResult.SourcedIdPair, Error, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.assessmentResults.create(input))

/**
 * @since 0.1.0
 * @category accessors
 */
export const putAssessmentResult = (
  sourcedId: string,
  input: AssessmentResult.AssessmentResultInput
): Effect.Effect<AssessmentResult.AssessmentResult, Error, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.assessmentResults.put(sourcedId, input))

/**
 * @since 0.1.0
 * @category accessors
 */
export const getAssessmentResult = <O extends GetOptions = {}>(
  sourcedId: string,
  options?: O
): Effect.Effect<AssessmentResult.Selected<O>, Error, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.assessmentResults.get(sourcedId, options as any) as any)

/**
 * @since 0.1.0
 * @category accessors
 */
export const listAssessmentResults = <Q extends AssessmentResult.ListQuery = {}>(
  query?: Q
): Effect.Effect<AssessmentResult.Page<AssessmentResult.Selected<Q>>, Error, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.assessmentResults.list(query) as any)

/**
 * @since 0.1.0
 * @category accessors
 */
export const streamAssessmentResults = <Q extends AssessmentResult.ListQuery = {}>(
  query?: Q
): Stream.Stream<AssessmentResult.Selected<Q>, Error, Gradebook> =>
  Stream.unwrap(Effect.map(Gradebook, (g) => g.assessmentResults.stream(query) as any))

/**
 * @since 0.1.0
 * @category accessors
 */
export const deleteAssessmentResult = (sourcedId: string): Effect.Effect<void, Error, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.assessmentResults.delete(sourcedId))

/**
 * @since 0.1.0
 * @category accessors
 */
export const patchAssessmentResult = (
  sourcedId: string,
  patch: AssessmentResult.PatchInput
): Effect.Effect<AssessmentResult.AssessmentResult, Error, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.assessmentResults.patch(sourcedId, patch))
