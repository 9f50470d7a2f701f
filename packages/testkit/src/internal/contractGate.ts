/**
 * The fake server's contract mode: a gradebook request is checked against Timeback's contract
 * before any route sees it (an operation the contract does not have is a 404, query parameters a
 * 400, a body a 422, each naming the places), and, when asked, answered with a body generated
 * from the operation's documented success schema instead of from the store.
 */
import * as Contract from "../Contract.js"
import * as WireError from "../WireError.js"
import * as Generate from "./generate.js"

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const refusal = (status: number, violations: ReadonlyArray<Contract.Violation>) =>
  WireError.make(
    status,
    violations.map((v) => `${v.path}: ${v.message}`).join("; "),
    [...new Set(violations.map((v) => v.path))]
  )

/**
 * The refusal a request earns against the contract, or `undefined` when it keeps it. `path` is
 * below the gradebook base path. A body that is not JSON is left to the routes (a 400 there).
 */
export const check = (
  method: string,
  path: string,
  query: URLSearchParams,
  text: string
): WireError.WireError | undefined => {
  const op = Contract.find(method, path)
  if (op === undefined) {
    return WireError.make(404, `${method} ${path} is not an operation of Timeback's contract`, ["request"])
  }
  const inQuery = Contract.validateQuery(op, query)
  if (inQuery.length > 0) return refusal(400, inQuery)
  if (op.request === undefined) return undefined
  const body = parse(text)
  if (body === undefined) return undefined
  const inBody = Contract.validate(op.request, body)
  return inBody.length > 0 ? refusal(422, inBody) : undefined
}

const idsSent = (body: unknown): ReadonlyArray<string> | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const value = Object.values(body)[0]
  const items = Array.isArray(value) ? value : [value]
  return items.map((i) => String((i as { sourcedId?: unknown } | undefined)?.sourcedId ?? "gen"))
}

/** The status and body a request is answered with in generated mode (`undefined` body: none). */
export const generated = (
  variant: Generate.Variant,
  method: string,
  path: string,
  query: URLSearchParams,
  text: string
): { readonly status: number; readonly body: unknown } | undefined => {
  const op = Contract.find(method, path)
  if (op === undefined) return undefined
  const { body: schema, status } = op.success
  if (schema === undefined) return { status, body: undefined }
  const segments = path.split("/")
  const itemOp = op.path.endsWith("{}") && method !== "POST"
  const number = (name: string) => {
    const v = query.get(name)
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined
  }
  return {
    status,
    body: Generate.answer(schema, variant, {
      sourcedId: itemOp ? decodeURIComponent(segments[segments.length - 1]!) : undefined,
      sent: method === "POST" ? idsSent(parse(text)) : undefined,
      offset: number("offset"),
      limit: number("limit")
    })
  }
}
