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
import * as Fields from "./Fields.js"
import * as Filter from "./Filter.js"
import { decoder } from "./internal/decode.js"
import * as Resource from "./Resource.js"
import * as SourcedIdRules from "./SourcedId.js"

/**
 * Record status: `tobedeleted` marks a soft-deleted result.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Fields.Status

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
export const ScoreStatus = Fields.ScoreStatus

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
export const BooleanString = Fields.BooleanString

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

/**
 * Whether a string is an ISO 8601 calendar date or a date-time with a zone (`Fields.isIsoDateOrDateTime`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const isIsoDateOrDateTime = Fields.isIsoDateOrDateTime

/**
 * `scoreDate`: an ISO 8601 date (official binding) or date-time (Timeback), kept as the string it
 * was given (`Fields.DateOrDateTime`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoreDate = Fields.DateOrDateTime

/**
 * A reference to another OneRoster object, as written (`Fields.RefInput`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RefInput = Fields.RefInput

/**
 * @since 0.1.0
 * @category models
 */
export type RefInput = typeof RefInput.Type

/**
 * A reference as read from a server (`Fields.Ref`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ref = Fields.Ref

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
export const Metadata = Fields.Metadata

/**
 * Free-form metadata as written: a plain JSON object of JSON values, at most `Json.MAX_DEPTH`
 * levels deep (see `Json.JsonObject`). A failure names the place, e.g. `metadata.tags.2`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const MetadataInput = Fields.MetadataInput

/**
 * Per-objective results, as written.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LearningObjectiveSetInput = Fields.LearningObjectiveSetInput

/**
 * Per-objective results, as read.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LearningObjectiveSet = Fields.LearningObjectiveSet

/**
 * What a caller writes. Required: `assessmentLineItem`, `student`, `scoreStatus`, `scoreDate`
 * (a date or a date-time, sent as an RFC 3339 date-time); `status` is sent as `"active"` when not
 * given; `null` clears an optional field where Timeback's contract allows it. `sourcedId` is
 * optional on create (the SDK fixes one before sending) and, on put, must match
 * the path's sourcedId when present. Unknown keys are refused by `decodeInput`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssessmentResultInput = Schema.Struct({
  sourcedId: Schema.optional(SourcedId),
  status: Schema.optional(Status),
  dateLastModified: Schema.optional(Fields.DateOrDateTime),
  metadata: Schema.optional(MetadataInput),
  assessmentLineItem: RefInput,
  student: RefInput,
  score: Schema.optional(Schema.NullOr(Schema.Finite)),
  textScore: Schema.optional(Schema.NullOr(Schema.String)),
  scoreDate: ScoreDate,
  scoreScale: Schema.optional(Schema.NullOr(RefInput)),
  scorePercentile: Schema.optional(Schema.NullOr(Schema.Finite)),
  scoreStatus: ScoreStatus,
  comment: Schema.optional(Schema.NullOr(Schema.String)),
  learningObjectiveSet: Schema.optional(Schema.NullOr(LearningObjectiveSetInput)),
  inProgress: Schema.optional(Schema.NullOr(BooleanString)),
  incomplete: Schema.optional(Schema.NullOr(BooleanString)),
  late: Schema.optional(Schema.NullOr(BooleanString)),
  missing: Schema.optional(Schema.NullOr(BooleanString))
}).annotations({ identifier: "AssessmentResultInput" })

/**
 * @since 0.1.0
 * @category models
 */
export interface AssessmentResultInput extends Schema.Schema.Type<typeof AssessmentResultInput> {}

/**
 * Decodes plain input strictly: every issue is reported, unknown keys are errors. A valid input
 * is returned in its wire form (`status` defaulted, dates as RFC 3339 date-times, see
 * `Resource.Wire`): as it is when that changes nothing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeInput = (u: unknown): Effect.Effect<AssessmentResultInput, ParseResult.ParseError> =>
  resource.decodeInput(u)

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
  scoreDate: Schema.String,
  scoreScale: Ref,
  scorePercentile: Schema.Number,
  scoreStatus: ScoreStatus,
  comment: Schema.String,
  learningObjectiveSet: LearningObjectiveSet,
  inProgress: Fields.FlagStringRead,
  incomplete: Fields.FlagStringRead,
  late: Fields.FlagStringRead,
  missing: Fields.FlagStringRead
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
export const SourcedIdPair = Resource.SourcedIdPair

/**
 * @since 0.1.0
 * @category models
 */
export type SourcedIdPair = Resource.SourcedIdPair

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
export const CreateResponse = Resource.CreateResponse

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

/**
 * A list query. `limit` 1..3000 (server default 100), `offset` ≥ 0, `sort` + `orderBy`, `fields` to
 * select, `search`, and a typed `filter` (see the `Filter` module).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListQuery = Resource.listQuery(SelectableField.literals, Filter.fields, "ListQuery")

/**
 * @since 0.1.0
 * @category models
 */
export interface ListQuery extends Resource.ListQuery<{ field: SelectableField; filterField: Filter.Field }> {}

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
export type Page<A> = Resource.Page<A>

/**
 * `GET /assessmentResults` 200 body. Timeback adds the paging fields; the official binding sends
 * only `assessmentResults` (and paging headers).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListResponse = <A, I>(result: Schema.Schema<A, I>) => Resource.ListResponse("assessmentResults", result)

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
 * Decodes a patch strictly (a valid patch is returned as it is when its dates are RFC 3339
 * date-times already; see `Resource.Wire`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodePatch = (u: unknown): Effect.Effect<PatchInput, ParseResult.ParseError> => resource.decodePatch!(u)

/**
 * Decodes a server's JSON body with `schema`: drift-tolerant (unknown keys ignored) and, on
 * failure, reporting every issue.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeResponse: <A, I>(
  schema: Schema.Schema<A, I>
) => (text: string) => Effect.Effect<A, ParseResult.ParseError> = Resource.decodeResponse

/**
 * The assessment results resource, as every layer derives it.
 *
 * @since 0.3.0
 * @category resources
 */
export const resource: Resource.Resource<{
  readonly name: "assessmentResults"
  readonly one: "assessmentResult"
  readonly stored: AssessmentResult
  readonly partial: PartialAssessmentResult
  readonly input: AssessmentResultInput
  readonly patch: PatchInput
  readonly field: SelectableField
  readonly filterField: Filter.Field
}> = Resource.declare({
  name: "assessmentResults",
  one: "assessmentResult",
  label: "assessment result",
  Stored: AssessmentResult,
  Partial: PartialAssessmentResult,
  Input: AssessmentResultInput,
  Patch: PatchInput,
  ListQuery,
  selectableFields: SelectableField.literals,
  filterFields: Filter.fields,
  refFields: ["assessmentLineItem", "student", "scoreScale"],
  searchFields: ["comment", "textScore", "scoreStatus", "student", "assessmentLineItem"],
  // the same student, line item, status and score
  confirm: ["student", "assessmentLineItem", "scoreStatus", "score"],
  dateTimes: ["dateLastModified", "scoreDate"]
})
