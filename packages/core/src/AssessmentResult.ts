/**
 * Schemas for OneRoster 1.2 assessment results as the Timeback Gradebook API serves them.
 *
 * Two families:
 * - write input (`AssessmentResultInput`): strict. Unknown keys, unknown enum values, non-finite
 *   scores and malformed dates are refused, so nothing half-valid is ever sent.
 * - server responses (`AssessmentResult`, `CreateResponse`, `PutResponse`): tolerant of drift
 *   (unknown fields are ignored, `null` optionals read as absent, refs may carry `href`/`type`)
 *   and strict on the fields a result cannot exist without.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Filter from "./Filter.js"
import { decoder } from "./internal/decode.js"
import { isWellFormed } from "./internal/unicode.js"
import * as Json from "./Json.js"
import * as SourcedIdRules from "./SourcedId.js"

/**
 * Record status: `tobedeleted` marks a soft-deleted result.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Literal("active", "tobedeleted")

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * The grading state of a result.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoreStatus = Schema.Literal(
  "exempt",
  "fully graded",
  "not submitted",
  "partially graded",
  "submitted"
)

/**
 * @since 0.1.0
 * @category models
 */
export type ScoreStatus = typeof ScoreStatus.Type

/**
 * OneRoster carries the `inProgress`, `incomplete`, `late` and `missing` flags as strings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BooleanString = Schema.Literal("true", "false")

/**
 * @since 0.1.0
 * @category models
 */
export type BooleanString = typeof BooleanString.Type

/**
 * A sourcedId: non-empty, without surrounding whitespace, and safe as a path segment (not `.` or
 * `..`, no control characters, well-formed Unicode). See the `SourcedId` module.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SourcedId = SourcedIdRules.SourcedId

// the date, then an optional time of day (hours 00–23, minutes and seconds 00–59) and zone
const ISO_DATE_OR_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?$/

const digits = (s: string, from: number, to: number) => {
  let n = 0
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48
  return n
}

const isCalendarDate = (year: number, month: number, day: number) =>
  month >= 1 && month <= 12 && day >= 1 &&
  day <= (month === 2
      ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28)
      : 30 + ((month + (month >> 3)) & 1))

/**
 * Whether a string is an ISO 8601 calendar date (`2024-09-01`) or a date-time with a zone
 * (`2024-09-01T10:00:00Z`, `2024-09-01T10:00:00.123+02:00`) naming a real day and time.
 *
 * @since 0.1.0
 * @category schemas
 */
export const isIsoDateOrDateTime = (s: string): boolean =>
  ISO_DATE_OR_DATE_TIME.test(s) && isCalendarDate(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10))

