/**
 * Where and how to reach Timeback: credentials, environment URLs, and the knobs of the reliability
 * contract (attempts, timeouts, backoff, token refresh window).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as UserAgent from "./internal/userAgent.js"

/**
 * Built-in environments.
 *
 * @since 0.1.0
 * @category constants
 */
export const environments = {
  production: {
    baseUrl: "https://api.alpha-1edtech.ai",
    tokenUrl: "https://prod-beyond-timeback-api-2-idp.auth.us-east-1.amazoncognito.com/oauth2/token"
  },
  staging: {
    baseUrl: "https://api.staging.alpha-1edtech.ai",
    tokenUrl: "https://staging-beyond-timeback-api-2-idp.auth.us-east-1.amazoncognito.com/oauth2/token"
  }
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type Environment = keyof typeof environments

/**
 * OAuth2 scopes Timeback knows for the gradebook.
 *
 * @since 0.1.0
 * @category constants
 */
export const scopes = {
  readonly: "https://purl.imsglobal.org/spec/or/v1p1/scope/gradebook.readonly",
  createput: "https://purl.imsglobal.org/spec/or/v1p1/scope/gradebook.createput",
  delete: "https://purl.imsglobal.org/spec/or/v1p1/scope/gradebook.delete"
} as const

/**
 * Tunables with their defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tuning {
  /** Attempts per operation, first included. Default 3. */
  readonly maxAttempts: number
  /** No retry starts after this much time since the first attempt. Default 30 s. */
  readonly deadline: Duration.Duration
  /** Timeout of one attempt, headers and body. Default 10 s. */
  readonly attemptTimeout: Duration.Duration
  /** Timeout of one token request. Default 10 s. */
  readonly tokenTimeout: Duration.Duration
  /** First backoff delay; doubles per retry, with ±20 % jitter. Default 250 ms. */
  readonly baseDelay: Duration.Duration
  /** Cap on any one backoff delay. Default 5 s. */
  readonly maxDelay: Duration.Duration
  /**
   * The longest wait a `Retry-After` may impose. A longer one fails the call that got it at once
   * (`RateLimitError` or `ServerError` with `retryAfter` set), and the client pauses for this long at
   * most, not for what the server asked. Default 20 s.
   */
  readonly maxRetryAfter: Duration.Duration
  /** Refresh a token this long before it expires (at most half its lifetime). Default 5 min. */
  readonly refreshWindow: Duration.Duration
  /**
   * The adaptive rate governor (default `true`): learns the server's limit from its 429s, pauses the
   * whole client for a `Retry-After`, and a 429 is a wait, not a failed attempt. `false`: a 429 is a
   * failed attempt like a 503, retried under the policy.
   */
  readonly rateLimit: boolean
  /** A fixed ceiling on requests per second (token requests excluded), for a known quota. Default none. */
  readonly maxRequestsPerSecond: number | undefined
  /** A fixed ceiling on requests in flight (token requests excluded). Default none. */
  readonly maxConcurrency: number | undefined
}

/**
 * The resolved configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimebackConfigShape extends Tuning {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** API origin, without the gradebook base path, e.g. `https://api.alpha-1edtech.ai`. */
  readonly baseUrl: string
  /** Full token URL. */
  readonly tokenUrl: string
  /** `form` (client id and secret in the body, Timeback's own clients) or `basic` (HTTP Basic). */
  readonly clientAuthentication: "form" | "basic"
  readonly scopes: ReadonlyArray<string>
  /** The `User-Agent` header of every request, e.g. `grade-sync/2.1 timeback-http/0.1.0 node/20.20.2`. */
  readonly userAgent: string
}

/**
 * @since 0.1.0
 * @category tags
 */
export class TimebackConfig
  extends Context.Tag("@timeback/http/TimebackConfig")<TimebackConfig, TimebackConfigShape>()
{}

/**
 * Programmatic options. `environment` picks the built-in URLs (default `staging`); `baseUrl` and
 * `tokenUrl` override them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Partial<Omit<Tuning, keyof Durations>>, Partial<Durations> {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly environment?: Environment
  readonly baseUrl?: string
  readonly tokenUrl?: string
  readonly clientAuthentication?: "form" | "basic"
  readonly scopes?: ReadonlyArray<string>
  /**
   * Your application's product token(s), put before the SDK's in the `User-Agent` of every request
   * (e.g. `grade-sync/2.1`), so the server's logs and Timeback's support can tell who called.
   */
  readonly userAgent?: string
}

