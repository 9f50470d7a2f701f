/**
 * The field schemas every Gradebook resource is built from, each in its two forms: as read from a
 * server (tolerant: `null` reads as absent, refs may carry `href`/`type`) and as written (strict:
 * nothing half-valid is ever sent).
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import * as Json from "./Json.js"
import * as SourcedIdRules from "./SourcedId.js"

/**
 * Record status: `tobedeleted` marks a soft-deleted object.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Status = Schema.Literal("active", "tobedeleted")

/**
 * The grading state of a result.
 *
 * @since 0.3.0
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
 * OneRoster carries the `inProgress`, `incomplete`, `late` and `missing` flags as strings.
 *
 * @since 0.3.0
 * @category schemas
 */
export const BooleanString = Schema.Literal("true", "false")

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
 * @since 0.3.0
 * @category predicates
 */
export const isIsoDateOrDateTime = (s: string): boolean =>
  ISO_DATE_OR_DATE_TIME.test(s) && isCalendarDate(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10))

/**
 * An ISO 8601 date (official binding) or date-time with zone (Timeback), kept as the string it was
 * given, so the bytes on the wire are the caller's own.
 *
 * @since 0.3.0
 * @category schemas
 */
export const DateOrDateTime = Schema.String.pipe(
  Schema.filter((s) =>
    isIsoDateOrDateTime(s) ||
    `Expected an ISO 8601 date (YYYY-MM-DD) or date-time with zone (YYYY-MM-DDTHH:mm:ssZ), got ${JSON.stringify(s)}`
  ),
  Schema.annotations({
    identifier: "DateOrDateTime",
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
 * @since 0.3.0
 * @category schemas
 */
export const RefInput = Schema.Struct({
  sourcedId: SourcedIdRules.SourcedId,
  href: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String)
})

/**
 * A reference as read from a server: `sourcedId` required, `href`/`type` optional (and `null`
 * read as absent).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Ref = Schema.Struct({
  sourcedId: Schema.String,
  href: Schema.optionalWith(Schema.String, { nullable: true }),
  type: Schema.optionalWith(Schema.String, { nullable: true })
})

/**
 * Free-form metadata as read from a server: any JSON object.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * Free-form metadata as written: a plain JSON object of JSON values (see `Json.JsonObject`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const MetadataInput = Json.JsonObject

/**
 * Per-objective results, as written.
 *
 * @since 0.3.0
 * @category schemas
 */
export const LearningObjectiveSetInput = Schema.Array(Schema.Struct({
  source: Schema.String,
  learningObjectiveResults: Schema.Array(Schema.Struct({
    learningObjectiveId: Schema.String,
    score: Schema.optional(Schema.Finite),
    textScore: Schema.optional(Schema.String)
  }))
}))

/**
 * Per-objective results, as read.
 *
 * @since 0.3.0
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
 * One field of a resource: its schema as read, its schema as written, and whether a filter or a
 * sort can name it (`value`: by its name; `ref`: as `<name>.sourcedId`; `none`: not at all).
 *
 * @since 0.3.0
 * @category models
 */
export interface Field<R extends Schema.Schema.Any, W extends Schema.Schema.Any, F extends FilterKind = FilterKind> {
  readonly read: R
  readonly write: W
  readonly filter: F
}

/**
 * @since 0.3.0
 * @category models
 */
export type FilterKind = "value" | "ref" | "none"

/**
 * @since 0.3.0
 * @category models
 */
export type Any = Field<Schema.Schema.Any, Schema.Schema.Any>

/**
 * A field from its read and write schemas.
 *
 * @since 0.3.0
 * @category constructors
 */
export const field = <R extends Schema.Schema.Any, W extends Schema.Schema.Any, F extends FilterKind>(
  read: R,
  write: W,
  filter: F
): Field<R, W, F> => ({ read, write, filter })

/**
 * @since 0.3.0
 * @category fields
 */
export const string = field(Schema.String, Schema.String, "value")

/**
 * A number: any number when read, a finite one when written.
 *
 * @since 0.3.0
 * @category fields
 */
export const number = field(Schema.Number, Schema.Finite, "value")

/**
 * A date or date-time: any string when read (servers drift), an ISO 8601 one when written.
 *
 * @since 0.3.0
 * @category fields
 */
export const dateTime = field(Schema.String, DateOrDateTime, "value")

/**
 * A reference to another object; filters and sorts name it as `<field>.sourcedId`.
 *
 * @since 0.3.0
 * @category fields
 */
export const ref = field(Ref, RefInput, "ref")

/**
 * One of the given strings, read and written.
 *
 * @since 0.3.0
 * @category fields
 */
export const literal = <const L extends ReadonlyArray<string>>(...values: L) => {
  const schema = Schema.Literal(...values)
  return field(schema, schema, "value")
}

/**
 * @since 0.3.0
 * @category fields
 */
export const learningObjectiveSet = field(LearningObjectiveSet, LearningObjectiveSetInput, "none")

/**
 * The fields every stored object has besides its sourcedId.
 *
 * @since 0.3.0
 * @category fields
 */
export const common = {
  status: field(Status, Status, "value"),
  dateLastModified: field(Schema.String, Schema.String, "value"),
  metadata: field(Metadata, MetadataInput, "none")
}

/**
 * @since 0.3.0
 * @category fields
 */
export const scoreStatus = field(ScoreStatus, ScoreStatus, "value")

/**
 * One of OneRoster's `"true"` / `"false"` flags.
 *
 * @since 0.3.0
 * @category fields
 */
export const booleanString = field(BooleanString, BooleanString, "value")