/**
 * `scoreDate`: an ISO 8601 date (official binding) or date-time (Timeback). Kept as the string it
 * was given, so the bytes on the wire are the caller's own.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoreDate = Schema.String.pipe(
  Schema.filter((s) =>
    isIsoDateOrDateTime(s) ||
    `Expected an ISO 8601 date (YYYY-MM-DD) or date-time with zone (YYYY-MM-DDTHH:mm:ssZ), got ${JSON.stringify(s)}`
  ),
  Schema.annotations({
    identifier: "ScoreDate",
    arbitrary: () => (fc) =>
      fc.date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true })
        .chain((d) =>
          fc.constantFrom(d.toISOString(), d.toISOString().slice(0, 10), d.toISOString().slice(0, 19) + "Z")
        )
  })
)

/**
 * A reference to another OneRoster object, as written: `{ sourcedId }` (Timeback) or
 * `{ href, sourcedId, type }` (official binding).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RefInput = Schema.Struct({
  sourcedId: SourcedId,
  href: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type RefInput = typeof RefInput.Type

/**
 * A reference as read from a server: `sourcedId` required, `href`/`type` optional (and `null`
 * read as absent).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ref = Schema.Struct({
  sourcedId: Schema.String,
  href: Schema.optionalWith(Schema.String, { nullable: true }),
  type: Schema.optionalWith(Schema.String, { nullable: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Ref = typeof Ref.Type

/**
 * Free-form metadata as read from a server: any JSON object.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * Free-form metadata as written: a plain JSON object of JSON values, at most `Json.MAX_DEPTH`
 * levels deep (see `Json.JsonObject`). A failure names the place, e.g. `metadata.tags.2`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const MetadataInput = Json.JsonObject

const learningObjectiveResult = <S extends Schema.Schema.Any>(score: S) =>
  Schema.Struct({
    learningObjectiveId: Schema.String,
    score: Schema.optional(score),
    textScore: Schema.optional(Schema.String)
  })

/**
 * Per-objective results, as written.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LearningObjectiveSetInput = Schema.Array(Schema.Struct({
  source: Schema.String,
  learningObjectiveResults: Schema.Array(learningObjectiveResult(Schema.Finite))
}))

/**
 * Per-objective results, as read.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LearningObjectiveSet = Schema.Array(Schema.Struct({
  source: Schema.String,
  learningObjectiveResults: Schema.Array(Schema.Struct({
    learningObjectiveId: Schema.String,
    score: Schema.optionalWith(Schema.Number, { nullable: true }),
    textScore: Schema.optionalWith(Schema.String, { nullable: true })
  }))
}))

/**
 * What a caller writes. Required: `assessmentLineItem`, `student`, `scoreStatus`, `scoreDate`.
 * `sourcedId` is optional on create (the SDK fixes one before sending) and, on put, must match
 * the path's sourcedId when present. Unknown keys are refused by `decodeInput`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssessmentResultInput = Schema.Struct({
  sourcedId: Schema.optional(SourcedId),
  status: Schema.optional(Status),
  dateLastModified: Schema.optional(Schema.String),
  metadata: Schema.optional(MetadataInput),
  assessmentLineItem: RefInput,
  student: RefInput,
  score: Schema.optional(Schema.Finite),
  textScore: Schema.optional(Schema.String),
  scoreDate: ScoreDate,
  scoreScale: Schema.optional(RefInput),
  scorePercentile: Schema.optional(Schema.Finite),
  scoreStatus: ScoreStatus,
  comment: Schema.optional(Schema.String),
  learningObjectiveSet: Schema.optional(LearningObjectiveSetInput),
  inProgress: Schema.optional(BooleanString),
  incomplete: Schema.optional(BooleanString),
  late: Schema.optional(BooleanString),
  missing: Schema.optional(BooleanString)
}).annotations({ identifier: "AssessmentResultInput" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AssessmentResultInput extends Schema.Schema.Type<typeof AssessmentResultInput> {}

/**
 * Decodes plain input strictly: every issue is reported, unknown keys are errors. A valid input
 * is returned as it is, not copied.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeInput: (u: unknown) => Effect.Effect<AssessmentResultInput, ParseResult.ParseError> = decoder(
  AssessmentResultInput,
  "strict"
)

const nullable = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true })

/** The fields of a stored result, each as read from a server. */
const resultFields = {
  sourcedId: Schema.String,
  status: Status,
  dateLastModified: Schema.String,
  metadata: Metadata,
  assessmentLineItem: Ref,
  student: Ref,
  score: Schema.Number,
  textScore: Schema.String,
  scoreDate: ScoreDate,
  scoreScale: Ref,
  scorePercentile: Schema.Number,
  scoreStatus: ScoreStatus,
  comment: Schema.String,
  learningObjectiveSet: LearningObjectiveSet,
  inProgress: BooleanString,
  incomplete: BooleanString,
  late: BooleanString,
  missing: BooleanString
}

type ResultFields = typeof resultFields
type Required = "sourcedId" | "assessmentLineItem" | "student" | "scoreDate" | "scoreStatus"
type Optional<F> = {
  [K in keyof F]: F[K] extends Schema.Schema.Any ? Schema.optionalWith<F[K], { nullable: true }> : never
}

const optionalFields = <K extends keyof ResultFields>(keys: ReadonlyArray<K>): Optional<Pick<ResultFields, K>> =>
  Object.fromEntries(keys.map((k) => [k, nullable(resultFields[k])])) as any

const allKeys = Object.keys(resultFields) as Array<keyof ResultFields>
const requiredKeys: ReadonlyArray<Required> = ["sourcedId", "assessmentLineItem", "student", "scoreDate", "scoreStatus"]

/**
 * A stored assessment result as a server returns it.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AssessmentResult extends Schema.Class<AssessmentResult>("AssessmentResult")({
  ...optionalFields(
    allKeys.filter((k): k is Exclude<keyof ResultFields, Required> => !requiredKeys.includes(k as Required))
  ),
  sourcedId: resultFields.sourcedId,
  assessmentLineItem: resultFields.assessmentLineItem,
  student: resultFields.student,
  scoreDate: resultFields.scoreDate,
  scoreStatus: resultFields.scoreStatus
}) {}

/**
 * The answer to a create: the sourcedId the caller supplied and the one the server allocated
 * (Timeback keeps the supplied one).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SourcedIdPair = Schema.Struct({
  suppliedSourcedId: Schema.String,
  allocatedSourcedId: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export interface SourcedIdPair extends Schema.Schema.Type<typeof SourcedIdPair> {}

/**
 * `POST /assessmentResults` request body.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WriteRequest = Schema.Struct({ assessmentResult: AssessmentResultInput })

/**
 * `POST /assessmentResults` 201 body.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateResponse = Schema.Struct({ sourcedIdPairs: SourcedIdPair })

/**
 * `PUT /assessmentResults/{sourcedId}` 201 body (Timeback; the official binding sends none) and
 * `GET /assessmentResults/{sourcedId}` 200 body.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SingleResponse = Schema.Struct({ assessmentResult: AssessmentResult })

/**
 * Every field of a result, in any subset (what a server sends when asked for some `fields`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartialAssessmentResult = Schema.Struct(optionalFields(allKeys)).annotations({
  identifier: "PartialAssessmentResult"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface PartialAssessmentResult extends Schema.Schema.Type<typeof PartialAssessmentResult> {}

/**
 * Top-level fields a `fields` selection can name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SelectableField = Schema.Literal(
  ...(Object.keys(AssessmentResult.fields) as [keyof typeof AssessmentResult.fields])
)

/**
 * @since 0.1.0
 * @category models
 */