type Durations = {
  readonly [K in keyof Tuning as Tuning[K] extends Duration.Duration ? K : never]: Duration.DurationInput
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/**
 * Checks that a URL is absolute and uses https (plain http only for loopback hosts), and returns
 * it without a trailing slash.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateUrl = (value: string): Either.Either<string, string> => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return Either.left(`Expected an absolute URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    return Either.right(value.replace(/\/+$/, ""))
  }
  return Either.left(
    url.protocol === "http:"
      ? `Refusing plain http for ${url.host}: credentials go over https only (http is allowed for loopback hosts)`
      : `Expected an https URL, got ${JSON.stringify(value)}`
  )
}

const invalid = (name: string, message: string) => ConfigError.InvalidData([name], message)

const positive = (name: string, d: Duration.DurationInput) => {
  const decoded = Duration.decodeUnknown(d)
  return Option.isSome(decoded) && Duration.greaterThan(decoded.value, Duration.zero)
    ? Either.right(decoded.value)
    : Either.left(invalid(name, `Expected a positive duration, got ${JSON.stringify(String(d))}`))
}

/**
 * Resolves and validates options: every failure is a `ConfigError` naming the option.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<TimebackConfigShape, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const environment = options.environment ?? "staging"
    if (!(environment in environments)) {
      return yield* Effect.fail(
        invalid("environment", `Expected production or staging, got ${JSON.stringify(environment)}`)
      )
    }
    const url = (name: "baseUrl" | "tokenUrl") =>
      Either.mapLeft(validateUrl(options[name] ?? environments[environment][name]), (m) => invalid(name, m))
    if (options.clientId.trim().length === 0) return yield* Effect.fail(invalid("clientId", "Expected a client id"))
    if (Redacted.value(options.clientSecret).length === 0) {
      return yield* Effect.fail(invalid("clientSecret", "Expected a client secret"))
    }
    const maxAttempts = options.maxAttempts ?? 3
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      return yield* Effect.fail(invalid("maxAttempts", `Expected a whole number ≥ 1, got ${maxAttempts}`))
    }
    const { maxConcurrency, maxRequestsPerSecond } = options
    if (maxConcurrency !== undefined && (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)) {
      return yield* Effect.fail(invalid("maxConcurrency", `Expected a whole number ≥ 1, got ${maxConcurrency}`))
    }
    if (
      maxRequestsPerSecond !== undefined &&
      (typeof maxRequestsPerSecond !== "number" || !(maxRequestsPerSecond > 0) ||
        !Number.isFinite(maxRequestsPerSecond))
    ) {
      return yield* Effect.fail(
        invalid("maxRequestsPerSecond", `Expected a positive number, got ${maxRequestsPerSecond}`)
      )
    }
    if (options.userAgent !== undefined && !UserAgent.PRODUCT_TOKENS.test(options.userAgent)) {
      return yield* Effect.fail(
        invalid(
          "userAgent",
          `Expected product tokens such as "grade-sync/2.1" (letters, digits, -._ and one / each), got ${
            JSON.stringify(options.userAgent)
          }`
        )
      )
    }
    return {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      baseUrl: yield* url("baseUrl"),
      tokenUrl: yield* url("tokenUrl"),
      clientAuthentication: options.clientAuthentication ?? "form",
      scopes: options.scopes ?? [],
      userAgent: UserAgent.make(options.userAgent),
      maxAttempts,
      deadline: yield* positive("deadline", options.deadline ?? "30 seconds"),
      attemptTimeout: yield* positive("attemptTimeout", options.attemptTimeout ?? "10 seconds"),
      tokenTimeout: yield* positive("tokenTimeout", options.tokenTimeout ?? "10 seconds"),
      baseDelay: yield* positive("baseDelay", options.baseDelay ?? "250 millis"),
      maxDelay: yield* positive("maxDelay", options.maxDelay ?? "5 seconds"),
      maxRetryAfter: yield* positive("maxRetryAfter", options.maxRetryAfter ?? "20 seconds"),
      refreshWindow: yield* positive("refreshWindow", options.refreshWindow ?? "5 minutes"),
      rateLimit: options.rateLimit ?? true,
      maxRequestsPerSecond,
      maxConcurrency
    }
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TimebackConfig, ConfigError.ConfigError> =>
  Layer.effect(TimebackConfig, make(options))

const urlConfig = (name: string) =>
  Config.option(
    // the path is relative: Config prefixes the variable's name
    Config.string(name).pipe(
      Config.mapOrFail((s) => Either.mapLeft(validateUrl(s), (m) => ConfigError.InvalidData([], m)))
    )
  )

/**
 * Reads the environment: `TIMEBACK_CLIENT_ID`, `TIMEBACK_CLIENT_SECRET` (redacted),
 * `TIMEBACK_ENVIRONMENT` (`production` | `staging`, default `staging`), `TIMEBACK_BASE_URL`,
 * `TIMEBACK_TOKEN_URL`. Anything else comes from `overrides`. A missing or malformed variable fails
 * with a `ConfigError` naming it.
 *
 * @since 0.1.0
 * @category configs
 */
export const config = (
  overrides: Omit<Partial<Options>, "clientId" | "clientSecret" | "environment" | "baseUrl" | "tokenUrl"> = {}
): Config.Config<Options> =>
  Config.all({
    clientId: Config.nonEmptyString("TIMEBACK_CLIENT_ID"),
    // read as a string and redacted after: `Config.redacted` redacts its own error messages too
    // ("Missing data at TIMEBACK_CLIENT_SECRET: <redacted>"); these never contain the value
    clientSecret: Config.nonEmptyString("TIMEBACK_CLIENT_SECRET").pipe(Config.map(Redacted.make)),
    environment: Config.literal("production", "staging")("TIMEBACK_ENVIRONMENT").pipe(Config.withDefault("staging")),
    baseUrl: urlConfig("TIMEBACK_BASE_URL"),
    tokenUrl: urlConfig("TIMEBACK_TOKEN_URL")
  }).pipe(
    Config.map(({ baseUrl, tokenUrl, ...rest }): Options => ({
      ...overrides,
      ...rest,
      ...Option.match(baseUrl, { onNone: () => ({}), onSome: (baseUrl) => ({ baseUrl }) }),
      ...Option.match(tokenUrl, { onNone: () => ({}), onSome: (tokenUrl) => ({ tokenUrl }) })
    }))
  )

/**
 * The configuration from the environment (see `config`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Parameters<typeof config>[0]
): Layer.Layer<TimebackConfig, ConfigError.ConfigError> =>
  Layer.effect(TimebackConfig, Effect.flatMap(config(overrides), make))
