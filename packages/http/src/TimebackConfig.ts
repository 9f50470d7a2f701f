/**
 * Where and how to reach Timeback: credentials, environment URLs, and the knobs of the reliability
 * contract (attempts, timeouts, backoff, token refresh window).
 *
 * @since 0.1.0
 */
import { GradebookError } from "@timeback/core"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
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
  extends Context.Service<TimebackConfig, TimebackConfigShape>()("@timeback/http/TimebackConfig")
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
  readonly [K in keyof Tuning as Tuning[K] extends Duration.Duration ? K : never]: Duration.Input
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/**
 * Checks that a URL is absolute and uses https (plain http only for loopback hosts), and returns
 * it without a trailing slash.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateUrl = (value: string): Result.Result<string, string> => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return Result.fail(`Expected an absolute URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    return Result.succeed(value.replace(/\/+$/, ""))
  }
  return Result.fail(
    url.protocol === "http:"
      ? `Refusing plain http for ${url.host}: credentials go over https only (http is allowed for loopback hosts)`
      : `Expected an https URL, got ${JSON.stringify(value)}`
  )
}

const issue = (name: string, message: string | undefined) =>
  new SchemaIssue.Pointer(
    [name],
    message === undefined ? new SchemaIssue.MissingKey(undefined) : new SchemaIssue.InvalidValue({ message })
  )

/** A configuration error: each named option or variable, with what is wrong with it (or, without a message, that it is not set). */
const configError = (problems: ReadonlyArray<readonly [name: string, message: string | undefined]>) => {
  const issues = problems.map(([name, message]) => issue(name, message))
  return new Config.ConfigError(
    new Schema.SchemaError(
      issues.length === 1
        ? issues[0]!
        : new SchemaIssue.Composite(Schema.Unknown.ast, issues as [SchemaIssue.Issue, ...Array<SchemaIssue.Issue>])
    )
  )
}

const invalid = (name: string, message: string) => configError([[name, message]])

/**
 * What a configuration error says, one problem per option or variable it names: `name` (an
 * option, `clientSecret`, or a variable, `TIMEBACK_CLIENT_SECRET`) and `problem` (`is not set`, or
 * what is wrong with its value). A value is never repeated (a malformed secret is still a secret).
 *
 * @since 0.5.0
 * @category errors
 */
export const problems = (
  error: Config.ConfigError
): ReadonlyArray<{ readonly name: string; readonly problem: string }> =>
  Schema.isSchemaError(error.cause)
    ? GradebookError.formatIssues(error.cause).map(({ message, path }) => ({
      name: path,
      problem: message === "is missing" ? "is not set" : message
    }))
    : [{ name: "", problem: error.cause.message }]

/**
 * A configuration error as one line: `TIMEBACK_CLIENT_SECRET is not set; TIMEBACK_BASE_URL: Expected
 * an https URL, got "ftp://x"`.
 *
 * @since 0.5.0
 * @category errors
 */
export const describe = (error: Config.ConfigError): string =>
  problems(error).map(({ name, problem }) =>
    name === "" ? problem : problem === "is not set" ? `${name} is not set` : `${name}: ${problem}`
  ).join("; ")

const positive = (name: string, d: Duration.Input) => {
  const decoded = Duration.fromInput(d)
  return Option.isSome(decoded) && Duration.isGreaterThan(decoded.value, Duration.zero)
    ? Effect.succeed(decoded.value)
    : Effect.fail(invalid(name, `Expected a positive duration, got ${JSON.stringify(String(d))}`))
}

/** Every option `make` takes: a record over `keyof Options`, so an option added there must be added here. */
const OPTION_KEYS: Readonly<Record<keyof Options, true>> = {
  clientId: true,
  clientSecret: true,
  environment: true,
  baseUrl: true,
  tokenUrl: true,
  clientAuthentication: true,
  scopes: true,
  userAgent: true,
  maxAttempts: true,
  deadline: true,
  attemptTimeout: true,
  tokenTimeout: true,
  baseDelay: true,
  maxDelay: true,
  maxRetryAfter: true,
  refreshWindow: true,
  rateLimit: true,
  maxRequestsPerSecond: true,
  maxConcurrency: true
}
const OPTIONS = Object.keys(OPTION_KEYS)

/** Edits (insertions, deletions, substitutions, adjacent swaps) between two short words. */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
      }
    }
  }
  return d[a.length]![b.length]!
}

/**
 * Keys that are not options (a typo in plain JavaScript, where no type catches it: `basUrl` would
 * otherwise be ignored and the calls go to the default environment), each with the option it was
 * most likely meant to be.
 */
