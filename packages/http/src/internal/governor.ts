/**
 * The rate governor: one per Gradebook layer, shared by every call (token requests excluded). It
 * learns the rate the server allows from its refusals (a 429, or a 503 with a `Retry-After` above 0) and
 * paces requests to it. Rate limiters are token buckets (a rate `r`, a burst `B`), and the
 * estimates below are made for one.
 *
 * - Unpaced until the first refusal: a client that is never refused pays one comparison per request.
 * - The layer's first request goes out alone: the calls that start with it wait for its answer (at
 *   most 250 ms), which may announce the server's limit or refuse, so a wave of requests does not
 *   hit a limit the first answer would have told. It costs one round trip, once per layer.
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
 * - A server that announces its limit (`RateLimit-Policy` with `RateLimit`/`RateLimit-Remaining`
 *   headers, see `rateLimitHeaders.ts`) is paced to what it says, and nothing above is guessed: the
 *   client mirrors the server's bucket (what it said was left, refilled at the announced rate, less
 *   this client's requests since) and sends at `rate × 2 × left / most ever left`. Alone, a client
 *   keeps the bucket about half full and sends at the full rate; several clients sharing the limit
 *   all read the same bucket and settle at equal shares with it emptier (a quarter full for two),
 *   and when one stops, the others see the bucket fill and speed up. No request goes out while the
 *   mirror says the bucket is empty.
 * - `maxRequestsPerSecond` caps the rate and `maxConcurrency` the requests in flight (an Effect
 *   `Semaphore`), whether or not the server ever refuses.
 * - Turns are handed out one at a time (a `Semaphore` of one): the request whose turn is next waits
 *   for it, re-reading the pace at least every 20 ms, so a change of pace applies from the next turn
 *   and not after every turn already booked.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Latch from "effect/Latch"
import * as Semaphore from "effect/Semaphore"
import type * as RateLimitHeaders from "./rateLimitHeaders.js"

export interface Options {
  /** Whether the governor learns from refusals and announcements; without it, only the ceilings apply. */
  readonly rateLimit: boolean
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
  /**
   * Waits, while the layer's first request is out and unanswered, for its answer (at most 250 ms):
   * an answer may announce the server's limit, or refuse, before a wave of requests goes out.
   * Claims the first request when none is out.
   */
  readonly first: Effect.Effect<void>
  /** Whether the answer to the layer's first request came (or the wait for it ended): `first` waits no more. */
  readonly firstAnswered: () => boolean
  /** The paced rate (requests per second; `Infinity` while unpaced). */
  readonly rate: () => number
  /** Notes an answer that was not a refusal. */
  readonly accepted: () => void
  /** Notes what an answer (of either kind; before `accepted` or `refused`) said of the server's limit. */
  readonly announced: (limit: RateLimitHeaders.Announced) => void
  /** Notes that a request sent in its turn got no answer (a transport failure, a timeout, an interruption). */
  readonly unanswered: () => void
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
/** The announced pace never drops below this share of the announced rate (answers keep coming). */
const ANNOUNCED_FLOOR = 1 / 16
/** Nor rises above this multiple of it (a full bucket drains to half in a fraction of a second). */
const ANNOUNCED_CEIL = 2
/** How long the next request sleeps at most before it reads the pace again. */
const RECHECK_MS = 20
/** How long the layer's other requests wait at most for the answer to its first (a slow server must not hold them long). */
const FIRST_ANSWER_MS = 250

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
  /** The paced rate (requests per second; `Infinity` while unpaced; the announced rate, if any). */
  readonly rate: () => number
  /** The rate the next turn is spaced at, at `now` (with an announced limit, it follows the bucket). */
  readonly pace: (now: number) => number
  /** Whether requests go straight out: never refused yet, no rate ceiling. */
  readonly quiet: () => boolean
  /**
   * How long (ms) a request at `now` waits for the answer to the layer's first request: 0 once an
   * answer came (or `FIRST_ANSWER_MS` passed), and 0 for the first request itself, which this call
   * claims when none is out.
   */
  readonly first: (now: number) => number
  /** Whether `first` returns 0 from now on. */
  readonly firstAnswered: () => boolean
  readonly accepted: (now: number) => void
  readonly refused: (now: number, admittedAt: number, status: number, retryAfterSeconds: number | undefined) => void
  readonly announced: (now: number, limit: RateLimitHeaders.Announced) => void
  readonly unanswered: () => void
}

