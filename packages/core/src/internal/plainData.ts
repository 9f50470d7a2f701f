/**
 * What validated caller input becomes before any layer reads it or builds a body from it: plain
 * data, exactly what JSON will send. (Decoders look at own keys only; code that reads `query.filter`
 * also sees what a prototype has, e.g. `Int32Array.prototype.filter`.)
 *
 * - An object key whose value is `undefined` is dropped, at any depth, so that an explicit
 *   `undefined` is an absent key wherever a body is built (`{ sourcedId, ...input }` must not be
 *   undone by `input.sourcedId === undefined`).
 * - An object whose prototype is not `Object.prototype` (or `null`) is copied into a plain object
 *   of its own enumerable keys, which is what JSON sends of it: nothing is read from a prototype.
 * - An object with a `toJSON` method (a `Date`, or any class that defines one) is refused: JSON
 *   would send what `toJSON` returns, not the fields that were validated.
 *
 * Copies only the objects that change (and their parents); otherwise the value is returned as it is.
 */
export const plainData = <A>(
  value: A
): { readonly value: A } | { readonly path: ReadonlyArray<PropertyKey>; readonly message: string } => {
  try {
    if (isPlain(value)) return { value }
  } catch {
    // a getter or proxy that throws: the walk below says where
  }
  return remade(value)
}

/**
 * Whether `v` is plain data already (the common case), without allocating: no `undefined` value
 * for a key, no prototype but `Object.prototype` or `null`, no `toJSON` method. `for…in` sees own
 * keys only here, since neither prototype has enumerable keys.
 */
const isPlain = (v: unknown): boolean => {
  if (typeof v !== "object" || v === null) return true
  if (Array.isArray(v)) {
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") return false
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (typeof x === "object" && x !== null && !isPlain(x)) return false
    }
    return true
  }
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return false
  for (const key in v) {
    const x = (v as Record<string, unknown>)[key]
    if (x === undefined || (typeof x === "object" ? x !== null && !isPlain(x) : key === "toJSON")) return false
  }
  return true
}

/** The copy `plainData` describes, or where and why it cannot be made. */
const remade = <A>(
  value: A
): { readonly value: A } | { readonly path: ReadonlyArray<PropertyKey>; readonly message: string } => {
  const path: Array<PropertyKey> = []
  let problem: string | undefined
  const go = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null || problem !== undefined) return v
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") {
      problem = `Expected an object that JSON sends as it is, got ${
        (v as object).constructor?.name ?? "an object"
      } with a toJSON method`
      return v
    }
    if (Array.isArray(v)) {
      let out: Array<unknown> | undefined
      for (let i = 0; i < v.length && problem === undefined; i++) {
        path.push(i)
        const item = go(v[i])
        if (problem === undefined) path.pop()
        if (out) out[i] = item
        else if (item !== v[i]) (out = v.slice(0, i))[i] = item
      }
      return out ?? v
    }
    const proto = Object.getPrototypeOf(v)
    let out: Record<string, unknown> | undefined = proto === Object.prototype || proto === null ? undefined : {}
    const keys = Object.keys(v)
    for (let i = 0; i < keys.length && problem === undefined; i++) {
      const key = keys[i]!
      const before = (v as Record<string, unknown>)[key]
      path.push(key)
      const item = go(before)
      if (problem === undefined) path.pop()
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
  try {
    const result = go(value) as A
    return problem === undefined ? { value: result } : { path, message: problem }
  } catch {
    return { path, message: "Expected a value that can be read, but reading it threw" }
  }
}

// an own `__proto__` key (JSON.parse makes them) stays a key: assigning it would set the prototype
const set = (o: Record<string, unknown>, key: string, v: unknown) =>
  key === "__proto__"
    ? Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true })
    : (o[key] = v)
