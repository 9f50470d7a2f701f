import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import type * as SchemaAST from "effect/SchemaAST"

/** What a compiled decoder returns for an input it does not accept. */
export const FAIL: unique symbol = Symbol("FAIL")

/** A decoder for valid input: the decoded value, or `FAIL` (the caller then asks Effect for the report). */
export type Compiled = (u: unknown) => unknown

const options: SchemaAST.ParseOptions = {}
const hasOwn = (o: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(o, key)
/** An Effect-returning step (a `Declaration` or a transformation) taken only when it answered synchronously. */
const settled = (r: unknown) => Either.isEither(r) && Either.isRight(r) ? r.right : FAIL

/**
 * Compiles the decoding side of `ast` into one closure per node, following `ParseResult`'s
 * decoding rules node for node (with `onExcessProperty: "error"` when `strict`, otherwise
 * `"ignore"`), but without Either allocations, issue bookkeeping or option handling. Only the
 * node kinds this package's schemas use are compiled; any other kind gives `undefined`, and the
 * caller uses Effect's own parser. Tests pin that the compiled decoders agree with Effect's on
 * generated valid and invalid inputs.
 */
export const compile = (ast: SchemaAST.AST, strict: boolean): Compiled | undefined => {
  const go = (ast: SchemaAST.AST): Compiled | undefined => {
    switch (ast._tag) {
      case "StringKeyword":
        return (u) => typeof u === "string" ? u : FAIL
      case "NumberKeyword":
        return (u) => typeof u === "number" ? u : FAIL
      case "BooleanKeyword":
        return (u) => typeof u === "boolean" ? u : FAIL
      case "UndefinedKeyword":
        return (u) => u === undefined ? u : FAIL
      case "UnknownKeyword":
      case "AnyKeyword":
        return (u) => u
      case "Literal": {
        const literal = ast.literal
        return (u) => u === literal ? u : FAIL
      }
      case "Union": {
        const members = all(ast.types)
        if (!members) return undefined
        return (u) => {
          for (const member of members) {
            const a = member(u)
            if (a !== FAIL) return a
          }
          return FAIL
        }
      }
      case "Refinement": {
        const from = go(ast.from)
        if (!from) return undefined
        return (u) => {
          const a = from(u)
          return a !== FAIL && Option.isNone(ast.filter(a, options, ast)) ? a : FAIL
        }
      }
      case "Declaration": {
        const parse = ast.decodeUnknown(...ast.typeParameters)
        return (u) => settled(parse(u, options, ast))
      }
      case "TupleType": {
        // fixed elements (none optional), then at most one rest type (`Array`, `NonEmptyArray`)
        if (ast.elements.some((e) => e.isOptional) || ast.rest.length > 1) return undefined
        const elements = all(ast.elements.map((e) => e.type))
        const rest = all(ast.rest.map((r) => r.type))
        if (!elements || !rest) return undefined
        return (u) => {
          if (!Array.isArray(u) || u.length < elements.length || (rest.length === 0 && u.length > elements.length)) {
            return FAIL
          }
          const out = new Array(u.length)
          for (let i = 0; i < u.length; i++) {
            if ((out[i] = (i < elements.length ? elements[i]! : rest[0]!)(u[i])) === FAIL) return FAIL
          }
          return out
        }
      }
      case "TypeLiteral":
        return typeLiteral(ast)
      case "Transformation": {
        const from = go(ast.from)
        const to = go(ast.to)
        const transform = transformation(ast)
        if (!from || !to || !transform) return undefined
        return (u) => {
          const a = from(u)
          if (a === FAIL) return FAIL
          const b = transform(a, u)
          return b === FAIL ? FAIL : to(b)
        }
      }
      default:
        return undefined
    }
  }

  const all = (asts: ReadonlyArray<SchemaAST.AST>) => {
    const compiled = asts.map(go)
    return compiled.every(Predicate.isNotUndefined) ? compiled : undefined
  }

  const typeLiteral = (ast: SchemaAST.TypeLiteral): Compiled | undefined => {
    if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
      return (u) => u === null || u === undefined ? FAIL : u
    }
    // index signatures: only `string` keys (a `Record<string, …>`)
    if (ast.indexSignatures.some((is) => is.parameter._tag !== "StringKeyword")) return undefined
    const properties = all(ast.propertySignatures.map((ps) => ps.type))
    const values = all(ast.indexSignatures.map((is) => is.type))
    if (!properties || !values) return undefined
    const signatures = ast.propertySignatures.map((ps, i) => [ps.name, ps.isOptional, properties[i]!] as const)
    const expected = Object.fromEntries(ast.propertySignatures.map((ps) => [ps.name, null]))
    const anyStringKey = values.length > 0
    return (u) => {
      if (!Predicate.isRecord(u)) return FAIL
      if (strict) {
        for (const key of Reflect.ownKeys(u)) {
          if (!hasOwn(expected, key) && !(anyStringKey && typeof key === "string")) return FAIL
        }
      }
      const out: Record<PropertyKey, unknown> = {}
      for (const [name, isOptional, parse] of signatures) {
        if (!isOptional || hasOwn(u, name)) {
          if ((out[name] = parse(u[name])) === FAIL) return FAIL
        }
      }
      for (const parse of values) {
        for (const key of Object.keys(u)) {
          const v = parse(u[key])
          if (v === FAIL) return FAIL
          if (!hasOwn(expected, key)) out[key] = v
        }
      }
      return out
    }
  }

  const transformation = (ast: SchemaAST.Transformation): ((a: unknown, i: unknown) => unknown) | undefined => {
    const t = ast.transformation
    switch (t._tag) {
      case "FinalTransformation":
        return (a, i) => settled(t.decode(a, options, ast, i))
      case "ComposeTransformation":
        return (a) => a
      case "TypeLiteralTransformation":
        return (a) => {
          const out = a as Record<PropertyKey, unknown>
          for (const pst of t.propertySignatureTransformations) {
            const o = pst.decode(hasOwn(out, pst.from) ? Option.some(out[pst.from]) : Option.none())
            // deleting only what moves or goes keeps the object out of dictionary mode
            if (Option.isNone(o) || pst.from !== pst.to) delete out[pst.from]
            if (Option.isSome(o)) out[pst.to] = o.value
          }
          return out
        }
    }
  }

  return go(ast)
}
