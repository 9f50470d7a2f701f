/**
 * Assessment results (`/assessmentResults`): a student's score on an assessment line item, declared
 * like every other resource (see `Resource.make`).
 *
 * - written input (`AssessmentResultInput`): strict. Unknown keys, unknown enum values, non-finite
 *   scores and malformed dates are refused, so nothing half-valid is ever sent.
 * - server responses (`AssessmentResult`): tolerant of drift (unknown fields are ignored, `null`
 *   optionals read as absent, refs may carry `href`/`type`) and strict on the fields a result
 *   cannot exist without.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Fields from "./Fields.js"
import type * as Filter from "./Filter.js"
import * as Resource from "./Resource.js"
import * as SourcedIdRules from "./SourcedId.js"

/**
 * The fields of an assessment result.
 *
 * @since 0.5.0
 * @category fields
 */
export const fields = {
  assessmentLineItem: Fields.ref,
  student: Fields.ref,
  score: Fields.nullable(Fields.number),
  textScore: Fields.nullable(Fields.string),
  scoreDate: Fields.dateTime,
  scoreScale: Fields.nullable(Fields.ref),
  scorePercentile: Fields.nullable(Fields.number),
  scoreStatus: Fields.scoreStatus,
  comment: Fields.nullable(Fields.string),
  learningObjectiveSet: Fields.nullable(Fields.learningObjectiveSet),
  inProgress: Fields.nullable(Fields.booleanString),
  incomplete: Fields.nullable(Fields.booleanString),
  late: Fields.nullable(Fields.booleanString),
  missing: Fields.nullable(Fields.booleanString)
}

/**
 * @since 0.1.0
 * @category resources
 */
export const resource = Resource.make({
  name: "assessmentResults",
  one: "assessmentResult",
  label: "assessment result",
  fields,
  required: ["assessmentLineItem", "student", "scoreDate", "scoreStatus"],
  patch: true,
  // the same student, line item, status and score
  confirm: ["student", "assessmentLineItem", "scoreStatus", "score"],
  search: ["comment", "textScore", "scoreStatus", "student", "assessmentLineItem"]
})

type T = Resource.TypesOf<typeof resource>

/**
 * An assessment result as a server returns it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssessmentResult: Schema.Codec<T["stored"], any> = resource.Stored

/**
 * @since 0.1.0
 * @category models
 */
export type AssessmentResult = T["stored"]

/**
 * What a caller writes: `assessmentLineItem`, `student`, `scoreDate` and `scoreStatus` required.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssessmentResultInput: Schema.Codec<T["input"], any> = resource.Input

/**
 * @since 0.1.0
 * @category models
 */
export type AssessmentResultInput = T["input"]

/**
 * An assessment result read with a `fields` selection: every field optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartialAssessmentResult: Schema.Codec<T["partial"], any> = resource.Partial

/**
 * @since 0.1.0
 * @category models
 */
export type PartialAssessmentResult = T["partial"]

/**
 * A patch: any subset of the input's fields.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PatchInput: Schema.Codec<T["patch"], any> = resource.Patch!

/**
 * @since 0.1.0
 * @category models
 */
export type PatchInput = T["patch"]

/**
 * A field a `fields` selection can name.
 *
 * @since 0.1.0
 * @category models
 */
export type SelectableField = T["field"]

/**
 * @since 0.1.0
 * @category schemas
 */
export const SelectableField = Schema.Literals(resource.selectableFields as ReadonlyArray<SelectableField>)

/**
 * @since 0.1.0
 * @category models
 */
export interface ListQuery extends Resource.ListQuery<{ field: SelectableField; filterField: Filter.Field }> {}

/**
 * @since 0.1.0
 * @category schemas
 */
export const ListQuery: Schema.Codec<ListQuery, any> = resource.ListQuery as Schema.Codec<ListQuery, any>

/**
 * @since 0.1.0
 * @category schemas
 */
