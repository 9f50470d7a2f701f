import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"
import * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import { set } from "./plainData.js"

/**
 * Effect's schema JIT compiles each decoder this package makes into one generated function (about
 * twice as fast on valid values as its interpreter: see bench/RESULTS.md). Where generated code is not
 * allowed (a CSP without `unsafe-eval`), Effect falls back to the interpreter by itself.
 * `TIMEBACK_SCHEMA_JIT=off` in the environment (read once, at load, where there is a `process`) keeps
 * to the interpreter: the way back, should a compiled decoder ever be suspected.
 */
const jit = (globalThis as { readonly process?: { readonly env?: Record<string, string | undefined> } }).process?.env
  ?.TIMEBACK_SCHEMA_JIT !== "off"

/**
 * How values are decoded: `"strict"`, any value a caller hands over, with `onExcessProperty:
 * "error"`; `"json"`, a value as `JSON.parse` makes it, drift-tolerant (unknown keys ignored, and
 * `null` in an optional field read as absent).
 */
export type Mode = "strict" | "json"

type Drop = (u: unknown) => unknown

/**
 * A function that returns `u` without the `null` values of the optional fields `ast` declares, at
 * any depth (Timeback sends `null` for a field it has no value for; the read types say absent). The
 * input is never written to: an object with a `null` to drop is copied, the rest is shared.
 * `undefined` when `ast` has no optional field anywhere.
 */
const nullDropper = (
  ast: SchemaAST.AST,
  made = new Map<SchemaAST.AST, Drop | undefined | "making">()
): Drop | undefined => {
  // one dropper per node, shared wherever the node is (one ref schema serves every ref field); a node
  // met again while its own dropper is being made (a recursive schema) is reached through the map
  const known = made.get(ast)
  if (known === "making") return (u) => (made.get(ast) as Drop | undefined)?.(u) ?? u
  if (made.has(ast)) return known
  made.set(ast, "making")
  const drop = dropperOf(ast, made)
  made.set(ast, drop)
  return drop
}

const dropperOf = (ast: SchemaAST.AST, made: Map<SchemaAST.AST, Drop | undefined | "making">): Drop | undefined => {
  switch (ast._tag) {
    case "Objects": {
      const keys = ast.propertySignatures.map((ps) => ({
        name: ps.name as string,
        optional: SchemaAST.isOptional(ps.type),
        inner: nullDropper(ps.type, made)
      })).filter((k) => k.optional || k.inner)
      if (keys.length === 0) return undefined
      const optional = new Set(keys.filter((k) => k.optional).map((k) => k.name))
      return (u) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) return u
        const o = u as Record<string, unknown>
        // what changes: a null to drop, or a nested value its own dropper replaced
        let drops = false
        let replaced: Map<string, unknown> | undefined
        for (let i = 0; i < keys.length; i++) {
          const { inner, name } = keys[i]!
          const v = o[name]
          if (v === null) drops ||= optional.has(name)
          else if (inner && v !== undefined) {
            const w = inner(v)
            if (w !== v) (replaced ??= new Map()).set(name, w)
          }
        }
        if (!drops && replaced === undefined) return u
        // a copy built without the dropped keys (a `delete` would leave V8 a slower dictionary object
        // for the parser that reads it next)
        const out: Record<string, unknown> = {}
        for (const key of Object.keys(o)) {
          const v = o[key]
          if (v === null && optional.has(key)) continue
          set(out, key, replaced?.has(key) ? replaced.get(key) : v)
        }
        return out
      }
    }
    case "Arrays": {
      const item = ast.rest[0] && nullDropper(ast.rest[0], made)
      if (!item) return undefined
      return (u) => {
        if (!Array.isArray(u)) return u
        let out: Array<unknown> | undefined
        for (let i = 0; i < u.length; i++) {
          const w = item(u[i])
          if (w !== u[i]) (out ??= u.slice())[i] = w
        }
        return out ?? u
      }
    }
    case "Union": {
      const array = ast.types.find(SchemaAST.isArrays)
      const object = ast.types.find(SchemaAST.isObjects)
      const forArray = array && nullDropper(array, made)
      const forObject = object && nullDropper(object, made)
      if (!forArray && !forObject) return undefined
      return (u) => Array.isArray(u) ? (forArray ? forArray(u) : u) : forObject ? forObject(u) : u
    }
    default:
      return undefined
  }
}

const unreadable = (u: unknown, e: unknown) =>
  Exit.fail(
    new Schema.SchemaError(
      new SchemaIssue.InvalidValue(
        {
          message: `Expected a value that can be read, but reading it threw${
            e instanceof Error ? `: ${e.message}` : ""
          }`
        },
        u,
        { reportInput: true } as SchemaAST.ParseOptions
      )
    )
  )

/**
 * A decoder with the outcome of `{ errors: "all", onExcessProperty: "error" }` (`"strict"`) or of
 * `{ errors: "all" }` after dropping `null`s (`"json"`, see `Mode`), answering synchronously (an
 * `Exit` is an `Effect`). Every issue keeps its input, so that a message can show a bounded preview
 * of the value that failed (see `formatIssues`). `after` maps a valid value (the wire form of an
 * input: see `Resource.Wire`). `nulls: false` says the value has no `null` anywhere (nothing to drop).
 */
export const decoder = <A>(
  schema: Schema.Codec<A, any>,
  mode: Mode,
  after?: (a: A) => A
): (u: unknown, nulls?: boolean) => Exit.Exit<A, Schema.SchemaError> => {
  if (jit) SchemaJITCompiler.enable(schema.ast)
  const parse = Schema.decodeUnknownExit(schema)
  const options = {
    errors: "all",
    reportInput: true,
    ...(mode === "strict" && { onExcessProperty: "error" })
  } as SchemaAST.ParseOptions
  const drop = mode === "json" ? nullDropper(SchemaAST.toEncoded(schema.ast)) : undefined
  return (u, nulls = true) => {
    try {
      const exit = parse(drop && nulls ? drop(u) : u, options)
      return after && Exit.isSuccess(exit) ? Exit.succeed(after(exit.value)) : exit
    } catch (e) {
      // a getter or a proxy trap that throws: the value cannot be read, which is an invalid value
      return unreadable(u, e)
    }
  }
}

/**
 * A decoder of JSON text (see `decoder`, `"json"` mode): text that is not JSON fails as a schema
 * failure at the root, with `JSON.parse`'s own words.
 */
export const jsonDecoder = <A>(
  schema: Schema.Codec<A, any>
): (text: string) => Exit.Exit<A, Schema.SchemaError> => {
  const decode = decoder(schema, "json")
  return (text) => {
    let u: unknown
    try {
      u = JSON.parse(text)
    } catch (e) {
      return Exit.fail(
        new Schema.SchemaError(
          new SchemaIssue.InvalidValue({ message: e instanceof Error ? e.message : String(e) }, text)
        )
      )
    }
    // JSON without the word `null` holds no `null` to drop: the walk is skipped. With it (a `null`,
    // or a string that contains the word), every value is looked at.
    return decode(u, text.includes("null"))
  }
}
