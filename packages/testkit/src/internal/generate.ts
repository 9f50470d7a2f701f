/**
 * Answers generated from the contract's response schemas, for a client's reading side:
 * - `"odd"`: every optional field present, `null` wherever the schema allows it, strings that are
 *   free-form (`inProgress`, `textScore`) set to values no enumeration names, an unknown extra key
 *   on every object the schema leaves open, date-times with fractions and an offset;
 * - `"full"`: every optional field present with an ordinary non-null value.
 * Both are legal by the contract. Ids follow the request (`sourcedId` of a single item is the
 * path's, a create's pairs name the ids sent), so a client checking its answer against its
 * request still can.
 */
import type { JsonSchema } from "../Contract.js"

export type Variant = "odd" | "full"

export interface Hints {
  /** The sourcedId a single-item answer names. */
  readonly sourcedId?: string | undefined
  /** The sourcedIds a create sent, in order. */
  readonly sent?: ReadonlyArray<string> | undefined
  /** A list's offset and limit. */
  readonly offset?: number | undefined
  readonly limit?: number | undefined
}

const types = (s: JsonSchema): ReadonlyArray<string> =>
  s.type === undefined ? (s.properties ? ["object"] : []) : typeof s.type === "string" ? [s.type] : s.type

/** How many items a generated list has. */
const LIST_ITEMS = 2

const value = (s: JsonSchema, variant: Variant, name: string, id: string): unknown => {
  const t = types(s)
  if (variant === "odd" && t.includes("null")) return null
  if (s.enum !== undefined) return variant === "odd" ? s.enum[s.enum.length - 1] : s.enum[0]
  const type = t.find((x) => x !== "null")
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {}
      for (const [k, p] of Object.entries(s.properties ?? {})) {
        out[k] = k === "sourcedId" && name !== "" ? id : value(p, variant, k, `${id}-${k}`)
      }
      if (s.additionalProperties !== false) {
        if (s.properties === undefined) {
          out.note = variant === "odd"
            ? { nested: [1, "two", null] }
            : "from the contract"
        } else if (variant === "odd") out.unannouncedField = "a field the contract does not name"
      }
      return out
    }
    case "array":
      return s.items ? [value(s.items, variant, name, `${id}-0`)] : []
    case "string":
      if (s.format === "date-time") return variant === "odd" ? "2025-01-07T08:09:10.123+05:30" : "2025-01-07T08:09:10Z"
      return variant === "odd" ? "a value no enumeration names" : `${name}-value`
    case "integer":
      return 1
    case "number":
      return variant === "odd" ? 0.25 : 87.5
    case "boolean":
      return true
    default:
      return variant === "odd" ? { unannouncedField: true } : "any"
  }
}

/** The collection key of a list answer: its one array property. */
const arrayKey = (s: JsonSchema) => Object.entries(s.properties ?? {}).find(([, p]) => types(p).includes("array"))?.[0]

/**
 * An answer body for the operation whose success body is `schema`, shaped by `hints`.
 */
export const answer = (schema: JsonSchema, variant: Variant, hints: Hints): unknown => {
  const body = value(schema, variant, "", "gen") as Record<string, unknown>
  const props = schema.properties ?? {}
  if ("sourcedIdPairs" in props) {
    const sent = hints.sent ?? ["gen"]
    const pairs = sent.map((id) => ({ suppliedSourcedId: id, allocatedSourcedId: id }))
    return { ...body, sourcedIdPairs: types(props.sourcedIdPairs!).includes("array") ? pairs : pairs[0] }
  }
  const many = arrayKey(schema)
  if (many !== undefined && "totalCount" in props) {
    const item = props[many]!.items!
    const offset = hints.offset ?? 0
    return {
      ...body,
      [many]: Array.from({ length: LIST_ITEMS }, (_, i) => value(item, variant, many, `gen-${offset + i}`)),
      totalCount: offset + LIST_ITEMS,
      pageCount: 1,
      pageNumber: 1,
      offset,
      limit: hints.limit ?? 100
    }
  }
  const one = Object.keys(props).find((k) => types(props[k]!).includes("object"))
  if (one !== undefined && hints.sourcedId !== undefined) {
    return { ...body, [one]: value(props[one]!, variant, one, hints.sourcedId) }
  }
  return body
}
