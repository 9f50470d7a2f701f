import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as SchemaAST from "effect/SchemaAST"

// When to delete this module: on the move to Effect 4, whose Schema rewrites the AST this module
// walks (and whose parser is faster). Then `decoder` (decode.ts) calls Effect's parser alone, as it
// does today under `TIMEBACK_DECODERS=effect`, and the differential test in compile.test.ts goes
// with it. Until then, every schema core exports must compile (that test names any that does not).

/** What a compiled decoder returns for an input it does not accept. */
export const FAIL: unique symbol = Symbol("FAIL")

/** A decoder for valid input: the decoded value, or `FAIL` (the caller then asks Effect for the report). */
export type Compiled = (u: unknown) => unknown

const options: SchemaAST.ParseOptions = {}
const hasOwn = (o: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(o, key)
/** An Effect-returning step (a `Declaration` or a transformation) taken only when it answered synchronously. */
const settled = (r: unknown) => Either.isEither(r) && Either.isRight(r) ? r.right : FAIL
/**
 * How values are decoded: `"strict"`, any value, with `onExcessProperty: "error"`; `"json"`, a
 * value as `JSON.parse` makes it, drift-tolerant (`onExcessProperty: "ignore"`). A JSON object is
 * plain: its prototype is `Object.prototype` and its own keys are enumerable strings, so counting
 * them is enough to know whether it has others.
 */
export type Mode = "strict" | "json"

/**
 * Whether `u` has own keys besides the `known` string keys it was seen to have (in strict mode,
 * about 100 ns for a result, where `Reflect.ownKeys` costs about a microsecond).
 */
const hasOtherKeys = (u: object, known: number, mode: Mode) => {
  if (mode === "strict") {
    return Object.getOwnPropertyNames(u).length !== known || Object.getOwnPropertySymbols(u).length > 0
  }
  let n = 0
  for (const _ in u) n++
  return n !== known
}

/**
 * Compiles the decoding side of `ast` into one closure per node, following `ParseResult`'s
 * decoding rules node for node (see `Mode` for the options), but without Either allocations,
 * issue bookkeeping or option handling. Only the node kinds this package's schemas use are
 * compiled; any other kind gives `undefined`, and the caller uses Effect's own parser. Tests pin
 * that the compiled decoders agree with Effect's on generated valid and invalid inputs.
 *
 * Two departures, neither visible in the decoded value's contents:
 * - an object or array whose every part decodes to itself, and that has no key to drop, is
 *   returned as it is rather than copied (Effect always copies), so decoding a valid input
 *   allocates nothing. Nothing is ever written to the input: a transformation copies first.
 * - a struct's type side is not checked again where its encoded side already implies it (see
 *   `struct`).
 */
export const compile = (ast: SchemaAST.AST, mode: Mode): Compiled | undefined => {
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
        const literals = ast.types.filter(SchemaAST.isLiteral).map((t) => t.literal)
        if (literals.length === ast.types.length) {
          // an enum: one comparison per member, no call
          return (u) => {
            for (const literal of literals) if (u === literal) return u
            return FAIL
          }
        }
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
      case "TupleType":
        return tuple(ast)
      case "TypeLiteral":
        return typeLiteral(ast)
      case "Transformation": {
        const from = go(ast.from)
        const to = go(ast.to)
        if (!from || !to) return undefined
        const t = ast.transformation
        switch (t._tag) {
          case "FinalTransformation":
            return (u) => {
              const a = from(u)
              const b = a === FAIL ? FAIL : settled(t.decode(a, options, ast, u))
              return b === FAIL ? FAIL : to(b)
            }
          case "ComposeTransformation":
            return (u) => {
              const a = from(u)
              return a === FAIL ? FAIL : to(a)
            }
          case "TypeLiteralTransformation":
            return struct(ast, t, from, to)
        }
      }
    }
    return undefined
  }

  const all = (asts: ReadonlyArray<SchemaAST.AST>) => {
    const compiled = asts.map(go)
    return compiled.every(Predicate.isNotUndefined) ? compiled : undefined
  }

  /** Fixed elements (none optional), then at most one rest type (`Array`, `NonEmptyArray`). */
  const tuple = (ast: SchemaAST.TupleType): Compiled | undefined => {
    if (ast.elements.some((e) => e.isOptional) || ast.rest.length > 1) return undefined
    const elements = all(ast.elements.map((e) => e.type))
    const rest = all(ast.rest.map((r) => r.type))
    if (!elements || !rest) return undefined
    const fixed = elements.length
    return (u) => {
      if (!Array.isArray(u) || u.length < fixed || (rest.length === 0 && u.length > fixed)) return FAIL
      let out: Array<unknown> | undefined
      for (let i = 0; i < u.length; i++) {
        const v = u[i]
        const a = (i < fixed ? elements[i]! : rest[0]!)(v)
        if (a === FAIL) return FAIL
        if (out) out[i] = a
        else if (a !== v) (out = u.slice(0, i))[i] = a
      }
      return out ?? u
    }
  }

  const typeLiteral = (ast: SchemaAST.TypeLiteral): Compiled | undefined => {
    if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
      return (u) => u === null || u === undefined ? FAIL : u
    }
    // index signatures: only one, with `string` keys and no property signatures (a `Record<string, …>`)
    if (ast.indexSignatures.length > 0) {
      const [is, ...others] = ast.indexSignatures
      if (others.length > 0 || ast.propertySignatures.length > 0 || is!.parameter._tag !== "StringKeyword") {
        return undefined
      }
      const parse = go(is!.type)
      return parse && record(parse)
    }
    const names = ast.propertySignatures.map((ps) => ps.name)
    const optional = ast.propertySignatures.map((ps) => ps.isOptional)
    const parsers = all(ast.propertySignatures.map((ps) => ps.type))
    if (!parsers) return undefined
    const n = names.length
    // in JSON, a defined value is an own one unless `Object.prototype` has the key too
    const ownIfDefined = names.map((name) => mode === "json" && !(name in Object.prototype))
    /** The known keys `u` has among the first `upTo`, as they are (what was decoded unchanged so far). */
    const copy = (u: Record<PropertyKey, unknown>, upTo: number) => {
      const out: Record<PropertyKey, unknown> = {}
      for (let i = 0; i < upTo; i++) if (!optional[i] || hasOwn(u, names[i]!)) out[names[i]!] = u[names[i]!]
      return out
    }
    return (u) => {
      if (!Predicate.isRecord(u)) return FAIL
      let out: Record<PropertyKey, unknown> | undefined
      let known = 0
      for (let i = 0; i < n; i++) {
        const name = names[i]!
        const v = u[name]
        const has = (v !== undefined && ownIfDefined[i]) || hasOwn(u, name)
        if (!has && optional[i]) continue
        const a = parsers[i]!(v)
        if (a === FAIL) return FAIL
        if (has) known++
        if (out) out[name] = a
        else if (a !== v || !has) (out = copy(u, i))[name] = a
      }
      if (!hasOtherKeys(u, known, mode)) return out ?? u
      // other keys: an error, or dropped
      return mode === "strict" ? FAIL : out ?? copy(u, n)
    }
  }

  const record = (parse: Compiled): Compiled => (u) => {
    if (!Predicate.isRecord(u)) return FAIL
    const keys = Object.keys(u)
    const other = mode === "strict" && hasOtherKeys(u, keys.length, mode)
    // a symbol key is an error; a non-enumerable one is dropped
    if (other && Object.getOwnPropertySymbols(u).length > 0) return FAIL
    let out: Record<PropertyKey, unknown> | undefined = other ? {} : undefined
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!
      const v = u[key]
      const a = parse(v)
      if (a === FAIL) return FAIL
      if (out) out[key] = a
      else if (a !== v) {
        out = {}
        for (let j = 0; j < i; j++) out[keys[j]!] = u[keys[j]!]
        out[key] = a
      }
    }
    return out ?? u
  }

  /**
   * A struct with property transformations (`optionalWith`, …): decode the encoded side, apply
   * each property transformation, then check the type side, as Effect does. Effect's schemas
   * decode to values their type side accepts, so the check is skipped when it cannot fail (see
   * `implications`): each transformation kept the value it was given (not `null`, when the
   * encoded type is `NullOr(S)`) or removed it (every transformed property is optional).
   */
  const struct = (
    ast: SchemaAST.Transformation,
    t: SchemaAST.TypeLiteralTransformation,
    from: Compiled,
    to: Compiled
  ): Compiled => {
    const transformations = t.propertySignatureTransformations
    const nonNull = implications(ast, t)
    return (u) => {
      const a = from(u)
      if (a === FAIL) return FAIL
      let out = a as Record<PropertyKey, unknown>
      let check = nonNull === undefined
      for (let i = 0; i < transformations.length; i++) {
        const pst = transformations[i]!
        const has = hasOwn(out, pst.from)
        const v = out[pst.from]
        const o = pst.decode(has ? Option.some(v) : Option.none())
        if (Option.isNone(o) ? !has : has && o.value === v && pst.from === pst.to) {
          // kept as it was
          check ||= v === null && nonNull![i]!
          continue
        }
        check ||= Option.isSome(o)
        if (out === a) out = { ...out } // never write to the input
        // deleting only what moves or goes keeps the object out of dictionary mode
        if (Option.isNone(o) || pst.from !== pst.to) delete out[pst.from]
        if (Option.isSome(o)) out[pst.to] = o.value
      }
      return check ? to(out) : out
    }
  }

  return go(ast)
}

