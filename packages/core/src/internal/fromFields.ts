/** `Resource.make`: a declaration's schemas built from its fields. */
import * as Schema from "effect/Schema"
import * as Fields from "../Fields.js"
import type * as Resource from "../Resource.js"
import * as SourcedIdRules from "../SourcedId.js"
import { capitalized } from "./names.js"

type Declare = typeof Resource.declare
type ListQueryOf = typeof Resource.listQuery

// `null` in an optional field is read as absent by the decoders (see `internal/decode.ts`), so the
// read schemas are plain structs: Effect's parser takes its fast path on them
const optionalRead = <S extends Schema.Top>(schema: S) => Schema.optionalKey(schema)

type AllFields<F> = typeof Fields.common & F
type Simplify<A> = { [K in keyof A]: A[K] } & {}

type StoredFields<F, Req extends string> =
  & { readonly sourcedId: Schema.String }
  & { readonly [K in keyof AllFields<F> & Req]: AllFields<F>[K] extends Fields.Any ? AllFields<F>[K]["read"] : never }
  & {
    readonly [K in Exclude<keyof AllFields<F>, Req>]: AllFields<F>[K] extends Fields.Any
      ? Schema.optionalKey<AllFields<F>[K]["read"]>
      : never
  }

type InputFields<F, Req extends string> =
  & { readonly sourcedId: Schema.optional<typeof SourcedIdRules.SourcedId> }
  & { readonly [K in keyof AllFields<F> & Req]: AllFields<F>[K] extends Fields.Any ? AllFields<F>[K]["write"] : never }
  & {
    readonly [K in Exclude<keyof AllFields<F>, Req>]: AllFields<F>[K] extends Fields.Any
      ? Schema.optional<AllFields<F>[K]["write"]>
      : never
  }

type FilterFieldOf<F> =
  | "sourcedId"
  | {
    [K in keyof AllFields<F> & string]: AllFields<F>[K] extends Fields.Field<any, any, "value"> ? K
      : AllFields<F>[K] extends Fields.Field<any, any, "ref"> ? `${K}.sourcedId`
      : never
  }[keyof AllFields<F> & string]

/** The types `make` derives from a declaration's fields. */
export interface Made<Name extends string, One extends string, F, Req extends string, P extends boolean> {
  readonly name: Name
  readonly one: One
  readonly stored: Simplify<Schema.Struct.Type<StoredFields<F, Req>>>
  readonly partial: Partial<Simplify<Schema.Struct.Type<StoredFields<F, Req>>>>
  readonly input: Simplify<Schema.Struct.Type<InputFields<F, Req>>>
  readonly patch: P extends true ? {
      readonly [K in keyof Schema.Struct.Type<InputFields<F, Req>>]?:
        | Schema.Struct.Type<InputFields<F, Req>>[K]
        | undefined
    }
    : never
  readonly field: "sourcedId" | (keyof AllFields<F> & string)
  readonly filterField: FilterFieldOf<F>
}

/**
 * `Resource.make`: a resource from its fields, the schemas built from them, then `declare`d
 * (`declare` and `listQuery` are given by the `Resource` module, which this module does not import
 * at runtime).
 */
export const maker = (declare: Declare, listQuery: ListQueryOf) =>
<
  const Name extends string,
  const One extends string,
  const F extends Record<string, Fields.Any>,
  const Req extends (keyof F & string) | "status" = never,
  const P extends boolean = false
>(spec: {
  readonly name: Name
  readonly one: One
  readonly label: string
  readonly fields: F
  readonly required: ReadonlyArray<Req>
  readonly patch?: P
  /** Fields compared to confirm that a stored object is the one a create sent. */
  readonly confirm: ReadonlyArray<keyof F & string>
  /** Fields a `search` looks into. */
  readonly search: ReadonlyArray<keyof F & string>
}): Resource.Resource<Made<Name, One, F, Req, P>> => {
  const all: Record<string, Fields.Any> = { ...Fields.common, ...spec.fields }
  const entries = Object.entries(all)
  const required = (k: string) => (spec.required as ReadonlyArray<string>).includes(k)
  const identifier = capitalized(spec.one)
  const Stored = Schema.Struct({
    sourcedId: Schema.String,
    ...Object.fromEntries(entries.map(([k, f]) => [k, required(k) ? f.read : optionalRead(f.read)]))
  }).annotate({ identifier })
  const Partial = Schema.Struct({
    sourcedId: optionalRead(Schema.String),
    ...Object.fromEntries(entries.map(([k, f]) => [k, optionalRead(f.read)]))
  }).annotate({ identifier: `Partial${identifier}` })
  const inputFields: Record<string, Schema.Codec<unknown, unknown>> = {
    sourcedId: SourcedIdRules.SourcedId,
    ...Object.fromEntries(entries.map(([k, f]) => [k, f.write]))
  }
  const Input = Schema.Struct(
    Object.fromEntries(
      Object.entries(inputFields).map(([k, s]) => [k, required(k) ? s : Schema.optional(s)])
    )
  ).annotate({ identifier: `${identifier}Input` })
  // any subset of the input (an explicit `undefined` is an absent key, as everywhere in input)
  const Patch = spec.patch
    ? Schema.Struct(Object.fromEntries(Object.entries(inputFields).map(([k, s]) => [k, Schema.optional(s)])))
      .annotate({ identifier: `${identifier}Patch` })
    : undefined
  const selectableFields = ["sourcedId", ...Object.keys(all)]
  const filterFields = [
    "sourcedId",
    ...entries.flatMap(([k, f]) => f.filter === "value" ? [k] : f.filter === "ref" ? [`${k}.sourcedId`] : [])
  ]
  return declare<any>({
    name: spec.name,
    one: spec.one,
    label: spec.label,
    Stored,
    Partial,
    Input,
    Patch,
    ListQuery: listQuery(selectableFields, filterFields, `${identifier}ListQuery`),
    selectableFields,
    filterFields,
    refFields: entries.filter(([, f]) => f.filter === "ref").map(([k]) => k),
    searchFields: spec.search,
    confirm: spec.confirm,
    dateTimes: entries.filter(([, f]) => f.wire === "date-time").map(([k]) => k)
  })
}
