// What a server announces of its rate limit, in each form of the IETF draft that gateways send.
import { describe, expect, it } from "@effect/vitest"
import * as Headers from "effect/http/Headers"
import * as RateLimitHeaders from "../src/internal/rateLimitHeaders.js"

const read = (headers: Record<string, string>) => RateLimitHeaders.read(Headers.fromInput(headers))

describe("announced rate limits", () => {
  it("reads the current draft's fields: RateLimit-Policy (q over w) and RateLimit (r)", () => {
    expect(read({ "ratelimit-policy": "\"default\";q=200;w=1", "ratelimit": "\"default\";r=17;t=1" }))
      .toStrictEqual({ perSecond: 200, remaining: 17 })
    expect(read({ "ratelimit-policy": "\"hour\";q=3600;w=3600", "ratelimit": "\"hour\";r=0;t=20" }))
      .toStrictEqual({ perSecond: 1, remaining: 0 })
  })

  it("reads the older drafts: a policy without a name, in RateLimit-Policy or RateLimit-Limit; RateLimit-Remaining", () => {
    expect(read({ "ratelimit-policy": "100;w=10", "ratelimit-remaining": "4" }))
      .toStrictEqual({ perSecond: 10, remaining: 4 })
    expect(read({ "ratelimit-limit": "100, 100;w=10", "x-ratelimit-remaining": "7" }))
      .toStrictEqual({ perSecond: 10, remaining: 7 })
    expect(read({ "ratelimit-policy": "50;w=1", "ratelimit": "limit=50, remaining=3, reset=1" }))
      .toStrictEqual({ perSecond: 50, remaining: 3 })
  })

  it("of several policies, takes the one allowing the lowest rate, and the lowest remaining count", () => {
    expect(read({
      "ratelimit-policy": "\"second\";q=20;w=1, \"minute\";q=600;w=60",
      "ratelimit": "\"second\";r=12;t=1, \"minute\";r=5;t=30"
    })).toStrictEqual({ perSecond: 10, remaining: 5 })
  })

  it("says nothing without both a rate and what is left of it, or from values that are not counts", () => {
    expect(read({})).toBeUndefined()
    expect(read({ "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999" })).toBeUndefined()
    expect(read({ "ratelimit-policy": "\"default\";q=200;w=1" })).toBeUndefined()
    expect(read({ "ratelimit-policy": "\"default\";q=200;w=0", "ratelimit": "\"default\";r=1" })).toBeUndefined()
    expect(read({ "ratelimit-policy": "\"default\";q=-5;w=1", "ratelimit": "\"default\";r=1" })).toBeUndefined()
    expect(read({ "ratelimit-policy": "\"default\";q=200;w=1", "ratelimit": "\"default\";r=lots" })).toBeUndefined()
  })
})
