/**
 * A Gradebook resource, declared once: its names, its stored, partial, input and patch schemas, the
 * fields a query can select, filter and sort on, and how a create is confirmed after a lost answer.
 * Every layer derives from the declaration: core validates input and builds the service's methods,
 * `@timeback/http` the requests and decoding, the testkit the store and the fake server's routes.
 *
 * @since 0.3.0
 */
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { toRfc3339 } from "./Fields.js"
import * as Filter from "./Filter.js"
import { decoder, jsonDecoder } from "./internal/decode.js"
import * as FromFields from "./internal/fromFields.js"
import { capitalized } from "./internal/names.js"
import { isWellFormed } from "./internal/unicode.js"

/**
 * The types a declaration fixes.
 *
 * @since 0.3.0
 * @category models
 */
export interface Types {
  /** The collection: `lineItems`, also the path segment and the list answer's key. */
  readonly name: string
  /** One item's key in a body: `lineItem`. */
  readonly one: string
  readonly stored: object
  readonly partial: object
  readonly input: { readonly sourcedId?: string | undefined }
  /** The patch, `never` where the API has no PATCH. */
  readonly patch: object
  /** Fields a `fields` selection can name. */
  readonly field: string
  /** Fields a filter or a sort can name. */
  readonly filterField: string
}

/**
 * A list query. `limit` 1..3000 (server default 100), `offset` ≥ 0, `sort` + `orderBy`, `fields` to
 * select, `search`, and a typed `filter` (see the `Filter` module).
 *
 * @since 0.3.0
 * @category models
 */
export interface ListQuery<T extends Pick<Types, "field" | "filterField"> = Types> {
  readonly limit?: number | undefined
  readonly offset?: number | undefined
  readonly sort?: T["filterField"] | undefined
  readonly orderBy?: "asc" | "desc" | undefined
  readonly fields?: readonly [T["field"], ...Array<T["field"]>] | undefined
  readonly search?: string | undefined
  readonly filter?: Filter.Filter<T["filterField"]> | undefined
}

/**
 * The options of a get: `fields` to select.
 *
 * @since 0.3.0
 * @category models
 */
export interface GetQuery<T extends Pick<Types, "field"> = Types> {
  readonly fields?: readonly [T["field"], ...Array<T["field"]>] | undefined
}

/**
 * What a read returns: the whole object, or a partial one when `fields` was given.
 *
 * @since 0.3.0
 * @category models
 */
export type Selected<O, T extends Pick<Types, "stored" | "partial">> = O extends
  { readonly fields: ReadonlyArray<any> } ? T["partial"]
  : "fields" extends keyof O ? O extends { readonly fields?: undefined } ? T["stored"]
    : T["stored"] | T["partial"]
  : T["stored"]

/**
 * One page of a list.
 *
 * @since 0.3.0
 * @category models
 */
export interface Page<A> {
  readonly results: ReadonlyArray<A>
  readonly offset: number
  readonly limit: number
  /** Total matching objects, when the server said (body `totalCount` or `X-Total-Count`). */
  readonly totalCount?: number
  /** Whether another page follows, when the server said (a `Link` header with or without `rel="next"`). */
  readonly hasNext?: boolean
}

/**
 * The answer to a create: the sourcedId the caller supplied and the one the server allocated
 * (Timeback keeps the supplied one).
 *
 * @since 0.3.0
 * @category schemas
 */
export const SourcedIdPair = Schema.Struct({
  suppliedSourcedId: Schema.String,
  allocatedSourcedId: Schema.String
})

/**
 * @since 0.3.0
 * @category models
 */
export interface SourcedIdPair extends Schema.Schema.Type<typeof SourcedIdPair> {}

/**
 * A create's 201 body.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateResponse = Schema.Struct({ sourcedIdPairs: SourcedIdPair })

/**
 * A multi-item create's 201 body: one pair per item (a server that sends a single pair for a
 * single item is read the same way).
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateManyResponse = Schema.Struct({
  sourcedIdPairs: Schema.Union([Schema.Array(SourcedIdPair), SourcedIdPair])
})

/**
 * The collection a reference field points into, for every reference field a resource has:
 * gradebook collections and the roster collections the scoped routes name.
 *
 * @since 0.3.0
 * @category constants
 */
