/**
 * Requests under the rate governor: each request with a bearer token, in its turn, the governor
 * learning from every answer. A 429 is a wait, not a failed attempt.
 */
import { GradebookError } from "@timeback/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as Redacted from "effect/Redacted"
import type * as TimebackConfig from "../TimebackConfig.js"
import type * as TokenProvider from "../TokenProvider.js"
import * as Exchange from "./exchange.js"
import * as Governor from "./governor.js"
import * as RateLimitHeaders from "./rateLimitHeaders.js"

/** How many fresh tokens a request tries after 401s before the 401 stands. */
export const MAX_TOKEN_REFRESHES = 3

/** Errors that end a call at once, whatever the retry policy says (a rate-limited wait that cannot be kept). */
const final = new WeakSet<GradebookError.GradebookError>()

/** Whether `e` ends its call at once: the retry policy must not retry it. */
export const isFinal = (e: GradebookError.GradebookError): boolean => final.has(e)

const ending = <E extends GradebookError.GradebookError>(e: E) => {
  final.add(e)
  return Effect.fail(e)
}

/** Sends one request, answers in hand. */
export type Governed = (
  operation: string,
  request: HttpClientRequest.HttpClientRequest
) => Effect.Effect<Exchange.Answer, GradebookError.GradebookError>

/**
 * `governed(operation, request)`: the request with a bearer token, in its turn. Each request waits
 * for its turn (the governor's pacing and pauses, the concurrency cap), and the governor learns from
 * every answer. With `rateLimit` on, a 429 is a wait, not a failed attempt: the request waits its
 * turn again and is sent again, until the call's `deadline`; a `Retry-After` above `maxRetryAfter`,
 * or a wait past the deadline, ends the call with the `RateLimitError` at once (`isFinal`).
 *
 * A 401 invalidates the token and replays with a fresh one, up to `MAX_TOKEN_REFRESHES` times;
 * every token refused is invalidated: no call after it starts with a rejected token.
 */