/**
 * When the type side of a struct with property transformations accepts, without a check, every
 * value its encoded side decodes to: each property's type is the type side of its encoded type
 * (Effect's schemas decode to values their type side accepts) or, for a transformed property whose
 * encoded type is `NullOr(S)`, the type side of `S`; and every transformed property is optional.
 * Then, per transformation, whether a kept `null` still needs the check. `undefined` when the type
 * side must always be checked (renamed keys, index signatures, any other property type).
 */
const implications = (
  ast: SchemaAST.Transformation,
  t: SchemaAST.TypeLiteralTransformation
): ReadonlyArray<boolean> | undefined => {
  const { from, to } = ast
  if (
    !SchemaAST.isTypeLiteral(from) || !SchemaAST.isTypeLiteral(to) ||
    from.indexSignatures.length > 0 || to.indexSignatures.length > 0 ||
    from.propertySignatures.length !== to.propertySignatures.length ||
    t.propertySignatureTransformations.some((pst) => pst.from !== pst.to)
  ) return undefined
  const transformed = new Set(t.propertySignatureTransformations.map((pst) => pst.from))
  const nonNull = new Set<PropertyKey>()
  for (const ps of to.propertySignatures) {
    const encoded = from.propertySignatures.find((f) => f.name === ps.name)
    if (!encoded || encoded.isOptional !== ps.isOptional || (transformed.has(ps.name) && !ps.isOptional)) {
      return undefined
    }
    if (same(SchemaAST.typeAST(encoded.type), ps.type)) continue
    // `NullOr(S)` (or, optional, `S | null | undefined`) and the type side of `S` (`| undefined`)
    const members = SchemaAST.isUnion(encoded.type) ? encoded.type.types : []
    const nonNullMembers = members.filter((m) => !(SchemaAST.isLiteral(m) && m.literal === null))
    const typeMembers = SchemaAST.isUnion(ps.type) ? ps.type.types : [ps.type]
    if (
      !transformed.has(ps.name) ||
      !pairs(nonNullMembers.map(SchemaAST.typeAST), typeMembers, same)
    ) return undefined
    nonNull.add(ps.name)
  }
  return t.propertySignatureTransformations.map((pst) => nonNull.has(pst.to))
}