const unknownOptions = (options: object, known: ReadonlyArray<string>): ReadonlyArray<readonly [string, string]> =>
  Object.keys(options).filter((key) => !known.includes(key)).map((key) => {
    const closest = known.map((o) => [o, distance(key.toLowerCase(), o.toLowerCase())] as const)
      .sort((x, y) => x[1] - y[1])[0]!
    return [
      key,
      closest[1] <= Math.max(2, Math.floor(key.length / 4))
        ? `not an option; did you mean ${closest[0]}?`
        : `not an option (options: ${known.join(", ")})`
    ] as const
  })

/**
 * Resolves and validates options: every failure is a `ConfigError` naming the option.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options,
  /** Keys a wrapper takes beside these options (ignored here, but not refused as unknown). */
  alsoAccepted: ReadonlyArray<string> = []
): Effect.Effect<TimebackConfigShape, Config.ConfigError> =>
  Effect.gen(function*() {
    const unknown = unknownOptions(options, alsoAccepted.length === 0 ? OPTIONS : [...OPTIONS, ...alsoAccepted])
    if (unknown.length > 0) return yield* Effect.fail(configError(unknown))
    const environment = options.environment ?? "staging"
    if (!(environment in environments)) {
      return yield* Effect.fail(
        invalid("environment", `Expected production or staging, got ${JSON.stringify(environment)}`)
      )
    }
    const url = (name: "baseUrl" | "tokenUrl") =>
      Effect.fromResult(
        Result.mapError(validateUrl(options[name] ?? environments[environment][name]), (m) => invalid(name, m))
      )
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
export const layer = (options: Options): Layer.Layer<TimebackConfig, Config.ConfigError> =>
  Layer.effect(TimebackConfig, make(options))

const VARIABLES = {
  clientId: "TIMEBACK_CLIENT_ID",
  clientSecret: "TIMEBACK_CLIENT_SECRET",
  environment: "TIMEBACK_ENVIRONMENT",
  baseUrl: "TIMEBACK_BASE_URL",
  tokenUrl: "TIMEBACK_TOKEN_URL"
} as const

/**
 * Reads the environment: `TIMEBACK_CLIENT_ID`, `TIMEBACK_CLIENT_SECRET` (redacted),
 * `TIMEBACK_ENVIRONMENT` (`production` | `staging`, default `staging`), `TIMEBACK_BASE_URL`,
 * `TIMEBACK_TOKEN_URL`. Anything else comes from `overrides`. Every missing or malformed variable
 * fails, in one `ConfigError` naming each (see `describe`).
 *
 * @since 0.1.0
 * @category configs
 */
export const config = (
  overrides: Omit<Partial<Options>, "clientId" | "clientSecret" | "environment" | "baseUrl" | "tokenUrl"> = {}
): Config.Config<Options> =>
  Config.all({
    clientId: Config.option(Config.String(VARIABLES.clientId)),
    clientSecret: Config.option(Config.String(VARIABLES.clientSecret)),
    environment: Config.option(Config.String(VARIABLES.environment)),
    baseUrl: Config.option(Config.String(VARIABLES.baseUrl)),
    tokenUrl: Config.option(Config.String(VARIABLES.tokenUrl))
  }).pipe(
    Config.mapEffect((read) => {
      const found: Array<readonly [string, string | undefined]> = []
      const required = (key: "clientId" | "clientSecret") => {
        const value = Option.getOrUndefined(read[key])
        if (value === undefined) found.push([VARIABLES[key], undefined])
        // never echo the value: a malformed secret is still a secret
        else if (value.trim().length === 0) found.push([VARIABLES[key], "Expected a non-empty string"])
        return value ?? ""
      }
      const clientId = required("clientId")
      const clientSecret = required("clientSecret")
      const environment = Option.getOrElse(read.environment, () => "staging")
      if (environment !== "production" && environment !== "staging") {
        found.push([VARIABLES.environment, `Expected "production" or "staging", got ${JSON.stringify(environment)}`])
      }
      const url = (key: "baseUrl" | "tokenUrl") =>
        Option.match(read[key], {
          onNone: () => ({}),
          onSome: (value) => {
            const valid = validateUrl(value)
            if (Result.isFailure(valid)) found.push([VARIABLES[key], valid.failure])
            return Result.isSuccess(valid) ? { [key]: valid.success } : {}
          }
        })
      const urls = { ...url("baseUrl"), ...url("tokenUrl") }
      if (found.length > 0) return Effect.fail(configError(found))
      return Effect.succeed<Options>({
        ...overrides,
        clientId,
        clientSecret: Redacted.make(clientSecret),
        environment: environment as Environment,
        ...urls
      })
    })
  )

/**
 * The configuration from the environment (see `config`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Parameters<typeof config>[0]
): Layer.Layer<TimebackConfig, Config.ConfigError> =>
  Layer.effect(TimebackConfig, Effect.flatMap(config(overrides), make))
