/**
 * A fake Timeback API on 127.0.0.1: the OAuth2 token endpoint and every gradebook endpoint (each
 * resource's routes and the scoped routes, derived from `@timeback/core`'s declarations), with the
 * real status codes and imsx error bodies, a fault script, and a record of every request. Every
 * request is first checked against Timeback's published contract (`Contract`), not against the
 * declarations, so a test against it cannot pass on what Timeback would refuse.
 *
 * Its parts: `internal/oauth` (tokens), `WireError` (imsx bodies), `internal/faults` (the fault
 * script), `internal/recorder` (the request record), `internal/contractGate` (the contract check
 * and generated answers), `internal/routes` (the gradebook routes).
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Gradebook } from "@timeback/core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpServer from "effect/http/HttpServer"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as GradebookStore from "./GradebookStore.js"
import * as ContractGate from "./internal/contractGate.js"
import * as Faults from "./internal/faults.js"
import * as OAuth from "./internal/oauth.js"
import * as RateLimit from "./internal/rateLimit.js"
import * as Recorder from "./internal/recorder.js"
import * as Routes from "./internal/routes.js"
import * as WireError from "./WireError.js"

/**
 * Base path of the gradebook endpoints (`Gradebook.BASE_PATH` of `@timeback/core`).
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_PATH: typeof Gradebook.BASE_PATH = Gradebook.BASE_PATH

/**
 * Path of the assessment results collection.
 *
 * @since 0.1.0
 * @category constants
 */
export const ASSESSMENT_RESULTS_PATH = `${BASE_PATH}/assessmentResults` as const

/**
 * What the server does to a request a fault matches (see `Fault`). `Malformed`, `Truncated` and
 * `StallBody` answer in the shape of the route they hit.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultAction = Faults.FaultAction

/**
 * A scripted fault: applies to the next `times` (default 1) requests matching `method` and `path`
 * (a string matches that path and everything below it; a RegExp is tested against the path and
 * query string, e.g. `/offset=600/` for one page of a list).
 *
 * @since 0.1.0
 * @category models
 */
export interface Fault extends Faults.Fault {}

/**
 * A request as the server saw it. `authorization` is redacted and so is a `client_secret` in a
 * form body.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest extends Recorder.RecordedRequest {}

/**
 * How lists page wrongly (see `ServerOptions.pagingFaults`).
 *
 * @since 0.4.0
 * @category models
 */
export interface PagingFaults extends Routes.PagingFaults {}

/**
 * @since 0.1.0
 * @category models
 */
export interface ServerOptions {
  /** Default `demo-client`. */
  readonly clientId?: string
  /** Default `demo-secret`. */
  readonly clientSecret?: string
  /** Default `/oauth2/token`. */
  readonly tokenPath?: string
  /** `expires_in` of issued tokens, in seconds. Default 3600. */
  readonly tokenLifetimeSeconds?: number
  /** PUT answers 201 with `{ assessmentResult }` (Timeback, default) or an empty 201 (official binding). */
  readonly putResponse?: "body" | "empty"
  /** Error bodies at the top level (default) or wrapped in `{ statusInfoSet: [...] }`. */
  readonly errorShape?: "top" | "statusInfoSet"
  /**
   * How list answers report paging: in the body (`totalCount`, `pageCount`, `pageNumber`, `offset`,
   * `limit`: Timeback, default), in `X-Total-Count` and `Link` headers (official binding), or not at all.
   */
  readonly paging?: "body" | "headers" | "none"
  /**
   * Lists that page wrongly, as servers in the wild do: `ignoreOffset` answers every page as the
   * first (a misspelt or unsupported paging parameter), `totalCountError` reports a total off by
   * that much (negative: lower than the truth), `maxPageSize` caps pages below `limit`. Default: none.
   */
  readonly pagingFaults?: PagingFaults
  /** Port on 127.0.0.1. Default 0 (any free port). */
  readonly port?: number
  /** Refuse (422) writes whose references name nothing (see `GradebookStore.StoreOptions`). Default `false`. */
  readonly strictReferences?: boolean
  /**
   * Rate-limit mode: a token bucket per client id over the gradebook endpoints (the token endpoint
   * is not limited); a request beyond it is a 429 (imsx `server_busy`) with `Retry-After` in seconds
   * or `retry-after-ms`, and with `announce: true` every answer says the limit and what is left of it
   * (`RateLimit-Policy`, `RateLimit`). E.g. `{ requestsPerSecond: 200, burst: 20 }`. Default: no limit.
   */
  readonly rateLimit?: RateLimit.Options
  /**
   * The server's clock runs this many milliseconds ahead (negative: behind) of the machine's: every
   * answer's `Date` header says so, and so does an HTTP-date `Retry-After` a test builds with
   * `serverNow()`. Default 0 (the `Date` header is then Node's own).
   */
  readonly clockOffsetMs?: number
  /**
   * Check every gradebook request against Timeback's published contract (see the `Contract` module)
   * before it reaches a route: an operation the contract does not have is a 404, a query parameter
   * it does not take or a value out of its range a 400, a body its schema refuses a 422 (imsx
   * `invaliddata`), each naming every offending place (`result.status`). Default `true`.
   */
  readonly contract?: boolean
  /**
   * Answer every gradebook request with a body generated from the contract's success schema for
   * its operation, not from the store (nothing is stored): `"odd"`, every optional field present,
   * `null` wherever allowed, unknown strings and extra keys; `"full"`, every optional field with an
   * ordinary value. Ids follow the request. For testing what a client reads. Default: off.
   */
  readonly generatedAnswers?: "odd" | "full"
}