export const REFERENCES: Readonly<Record<string, string>> = {
  lineItem: "lineItems",
  category: "categories",
  scoreScale: "scoreScales",
  assessmentLineItem: "assessmentLineItems",
  parentAssessmentLineItem: "assessmentLineItems",
  class: "classes",
  school: "schools",
  student: "students",
  academicSession: "academicSessions",
  gradingPeriod: "academicSessions",
  course: "courses",
  component: "components",
  componentResource: "componentResources"
}

const TypeId: unique symbol = Symbol.for("@timeback/core/Resource")

/**
 * A declared resource.
 *
 * @since 0.3.0
 * @category models
 */
export interface Resource<T extends Types> {
  readonly [TypeId]: typeof TypeId
  readonly name: T["name"]
  readonly one: T["one"]
  /** Words for messages: `line item`. */
  readonly label: string
  /** The operation names errors and spans carry: `createLineItem`, `listLineItems`. */
  readonly operations: Readonly<Record<Verb, string>>
  readonly Stored: Schema.Codec<T["stored"], any>
  readonly Partial: Schema.Codec<T["partial"], any>
  readonly Input: Schema.Codec<T["input"], any>
  readonly Patch: Schema.Codec<T["patch"], any> | undefined
  readonly ListQuery: Schema.Codec<ListQuery<T>, any>
  readonly GetQuery: Schema.Codec<GetQuery<T>, any>
  /** `{ <one>: Stored }`: a get's and a put's body. */
  readonly SingleResponse: Schema.Codec<Record<T["one"], T["stored"]>, any>
  readonly selectableFields: ReadonlyArray<T["field"]>
  readonly filterFields: ReadonlyArray<T["filterField"]>
  /** Input fields that are references (`{ sourcedId }`). */
  readonly refFields: ReadonlyArray<string>
  /** Fields a `search` looks into (the fake server's and the memory store's choice). */
  readonly searchFields: ReadonlyArray<string>
  /** What an input becomes on the wire (see `Wire`). */
  readonly wire: Wire
  /** Strict decoders of caller input; what they return is the wire form (see `Wire`). */
  readonly decodeInput: (u: unknown) => Exit.Exit<T["input"], Schema.SchemaError>
  readonly decodePatch: ((u: unknown) => Exit.Exit<T["patch"], Schema.SchemaError>) | undefined
  readonly decodeListQuery: (u: unknown) => Exit.Exit<ListQuery<T>, Schema.SchemaError>
  readonly decodeGetQuery: (u: unknown) => Exit.Exit<GetQuery<T>, Schema.SchemaError>
  /** Drift-tolerant decoders of a server's JSON text. */
  readonly decodeStored: (u: unknown) => Exit.Exit<T["stored"], Schema.SchemaError>
  readonly decodeSingle: (text: string) => Exit.Exit<Record<string, T["stored"]>, Schema.SchemaError>
  readonly decodeSinglePartial: (text: string) => Exit.Exit<Record<string, T["partial"]>, Schema.SchemaError>
  readonly decodeList: (text: string) => Exit.Exit<ListBody<T["stored"]>, Schema.SchemaError>
  readonly decodeListPartial: (text: string) => Exit.Exit<ListBody<T["partial"]>, Schema.SchemaError>
  /**
   * Whether a stored object is the one a create sent, as far as confirming a create whose answer
   * was lost needs (the fields the declaration names, refs by sourcedId).
   */
  readonly isSent: (stored: T["stored"], sent: T["input"]) => boolean
}

/**
 * What the SDK fills in or rewrites in a valid input before sending it, so that every request
 * meets Timeback's contract (`format: date-time`, `status` required):
 * - `defaults`: a field the caller left out is sent with this value (`status: "active"`), on
 *   creates and puts, not on patches;
 * - `dateTimes`: these fields, written as a date or a date-time, are sent as RFC 3339 date-times
 *   with seconds and zone (`Fields.toRfc3339`).
 *
 * @since 0.4.0
 * @category models
 */
export interface Wire {
  readonly defaults: Readonly<Record<string, string>>
  readonly dateTimes: ReadonlyArray<string>
}

/**
 * Every resource's defaults: `status` is `"active"` unless the caller says otherwise.
 *
 * @since 0.4.0
 * @category constants
 */
export const WIRE_DEFAULTS: Readonly<Record<string, string>> = { status: "active" }

/**
 * The wire form of a decoded input (see `Wire`): the same object when nothing changes, else a copy.
 *
 * @since 0.4.0
 * @category constructors
 */
