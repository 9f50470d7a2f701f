/**
 * The scoped routes of the Gradebook: lists below a class or a school, and the multi-item creates
 * below a class, a school or a line item. Declared once, as data; the service, the HTTP layer and
 * the testkit's routes are derived from it.
 *
 * @since 0.3.0
 */
import * as AssessmentLineItem from "./AssessmentLineItem.js"
import * as AssessmentResult from "./AssessmentResult.js"
import * as Category from "./Category.js"
import { capitalized } from "./internal/names.js"
import * as LineItem from "./LineItem.js"
import type * as Resource from "./Resource.js"
import * as Result from "./Result.js"
import * as ScoreScale from "./ScoreScale.js"
import * as SourcedIdRules from "./SourcedId.js"

/**
 * Every resource, in the order the service lists them.
 *
 * @since 0.3.0
 * @category resources
 */
export const resources = [
  Category.resource,
  ScoreScale.resource,
  LineItem.resource,
  Result.resource,
  AssessmentLineItem.resource,
  AssessmentResult.resource
] as const

/**
 * A scoped route: `parents` are the collections above the resource (`["classes", "lineItems"]` for
 * `/classes/{c}/lineItems/{l}/results`). `reads`: `GET` lists it; `creates`: `POST` takes many
 * items at once (body `{ <resource>: [...] }`). `binds` are input fields the route fills from a
 * parent's id (`class` from `classes`), so an item may leave them out.
 *
 * @since 0.3.0
 * @category models
 */
export interface Route {
  readonly parents: ReadonlyArray<string>
  readonly resource: Resource.Any
  readonly reads: boolean
  readonly creates: boolean
  readonly binds: Readonly<Record<string, string>>
}

const route = (
  parents: ReadonlyArray<string>,
  resource: Resource.Any,
  options: { readonly reads?: boolean; readonly creates?: boolean; readonly binds?: Record<string, string> }
): Route => ({
  parents,
  resource,
  reads: options.reads ?? false,
  creates: options.creates ?? false,
  binds: options.binds ?? {}
})

/**
 * Every scoped route.
 *
 * @since 0.3.0
 * @category constants
 */
export const routes: ReadonlyArray<Route> = [
  route(["classes"], LineItem.resource, { reads: true, creates: true, binds: { class: "classes" } }),
  route(["classes"], Result.resource, { reads: true }),
  route(["classes", "lineItems"], Result.resource, { reads: true }),
  route(["classes", "students"], Result.resource, { reads: true }),
  route(["classes"], Category.resource, { reads: true }),
  route(["classes"], ScoreScale.resource, { reads: true }),
  route(["schools"], LineItem.resource, { reads: true, creates: true, binds: { school: "schools" } }),
  route(["schools"], ScoreScale.resource, { reads: true }),
  route(["lineItems"], Result.resource, { creates: true, binds: { lineItem: "lineItems" } }),
  route(["classes", "academicSessions"], Result.resource, { creates: true, binds: { class: "classes" } })
]

/**
 * The singular of each parent collection, for operation names and path parameters.
 *
 * @since 0.3.0
 * @category constants
 */
export const SINGULAR: Readonly<Record<string, string>> = {
  classes: "class",
  schools: "school",
  lineItems: "lineItem",
  students: "student",
  academicSessions: "academicSession"
}

/**
 * A route with its parents' ids: where one scoped call goes.
 *
 * @since 0.3.0
 * @category models
 */
export interface Scope {
  readonly route: Route
  /** The parents' sourcedIds, in `route.parents` order. */
  readonly ids: ReadonlyArray<string>
}

/**
 * The path of a scope's collection: `/classes/c%201/lineItems`.
 *
 * @since 0.3.0
 * @category getters
 */
export const path = (scope: Scope): string =>
  scope.route.parents.map((p, i) => `/${p}/${SourcedIdRules.pathSegment(scope.ids[i]!)}`).join("") +
  `/${scope.route.resource.name}`

/**
 * A route's path template: `/classes/{classSourcedId}/lineItems`.
 *
 * @since 0.3.0
 * @category getters
 */
export const template = (route: Route): string =>
  route.parents.map((p) => `/${p}/{${idParameter(p)}}`).join("") + `/${route.resource.name}`

/**
 * The name of a parent's id parameter: `classSourcedId`.
 *
 * @since 0.3.0
 * @category getters
 */
export const idParameter = (parent: string): string => `${SINGULAR[parent] ?? parent}SourcedId`

/**
 * The operation name of a scoped call: `listResultsForClassLineItem`, `createLineItemsForSchool`.
 *
 * @since 0.3.0
 * @category getters
 */
export const operation = (verb: "list" | "stream" | "create", route: Route): string =>
  `${verb}${capitalized(route.resource.name)}For${route.parents.map((p) => capitalized(SINGULAR[p] ?? p)).join("")}`