/**
 * @since 0.1.0
 * @category models
 */
export interface FakeTimebackServerService {
  /** `http://127.0.0.1:PORT`: the API base URL. */
  readonly baseUrl: string
  /** The full token URL. */
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** All four at once, in the shape `HttpGradebook.layer` takes: `HttpGradebook.layer(server.connection)`. */
  readonly connection: {
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    readonly baseUrl: string
    readonly tokenUrl: string
  }
  /** The store behind the gradebook endpoints. */
  readonly store: GradebookStore.GradebookStore
  /** Adds a fault to the script. */
  readonly inject: (fault: Fault) => Effect.Effect<void>
  /** Removes every pending fault. */
  readonly clearFaults: Effect.Effect<void>
  /** Every request received, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** Forgets the recorded requests. */
  readonly clearRequests: Effect.Effect<void>
  /** Every access token issued so far, oldest first (for asserting that none leaks). */
  readonly issuedTokens: Effect.Effect<ReadonlyArray<string>>
  /** Invalidates every issued token: the next API call with one gets a 401. */
  readonly revokeTokens: Effect.Effect<void>
  /** Changes `expires_in` for tokens issued from now on. */
  readonly setTokenLifetime: (seconds: number) => Effect.Effect<void>
  /** How many requests the rate-limit mode refused with a 429 so far. */
  readonly rateLimited: Effect.Effect<number>
  /** How many gradebook requests were answered 401 for a missing, unknown, expired or revoked token so far. */
  readonly unauthorized: Effect.Effect<number>
  /** The server's clock (the machine's, moved by `clockOffsetMs`), in epoch milliseconds. */
  readonly serverNow: () => number
}

/**
 * @since 0.1.0
 * @category tags
 */
export class FakeTimebackServer extends Context.Service<FakeTimebackServer, FakeTimebackServerService>()(
  "@timeback/testkit/FakeTimebackServer"
) {}