export type SelectableField = typeof SelectableField.Type

const FilterSchema: Schema.Schema<Filter.Filter> = Schema.declare(
  (u: unknown): u is Filter.Filter => Filter.validate(u as Filter.Filter) === undefined,
  {
    identifier: "Filter",
    message: (issue) => `${Filter.validate(issue.actual as Filter.Filter) ?? "invalid filter"}`,
    arbitrary: () => (fc) => {
      const clause = fc.record({
        _tag: fc.constant("Clause" as const),
        field: fc.constantFrom(...Filter.fields),
        operator: fc.constantFrom(...Filter.operators),
        value: fc.string()
      })
      return fc.oneof(
        clause,
        fc.record({ _tag: fc.constantFrom("And" as const, "Or" as const), clauses: fc.array(clause, { minLength: 1 }) })
      )
    }
  }
)

/**
 * A list query. `limit` 1..3000 (server default 100), `offset` ≥ 0, `sort` + `orderBy`, `fields` to
 * select, `search`, and a typed `filter` (see the `Filter` module).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListQuery = Schema.Struct({
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 3000))),
  offset: Schema.optional(Schema.NonNegativeInt),
  sort: Schema.optional(Schema.Literal(...(Filter.fields as [Filter.Field]))),
  orderBy: Schema.optional(Schema.Literal("asc", "desc")),
  fields: Schema.optional(Schema.NonEmptyArray(SelectableField)),
  search: Schema.optional(Schema.NonEmptyString.pipe(
    Schema.filter((s) => isWellFormed(s) || "Expected well-formed Unicode (it has a lone surrogate)")
  )),
  filter: Schema.optional(FilterSchema)
}).annotations({ identifier: "ListQuery" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ListQuery extends Schema.Schema.Type<typeof ListQuery> {}

/**
 * The options of a get: `fields` to select.
 *
 * @since 0.2.0
 * @category schemas
 */
export const GetQuery = ListQuery.pipe(Schema.pick("fields")).annotations({ identifier: "GetQuery" })

/**
 * Decodes get options strictly (unknown keys are errors).
 *
 * @since 0.2.0
 * @category constructors
 */
export const decodeGetQuery: (u: unknown) => Effect.Effect<typeof GetQuery.Type, ParseResult.ParseError> = decoder(
  GetQuery,
  "strict"
)

/**
 * Decodes a list query strictly (unknown keys are errors).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeListQuery: (u: unknown) => Effect.Effect<ListQuery, ParseResult.ParseError> = decoder(
  ListQuery,
  "strict"
)

/**
 * What a read returns: the whole result, or a partial one when `fields` was given.
 *
 * @since 0.1.0
 * @category models
 */
export type Selected<O> = O extends { readonly fields: ReadonlyArray<any> } ? PartialAssessmentResult
  : "fields" extends keyof O ? O extends { readonly fields?: undefined } ? AssessmentResult
    : AssessmentResult | PartialAssessmentResult
  : AssessmentResult

/**
 * One page of a list.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly results: ReadonlyArray<A>
  readonly offset: number
  readonly limit: number
  /** Total matching results, when the server said (body `totalCount` or `X-Total-Count`). */
  readonly totalCount?: number
  /** Whether another page follows, when the server said (a `Link` header with or without `rel="next"`). */
  readonly hasNext?: boolean
}

/**
 * `GET /assessmentResults` 200 body. Timeback adds the paging fields; the official binding sends
 * only `assessmentResults` (and paging headers).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListResponse = <A, I>(result: Schema.Schema<A, I>) =>
  Schema.Struct({
    assessmentResults: Schema.Array(result),
    totalCount: nullable(Schema.Number),
    pageCount: nullable(Schema.Number),
    pageNumber: nullable(Schema.Number),
    offset: nullable(Schema.Number),
    limit: nullable(Schema.Number)
  })

/**
 * A partial update (`PATCH`, Timeback only): any subset of the writable fields; `metadata` is
 * merged into the stored metadata.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PatchInput = Schema.partialWith(AssessmentResultInput, { exact: true }).annotations({
  identifier: "PatchInput"
})

/**
 * @since 0.1.0
 * @category models
 */
export interface PatchInput extends Schema.Schema.Type<typeof PatchInput> {}

/**
 * Decodes a patch strictly (a valid patch is returned as it is, not copied).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodePatch: (u: unknown) => Effect.Effect<PatchInput, ParseResult.ParseError> = decoder(
  PatchInput,
  "strict"
)

/**
 * Decodes a server's JSON body with `schema`: drift-tolerant (unknown keys ignored) and, on
 * failure, reporting every issue.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeResponse = <A, I>(
  schema: Schema.Schema<A, I>
): (text: string) => Effect.Effect<A, ParseResult.ParseError> => decoder(Schema.parseJson(schema), "json")
