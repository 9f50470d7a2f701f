/**
 * The rate governor: one per Gradebook layer, shared by every call (token requests excluded). It
 * learns the rate the server allows from its refusals (a 429, or a 503 with `Retry-After`) and
 * paces requests to it. Rate limiters are token buckets (a rate `r`, a burst `B`), and the
 * estimates below are made for one.
 *
 * - Unpaced until the first refusal: a client that is never refused pays one comparison per request.
 * - A `Retry-After` pauses admission for the whole client until then (a 429 without one, for
 *   `baseDelay`). Resumption starts at a random point of the first interval, so callers never wake
 *   in lockstep.
 * - Each congestion event (a refusal of a request sent unpaced, or of one admitted after the last
 *   event; refusals of paced requests already in flight only extend the pause) sets the rate:
 *   - the first, on a client that was sending unpaced: the successes so far are the burst `B`, if
 *     they came within 200 ms; the rate becomes `9 B` (a prior: gateways size a burst at about a
 *     tenth of a second of their rate). If they did not come in a burst, 85 % of the rate they came at.
 *   - later ones, once the burst is known: the bucket was full when sending resumed after the last
 *     pause, so the successes `S` since then, over the time `t` since then, give the server's rate
 *     exactly: `r = (S - B) / t` (when `t` ≥ 100 ms). The rate becomes 97 % of it. Otherwise 85 %
 *     of the rate the server was seen to accept. The burst read from the first wave can only be
 *     too high (a cold client's wave reaches the server over ~100 ms while the bucket refills),
 *     and a short `t` leans on it: `B` is the lower of it and the burst the prior agrees with,
 *     `S / (1 + 10 t)`.
 *   - too few successes to tell (fewer than 5) leave the rate as it is: the pause alone answers an
 *     isolated refusal.
 *   - never below half the rate before the event: an estimate made while another client shared the
 *     limit reads low, and halving is how AIMD flows share a limit.
 * - After 10 s without a refusal the rate grows, slowly at first (1 % per second, doubling every
 *   5 s more): a server may raise its limit, or another client sharing it may have stopped.
 * - `maxRequestsPerSecond` caps the rate and `maxConcurrency` the requests in flight (an Effect
 *   `Semaphore`), whether or not the server ever refuses.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

export interface Options {
  readonly maxRequestsPerSecond: number | undefined
  readonly maxConcurrency: number | undefined
  /** How long a 429 without `Retry-After` pauses the client. */
  readonly baseDelay: Duration.Duration
}

