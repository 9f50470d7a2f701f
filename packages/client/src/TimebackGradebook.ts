/**
 * `TimebackGradebook`: the Timeback Gradebook for code that does not use Effect. Every operation is
 * an `async` method over the same layers the Effect SDK uses (one `ManagedRuntime` per instance):
 * the same retries, token cache, rate governor and idempotent creates, and rejections with the same
 * error classes (`instanceof GradebookError.RequestError`), never a `FiberFailure`.
 *
 * @since 0.1.0
 */
import { HttpGradebook, TimebackConfig } from "@timeback/http"
import type * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type { Runtime } from "./internal/run.js"
import * as Transport from "./internal/transport.js"
import * as Resources from "./Resources.js"

/**
 * How the client sends its requests. By default over its own undici `Agent` (closed by `close()`).
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportOptions {
  /**
   * An undici `Dispatcher` to send through instead: a `ProxyAgent` for a proxy, an `Agent` with
   * TLS or socket options, a `MockAgent`. It is yours: `close()` leaves it open.
   *
   * ```ts
   * import { ProxyAgent } from "undici"
   * new TimebackGradebook({ ...options, dispatcher: new ProxyAgent("http://proxy.internal:3128") })
   * ```
   */
  readonly dispatcher?: Transport.Options["dispatcher"]
  /** A `fetch` to send through instead (instrumented, or another runtime's); slower than the default on Node. */
  readonly fetch?: typeof globalThis.fetch | undefined
}

/**
 * What `new TimebackGradebook(...)` takes: `TimebackConfig.Options`, with the secret as a plain
 * string if you like (it is wrapped in `Redacted` at once and never printed), and the transport.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Omit<TimebackConfig.Options, "clientSecret">, TransportOptions {
  readonly clientSecret: string | Redacted.Redacted<string>
}

const TRANSPORT_OPTIONS = ["dispatcher", "fetch"] as const

/**
 * Options the environment does not set (see `TimebackGradebook.fromEnv`).
 *
 * @since 0.1.0
 * @category models
 */
export type EnvOptions = Parameters<typeof TimebackConfig.config>[0] & TransportOptions

/**
 * A configuration that cannot work, thrown by the constructor and `fromEnv` before anything is
 * sent. `message` names the option or variable (`TIMEBACK_CLIENT_SECRET`, `userAgent` …).
 *
 * @since 0.1.0
 * @category errors
 */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError"
}

/** Runs a configuration step; a failure throws a `ConfigurationError` worded as the CLI words it, with `advice`. */
const configured = <A>(effect: Effect.Effect<A, Config.ConfigError>, advice = ""): A =>
  Result.getOrThrowWith(
    Effect.runSync(Effect.result(effect)),
    (e) => new ConfigurationError(`Timeback configuration: ${TimebackConfig.describe(e)}${advice}`)
  )

const FROM_ENV_ADVICE = " (set the TIMEBACK_* variables in the environment, or pass the options to " +
  "new TimebackGradebook({ clientId, clientSecret, … }))"

/** The live layers, after checking every option (a bad one throws here, naming it, not at the first call). */
const live = (options: Options): Runtime => {
  const { clientSecret, dispatcher, fetch, ...rest } = options
  const config: TimebackConfig.Options = {
    ...rest,
    clientSecret: Redacted.isRedacted(clientSecret) ? clientSecret : Redacted.make(clientSecret)
  }
  configured(TimebackConfig.make({ ...options, ...config }, TRANSPORT_OPTIONS))
  if (dispatcher !== undefined && fetch !== undefined) {
    throw new ConfigurationError("Timeback configuration: dispatcher and fetch: give one of them, not both")
  }
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new ConfigurationError(`Timeback configuration: fetch: Expected a function, got ${typeof fetch}`)
  }
  if (dispatcher !== undefined && typeof (dispatcher as { request?: unknown }).request !== "function") {
    throw new ConfigurationError(
      "Timeback configuration: dispatcher: Expected an undici Dispatcher (an Agent, a ProxyAgent …)"
    )
  }
  return ManagedRuntime.make(
    HttpGradebook.layer(config).pipe(Layer.provide(Transport.layer({ dispatcher, fetch })), Layer.orDie)
  )
}

// the runtime `withRuntime` hands its instance (the constructor's public signature takes options only)
let given: Runtime | undefined

/** A client over `runtime` instead of the live layers (the test doubles of `@timeback/client/testing`). */
export const withRuntime = (runtime: Runtime): TimebackGradebook => {
  given = runtime
  try {
    return new TimebackGradebook({ clientId: "given", clientSecret: "given" })
  } finally {
    given = undefined
  }
}

/**
 * @since 0.1.0
 * @category constructors
 */
export class TimebackGradebook implements Resources.Resources, AsyncDisposable {
  /** Reads `TIMEBACK_CLIENT_ID`, `TIMEBACK_CLIENT_SECRET`, `TIMEBACK_ENVIRONMENT`, `TIMEBACK_BASE_URL`, `TIMEBACK_TOKEN_URL`. */
  static fromEnv(options?: EnvOptions): TimebackGradebook {
    const { dispatcher, fetch, ...rest } = options ?? {}
    const config = configured(TimebackConfig.config(rest), FROM_ENV_ADVICE)
    return new TimebackGradebook({
      ...config,
      ...(dispatcher !== undefined && { dispatcher }),
      ...(fetch !== undefined && { fetch })
    })
  }

  readonly #runtime: Runtime
  readonly categories: Resources.Resources["categories"]
  readonly scoreScales: Resources.Resources["scoreScales"]
  readonly lineItems: Resources.Resources["lineItems"]
  readonly results: Resources.Resources["results"]
  readonly assessmentLineItems: Resources.Resources["assessmentLineItems"]
  readonly assessmentResults: Resources.Resources["assessmentResults"]
  readonly classes: Resources.Resources["classes"]
  readonly schools: Resources.Resources["schools"]

  constructor(options: Options) {
    this.#runtime = given ?? live(options)
    const resources = Resources.make(this.#runtime)
    this.categories = resources.categories
    this.scoreScales = resources.scoreScales
    this.lineItems = resources.lineItems
    this.results = resources.results
    this.assessmentLineItems = resources.assessmentLineItems
    this.assessmentResults = resources.assessmentResults
    this.classes = resources.classes
    this.schools = resources.schools
  }

  /** Ends background work (token refresh) and closes connections. Calls after it reject. */
  close(): Promise<void> {
    return this.#runtime.dispose()
  }

  /** `await using gradebook = TimebackGradebook.fromEnv()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