export const GetQuery: Schema.Codec<Resource.GetQuery<T>, any> = resource.GetQuery

/**
 * What a read returns: the whole result, or a partial one when `fields` was given.
 *
 * @since 0.1.0
 * @category models
 */
export type Selected<O> = Resource.Selected<O, T>

/**
 * @since 0.1.0
 * @category models
 */
export type Page<A> = Resource.Page<A>

/**
 * `{ assessmentResult }`: a create's or a put's body.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WriteRequest = Schema.Struct({ assessmentResult: AssessmentResultInput })

/**
 * `{ assessmentResult }`: a get's and a put's answer.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SingleResponse = resource.SingleResponse

/**
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
 * @since 0.1.0
 * @category schemas
 */
export const CreateResponse = Resource.CreateResponse

/**
 * A list answer's schema, the results under `assessmentResults`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListResponse = <A, I>(result: Schema.Codec<A, I>) => Resource.ListResponse("assessmentResults", result)

/**
 * Decodes caller input strictly; a valid input is returned in its wire form (see `Resource.Wire`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeInput = (u: unknown): Effect.Effect<AssessmentResultInput, Schema.SchemaError> =>
  resource.decodeInput(u)

/**
 * Decodes a patch strictly (its dates sent as RFC 3339).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodePatch = (u: unknown): Effect.Effect<PatchInput, Schema.SchemaError> => resource.decodePatch!(u)

/**
 * @since 0.1.0
 * @category decoding
 */
export const decodeGetQuery = (u: unknown): Effect.Effect<Resource.GetQuery<T>, Schema.SchemaError> =>
  resource.decodeGetQuery(u)

/**
 * @since 0.1.0
 * @category decoding
 */
export const decodeListQuery = (u: unknown): Effect.Effect<ListQuery, Schema.SchemaError> =>
  resource.decodeListQuery(u) as Effect.Effect<ListQuery, Schema.SchemaError>

/**
 * Decodes a server's JSON body (see `Resource.decodeResponse`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeResponse: <A, I>(
  schema: Schema.Codec<A, I>
) => (text: string) => Effect.Effect<A, Schema.SchemaError> = Resource.decodeResponse

// The field schemas, under the names this module has always exported them by (see `Fields`).

/** @since 0.1.0 @category schemas */
export const Status = Fields.Status
/** @since 0.1.0 @category models */
export type Status = typeof Status.Type
/** @since 0.1.0 @category schemas */
export const ScoreStatus = Fields.ScoreStatus
/** @since 0.1.0 @category models */
export type ScoreStatus = typeof ScoreStatus.Type
/** @since 0.1.0 @category schemas */
export const BooleanString = Fields.BooleanString
/** @since 0.1.0 @category models */
export type BooleanString = typeof BooleanString.Type
/** @since 0.1.0 @category schemas */
export const SourcedId = SourcedIdRules.SourcedId
/** @since 0.1.0 @category predicates */
export const isIsoDateOrDateTime = Fields.isIsoDateOrDateTime
/** @since 0.1.0 @category schemas */
export const ScoreDate = Fields.DateOrDateTime
/** @since 0.1.0 @category schemas */
export const RefInput = Fields.RefInput
/** @since 0.1.0 @category models */
export type RefInput = typeof RefInput.Type
/** @since 0.1.0 @category schemas */
export const Ref = Fields.Ref
/** @since 0.1.0 @category models */
export type Ref = typeof Ref.Type
/** @since 0.1.0 @category schemas */
export const Metadata = Fields.Metadata
/** @since 0.2.0 @category schemas */
export const MetadataInput = Fields.MetadataInput
/** @since 0.1.0 @category schemas */
export const LearningObjectiveSetInput = Fields.LearningObjectiveSetInput
/** @since 0.1.0 @category schemas */
export const LearningObjectiveSet = Fields.LearningObjectiveSet
