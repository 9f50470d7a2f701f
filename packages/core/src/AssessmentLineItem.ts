/**
 * Assessment line items (`/assessmentLineItems`): what assessment results are recorded against.
 *
 * @since 0.3.0
 */
import * as Fields from "./Fields.js"
import * as Resource from "./Resource.js"

/**
 * The fields of Timeback's `AssessmentLineItem` (its OpenAPI is the authority): no dates, school,
 * category, grading period or academic session, unlike a line item; `course`, `component` and
 * `componentResource` are Timeback's own. Only `title` is required (and `status`, sent as
 * `"active"` when not given).
 *
 * @since 0.3.0
 * @category resources
 */
export const resource = Resource.make({
  name: "assessmentLineItems",
  one: "assessmentLineItem",
  label: "assessment line item",
  fields: {
    title: Fields.string,
    description: Fields.nullable(Fields.string),
    class: Fields.nullable(Fields.ref),
    parentAssessmentLineItem: Fields.nullable(Fields.ref),
    scoreScale: Fields.nullable(Fields.ref),
    resultValueMin: Fields.nullable(Fields.number),
    resultValueMax: Fields.nullable(Fields.number),
    component: Fields.nullable(Fields.ref),
    componentResource: Fields.nullable(Fields.ref),
    learningObjectiveSet: Fields.nullable(Fields.learningObjectiveIds),
    course: Fields.nullable(Fields.ref)
  },
  required: ["title"],
  patch: true,
  confirm: ["title", "class", "parentAssessmentLineItem"],
  search: ["title", "description"]
})

/**
 * An assessment line item as a server returns it.
 *
 * @since 0.3.0
 * @category models
 */
export type AssessmentLineItem = Resource.TypesOf<typeof resource>["stored"]

/**
 * What a caller writes: `title` required.
 *
 * @since 0.3.0
 * @category models
 */
export type AssessmentLineItemInput = Resource.TypesOf<typeof resource>["input"]

/**
 * A partial update (`PATCH`, Timeback only); `metadata` is merged into the stored metadata.
 *
 * @since 0.3.0
 * @category models
 */
export type AssessmentLineItemPatch = Resource.TypesOf<typeof resource>["patch"]
