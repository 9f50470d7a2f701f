/**
 * Where a command sends: the API named by the `TIMEBACK_*` variables (from the environment, then
 * an `--env-file`), or with `--demo` a fake Timeback server started in this process.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Gradebook, GradebookError } from "@timeback/core"
import { HttpGradebook, TimebackConfig } from "@timeback/http"
import type * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"

import * as Demo from "./demo.js"
import { Fatal } from "./fatal.js"
import { VERSION } from "./version.js"

export { Fatal }

/** Where to send, read from the configuration (nothing sent yet). */
export interface Target {
  readonly config: TimebackConfig.Options
  /** What the journal of an import is kept for: the API and the client id. */
  readonly target: string
  readonly demo: boolean
}

export interface Options {
  readonly demo: boolean
  readonly envFile: Option.Option<string>
  /** With `demo`: the demo server holds the sample's rows (for the commands that read). */
  readonly seeded?: boolean
}

/** A configuration error as one line naming each variable, with what to do. */
export const describeConfigError = (error: Config.ConfigError): string =>
  `${TimebackConfig.describe(error)} (set it in the environment or in a file passed with --env-file; ` +
  `--demo runs against a local fake server)`

/**
 * A command line runs batch jobs that a person waits for, not a request a user waits on: more
 * patience with a failing server than the SDK's defaults (3 attempts, 30 s).
 */
export const TUNING = {
  maxAttempts: 6,
  deadline: "2 minutes",
  // the server's logs say which tool and version wrote a grade
  userAgent: `timeback-gradebook/${VERSION}`
} as const

const fromEnvironment = (options: Options) =>
  Effect.gen(function*() {
    let provider = ConfigProvider.fromEnv()
    if (Option.isSome(options.envFile)) {
      const path = options.envFile.value
      const file = yield* ConfigProvider.fromDotEnv({ path }).pipe(
        Effect.mapError((e) => new Fatal({ message: `cannot read --env-file ${path}: ${e.message}` }))
      )
      // the environment wins over the file, as Node's --env-file and dotenv have it
      provider = provider.pipe(ConfigProvider.orElse(file))
    }
    const config = yield* TimebackConfig.config(TUNING).parse(provider).pipe(
      Effect.mapError((e) => new Fatal({ message: describeConfigError(e) }))
    )
    return { config, target: `${config.baseUrl ?? config.environment ?? "staging"} ${config.clientId}` }
  })

/** Reads the configuration (with `--demo`, starts the demo server for the rest of the scope). */
export const resolve = (options: Options): Effect.Effect<Target, Fatal, Scope.Scope | FileSystem.FileSystem> =>
  options.demo
    ? Effect.map(Demo.server(options.seeded === true), (server) => ({
      config: { ...server.connection, ...TUNING },
      target: "demo",
      demo: true
    }))
    : Effect.map(fromEnvironment(options), (resolved) => ({ ...resolved, demo: false }))

/** The Gradebook of `target`, for the rest of the scope. */
export const open = (target: Target): Effect.Effect<Gradebook.GradebookService, Fatal, Scope.Scope> =>
  Layer.build(HttpGradebook.layer(target.config).pipe(Layer.provide(NodeHttpClient.layerUndici))).pipe(
    Effect.mapError((e) => new Fatal({ message: describeConfigError(e) })),
    Effect.map((context) => Context.get(context, Gradebook.Gradebook))
  )

/** The Gradebook the options name, for the rest of the scope. */
export const connect = (
  options: Options
): Effect.Effect<Gradebook.GradebookService, Fatal, Scope.Scope | FileSystem.FileSystem> =>
  Effect.flatMap(resolve(options), open)

/**
 * How many rows in a row the API may refuse with a 401 (each after fresh tokens) before an import
 * takes it as a credentials problem and stops.
 */
export const REFUSED_IN_A_ROW = 5

/**
 * Rows in a row that got no answer at all (after every retry) before an import stops: the server or
 * the network is down, and each further row would only wait out its retries too.
 */
export const UNANSWERED_IN_A_ROW = 5

/** An import stopped because the server does not answer: what happened, and how to go on. */
export const unanswered = (error: GradebookError.NoResponseError, rows: number): Fatal =>
  new Fatal({
    message: `no answer from the server for ${rows} rows in a row (${
      error.description ?? error.message
    }): stopped, nothing more is sent. Run the same command again once it answers (rows already stored are skipped)`
  })

/**
 * An error that no row or retry can fix (the credentials, the configuration) as a `Fatal` naming
 * what to change; any other error is left as it is.
 */
export const fatal = (error: GradebookError.GradebookError): Fatal | undefined => {
  // Timeback answers a missing object with its imsx status body; a 404 without one is a route the
  // server does not have: every call would get it
  if (error._tag === "RequestError" && error.status === 404 && error.imsx === undefined) {
    return new Fatal({
      message: `${error.message} → the server has no such route, so TIMEBACK_BASE_URL is likely not the Gradebook ` +
        `API's: set it to the API's origin with no path (the tool adds ${Gradebook.BASE_PATH})`
    })
  }
  if (error._tag !== "AuthError") return undefined
  const refused = error.operation === "token"
    ? `the token endpoint refused the credentials${error.oauthError ? ` (${error.oauthError})` : ""}`
    : `the API refused the access token (HTTP ${error.status ?? 401})`
  return new Fatal({ message: `${refused}: check TIMEBACK_CLIENT_ID and TIMEBACK_CLIENT_SECRET` })
}

/** A failed call as a person reads it: its message, then what to do. */
export const explain = (error: GradebookError.GradebookError): string => `${error.message} → ${advice(error)}`

/** What a person can do about a failed call. */
const advice = (error: GradebookError.GradebookError): string => {
  switch (error._tag) {
    case "RequestError":
      switch (error.status) {
        case undefined:
          return "fix the input and run again"
        case 404:
          return "it does not exist (check the sourcedIds it names)"
        case 403:
          return "these credentials may not do this (check the client's scopes)"
        case 409:
          return "it conflicts with what is stored; read it back with `get`"
        default:
          return "the server refused the values; fix them and run again"
      }
    case "RateLimitError":
      return "the server kept refusing for its rate limit; run again later (what landed is kept)"
    case "ServerError":
    case "NoResponseError":
      return "the server or the network failed after every retry; run again (what landed is kept)"
    case "MalformedResponseError":
      return "the server's answer could not be read; report it with its request id"
    case "AuthError":
      // its message says what to check
      return "run again (what landed is kept)"
  }
}
