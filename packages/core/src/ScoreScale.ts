/**
 * Score scales (`/scoreScales`): how a class maps scores to values.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import * as Fields from "./Fields.js"
import * as Resource from "./Resource.js"

const nullable = Schema.optionalKey(Schema.String)

/**
 * One entry of a scale, as written: `itemValueLHS`, `itemValueRHS`, optional `value` and
 * `description`, all strings.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ScoreScaleValueInput = Schema.Struct({
  itemValueLHS: Schema.String,
  itemValueRHS: Schema.String,
  value: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String)
})

/**
 * One entry of a scale, as read.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ScoreScaleValue = Schema.Struct({
  itemValueLHS: Schema.String,
  itemValueRHS: Schema.String,
  value: nullable,
  description: nullable
})

/**
 * @since 0.3.0
 * @category resources
 */
export const resource = Resource.make({
  name: "scoreScales",
  one: "scoreScale",
  label: "score scale",
  fields: {
    title: Fields.string,
    type: Fields.string,
    class: Fields.ref,
    course: Fields.nullable(Fields.ref),
    scoreScaleValue: Fields.field(Schema.Array(ScoreScaleValue), Schema.NonEmptyArray(ScoreScaleValueInput), "none")
  },
  required: ["title", "type", "class", "scoreScaleValue"],
  confirm: ["title", "type", "class"],
  search: ["title", "type"]
})

/**
 * A score scale as a server returns it.
 *
 * @since 0.3.0
 * @category models
 */
export type ScoreScale = Resource.TypesOf<typeof resource>["stored"]

/**
 * What a caller writes: `title`, `type`, `class` and `scoreScaleValue` (at least one) required,
 * `course` optional; `status` is sent as `"active"` when not given.
 *
 * @since 0.3.0
 * @category models
 */
export type ScoreScaleInput = Resource.TypesOf<typeof resource>["input"]
