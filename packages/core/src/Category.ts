/**
 * Gradebook categories (`/categories`): the groups line items are weighted by.
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
  name: "categories",
  one: "category",
  label: "category",
  fields: { title: Fields.string, weight: Fields.nullable(Fields.number) },
  required: ["title"],
  confirm: ["title", "weight"],
  search: ["title"]
})

/**
 * A category as a server returns it.
 *
 * @since 0.3.0
 * @category models
 */
export type Category = Resource.TypesOf<typeof resource>["stored"]

/**
 * What a caller writes: `title` required, `weight` optional (`null` clears it); `status` is sent
 * as `"active"` when not given.
 *
 * @since 0.3.0
 * @category models
 */
export type CategoryInput = Resource.TypesOf<typeof resource>["input"]