export const toWire = (wire: Wire, defaults: boolean) => <A>(input: A): A => {
  const o = input as Record<string, unknown>
  let out: Record<string, unknown> | undefined
  if (defaults) {
    for (const key in wire.defaults) {
      if (o[key] === undefined) (out ??= { ...o })[key] = wire.defaults[key]
    }
  }
  for (const key of wire.dateTimes) {
    const v = o[key]
    if (typeof v === "string") {
      const sent = toRfc3339(v)
      if (sent !== v) (out ??= { ...o })[key] = sent
    }
  }
  return (out ?? o) as A
}

/**
 * @since 0.3.0
 * @category models
 */
export type Verb = "create" | "put" | "get" | "list" | "stream" | "delete" | "patch"

/**
 * A list answer's body, the collection under `items`, with Timeback's paging fields when sent.
 *
 * @since 0.3.0
 * @category models
 */
export interface ListBody<A> {
  readonly items: ReadonlyArray<A>
  readonly totalCount?: number | undefined
  readonly offset?: number | undefined
  readonly limit?: number | undefined
}

/**
 * @since 0.3.0
 * @category models
 */
export type Any = Resource<any>

/**
 * The types of a declared resource.
 *
 * @since 0.3.0
 * @category models
 */
export type TypesOf<R> = R extends Resource<infer T> ? T : never

/**
 * @since 0.3.0
 * @category guards
 */
export const isResource = (u: unknown): u is Any => typeof u === "object" && u !== null && TypeId in u

/**
 * A list answer's schema: the collection under its name, and Timeback's body paging fields.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ListResponse = <const K extends string, A, I>(many: K, item: Schema.Codec<A, I>) =>
  Schema.Struct(
    {
      [many]: Schema.Array(item),
      totalCount: Schema.optionalKey(Schema.Number),
      pageCount: Schema.optionalKey(Schema.Number),
      pageNumber: Schema.optionalKey(Schema.Number),
      offset: Schema.optionalKey(Schema.Number),
      limit: Schema.optionalKey(Schema.Number)
    } as
      & {
        [k in K]: Schema.$Array<Schema.Codec<A, I>>
      }
      & Record<
        "totalCount" | "pageCount" | "pageNumber" | "offset" | "limit",
        Schema.optionalKey<Schema.Number>
      >
  )

/**
 * Decodes a server's JSON body with `schema`: drift-tolerant (unknown keys ignored, `null` in an
 * optional field read as absent) and, on failure, reporting every issue.
 *
 * @since 0.3.0
 * @category constructors
 */
export const decodeResponse = <A, I>(
  schema: Schema.Codec<A, I>
): (text: string) => Exit.Exit<A, Schema.SchemaError> => jsonDecoder(schema)

const SearchText = Schema.NonEmptyString.pipe(
  Schema.check(
    Schema.makeFilter((s: string) => isWellFormed(s) || "Expected well-formed Unicode (it has a lone surrogate)")
  )
)

// `Unknown` with a check: the check sees the filter itself (`Filter.validate` words every problem)
const filterSchema = <F extends string>(fields: ReadonlyArray<F>): Schema.Codec<Filter.Filter<F>> =>
  Schema.Unknown.pipe(
    Schema.check(Schema.makeFilter((u: unknown) => Filter.validate(u as Filter.Filter<F>, fields) ?? true, {
      identifier: "Filter"
    }))
  ) as unknown as Schema.Codec<Filter.Filter<F>>

/**
 * The list query schema of a resource with these selectable and filterable fields.
 *
 * @since 0.3.0
 * @category schemas
 */
export const listQuery = <F extends string, FF extends string>(
  selectable: ReadonlyArray<F>,
  filterable: ReadonlyArray<FF>,
  identifier: string
) =>
  Schema.Struct({
    limit: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 3000 }))),
    offset: Schema.optional(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
    sort: Schema.optional(Schema.Literals(filterable)),
    orderBy: Schema.optional(Schema.Literals(["asc", "desc"])),
    fields: Schema.optional(Schema.NonEmptyArray(Schema.Literals(selectable))),
    search: Schema.optional(SearchText),
    filter: Schema.optional(filterSchema(filterable))
  }).annotate({ identifier })

// `null` sent clears a field, which a server stores as absent (or as `null`)
const sameValue = (stored: unknown, sent: unknown): boolean =>
  typeof sent === "object" && sent !== null && typeof stored === "object" && stored !== null &&
    "sourcedId" in sent
    ? (stored as { sourcedId?: unknown }).sourcedId === sent.sourcedId
    : (stored ?? undefined) === (sent ?? undefined)