export interface Governor {
  /** Waits for a request's turn; succeeds with the time it was admitted (ms since the epoch). */
  readonly admit: Effect.Effect<number>
  /** How long (ms) the next request would wait for its turn now. */
  readonly wait: () => number
  /** Whether requests go straight out: never refused yet, no ceilings. */
  readonly quiet: () => boolean
  /** The paced rate (requests per second; `Infinity` while unpaced). */
  readonly rate: () => number
  /** Notes an answer that was not a refusal. */
  readonly accepted: () => void
  /**
   * Learns from a refusal (a 429, or a 503: one with `Retry-After` counts) of a request admitted at
   * `admittedAt` (`UNPACED` for one sent without waiting for a turn).
   */
  readonly refused: (admittedAt: number, status: number, retryAfterSeconds: number | undefined) => void
  /** Runs `effect` holding one of the `maxConcurrency` slots (as it is when there is no such cap). */
  readonly slot: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/** The `admittedAt` of a request sent unpaced (while `quiet`): a refusal of it is always a congestion event. */
export const UNPACED = Infinity

const WINDOW_MS = 1000
const MIN_SPAN_MS = 50
const MIN_SEEN = 5
const BURST_WITHIN_MS = 200
const BURST_PRIOR = 9
const EXACT_AFTER_MS = 100
const EXACT = 0.97
const CUT = 0.85
const HALF = 0.5
const PLATEAU_MS = 10_000
const PROBE = 0.01
const PROBE_DOUBLING_MS = 5000

/**
 * The governor's arithmetic, with every time passed in (ms since the epoch): what `make` runs on the
 * system clock, and what `bench/src/rateSim.ts` drives on virtual time.
 */
export interface Core {
  /** Reserves the next turn at `now`; how long (ms) to wait for it. */
  readonly reserve: (now: number) => number
  /** How long (ms) the next request would wait for its turn at `now`. */
  readonly wait: (now: number) => number
  /** Until when (ms since the epoch) admission is paused. */
  readonly pausedUntil: () => number
  /** The paced rate (requests per second; `Infinity` while unpaced). */
  readonly rate: () => number
  /** Whether requests go straight out: never refused yet, no rate ceiling. */
  readonly quiet: () => boolean
  readonly accepted: (now: number) => void
  readonly refused: (now: number, admittedAt: number, status: number, retryAfterSeconds: number | undefined) => void
}

export const makeCore = (options: Options, random: () => number = Math.random): Core => {
  const ceiling = options.maxRequestsPerSecond ?? Infinity
  let rate = Infinity
  let next = 0
  let pausedUntil = 0
  let lastCut = -Infinity
  // the burst the server allows, once seen
  let burst: number | undefined
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
  /** Whether a request may go out at once, unpaced and not paused. */
  const open = (now: number) => paced() === Infinity && pausedUntil <= now

  /** The rate after a congestion event at `now`; `resumedAt`: when sending last resumed after a pause. */
  const learn = (now: number, resumedAt: number) => {
    if (burst === undefined && rate === Infinity) {
      const seen = acceptedSince(-Infinity)
      if (seen < MIN_SEEN) return rate
      if (now - firstAccepted <= BURST_WITHIN_MS) {
        burst = seen
        return BURST_PRIOR * seen
      }
      return CUT * (seen * 1000) / Math.max(MIN_SPAN_MS, now - firstAccepted)
    }
    if (burst !== undefined && resumedAt > 0 && now - resumedAt >= EXACT_AFTER_MS) {
      const since = acceptedSince(resumedAt)
      if (since > burst) {
        const t = (now - resumedAt) / 1000
        // The burst read from the first wave can only be too high (the bucket refilled while the
        // wave arrived: a cold client's wave takes ~100 ms), and over a short time the estimate
        // leans on it. So the burst is the one the prior agrees with (S = B + 10 B t), if lower.
        const b = Math.min(burst, since / (1 + (BURST_PRIOR + 1) * t))
        return EXACT * (since - b) / t
      }
    }
    const since = Math.max(resumedAt, firstAccepted, now - WINDOW_MS)
    const seen = acceptedSince(since)
    if (seen < MIN_SEEN) return rate
    return CUT * Math.min(rate, (seen * 1000) / Math.max(MIN_SPAN_MS, now - since))
  }

  return {
    reserve: (now) => {
      if (open(now)) return 0
      const r = paced()
      const spacing = r === Infinity ? 0 : 1000 / r
      let start = Math.max(now, next)
      if (pausedUntil > start) {
        // resuming after a pause: a random point of the first interval (or of 100 ms, unpaced)
        start = pausedUntil + random() * (spacing || 100)
      }
      next = start + spacing
      return start - now
    },
    wait: (now) => open(now) ? 0 : Math.max(0, next - now, pausedUntil - now),
    pausedUntil: () => pausedUntil,
    rate: paced,
    quiet: () => rate === Infinity && pausedUntil === 0 && ceiling === Infinity,
    accepted: (now) => {
      accepted[head] = now
      head = (head + 1) % accepted.length
      if (count < accepted.length) count++
      if (firstAccepted === Infinity) firstAccepted = now
      if (rate !== Infinity) {
        const quiet = now - lastCut
        if (quiet > PLATEAU_MS) {
          // per second: 1 % of the rate, doubling every 5 s of quiet beyond the plateau; spread over
          // the successes (the rate's worth of them a second), each adds that 1 % of one request
          rate = Math.min(ceiling, rate + PROBE * 2 ** ((quiet - PLATEAU_MS) / PROBE_DOUBLING_MS))
        }
      }
    },
    refused: (now, admittedAt, status, retryAfterSeconds) => {
      if (status === 503 && retryAfterSeconds === undefined) return
      const resumedAt = pausedUntil
      // a 429 without Retry-After pauses for `baseDelay` (with jitter): never a tight loop of refusals
      const pause = retryAfterSeconds !== undefined
        ? retryAfterSeconds * 1000
        : Duration.toMillis(options.baseDelay) * (0.8 + 0.4 * random())
      pausedUntil = Math.max(pausedUntil, now + pause)
      if (admittedAt < lastCut) return
      lastCut = now
      // never below half the rate in one event: an estimate made while another client shared the
      // limit (the bucket was not full at resumption) reads low, and halving is how AIMD shares
      rate = Math.max(1, rate === Infinity ? learn(now, resumedAt) : Math.max(learn(now, resumedAt), rate * HALF))
    }
  }
}

export const make = (options: Options): Effect.Effect<Governor> =>
  Effect.map(
    options.maxConcurrency === undefined ? Effect.succeed(undefined) : Effect.makeSemaphore(options.maxConcurrency),
    (semaphore) => {
      const core = makeCore(options)
      /**
       * Waits for a turn. A pause that began while this request slept for its turn (another call's
       * refusal) still holds it: it reserves a turn again, after the pause.
       */
      const admit: Effect.Effect<number> = Effect.suspend(() => {
        const now = Date.now()
        const delay = core.reserve(now)
        return delay <= 0
          ? Effect.succeed(now)
          : Effect.flatMap(Effect.sleep(delay), () => core.pausedUntil() > Date.now() ? admit : Effect.sync(Date.now))
      })
      return {
        admit,
        wait: () => core.wait(Date.now()),
        quiet: () => semaphore === undefined && core.quiet(),
        rate: core.rate,
        accepted: () => core.accepted(Date.now()),
        refused: (admittedAt, status, retryAfterSeconds) =>
          core.refused(Date.now(), admittedAt, status, retryAfterSeconds),
        slot: semaphore ? semaphore.withPermits(1) : (effect) => effect
      }
    }
  )
