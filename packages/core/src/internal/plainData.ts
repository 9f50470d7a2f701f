/**
 * What validated caller input becomes before any layer reads it or builds a body from it: plain
 * data, exactly the fields that were validated, which is what Effect's own parser returns too
 * (the compiled decoders return the caller's object as it is, see `compile`).
 *
 * - An object key whose value is `undefined` is dropped, at any depth, so that an explicit
 *   `undefined` is an absent key wherever a body is built (`{ sourcedId, ...input }` must not be
 *   undone by `input.sourcedId === undefined`).
 * - An object whose prototype is not `Object.prototype` (or `null`), or that has a `toJSON` method,
 *   becomes a plain object of its own enumerable keys (an array, a plain array): nothing is read
 *   from a prototype (`query.filter` of an `Int32Array` is a method), and JSON sends the validated
 *   fields, not what a `toJSON` returns.
 *
 * Copies only what changes (and its parents); a value that is plain data already is returned as it
 * is. `undefined` when reading the value throws (a getter, a proxy).
 */
export const plainData = <A>(value: A): A | undefined => {
  try {
    return isPlain(value) ? value : remade(value) as A
  } catch {
    return undefined
  }
}

/**
 * Whether the container itself (not what it holds) is plain: an array or object of the plain
 * prototype, without a `toJSON` method.
 */
const isPlainContainer = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v)
  return (Array.isArray(v) ? proto === Array.prototype : proto === Object.prototype || proto === null) &&
    typeof (v as { toJSON?: unknown }).toJSON !== "function"
}

/**
 * Whether `v` is plain data already (the common case), without allocating. `for…in` sees own keys
 * only here, since neither prototype allowed has enumerable keys. Module-level functions, no
 * closure per call: this runs on every call.
 */
const isPlain = (v: unknown): boolean => {
  if (typeof v !== "object" || v === null) return true
  if (!isPlainContainer(v)) return false
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (typeof x === "object" && x !== null && !isPlain(x)) return false
    }
    return true
  }
  for (const key in v) {
    const x = (v as Record<string, unknown>)[key]
    if (x === undefined || (typeof x === "object" && x !== null && !isPlain(x))) return false
  }
  return true
}

/** The plain copy `plainData` describes. */
const remade = (v: unknown): unknown => {
  if (typeof v !== "object" || v === null) return v
  const plain = isPlainContainer(v)
  if (Array.isArray(v)) {
    let out: Array<unknown> | undefined = plain ? undefined : Array.from(v)
    for (let i = 0; i < v.length; i++) {
      const item = remade(v[i])
      if (out) out[i] = item
      else if (item !== v[i]) (out = v.slice(0, i))[i] = item
    }
    return out ?? v
  }
  let out: Record<string, unknown> | undefined = plain ? undefined : {}
  const keys = Object.keys(v)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const before = (v as Record<string, unknown>)[key]
    const item = remade(before)
    if (out) {
      if (item !== undefined) set(out, key, item)
    } else if (item !== before || item === undefined) {
      out = {}
      for (let j = 0; j < i; j++) set(out, keys[j]!, (v as Record<string, unknown>)[keys[j]!])
      if (item !== undefined) set(out, key, item)
    }
  }
  return out ?? v
}

// an own `__proto__` key (JSON.parse makes them) stays a key: assigning it would set the prototype
export const set = (o: Record<string, unknown>, key: string, v: unknown) =>
  key === "__proto__"
    ? Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true })
    : (o[key] = v)

/** Past this depth a snapshot keeps the value as it is (validation refuses anything that deep). */
const SNAPSHOT_DEPTH = 64

/**
 * A copy of caller input made before it is validated, so that what is validated is what is sent:
 * every plain object and array (see `isPlainContainer`) is copied, each own enumerable key read
 * exactly once (a getter that answers differently on its second read cannot change the request
 * after validation), keys whose value is `undefined` left out. Anything else (a primitive, a class
 * instance, a `Date`, an object with non-enumerable or symbol keys) is kept as it is, for the
 * validator to judge as before. Throws when reading throws (the caller refuses the input).
 */
export const snapshot = (value: unknown): unknown => {
  // the copies of the containers being copied: a cycle in the input is the same cycle in the copy
  const copying = new Map<object, unknown>()
  const go = (v: unknown, depth: number): unknown => {
    if (typeof v !== "object" || v === null || depth > SNAPSHOT_DEPTH || !isPlainContainer(v)) return v
    const cyclic = copying.get(v)
    if (cyclic !== undefined) return cyclic
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length)
      copying.set(v, out)
      for (let i = 0; i < v.length; i++) out[i] = go(v[i], depth + 1)
      copying.delete(v)
      return out
    }
    const keys = Object.keys(v)
    if (Object.getOwnPropertyNames(v).length !== keys.length || Object.getOwnPropertySymbols(v).length > 0) return v
    const out: Record<string, unknown> = {}
    copying.set(v, out)
    for (let i = 0; i < keys.length; i++) {
      const item = go((v as Record<string, unknown>)[keys[i]!], depth + 1)
      if (item !== undefined) set(out, keys[i]!, item)
    }
    copying.delete(v)
    return out
  }
  return go(value, 0)
}