export const makeCore = (options: Options, random: () => number = Math.random): Core => {
  const ceiling = options.maxRequestsPerSecond ?? Infinity
  let rate = Infinity
  // the time of the latest turn handed out (it may lie ahead: a turn booked and being waited for)
  let last = -Infinity
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

  // what the server announced of its limit: its rate, the bucket it last said was left (and when),
  // the most it ever said was left, this client's requests sent since it said so, and in flight
  let announcedRate: number | undefined
  let left = 0
  let leftAt = 0
  let most = 1
  let sentSince = 0
  let inFlight = 0
  // the layer's first request: when it went out, and whether any answer (or the lack of one) came
  let firstSentAt: number | undefined
  // with `rateLimit` off, no answer is listened to, and none is waited for
  let answered = !options.rateLimit

  /** The announced bucket now, as this client can tell: what was left, refilled since, less its own sends. */
  const level = (now: number) => Math.min(most, left + (announcedRate! * Math.max(0, now - leftAt)) / 1000) - sentSince

  const paced = (now: number) =>
    announcedRate === undefined
      ? Math.min(rate, ceiling)
      : Math.min(
        ceiling,
        announcedRate * Math.min(ANNOUNCED_CEIL, Math.max(ANNOUNCED_FLOOR, (2 * level(now)) / most))
      )
  /** How long (ms) from `now` until the announced bucket holds a request (0 when it does, or none was announced). */
  const empty = (now: number) =>
    announcedRate === undefined ? 0 : Math.max(0, ((1 - level(now)) * 1000) / announcedRate)
  /** Whether a request may go out at once, unpaced and not paused. */
  const open = (now: number) => paced(now) === Infinity && pausedUntil <= now
  const spacingAt = (now: number) => {
    const r = paced(now)
    return r === Infinity ? 0 : 1000 / r
  }

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
      const spacing = spacingAt(now)
      const due = last + spacing
      let start = Math.max(now + empty(now), due)
      if (pausedUntil > start) {
        // resuming after a pause: a random point of the first interval (or of 100 ms, unpaced)
        start = pausedUntil + random() * (spacing || 100)
      }
      // a turn taken a little late (its timer fired after its time) keeps its place in the schedule,
      // so lateness does not add up turn after turn; one taken after an idle spell starts it anew
      last = start === now && now - due <= RECHECK_MS ? due : start
      inFlight++
      sentSince++
      return start - now
    },
    wait: (now) => open(now) ? 0 : Math.max(0, last + spacingAt(now) - now, pausedUntil - now, empty(now)),
    pausedUntil: () => pausedUntil,
    rate: () => announcedRate ?? Math.min(rate, ceiling),
    pace: paced,
    quiet: () => rate === Infinity && announcedRate === undefined && pausedUntil === 0 && ceiling === Infinity,
    first: (now) => {
      if (answered) return 0
      if (firstSentAt === undefined) {
        firstSentAt = now
        return 0
      }
      const wait = firstSentAt + FIRST_ANSWER_MS - now
      // waited long enough: the first answer is not waited for again
      if (wait <= 0) answered = true
      return Math.max(0, wait)
    },
    firstAnswered: () => answered,
    announced: (now, limit) => {
      answered = true
      announcedRate = limit.perSecond
      left = limit.remaining
      leftAt = now
      most = Math.max(most, limit.remaining + 1)
      // the requests still in flight (all but this answer's) are likely not counted in what it says
      sentSince = Math.max(0, inFlight - 1)
    },
    unanswered: () => {
      answered = true
      inFlight = Math.max(0, inFlight - 1)
    },
    accepted: (now) => {
      answered = true
      inFlight = Math.max(0, inFlight - 1)
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
      answered = true
      inFlight = Math.max(0, inFlight - 1)
      // a 5xx is a rate signal only when it asks for a wait (a 503 with `Retry-After: 0` is a hiccup:
      // cutting the pace for each of a trickle of them would bring it down to its floor)
      if (status !== 429 && !(retryAfterSeconds !== undefined && retryAfterSeconds > 0)) return
      const resumedAt = pausedUntil
      // a 429 without Retry-After pauses for `baseDelay` (with jitter): never a tight loop of refusals
      const pause = retryAfterSeconds !== undefined
        ? retryAfterSeconds * 1000
        : Duration.toMillis(options.baseDelay) * (0.8 + 0.4 * random())
      pausedUntil = Math.max(pausedUntil, now + pause)
      // an announced limit is the rate: nothing to learn from the refusal but the pause
      if (announcedRate !== undefined || admittedAt < lastCut) return
      lastCut = now
      // never below half the rate in one event: an estimate made while another client shared the
      // limit (the bucket was not full at resumption) reads low, and halving is how AIMD shares
      rate = Math.max(1, rate === Infinity ? learn(now, resumedAt) : Math.max(learn(now, resumedAt), rate * HALF))
    }
  }
}

export const make = (options: Options): Effect.Effect<Governor> =>
  Effect.map(
    Effect.all([
      options.maxConcurrency === undefined ? Effect.succeed(undefined) : Semaphore.make(options.maxConcurrency),
      Semaphore.make(1),
      Latch.make(false)
    ]),
    ([semaphore, turns, firstAnswer]) => {
      const core = makeCore(options)
      const first: Effect.Effect<void> = Effect.suspend(() => {
        const wait = core.first(Date.now())
        return wait <= 0 ? Effect.void : Effect.asVoid(Effect.timeoutOption(firstAnswer.await, wait))
      })
      /** A note of an answer, which also ends every wait for the layer's first answer. */
      const heard = <A extends ReadonlyArray<unknown>>(note: (...args: A) => void) => (...args: A): void => {
        note(...args)
        Latch.openUnsafe(firstAnswer)
      }
      /**
       * The next turn, for the one request that holds `turns`: it waits until the pace allows one
       * (reading the pace again at least every `RECHECK_MS`: another call's refusal or a new
       * announcement may have changed it), then takes it.
       */
      const next: Effect.Effect<number> = Effect.suspend(() => {
        const now = Date.now()
        const wait = core.wait(now)
        if (wait > 0) return Effect.flatMap(Effect.sleep(Math.min(wait, RECHECK_MS)), () => next)
        const delay = core.reserve(now)
        return delay <= 0 ? Effect.succeed(now) : Effect.as(Effect.sleep(delay), now + delay)
      })
      return {
        admit: turns.withPermits(1)(next),
        wait: () => core.wait(Date.now()),
        quiet: () => semaphore === undefined && core.quiet(),
        first,
        firstAnswered: core.firstAnswered,
        rate: core.rate,
        accepted: heard(() => core.accepted(Date.now())),
        announced: heard((limit) => core.announced(Date.now(), limit)),
        unanswered: heard(core.unanswered),
        refused: heard((admittedAt, status, retryAfterSeconds) =>
          core.refused(Date.now(), admittedAt, status, retryAfterSeconds)
        ),
        slot: semaphore ? semaphore.withPermits(1) : (effect) => effect
      }
    }
  )
