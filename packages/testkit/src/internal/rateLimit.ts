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
}

/** The headers of a refusal, or `undefined` when the request is admitted. */
export const make = (options: Options) => {
  const burst = options.burst ?? Math.max(1, Math.floor(options.requestsPerSecond / 10))
  const buckets = new Map<string, { tokens: number; at: number }>()
  return (clientId: string, now: number): Record<string, string> | undefined => {
    const bucket = buckets.get(clientId) ?? { tokens: burst, at: now }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * options.requestsPerSecond)
    bucket.at = now
    buckets.set(clientId, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    const waitMs = ((1 - bucket.tokens) / options.requestsPerSecond) * 1000
    return options.retryAfter === "milliseconds"
      ? { "retry-after-ms": String(Math.ceil(waitMs)) }
      : { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) }
  }
}
