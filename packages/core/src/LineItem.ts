/**
 * Line items (`/lineItems`): the columns of a class's gradebook.
 *
 * @since 0.3.0
 */
import * as Fields from "./Fields.js"
import * as Resource from "./Resource.js"

/**
 * The fields of a line item.
 *
 * @since 0.3.0
 * @category fields
 */
export const fields = {
  title: Fields.string,
  description: Fields.nullable(Fields.string),
  assignDate: Fields.dateTime,
  dueDate: Fields.dateTime,
  class: Fields.ref,
  school: Fields.ref,
  category: Fields.ref,
  scoreScale: Fields.nullable(Fields.ref),
  resultValueMin: Fields.nullable(Fields.number),
  resultValueMax: Fields.nullable(Fields.number),
  gradingPeriod: Fields.nullable(Fields.ref),
  academicSession: Fields.nullable(Fields.ref),
  learningObjectiveSet: Fields.nullable(Fields.learningObjectiveIds)
}

/**
 * @since 0.3.0
 * @category resources
 */
export const resource = Resource.make({
  name: "lineItems",
  one: "lineItem",
  label: "line item",
  fields,
  required: ["title", "assignDate", "dueDate", "class", "school", "category"],
  confirm: ["title", "class", "category", "assignDate", "dueDate"],
  search: ["title", "description"]
})

/**
 * A line item as a server returns it.
 *
 * @since 0.3.0
 * @category models
 */
export type LineItem = Resource.TypesOf<typeof resource>["stored"]

/**
 * What a caller writes: `title`, `assignDate`, `dueDate`, `class`, `school` and `category`
 * required.
 *
 * @since 0.3.0
 * @category models
 */
export type LineItemInput = Resource.TypesOf<typeof resource>["input"]
