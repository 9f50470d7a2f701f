/**
 * OAuth2 client-credentials access tokens: fetched once, cached, refreshed ahead of expiry, with
 * one request in flight however many callers wait.
 *
 * @since 0.1.0
 */
import { GradebookError, Resource } from "@timeback/core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Exchange from "./internal/exchange.js"
import * as UserAgent from "./internal/userAgent.js"
import { TimebackConfig } from "./TimebackConfig.js"

/**
 * Why no token could be had. `AuthError`: the endpoint refused the credentials (any 4xx but 408
 * and 429) or answered a token that cannot be used. The others are transient, like any other
 * exchange's, and retried by the operation's policy: `NoResponseError` (no answer, a timeout, a 408),
 * `RateLimitError` (429) and `ServerError` (5xx). All carry `operation: "token"`.
 *
 * @since 0.2.0
 * @category models
 */
export type TokenError =
  | GradebookError.AuthError
  | GradebookError.NoResponseError
  | GradebookError.RateLimitError
  | GradebookError.ServerError

/**
 * @since 0.1.0
 * @category models
 */
export interface TokenProviderService {
  /** A valid access token: the cached one, or a fresh one (a single request shared by all callers). */
  readonly get: Effect.Effect<Redacted.Redacted<string>, TokenError>
  /** Drops `token` from the cache if it is still the cached one (after the API rejected it). */
  readonly invalidate: (token: Redacted.Redacted<string>) => Effect.Effect<void>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class TokenProvider
  extends Context.Service<TokenProvider, TokenProviderService>()("@timeback/http/TokenProvider")
{}

/**
 * The token endpoint's answer, validated: a non-empty token, type Bearer, a positive lifetime.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenResponse = Schema.Struct({
  access_token: Schema.NonEmptyString,
  token_type: Schema.String.check(
    Schema.makeFilter((t: string) => t.toLowerCase() === "bearer" || "Expected token_type Bearer")
  ),
  expires_in: Schema.Union([Schema.Number, Schema.NumberFromString]).check(
    Schema.isFinite(),
    Schema.isGreaterThan(0)
  )
})

const decodeToken = Resource.decodeResponse(TokenResponse)

interface Cached {
  readonly token: Redacted.Redacted<string>
  readonly refreshAt: number
  readonly expiresAt: number
}

const oauthFields = (text: string): { readonly error?: string; readonly description?: string } => {
  try {
    const json: unknown = JSON.parse(text)
    if (!Predicate.isObject(json)) return {}
    return {
      ...(typeof json.error === "string" && { error: json.error }),
      ...(typeof json.error_description === "string" && { description: json.error_description })
    }
  } catch {
    return {}
  }
}

/**
 * Builds the provider. Background refreshes run in the current scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<TokenProviderService, never, TimebackConfig | HttpClient.HttpClient | Scope.Scope> =
  Effect.gen(function*() {
    const config = yield* TimebackConfig
    const send = Exchange.sender(yield* HttpClient.HttpClient)
    const scope = yield* Effect.scope
    const operation = "token"

    const form: Record<string, string> = { grant_type: "client_credentials" }
    if (config.scopes.length > 0) form.scope = config.scopes.join(" ")
    // built once: every token request sends these same bytes
    const request = HttpClientRequest.post(config.tokenUrl).pipe(
      HttpClientRequest.setHeaders(UserAgent.headers(config.userAgent)),
      config.clientAuthentication === "basic"
        ? HttpClientRequest.setHeader(
          "authorization",
          `Basic ${
            btoa(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(Redacted.value(config.clientSecret))}`)
          }`
        )
        : (r) => r,
      HttpClientRequest.bodyUrlParams(
        config.clientAuthentication === "basic"
          ? form
          : { ...form, client_id: config.clientId, client_secret: Redacted.value(config.clientSecret) }
      )
    )

    const fetchToken: Effect.Effect<Cached, TokenError> = Effect.gen(function*() {
      const startedAt = yield* Clock.currentTimeMillis
      const answer = yield* send(request, config.tokenTimeout).pipe(
        Effect.mapError((e) =>
          new GradebookError.NoResponseError({
            operation,
            reason: e.reason,
            description: `token endpoint gave no answer: ${e.description}`
          })
        )
      )
      if (answer.status === 408) {
        return yield* Effect.fail(
          new GradebookError.NoResponseError({
            operation,
            reason: "Timeout",
            status: 408,
            description: "token endpoint answered HTTP 408 (request timeout)",
            ...(answer.requestId && { requestId: answer.requestId })
          })
        )
      }
      if (answer.status === 429 || answer.status >= 500) {
        // transient, like any other exchange's: the operation's retry policy decides
        return yield* Effect.flip(
          Exchange.failure(operation, answer) as Effect.Effect<
            GradebookError.RateLimitError | GradebookError.ServerError
          >
        )
      }
      if (answer.status < 200 || answer.status >= 300) {
        const oauth = oauthFields(answer.text)
        return yield* Effect.fail(
          new GradebookError.AuthError({
            operation,
            status: answer.status,
            description: Exchange.redirected(answer, "the token endpoint") ?? oauth.description ??
              `token endpoint answered HTTP ${answer.status}`,
            ...(oauth.error && { oauthError: oauth.error }),
            ...(answer.requestId && { requestId: answer.requestId })
          })
        )
      }
      const body = yield* decodeToken(answer.text).pipe(
        Effect.mapError((e) =>
          new GradebookError.AuthError({
            operation,
            status: answer.status,
            // name the offending fields only: the values may include the token
            description: `token endpoint answered an unusable token response (check ${
              [...new Set(GradebookError.formatIssues(e).map((i) => i.path || "body"))]
                .join(", ")
            })`
          })
        )
      )
      const lifetime = body.expires_in * 1000
      const window = Math.min(Duration.toMillis(config.refreshWindow), lifetime / 2)
      return {
        token: Redacted.make(body.access_token),
        refreshAt: startedAt + lifetime - window,
        expiresAt: startedAt + lifetime
      }
    })

    let current: Cached | undefined
    let inflight: Deferred.Deferred<Cached, TokenError> | undefined

    /** The refresh in flight, or a new one. Synchronous check-and-set: no two refreshes start. */
    const refresh = Effect.suspend(() => {
      if (inflight) return Effect.succeed(inflight)
      const deferred = Deferred.makeUnsafe<Cached, TokenError>()
      inflight = deferred
      return fetchToken.pipe(
        Effect.tap((cached) => Effect.sync(() => (current = cached))),
        Effect.exit,
        Effect.flatMap((exit) =>
          Effect.andThen(Effect.sync(() => (inflight = undefined)), Deferred.done(deferred, exit))
        ),
        Effect.forkIn(scope),
        Effect.as(deferred)
      )
    })

    // the cached token in one step (this runs on every request)
    const get = Effect.withFiber((fiber) => {
      const now = fiber.getRef(Clock.Clock).currentTimeMillisUnsafe()
      const cached = current
      if (cached && now < cached.refreshAt) return Effect.succeed(cached.token)
      if (cached && now < cached.expiresAt) return Effect.as(refresh, cached.token)
      return refresh.pipe(Effect.flatMap(Deferred.await), Effect.map((c) => c.token))
    })

    return {
      get,
      invalidate: (token) =>
        Effect.sync(() => {
          if (current?.token === token) current = undefined
        })
    }
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<TokenProvider, never, TimebackConfig | HttpClient.HttpClient> = Layer.effect(
  TokenProvider,
  make
)
