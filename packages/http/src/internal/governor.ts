/**
 * The rate governor: one per Gradebook layer, shared by every call (token requests excluded). It
 * learns the rate the server allows from its answers and paces requests to it.
 *
 * - Unpaced until the server first refuses (a 429, or a 503 with `Retry-After`): a client that is
 *   never refused pays one comparison per request.
 * - A refusal with `Retry-After` pauses admission for the whole client until then.
 * - A refusal also cuts the admitted rate, once per congestion event (the refusal of a request
 *   admitted before the last cut does not cut again): to 85 % of the rate the server was seen to
 *   accept while the client was sending (successes since the latest of the last resumption, the
 *   first success and a second ago, over that span). Too few successes to tell (fewer than 5)
 *   leave the rate as it is: the pause alone answers an isolated refusal.
 * - Successes grow the rate back as TCP CUBIC grows its window: fast (half the gap per second) to
 *   97 % of the rate seen at the last cut, then slowly (1 % per second, at least 1 request per
 *   second per second) beyond it, since the server may have raised its limit or another client
 *   sharing it may have stopped.
 * - Requests are spaced `1 / rate` apart; resumption after a pause starts at a random point of the
 *   first interval, so callers never wake in lockstep.
 * - `maxRequestsPerSecond` caps the rate and `maxConcurrency` the requests in flight (an Effect
 *   `Semaphore`), whether or not the server ever refuses.
 */
import * as Effect from "effect/Effect"

export interface Options {
  readonly maxRequestsPerSecond: number | undefined
  readonly maxConcurrency: number | undefined
}

export interface Governor {
  /** Waits for a request's turn; succeeds with the time it was admitted (ms since the epoch). */
  readonly admit: Effect.Effect<number>
  /** How long (ms) the next request would wait for its turn now. */
  readonly wait: () => number
  /** Learns from an answer to a request admitted at `admittedAt`. */
  readonly observe: (admittedAt: number, status: number, retryAfterSeconds: number | undefined) => void
  /** Runs `effect` holding one of the `maxConcurrency` slots (as it is when there is no such cap). */
  readonly slot: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** The admitted rate (requests per second; `Infinity` while unpaced), for tests and logs. */
  readonly rate: () => number
}

const WINDOW_MS = 1000
const MIN_SPAN_MS = 50
const MIN_SEEN = 5
const CUT = 0.85
const CLOSE = 0.97
const RECOVERY = 0.5
const PROBE = 0.01

export const make = (options: Options): Effect.Effect<Governor> =>
  Effect.map(
    options.maxConcurrency === undefined ? Effect.succeed(undefined) : Effect.makeSemaphore(options.maxConcurrency),
    (semaphore) => {
      const ceiling = options.maxRequestsPerSecond ?? Infinity
      let rate = Infinity
      let next = 0
      let pausedUntil = 0
      let lastCut = -Infinity
      let cutRate = Infinity
      // the first success: a span of "the last second" starts no earlier (not at the first admission,
      // which also waited for a token)
      let firstAccepted = Infinity
      // the times of recent successes, a ring buffer
      const accepted = new Float64Array(8192)
      let head = 0
      let count = 0

      const acceptedSince = (since: number) => {
        let n = 0
        for (let i = 0; i < count; i++) {
          if (accepted[(head - 1 - i + accepted.length) % accepted.length]! >= since) n++
          else break
        }
        return n
      }

      const paced = () => Math.min(rate, ceiling)

      /** Reserves the next turn; how long to wait for it. */
      const reserve = (now: number) => {
        const r = paced()
        if (r === Infinity && pausedUntil <= now) return 0
        const spacing = r === Infinity ? 0 : 1000 / r
        let start = Math.max(now, next)
        if (pausedUntil > start) {
          // resuming after a pause: a random point of the first interval (or of 100 ms, unpaced)
          start = pausedUntil + Math.random() * (spacing || 100)
        }
        next = start + spacing
        return start - now
      }

      return {
        admit: Effect.suspend(() => {
          const now = Date.now()
          const delay = reserve(now)
          return delay <= 0 ? Effect.succeed(now) : Effect.as(Effect.sleep(delay), now + delay)
        }),
        wait: () => {
          const now = Date.now()
          const r = paced()
          if (r === Infinity && pausedUntil <= now) return 0
          return Math.max(0, Math.max(next, pausedUntil) - now)
        },
        observe: (admittedAt, status, retryAfterSeconds) => {
          const now = Date.now()
          if (status === 429 || (status === 503 && retryAfterSeconds !== undefined)) {
            const resumedAt = pausedUntil
            if (retryAfterSeconds !== undefined) pausedUntil = Math.max(pausedUntil, now + retryAfterSeconds * 1000)
            if (admittedAt < lastCut) return
            lastCut = now
            const since = Math.max(resumedAt, firstAccepted, now - WINDOW_MS)
            const seen = acceptedSince(since)
            if (seen < MIN_SEEN) return
            const accepting = (seen * 1000) / Math.max(MIN_SPAN_MS, now - since)
            cutRate = Math.min(rate, accepting)
            rate = Math.max(1, cutRate * CUT)
            return
          }
          if (status >= 500) return
          accepted[head] = now
          head = (head + 1) % accepted.length
          if (count < accepted.length) count++
          if (firstAccepted === Infinity) firstAccepted = now
          // per second: half the way back to the rate of the last cut, then a slow probe beyond it
          if (rate !== Infinity) {
            const perSecond = rate < cutRate * CLOSE ? (cutRate * CLOSE - rate) * RECOVERY : Math.max(1, rate * PROBE)
            rate = Math.min(ceiling, rate + perSecond / rate)
          }
        },
        slot: semaphore ? semaphore.withPermits(1) : (effect) => effect,
        rate: () => paced()
      }
    }
  )