/**
 * Starts the server in the current scope; it stops (dropping open connections) when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: ServerOptions = {}): Effect.Effect<FakeTimebackServerService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const clientId = options.clientId ?? "demo-client"
    const clientSecret = options.clientSecret ?? "demo-secret"
    const tokenPath = options.tokenPath ?? "/oauth2/token"
    const errorShape = options.errorShape ?? "top"
    const store = yield* GradebookStore.makeWith({ strictReferences: options.strictReferences ?? false })
    const oauth = OAuth.make({ clientId, clientSecret, tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600 })
    const faults = Faults.make()
    const recorder = Recorder.make(tokenPath)
    const routes = Routes.make(store, {
      putResponse: options.putResponse ?? "body",
      paging: options.paging ?? "body",
      pagingFaults: options.pagingFaults
    })
    const shapeOf = Routes.shapeOf(routes)
    const gradebook = Routes.router(routes, errorShape)
    const limited = options.rateLimit ? RateLimit.make(options.rateLimit) : undefined
    const contract = options.contract ?? true
    let requestCounter = 0
    const serverNow = () => Date.now() + (options.clockOffsetMs ?? 0)
    let refused = 0
    let unauthorized = 0

    const failure = (error: WireError.WireError) =>
      HttpServerResponse.jsonUnsafe(WireError.body(error, errorShape), { status: error.status })

    const bodyText = Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) => Effect.orElseSucceed(request.text, () => "")
    )
    const handle = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const path = new URL(request.url, "http://x").pathname
      if (request.method === "POST" && path === tokenPath) return yield* oauth.endpoint
      const client = path.startsWith(BASE_PATH) ? yield* oauth.authorized : undefined
      if (path.startsWith(BASE_PATH) && client === undefined) {
        unauthorized++
        return failure(WireError.make(401, "Missing, unknown or expired access token", ["Authorization"])).pipe(
          HttpServerResponse.setHeader("www-authenticate", "Bearer error=\"invalid_token\"")
        )
      }
      const verdict = client !== undefined && limited ? limited(client, yield* Clock.currentTimeMillis) : undefined
      if (verdict?.refused) {
        refused++
        return failure(WireError.make(429, "Rate limit exceeded", ["request"])).pipe(
          HttpServerResponse.setHeaders(verdict.headers)
        )
      }
      if (client !== undefined) {
        const url = new URL(request.url, "http://x")
        const below = path.slice(BASE_PATH.length)
        const text = request.method === "GET" || request.method === "DELETE" ? "" : yield* bodyText
        const refused = contract ? ContractGate.check(request.method, below, url.searchParams, text) : undefined
        if (refused) return failure(refused)
        const made = options.generatedAnswers &&
          ContractGate.generated(options.generatedAnswers, request.method, below, url.searchParams, text)
        if (made) {
          return made.body === undefined
            ? HttpServerResponse.empty({ status: made.status })
            : HttpServerResponse.jsonUnsafe(made.body, { status: made.status })
        }
      }
      const response = (yield* gradebook) ??
        (path.startsWith(BASE_PATH)
          ? failure(WireError.make(404, `No route for ${request.method} ${path}`, ["request"]))
          // outside the API, as a gateway in front of it answers: a 404 without the API's imsx body
          : HttpServerResponse.jsonUnsafe({ message: "Not Found" }, { status: 404 }))
      return verdict ? HttpServerResponse.setHeaders(response, verdict.headers) : response
    })

    // the server closing its connections is not a client abandoning a request
    let stopping = false
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const requestId = `req-${++requestCounter}`
      const body = yield* Effect.orElseSucceed(request.text, () => "")
      const action = faults.take(request.method, request.url)
      const abandoned = recorder.record(request, body, action?._tag)
      if (action?._tag !== "Truncated" && action?._tag !== "DropAfterCommit") {
        const res = NodeHttpServerRequest.toServerResponse(request)
        res.once("close", () => {
          if (!res.writableFinished && !stopping) abandoned(Date.now())
        })
      }
      const response = yield* (action
        ? Faults.apply({
          action,
          request,
          requestId,
          shape: shapeOf(request.method, new URL(request.url, "http://x").pathname),
          errorShape,
          handle
        })
        : handle)
      const dated = options.clockOffsetMs === undefined
        ? response
        : HttpServerResponse.setHeader(response, "date", new Date(serverNow()).toUTCString())
      return HttpServerResponse.setHeader(dated, "x-request-id", requestId)
    })

    const nodeServer = createServer()
    const serverContext = yield* Layer.build(
      // interruptible: a client that gives up (or the server stopping) interrupts the request's
      // handler, as a real server's would stop (Effect runs a handler uninterruptibly by default)
      HttpServer.serve(Effect.interruptible(app)).pipe(
        Layer.provideMerge(NodeHttpServer.layer(() => nodeServer, {
          port: options.port ?? 0,
          host: "127.0.0.1",
          // a test server stops at once: a hung or stalled request is interrupted, not waited for
          disablePreemptiveShutdown: true
        }))
      )
    ).pipe(Effect.orDie)
    // close keep-alive and hung connections first, so shutting the server down never waits on them
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        stopping = true
        nodeServer.closeAllConnections()
      })
    )
    const address = Context.get(serverContext, HttpServer.HttpServer).address
    const port = "port" in address ? address.port : 0
    const baseUrl = `http://127.0.0.1:${port}`

    const connection = {
      clientId,
      clientSecret: Redacted.make(clientSecret),
      baseUrl,
      tokenUrl: `${baseUrl}${tokenPath}`
    }
    return {
      ...connection,
      connection,
      store,
      inject: (fault) => Effect.sync(() => faults.inject(fault)),
      clearFaults: Effect.sync(() => faults.clear()),
      requests: Effect.sync(() => recorder.all()),
      clearRequests: Effect.sync(() => recorder.clear()),
      issuedTokens: Effect.sync(() => oauth.issued()),
      revokeTokens: Effect.sync(() => oauth.revoke()),
      setTokenLifetime: (seconds) => Effect.sync(() => oauth.setLifetime(seconds)),
      rateLimited: Effect.sync(() => refused),
      unauthorized: Effect.sync(() => unauthorized),
      serverNow
    } satisfies FakeTimebackServerService
  })

/**
 * The server as a scoped layer: started when the layer is built, stopped when its scope closes.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServer = (options?: ServerOptions): Layer.Layer<FakeTimebackServer> =>
  Layer.effect(FakeTimebackServer, make(options))