/**
 * Declares a resource from schemas written by hand (how `AssessmentResult` is declared; `make`
 * builds them from fields).
 *
 * @since 0.3.0
 * @category constructors
 */
export const declare = <T extends Types>(spec: {
  readonly name: T["name"]
  readonly one: T["one"]
  readonly label: string
  readonly Stored: Schema.Codec<T["stored"], any>
  readonly Partial: Schema.Codec<T["partial"], any>
  readonly Input: Schema.Codec<T["input"], any>
  readonly Patch?: Schema.Codec<T["patch"], any> | undefined
  readonly ListQuery: Schema.Codec<ListQuery<T>, any>
  readonly selectableFields: ReadonlyArray<T["field"]>
  readonly filterFields: ReadonlyArray<T["filterField"]>
  readonly refFields: ReadonlyArray<string>
  readonly searchFields: ReadonlyArray<string>
  /** Fields compared to confirm that a stored object is the one a create sent. */
  readonly confirm: ReadonlyArray<string>
  /** Fields written as dates or date-times (sent as RFC 3339, see `Wire`). */
  readonly dateTimes: ReadonlyArray<string>
}): Resource<T> => {
  const wire: Wire = { defaults: WIRE_DEFAULTS, dateTimes: spec.dateTimes }
  const single = Schema.Struct({ [spec.one]: spec.Stored }) as unknown as Schema.Codec<
    Record<T["one"], T["stored"]>,
    any
  >
  const GetQuery = Schema.Struct({ fields: (spec.ListQuery as unknown as Schema.Struct<any>).fields.fields })
    .annotate({ identifier: `${spec.one}GetQuery` }) as unknown as Schema.Codec<GetQuery<T>, any>
  const one = capitalized(spec.one)
  const many = capitalized(spec.name)
  return {
    [TypeId]: TypeId,
    name: spec.name,
    one: spec.one,
    label: spec.label,
    operations: {
      create: `create${one}`,
      put: `put${one}`,
      get: `get${one}`,
      list: `list${many}`,
      stream: `stream${many}`,
      delete: `delete${one}`,
      patch: `patch${one}`
    },
    Stored: spec.Stored,
    Partial: spec.Partial,
    Input: spec.Input,
    Patch: spec.Patch,
    ListQuery: spec.ListQuery,
    GetQuery,
    SingleResponse: single,
    selectableFields: spec.selectableFields,
    filterFields: spec.filterFields,
    refFields: spec.refFields,
    searchFields: spec.searchFields,
    wire,
    decodeInput: decoder(spec.Input, "strict", toWire(wire, true)),
    decodePatch: spec.Patch && decoder(spec.Patch, "strict", toWire(wire, false)),
    decodeListQuery: decoder(spec.ListQuery, "strict"),
    decodeGetQuery: decoder(GetQuery, "strict"),
    decodeStored: decoder(spec.Stored, "json"),
    decodeSingle: decodeResponse(single) as any,
    decodeSinglePartial: decodeResponse(Schema.Struct({ [spec.one]: spec.Partial })) as any,
    decodeList: listBody(spec.name, spec.Stored),
    decodeListPartial: listBody(spec.name, spec.Partial),
    isSent: (stored, sent) =>
      spec.confirm.every((k) => sameValue((stored as Record<string, unknown>)[k], (sent as Record<string, unknown>)[k]))
  }
}

/** A list answer's decoder: the collection moved under `items`. */
const listBody = <A>(
  many: string,
  item: Schema.Codec<A, any>
): (text: string) => Exit.Exit<ListBody<A>, Schema.SchemaError> => {
  const decode = decodeResponse(ListResponse(many, item)) as (
    text: string
  ) => Exit.Exit<Record<string, any>, Schema.SchemaError>
  return (text) => Exit.map(decode(text), (body) => ({ ...body, items: body[many] }))
}

/**
 * The types `make` derives from a declaration's fields.
 *
 * @since 0.3.0
 * @category models
 */
export type Made<Name extends string, One extends string, F, Req extends string, P extends boolean> = FromFields.Made<
  Name,
  One,
  F,
  Req,
  P
>

/**
 * Declares a resource from its fields (besides `sourcedId`, `status`, `dateLastModified` and
 * `metadata`, which every resource has): the stored schema reads `null` optionals as absent and
 * ignores unknown keys; the input schema is strict, `required` fields required, every other field
 * optional; the patch (where `patch: true`) is any subset of the input.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = FromFields.maker(declare, listQuery)