const pairs = <X>(xs: ReadonlyArray<X>, ys: ReadonlyArray<X>, f: (x: X, y: X) => boolean) =>
  xs.length === ys.length && xs.every((x, i) => f(x, ys[i]!))

/**
 * Whether two ASTs decode alike: the same node, or nodes `typeAST` rebuilt from the same parts
 * (it makes a new node for every struct, tuple, union or declaration with a transformation inside).
 */
const same = (a: SchemaAST.AST, b: SchemaAST.AST): boolean => {
  if (a === b) return true
  switch (a._tag) {
    case "TupleType":
      return SchemaAST.isTupleType(b) &&
        pairs(a.elements, b.elements, (x, y) => x.isOptional === y.isOptional && same(x.type, y.type)) &&
        pairs(a.rest, b.rest, (x, y) => same(x.type, y.type))
    case "TypeLiteral":
      return SchemaAST.isTypeLiteral(b) &&
        pairs(
          a.propertySignatures,
          b.propertySignatures,
          (x, y) => x.name === y.name && x.isOptional === y.isOptional && same(x.type, y.type)
        ) &&
        pairs(a.indexSignatures, b.indexSignatures, (x, y) => same(x.parameter, y.parameter) && same(x.type, y.type))
    case "Union":
      return SchemaAST.isUnion(b) && pairs(a.types, b.types, same)
    case "Refinement":
      return SchemaAST.isRefinement(b) && a.filter === b.filter && same(a.from, b.from)
    case "Declaration":
      return SchemaAST.isDeclaration(b) && a.decodeUnknown === b.decodeUnknown &&
        pairs(a.typeParameters, b.typeParameters, same)
    default:
      return false
  }
}
