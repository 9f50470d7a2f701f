/**
 * Assessment line items (`/assessmentLineItems`): what assessment results are recorded against.
 *
 * @since 0.3.0
 */
import * as Fields from "./Fields.js"
import * as LineItem from "./LineItem.js"
import * as Resource from "./Resource.js"

/**
 * Only `title` is validated as required: Timeback's docs also list `assignDate`, `dueDate`,
 * `class`, `school` and `category` for a create, and the server decides those.
 *
 * @since 0.3.0
 * @category resources
 */
export const resource = Resource.make({
  name: "assessmentLineItems",
  one: "assessmentLineItem",
  label: "assessment line item",
  fields: {
    ...LineItem.fields,
    parentAssessmentLineItem: Fields.ref,
    component: Fields.ref,
    componentResource: Fields.ref
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
