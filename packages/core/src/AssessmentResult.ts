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
import * as Schema from "effect/Schema"

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
 * A sourcedId: non-empty, without surrounding whitespace.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SourcedId = Schema.String.pipe(
  Schema.filter((s) =>
    s.length === 0
      ? "Expected a non-empty sourcedId"
      : s.trim() !== s
      ? "Expected a sourcedId without leading or trailing whitespace"
      : undefined
  ),
  Schema.annotations({ identifier: "SourcedId" })
)

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

const isCalendarDate = (year: number, month: number, day: number) =>
  month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)

/**
 * Whether a string is an ISO 8601 calendar date (`2024-09-01`) or a date-time with a zone
 * (`2024-09-01T10:00:00Z`, `2024-09-01T10:00:00.123+02:00`) naming a real day and time.
 *
 * @since 0.1.0
 * @category schemas
 */
export const isIsoDateOrDateTime = (s: string): boolean => {
  const d = DATE.exec(s)
  if (d) return isCalendarDate(Number(d[1]), Number(d[2]), Number(d[3]))
  const t = DATE_TIME.exec(s)
  if (!t) return false
  const [hour, minute, second] = [Number(t[4]), Number(t[5]), Number(t[6] ?? 0)]
  const zoneOk = t[7] === "Z" || (Number(t[8]) <= 23 && Number(t[9]) <= 59)
  return isCalendarDate(Number(t[1]), Number(t[2]), Number(t[3])) && hour <= 23 && minute <= 59 && second <= 59 &&
    zoneOk
}

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
  Schema.annotations({ identifier: "ScoreDate" })
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
 * Free-form metadata; any JSON object.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })

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
  metadata: Schema.optional(Metadata),
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
 * Decodes plain input strictly: every issue is reported, unknown keys are errors.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeInput = Schema.decodeUnknown(AssessmentResultInput, {
  errors: "all",
  onExcessProperty: "error"
})

const nullable = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true })

/**
 * A stored assessment result as a server returns it.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AssessmentResult extends Schema.Class<AssessmentResult>("AssessmentResult")({
  sourcedId: Schema.String,
  status: nullable(Status),
  dateLastModified: nullable(Schema.String),
  metadata: nullable(Metadata),
  assessmentLineItem: Ref,
  student: Ref,
  score: nullable(Schema.Number),
  textScore: nullable(Schema.String),
  scoreDate: ScoreDate,
  scoreScale: nullable(Ref),
  scorePercentile: nullable(Schema.Number),
  scoreStatus: ScoreStatus,
  comment: nullable(Schema.String),
  learningObjectiveSet: nullable(LearningObjectiveSet),
  inProgress: nullable(BooleanString),
  incomplete: nullable(BooleanString),
  late: nullable(BooleanString),
  missing: nullable(BooleanString)
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
