/** The fake server's rate-limit mode: a token bucket per client id, as an API gateway keeps one. */

export interface Options {
  /** Requests admitted per second, on average. */
  readonly requestsPerSecond: number
  /** Requests admitted at once after a quiet spell. Default `requestsPerSecond / 10`, at least 1. */
  readonly burst?: number
  /**
   * How a refusal says when to come back: `Retry-After` in whole seconds (default, rounded up, at
   * least 1, as most gateways send it) or `retry-after-ms`, exact.
   */
  readonly retryAfter?: "seconds" | "milliseconds"
  /**
   * Whether every answer announces the limit, as the IETF draft's fields do: `RateLimit-Policy:
   * "default";q=<requestsPerSecond>;w=1` and `RateLimit: "default";r=<left>;t=<seconds until full>`.
   * Default `false` (many gateways say nothing until they refuse).
   */
  readonly announce?: boolean
}

/** What the limiter says of one request: whether it is refused, and the headers its answer carries. */
export interface Verdict {
  readonly refused: boolean
  readonly headers: Record<string, string>
}

/** The limiter: each request of `clientId` at `now` (ms) admitted or refused. */
export const make = (options: Options) => {
  const burst = options.burst ?? Math.max(1, Math.floor(options.requestsPerSecond / 10))
  const buckets = new Map<string, { tokens: number; at: number }>()
  /** The bucket as the IETF draft's fields say it: the policy, and what is left of it. */
  const announced = (tokens: number): Record<string, string> =>
    options.announce
      ? {
        "ratelimit-policy": `"default";q=${options.requestsPerSecond};w=1`,
        "ratelimit": `"default";r=${Math.floor(tokens)};t=${Math.ceil((burst - tokens) / options.requestsPerSecond)}`
      }
      : {}
  return (clientId: string, now: number): Verdict => {
    const bucket = buckets.get(clientId) ?? { tokens: burst, at: now }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * options.requestsPerSecond)
    bucket.at = now
    buckets.set(clientId, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { refused: false, headers: announced(bucket.tokens) }
    }
    const waitMs = ((1 - bucket.tokens) / options.requestsPerSecond) * 1000
    const retryAfter: Record<string, string> = options.retryAfter === "milliseconds"
      ? { "retry-after-ms": String(Math.ceil(waitMs)) }
      : { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) }
    return { refused: true, headers: { ...retryAfter, ...announced(bucket.tokens) } }
  }
}
