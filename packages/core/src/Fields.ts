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
export const Status = Schema.Literals(["active", "tobedeleted"])

/**
 * The grading state of a result.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ScoreStatus = Schema.Literals([
  "exempt",
  "fully graded",
  "not submitted",
  "partially graded",
  "submitted"
])

/**
 * OneRoster carries the `inProgress`, `incomplete`, `late` and `missing` flags as strings: the SDK
 * writes `"true"` or `"false"` (the IMS binding's enumeration).
 *
 * @since 0.3.0
 * @category schemas
 */
export const BooleanString = Schema.Literals(["true", "false"])

/**
 * A flag as read: Timeback's contract types the flags as any string (`string | null` on assessment
 * results), so any string is read, typed so that `"true"` and `"false"` still complete.
 *
 * @since 0.4.0
 * @category models
 */
export type FlagString = "true" | "false" | (string & {})

/**
 * A flag as read (see `FlagString`): any string.
 *
 * @since 0.4.0
 * @category schemas
 */
export const FlagStringRead: Schema.Codec<FlagString, string> = Schema.String as Schema.Codec<FlagString, string>

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
 * The RFC 3339 date-time (seconds and zone, what Timeback's `format: date-time` requires) that an
 * input accepted by `isIsoDateOrDateTime` is sent as:
 * - a date alone (`2024-09-06`) is that day's first instant in UTC, `2024-09-06T00:00:00Z`: what
 *   JavaScript's `new Date("2024-09-06")` means too, and it reads back as the same calendar date
 *   from its first ten characters, whatever the machine's time zone;
 * - a date-time without seconds gets `:00`, a zone without a colon gets one (`+0200` → `+02:00`);
 * - anything else is returned as it is (the same string, not a copy).
 *
 * @since 0.4.0
 * @category constructors
 */
export const toRfc3339 = (s: string): string => {
  if (s.length === 10) return `${s}T00:00:00Z`
  const zone = /(?:Z|[+-]\d{2}:?\d{2})$/.exec(s)
  if (zone === null) return s
  let time = s.slice(0, zone.index)
  let offset = zone[0]
  if (time.length === 16) time += ":00"
  if (offset.length === 5) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`
  const out = time + offset
  return out === s ? s : out
}

/**
 * An ISO 8601 date (official binding) or date-time with zone (Timeback), as a caller may write it;
 * what is sent is its RFC 3339 form (`toRfc3339`), which the resources' input decoders produce.
 *
 * @since 0.3.0
 * @category schemas
 */
export const DateOrDateTime = Schema.String.annotate({ identifier: "DateOrDateTime", format: "date-time" }).pipe(
  Schema.check(Schema.makeFilter((s: string) =>
    isIsoDateOrDateTime(s) ||
    `Expected an ISO 8601 date (YYYY-MM-DD) or date-time with zone (YYYY-MM-DDTHH:mm:ssZ), got ${JSON.stringify(s)}`, {
    // what generated values look like: a date, then maybe a time of day in UTC (days 01–28: every
    // generated value names a real day)
    arbitraryConstraint: {
      patterns: [{
        source: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\\d|2[0-8])(T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\dZ)?$",
        flags: ""
      }]
    }
  }))
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
 * A reference as read from a server: `sourcedId` required, `href`/`type` optional (`null` is read
 * as absent by the decoders, see `Resource`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Ref = Schema.Struct({
  sourcedId: Schema.String,
  href: Schema.optionalKey(Schema.String),
  type: Schema.optionalKey(Schema.String)
})

/**
 * Free-form metadata as read from a server: any JSON object.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Metadata = Schema.Record(Schema.String, Schema.Unknown)

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
    score: Schema.optionalKey(Schema.Number),
    textScore: Schema.optionalKey(Schema.String)
  }))
}))

/**
 * The learning objectives a line item or assessment line item assesses, as written:
 * `[{ source, learningObjectiveIds }]`.
 *
 * @since 0.4.0
 * @category schemas
 */
export const LearningObjectiveIdsInput = Schema.Array(Schema.Struct({
  source: Schema.String,
  learningObjectiveIds: Schema.Array(Schema.String)
}))

/**
 * The learning objectives of a line item, as read.
 *
 * @since 0.4.0
 * @category schemas
 */
export const LearningObjectiveIds = LearningObjectiveIdsInput

/**
 * One field of a resource: its schema as read, its schema as written, and whether a filter or a
 * sort can name it (`value`: by its name; `ref`: as `<name>.sourcedId`; `none`: not at all).
 *
 * @since 0.3.0
 * @category models
 */
export interface Field<R extends Schema.Top, W extends Schema.Top, F extends FilterKind = FilterKind> {
  readonly read: R
  readonly write: W
  readonly filter: F
  /** `"date-time"`: written as a date or date-time, sent as RFC 3339 (see `toRfc3339`). */
  readonly wire?: "date-time" | undefined
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
export type Any = Field<Schema.Top, Schema.Top>

/**
 * A field from its read and write schemas.
 *
 * @since 0.3.0
 * @category constructors
 */
export const field = <R extends Schema.Top, W extends Schema.Top, F extends FilterKind>(
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
export const dateTime: Field<typeof Schema.String, typeof DateOrDateTime, "value"> = {
  ...field(Schema.String, DateOrDateTime, "value"),
  wire: "date-time"
}

/**
 * The same field, `null` also accepted when written (to clear it: the contract allows `null` there).
 * `null` is read as absent, like every optional field.
 *
 * @since 0.4.0
 * @category constructors
 */
export const nullable = <R extends Schema.Top, W extends Schema.Top, F extends FilterKind>(
  f: Field<R, W, F>
): Field<R, Schema.NullOr<W>, F> => ({ ...f, write: Schema.NullOr(f.write) })

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
  const schema = Schema.Literals(values)
  return field(schema, schema, "value")
}

/**
 * @since 0.3.0
 * @category fields
 */
export const learningObjectiveSet = field(LearningObjectiveSet, LearningObjectiveSetInput, "none")

/**
 * A line item's learning objectives (`learningObjectiveIds`, not results).
 *
 * @since 0.4.0
 * @category fields
 */
export const learningObjectiveIds = field(LearningObjectiveIds, LearningObjectiveIdsInput, "none")

/**
 * The fields every stored object has besides its sourcedId.
 *
 * @since 0.3.0
 * @category fields
 */
export const common = {
  status: field(Status, Status, "value"),
  dateLastModified: dateTime,
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
export const booleanString = field(FlagStringRead, BooleanString, "value")