export const make = (options: {
  readonly config: TimebackConfig.TimebackConfigShape
  readonly tokens: TokenProvider.TokenProviderService
  readonly governor: Governor.Governor
  readonly send: ReturnType<typeof Exchange.sender>
}): Governed => {
  const { config, governor, send, tokens } = options
  const deadlineMs = Duration.toMillis(config.deadline)
  const maxRetryAfterMs = Duration.toMillis(config.maxRetryAfter)

  /**
   * One exchange, starting with `token` (taken before the request's turn, so no turn waits for one).
   * A 401 invalidates the token and the request is replayed with a fresh one, up to
   * `MAX_TOKEN_REFRESHES` times while the token endpoint keeps issuing new tokens (tokens revoked
   * twice in quick succession are not a credentials problem); then the 401 stands.
   */
  const authorized = (
    request: HttpClientRequest.HttpClientRequest,
    token: Redacted.Redacted<string>,
    refreshes = 0
  ): Effect.Effect<Exchange.Answer, GradebookError.GradebookError> =>
    Effect.flatMap(
      send(HttpClientRequest.bearerToken(request, token), config.attemptTimeout),
      (answer) =>
        answer.status !== 401
          ? Effect.succeed(answer)
          : Effect.andThen(
            tokens.invalidate(token),
            refreshes >= MAX_TOKEN_REFRESHES
              ? Effect.succeed(answer)
              : Effect.flatMap(
                tokens.get,
                (fresh) => fresh === token ? Effect.succeed(answer) : authorized(request, fresh, refreshes + 1)
              )
          )
    )

  /**
   * One request in its turn (the governor's pacing and pauses, the concurrency cap). What a request
   * may wait long for (a slot under the cap, the first token) comes before its turn, so it is sent
   * when its turn comes: requests that waited together for the first token do not go out together.
   * The token it is sent with is read when its turn comes (a cache hit), not before: a token revoked
   * while it queued is not sent. The wait for the turn ends at the call's deadline.
   */
  const paced = (
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
    deadline: number
  ): Effect.Effect<Exchange.Answer, GradebookError.GradebookError> => {
    const wait = governor.wait()
    if (wait > 0 && (wait > maxRetryAfterMs || Date.now() + wait > deadline)) return cannotWait(operation, wait)
    return Effect.flatMap(
      // in order: the slot, a token to exist, the turn (by the deadline), the token, the exchange
      governor.slot(Effect.andThen(
        tokens.get,
        Effect.zip(
          turnBy(operation, deadline),
          Effect.onError(
            Effect.flatMap(tokens.get, (token) => authorized(request, token)),
            () => Effect.sync(governor.unanswered)
          )
        )
      )),
      ([admittedAt, answer]) => answered(operation, request, answer, admittedAt, deadline)
    )
  }

  /** The request's turn, or, when it has not come by `deadline`, the call's end (a `RateLimitError`). */
  const turnBy = (operation: string, deadline: number) =>
    Effect.suspend(() =>
      Effect.timeoutOrElse(Effect.andThen(governor.first, governor.admit), {
        duration: Math.max(0, deadline - Date.now()),
        orElse: () => {
          const error = new GradebookError.RateLimitError({
            operation,
            description: `its turn under this client's pace (${
              Math.round(governor.rate())
            } requests/s) did not come before the call's deadline (${Duration.format(config.deadline)})`
          })
          final.add(error)
          return Effect.fail(error)
        }
      })
    )

  /**
   * An answer to a request admitted at `admittedAt`. Any but a 429 or 503 is noted as accepted. A
   * 429 or 503 is a refusal the governor learns from; with `rateLimit` on, a 429 is a wait, and the
   * request is sent again in its turn (a `Retry-After` above `maxRetryAfter` ends the call at once).
   */
  const answered = (
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
    answer: Exchange.Answer,
    admittedAt: number,
    deadline: number
  ): Effect.Effect<Exchange.Answer, GradebookError.GradebookError> => {
    const before = governor.rate()
    const limit = config.rateLimit ? RateLimitHeaders.read(answer.headers) : undefined
    if (limit !== undefined) governor.announced(limit)
    if (answer.status !== 429 && answer.status !== 503) {
      governor.accepted()
      // a success changes the pace worth saying only when it brought a new announced rate
      return limit !== undefined && governor.rate() !== before
        ? Effect.as(announcedPace(limit), answer)
        : Effect.succeed(answer)
    }
    if (!config.rateLimit) return Effect.succeed(answer)
    const retryAfter = Exchange.retryAfterSeconds(answer.headers, Date.now())
    // the layer pauses for at most `maxRetryAfter`: one answer must not stop every call for an hour
    governor.refused(
      admittedAt,
      answer.status,
      retryAfter === undefined ? undefined : Math.min(retryAfter, maxRetryAfterMs / 1000)
    )
    const pace = governor.rate()
    const logged = pace === before
      ? Effect.void
      : limit === undefined
      ? paceChanged(answer.status, retryAfter, pace)
      : announcedPace(limit)
    if (answer.status !== 429) return Effect.as(logged, answer)
    if ((retryAfter ?? 0) * 1000 > maxRetryAfterMs) {
      return Effect.andThen(logged, Effect.flatMap(Exchange.failure(operation, answer), ending))
    }
    return logged.pipe(
      Effect.andThen(Effect.logDebug(`${operation}: 429, waiting for the server's rate`)),
      Effect.andThen(Effect.suspend(() => paced(operation, request, deadline)))
    )
  }

  /** Says, at debug level, the pace the governor set after a refusal: why a bulk write runs at the rate it does. */
  const paceChanged = (status: number, retryAfter: number | undefined, pace: number) =>
    Effect.logDebug(
      `rate limited by the server (${status}${
        retryAfter === undefined ? "" : `, Retry-After ${retryAfter} s`
      }): this client now sends at most ${Math.round(pace)} requests/s`
    )

  /** Says, at debug level, the rate the server announced, which this client now paces to. */
  const announcedPace = (limit: RateLimitHeaders.Announced) =>
    Effect.logDebug(
      `the server announces its rate limit (${
        Math.round(limit.perSecond)
      } requests/s): this client paces to it, sharing it with any other client`
    )

  /** Ends the call: it would have to wait `ms` for its turn, longer than it may. */
  const cannotWait = (operation: string, ms: number) =>
    ending(
      new GradebookError.RateLimitError({
        operation,
        retryAfter: Math.ceil(ms / 1000),
        description: `the server asked this client to wait ${
          Math.ceil(ms / 1000)
        } s before its next request, longer than this call may wait (maxRetryAfter, deadline)`
      })
    )

  /** The common case, a client never refused and without ceilings: one exchange, its success noted. */
  const unpaced = (
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
    deadline: number
  ): Effect.Effect<Exchange.Answer, GradebookError.GradebookError> =>
    Effect.flatMap(
      Effect.flatMap(tokens.get, (token) => authorized(request, token)),
      (answer) => answered(operation, request, answer, Governor.UNPACED, deadline)
    )

  /**
   * Before the layer's first answer: only its first request goes out, and the others wait for that
   * answer (briefly), which may announce the server's limit or refuse; then they go paced if it did.
   */
  const opening = (
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
    deadline: number
  ): Effect.Effect<Exchange.Answer, GradebookError.GradebookError> =>
    Effect.andThen(
      tokens.get,
      Effect.andThen(
        governor.first,
        Effect.suspend(() =>
          governor.quiet() ? unpaced(operation, request, deadline) : paced(operation, request, deadline)
        )
      )
    )

  return (operation, request) =>
    Effect.suspend(() => {
      const deadline = Date.now() + deadlineMs
      // a request sent unpaced (while quiet): a refusal of it is always a congestion event
      return !governor.quiet()
        ? paced(operation, request, deadline)
        : governor.firstAnswered()
        ? unpaced(operation, request, deadline)
        : opening(operation, request, deadline)
    })
}
