/**
 * The Gradebook's resources and routes as `async` methods: the same shape as the Effect service
 * (`gradebook.assessmentResults.put(...)`, `gradebook.classes(id).results.stream(...)`), each call
 * with a last `{ signal }`, lists as async iterables, bulk writes as async iterables of outcomes.
 *
 * @since 0.1.0
 */
import {
  type AssessmentLineItem,
  type AssessmentResult,
  type Category,
  Filter,
  Gradebook,
  GradebookError,
  type LineItem,
  type Resource,
  type Result,
  Scope,
  type ScoreScale
} from "@timeback/core"
import type * as Core from "@timeback/core"
import * as Effect from "effect/Effect"
import * as EResult from "effect/Result"
import * as Stream from "effect/Stream"
import * as Bulk from "./internal/bulk.js"
import { type CallOptions, iterable, promise, type Runtime } from "./internal/run.js"

/**
 * A list query: `Resource.ListQuery`, with the filter as the `Filter` module builds it
 * (`Filter.lt("score", 50)`) or as the OneRoster filter string (`"score<'50'"`), which is checked
 * (grammar and fields) before anything is sent: a bad one rejects with a `RequestError` naming `filter`.
 *
 * @since 0.2.0
 * @category models
 */
export type ListQuery<T extends Resource.Types> = Omit<Resource.ListQuery<T>, "filter"> & {
  readonly filter?: Filter.Filter<T["filterField"]> | string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Reads<T extends Resource.Types> {
  /** One page, with `totalCount` when the server reports it. With `fields`, only those fields. */
  readonly list: <Q extends ListQuery<T> = {}>(
    query?: Q,
    options?: CallOptions
  ) => Promise<Resource.Page<Resource.Selected<Q, T>>>
  /** Every item matching `query`, fetched page after page as you iterate (`for await`). */
  readonly stream: <Q extends ListQuery<T> = {}>(
    query?: Q,
    options?: CallOptions
  ) => AsyncIterable<Resource.Selected<Q, T>>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface CreatesMany<T extends Resource.Types, Bound extends string> {
  /** Creates every item in one request; each item without a `sourcedId` gets one before anything is sent. */
  readonly createMany: (
    items: ReadonlyArray<Gradebook.ScopedInput<T, Bound>>,
    options?: CallOptions
  ) => Promise<ReadonlyArray<Resource.SourcedIdPair>>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ResourceClient<T extends Resource.Types> extends Reads<T> {
  /** `POST`: without `sourcedId` one is allocated (uuid v4) before anything is sent; retries never duplicate. */
  readonly create: (input: T["input"], options?: CallOptions) => Promise<Resource.SourcedIdPair>
  /** `PUT`: creates or replaces the item, resolves to what is stored. */
  readonly put: (sourcedId: string, input: T["input"], options?: CallOptions) => Promise<T["stored"]>
  /** `GET`; a 404 rejects with a `RequestError` of status 404. */
  readonly get: <O extends Resource.GetQuery<T> = {}>(
    sourcedId: string,
    query?: O,
    options?: CallOptions
  ) => Promise<Resource.Selected<O, T>>
  /** `DELETE`: a soft delete (status becomes `tobedeleted`). */
  readonly delete: (sourcedId: string, options?: CallOptions) => Promise<void>
  /**
   * Puts every item (`{ sourcedId, ...input }`), `concurrency` at a time (default 16), yielding one
   * outcome per item in input order. Items are read no further ahead than that. A failed item is an
   * outcome with `ok: false`; the others go on.
   */
  readonly putAll: (
    items: Bulk.Items<T["input"] & { readonly sourcedId: string }>,
    options?: Bulk.Options
  ) => AsyncIterable<Bulk.Outcome<T["stored"]>>
  /** Creates every item, as `putAll` puts them; an item without a sourcedId gets one first. */
  readonly createAll: (
    items: Bulk.Items<T["input"]>,
    options?: Bulk.Options
  ) => AsyncIterable<Bulk.Outcome<Resource.SourcedIdPair>>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Patches<T extends Resource.Types> {
  /** `PATCH`: a partial update, metadata merged. */
  readonly patch: (sourcedId: string, patch: T["patch"], options?: CallOptions) => Promise<T["stored"]>
}

type CategoryT = Resource.TypesOf<typeof Category.resource>
type ScoreScaleT = Resource.TypesOf<typeof ScoreScale.resource>
type LineItemT = Resource.TypesOf<typeof LineItem.resource>
type ResultT = Resource.TypesOf<typeof Result.resource>
type AssessmentLineItemT = Resource.TypesOf<typeof AssessmentLineItem.resource>
type AssessmentResultT = Resource.TypesOf<typeof AssessmentResult.resource>

/**
 * What is below one class (see `Gradebook.ClassScope`).
 *
 * @since 0.1.0
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
  readonly academicSessions: (academicSessionSourcedId: string) => { readonly results: CreatesMany<ResultT, "class"> }
}

/**
 * What is below one school (see `Gradebook.SchoolScope`).
 *
 * @since 0.1.0
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
export interface Resources {
  readonly categories: ResourceClient<CategoryT>
  readonly scoreScales: ResourceClient<ScoreScaleT>
  readonly lineItems:
    & ResourceClient<LineItemT>
    & ((lineItemSourcedId: string) => { readonly results: CreatesMany<ResultT, "lineItem"> })
  readonly results: ResourceClient<ResultT>
  readonly assessmentLineItems: ResourceClient<AssessmentLineItemT> & Patches<AssessmentLineItemT>
  readonly assessmentResults: ResourceClient<AssessmentResultT> & Patches<AssessmentResultT>
  readonly classes: (classSourcedId: string) => ClassScope
  readonly schools: (schoolSourcedId: string) => SchoolScope
}

// The interfaces above mirror the Effect service's; these fail to compile when the service gains a
// member (a resource, a route, an operation) that the Promise surface lacks.
type Complete<EffectSide, PromiseSide> = [Exclude<keyof EffectSide, keyof PromiseSide>] extends [never] ? true : false
type Assert<T extends true> = T
type Deprecated = `${string}AssessmentResult${string}`
/** @internal */
export type MirrorsTheEffectService = [
  Assert<Complete<Omit<Gradebook.GradebookService, Deprecated>, Resources>>,
  Assert<Complete<Gradebook.ResourceService<ResultT>, ResourceClient<ResultT>>>,
  Assert<Complete<Gradebook.Reads<ResultT>, Reads<ResultT>>>,
  Assert<Complete<Gradebook.Patches<ResultT>, Patches<ResultT>>>,
  Assert<Complete<Gradebook.CreatesMany<ResultT, "class">, CreatesMany<ResultT, "class">>>,
  Assert<Complete<Gradebook.ClassScope, ClassScope>>,
  Assert<Complete<Gradebook.SchoolScope, SchoolScope>>
]

// ---------------------------------------------------------------------------------------------
// One wrapper per capability; `select` picks the part of the Effect service a call goes to.

// the Effect service's parts, seen untyped: the typed surface is the interfaces above
type Part = any
/** A part of the service, and the resource it reads (its name ends the path). */
type Select = ((gradebook: Gradebook.GradebookService) => Part) & { readonly resource: Resource.Any }

/**
 * `query` with a filter string parsed into the `Filter` value it says (the fields the resource can
 * filter on), or the `RequestError` naming `filter` when it says nothing valid; any other query as it is.
 */
const parsedQuery = (query: unknown, resource: Resource.Any, operation: string): Effect.Effect<unknown, unknown> => {
  const filter = (query as { readonly filter?: unknown } | undefined)?.filter
  if (typeof filter !== "string") return Effect.succeed(query)
  const parsed = Filter.parse(filter, resource.filterFields)
  return EResult.isSuccess(parsed)
    ? Effect.succeed({ ...(query as object), filter: parsed.success })
    : Effect.fail(
      new GradebookError.RequestError({ operation, fields: ["filter"], description: `filter: ${parsed.failure}` })
    )
}

const call = <A>(runtime: Runtime, select: Select, f: (part: Part) => Effect.Effect<A, unknown>, o?: CallOptions) =>
  promise(runtime, Effect.flatMap(Gradebook.Gradebook, (g) => f(select(g))), o)

const stream = <A>(runtime: Runtime, select: Select, f: (part: Part) => Stream.Stream<A, unknown>, o?: CallOptions) =>
  iterable(runtime, Stream.unwrap(Effect.map(Gradebook.Gradebook, (g) => f(select(g)))), o)

const reads = (runtime: Runtime, select: Select): Reads<Part> => ({
  list: (query, o) =>
    call(
      runtime,
      select,
      (p) => Effect.flatMap(parsedQuery(query, select.resource, select.resource.operations.list), (q) => p.list(q)),
      o
    ),
  stream: (query, o) =>
    stream(
      runtime,
      select,
      (p) =>
        Stream.unwrap(
          Effect.map(parsedQuery(query, select.resource, select.resource.operations.stream), (q) => p.stream(q))
        ),
      o
    )
})

const createsMany = (runtime: Runtime, select: Select): CreatesMany<Part, string> => ({
  createMany: (items, o) => call(runtime, select, (p) => p.createMany(items), o)
})

const bulk =
  (runtime: Runtime, select: Select, name: "putAll" | "createAll") =>
  (items: Bulk.Items<unknown>, o?: Bulk.Options): AsyncIterable<Bulk.Outcome<Part>> =>
    stream(
      runtime,
      select,
      (p) =>
        Stream.map(
          p[name](Bulk.items(items), Bulk.bulkOptions(o)) as Stream.Stream<Core.Bulk.Outcome<Part>>,
          Bulk.outcome
        ),
      o
    )

const resource = (runtime: Runtime, select: Select): ResourceClient<Part> & Patches<Part> => ({
  ...reads(runtime, select),
  create: (input, o) => call(runtime, select, (p) => p.create(input), o),
  put: (id, input, o) => call(runtime, select, (p) => p.put(id, input), o),
  get: (id, query, o) => call(runtime, select, (p) => p.get(id, query), o),
  delete: (id, o) => call(runtime, select, (p) => p.delete(id), o),
  patch: (id, patch, o) => call(runtime, select, (p) => p.patch(id, patch), o),
  putAll: bulk(runtime, select, "putAll"),
  createAll: bulk(runtime, select, "createAll")
})

/** The whole surface over `runtime`. */
export const make = (runtime: Runtime): Resources => {
  const at = (...path: ReadonlyArray<string | [string, string]>): Select =>
    Object.assign(
      (g: Gradebook.GradebookService) =>
        path.reduce((part: Part, step) => typeof step === "string" ? part[step] : part[step[0]](step[1]), g),
      { resource: (Scope.resources as ReadonlyArray<Resource.Any>).find((r) => r.name === path.at(-1))! }
    )
  const classes = (c: string): ClassScope => ({
    lineItems: Object.assign(
      (l: string) => ({ results: reads(runtime, at(["classes", c], ["lineItems", l], "results")) }),
      reads(runtime, at(["classes", c], "lineItems")),
      createsMany(runtime, at(["classes", c], "lineItems"))
    ),
    results: reads(runtime, at(["classes", c], "results")),
    categories: reads(runtime, at(["classes", c], "categories")),
    scoreScales: reads(runtime, at(["classes", c], "scoreScales")),
    students: (s) => ({ results: reads(runtime, at(["classes", c], ["students", s], "results")) }),
    academicSessions: (a) => ({ results: createsMany(runtime, at(["classes", c], ["academicSessions", a], "results")) })
  })
  const schools = (s: string): SchoolScope => ({
    lineItems: {
      ...reads(runtime, at(["schools", s], "lineItems")),
      ...createsMany(runtime, at(["schools", s], "lineItems"))
    },
    scoreScales: reads(runtime, at(["schools", s], "scoreScales"))
  })
  return {
    categories: resource(runtime, at("categories")),
    scoreScales: resource(runtime, at("scoreScales")),
    lineItems: Object.assign(
      (l: string) => ({ results: createsMany(runtime, at(["lineItems", l], "results")) }),
      resource(runtime, at("lineItems"))
    ),
    results: resource(runtime, at("results")),
    assessmentLineItems: resource(runtime, at("assessmentLineItems")),
    assessmentResults: resource(runtime, at("assessmentResults")),
    classes,
    schools
  }
}
