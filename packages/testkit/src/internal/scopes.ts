import type { Scope } from "@timeback/core"

/** What the store can tell a scope rule: a stored item of a gradebook collection, by sourcedId. */
export interface Lookup {
  readonly item: (collection: string, sourcedId: string) => Record<string, unknown> | undefined
  readonly items: (collection: string) => ReadonlyArray<Record<string, unknown>>
  /** The refs a test registered for a roster object (`register("classes", "c1", { school: "s1" })`). */
  readonly registered: (collection: string, sourcedId: string) => Readonly<Record<string, string>> | undefined
}

const ref = (item: Record<string, unknown> | undefined, field: string): string | undefined =>
  (item?.[field] as { readonly sourcedId?: string } | undefined)?.sourcedId

/** A result's class: its own `class`, or its line item's. */
const classOf = (item: Record<string, unknown>, store: Lookup) =>
  ref(item, "class") ?? ref(store.item("lineItems", ref(item, "lineItem") ?? ""), "class")

/** A class's school: as registered, or as a line item of the class names it. */
const schoolOf = (classId: string | undefined, store: Lookup) =>
  classId === undefined ? undefined : store.registered("classes", classId)?.school ??
    ref(store.items("lineItems").find((li) => ref(li, "class") === classId), "school")

type Rule = (item: Record<string, unknown>, ids: ReadonlyArray<string>, store: Lookup) => boolean

/**
 * Which items a scoped list returns: the server's semantics, one rule per scoped read (written
 * here, not derived: which relation a route follows is the API's choice, not a field's).
 */
const RULES: Readonly<Record<string, Rule>> = {
  "classes/lineItems": (item, [c]) => ref(item, "class") === c,
  "classes/results": (item, [c], store) => classOf(item, store) === c,
  "classes/lineItems/results": (item, [, l]) => ref(item, "lineItem") === l,
  "classes/students/results": (item, [c, s], store) => ref(item, "student") === s && classOf(item, store) === c,
  "classes/categories": (item, [c], store) =>
    store.items("lineItems").some((li) => ref(li, "class") === c && ref(li, "category") === item.sourcedId),
  "classes/scoreScales": (item, [c]) => ref(item, "class") === c,
  "schools/lineItems": (item, [s]) => ref(item, "school") === s,
  "schools/scoreScales": (item, [s], store) => schoolOf(ref(item, "class"), store) === s
}

/** The key of a route in `RULES`: `classes/lineItems/results`. */
export const key = (route: Scope.Route): string => [...route.parents, route.resource.name].join("/")

/** The membership rule of a scoped read. */
export const rule = (route: Scope.Route): Rule => {
  const found = RULES[key(route)]
  if (!found) throw new Error(`no membership rule for the scoped route ${key(route)}`)
  return found
}

/**
 * Why a scope's parents are unknown (a 404), or `undefined`: a gradebook parent must be stored
 * (and a line item below a class must be of that class); a roster parent (class, school, student,
 * academic session) must be registered or named by a stored item.
 */
export const unknownParent = (
  scope: Scope.Scope,
  store: Lookup,
  gradebook: ReadonlySet<string>,
  referenced: (collection: string, sourcedId: string) => boolean
): string | undefined => {
  const { parents } = scope.route
  for (let i = 0; i < parents.length; i++) {
    const parent = parents[i]!
    const id = scope.ids[i]!
    if (gradebook.has(parent)) {
      const item = store.item(parent, id)
      if (item === undefined) return `${parent} ${id} not found`
      if (i > 0 && parents[i - 1] === "classes" && ref(item, "class") !== scope.ids[i - 1]) {
        return `${parent} ${id} is not in class ${scope.ids[i - 1]}`
      }
    } else if (store.registered(parent, id) === undefined && !referenced(parent, id)) {
      return `${parent} ${id} not found`
    }
  }
  return undefined
}
