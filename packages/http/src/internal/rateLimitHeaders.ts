/**
 * What a server announces of its rate limit in an answer's headers, in the forms of the IETF draft
 * (draft-ietf-httpapi-ratelimit-headers) that gateways send:
 *
 * - the quota: `RateLimit-Policy` (`"default";q=200;w=1`, or the older `200;w=1`), or a policy in
 *   `RateLimit-Limit` (`200, 200;w=1`). Several policies: the one allowing the lowest rate.
 * - what is left of it now: `RateLimit` (`"default";r=17;t=1`, or the older
 *   `limit=200, remaining=17, reset=1`), `RateLimit-Remaining` or `X-RateLimit-Remaining`.
 *
 * A quota without a window (`X-RateLimit-Limit: 5000` alone) says no rate, and is ignored.
 */
import type * as Headers from "effect/http/Headers"

export interface Announced {
  /** The rate the server allows (requests per second): the quota over its window. */
  readonly perSecond: number
  /** Requests the server will admit now, before any refill. */
  readonly remaining: number
}

/** The members of a structured-field list, each as its bare item and its `;key=value` parameters. */
const members = (field: string) =>
  field.split(",").map((member) => {
    const [item = "", ...params] = member.split(";").map((part) => part.trim())
    const values = new Map<string, string>()
    for (const param of params) {
      const eq = param.indexOf("=")
      if (eq > 0) values.set(param.slice(0, eq).trim().toLowerCase(), param.slice(eq + 1).trim())
    }
    return { item, params: values }
  })

/** A non-negative finite number, or `undefined`. */
const count = (text: string | undefined) => {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return undefined
  return Number(text)
}

/** The lowest rate among the policies of `field` (requests per second). */
const policyRate = (field: string | undefined): number | undefined => {
  if (field === undefined) return undefined
  let lowest: number | undefined
  for (const { item, params } of members(field)) {
    const quota = count(params.get("q")) ?? count(item)
    const window = count(params.get("w"))
    if (quota === undefined || window === undefined || window <= 0) continue
    const rate = quota / window
    if (lowest === undefined || rate < lowest) lowest = rate
  }
  return lowest
}

/** The lowest remaining count in `RateLimit` (`r=` of each member, or the older `remaining=`). */
const remainingOf = (field: string | undefined): number | undefined => {
  if (field === undefined) return undefined
  let lowest: number | undefined
  for (const { item, params } of members(field)) {
    const older = item.toLowerCase().startsWith("remaining=") ? item.slice("remaining=".length) : undefined
    const r = count(params.get("r")) ?? count(older)
    if (r !== undefined && (lowest === undefined || r < lowest)) lowest = r
  }
  return lowest
}

/** The rate limit `headers` announce, when they say both the rate and what is left of it. */
export const read = (headers: Headers.Headers): Announced | undefined => {
  const perSecond = policyRate(headers["ratelimit-policy"]) ?? policyRate(headers["ratelimit-limit"])
  if (perSecond === undefined || perSecond <= 0) return undefined
  const remaining = remainingOf(headers["ratelimit"]) ?? count(headers["ratelimit-remaining"]) ??
    count(headers["x-ratelimit-remaining"])
  return remaining === undefined ? undefined : { perSecond, remaining: Math.floor(remaining) }
}
