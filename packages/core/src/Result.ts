/**
 * Results (`/results`): a student's score on a line item.
 *
 * @since 0.3.0
 */
import * as Fields from "./Fields.js"
import * as Resource from "./Resource.js"

/**
 * @since 0.3.0
 * @category resources
 */
export const resource = Resource.make({
  name: "results",
  one: "result",
  label: "result",
  fields: {
    lineItem: Fields.ref,
    student: Fields.ref,
    class: Fields.nullable(Fields.ref),
    scoreScale: Fields.nullable(Fields.ref),
    score: Fields.nullable(Fields.number),
    textScore: Fields.nullable(Fields.string),
    scoreDate: Fields.dateTime,
    scoreStatus: Fields.scoreStatus,
    comment: Fields.nullable(Fields.string),
    learningObjectiveSet: Fields.nullable(Fields.learningObjectiveSet),
    inProgress: Fields.booleanString,
    incomplete: Fields.booleanString,
    late: Fields.booleanString,
    missing: Fields.booleanString
  },
  required: ["lineItem", "student", "scoreStatus", "scoreDate"],
  confirm: ["lineItem", "student", "scoreStatus", "score"],
  search: ["comment", "textScore", "scoreStatus", "student", "lineItem"]
})

/**
 * A result as a server returns it.
 *
 * @since 0.3.0
 * @category models
 */
export type Result = Resource.TypesOf<typeof resource>["stored"]

/**
 * What a caller writes: `lineItem`, `student`, `scoreStatus` and `scoreDate` required.
 *
 * @since 0.3.0
 * @category models
 */
export type ResultInput = Resource.TypesOf<typeof resource>["input"]
