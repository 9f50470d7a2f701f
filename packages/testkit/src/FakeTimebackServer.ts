/**
 * A fake Timeback API on 127.0.0.1: the OAuth2 token endpoint and the gradebook endpoints, with
 * the real status codes and imsx error bodies, a fault script, and a record of every request.
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { AssessmentResult, Filter, Gradebook, GradebookError } from "@timeback/core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as GradebookStore from "./GradebookStore.js"

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
 * What the server does to a request a fault matches.
 *
 * - `Status`: answer with this status and an imsx body (plus `Retry-After` / `retry-after-ms`); nothing is written.
 * - `Delay`: wait, then handle the request normally.
 * - `Hang`: never answer.
 * - `Malformed`: answer `status` (default 200) with a body that is not what the endpoint sends; nothing is written.
 * - `Truncated`: send headers announcing the full body, half of it, then close the socket; nothing is written.
 * - `StallBody`: send headers and the first bytes of the body, then nothing more; nothing is written.
 * - `DropAfterCommit`: handle the request (the write is stored), then close the socket without answering.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultAction =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly retryAfter?: string | number
    readonly retryAfterMs?: number
    readonly body?: string
  }
  | { readonly _tag: "Delay"; readonly millis: number }
  | { readonly _tag: "Hang" }
  | { readonly _tag: "Malformed"; readonly status?: number; readonly body?: string }
  | { readonly _tag: "Truncated" }
  | { readonly _tag: "StallBody" }
  | { readonly _tag: "DropAfterCommit" }

/**
 * A scripted fault: applies to the next `times` (default 1) requests matching `method` and `path`
 * (a string matches that path and everything below it; a RegExp is tested against the path and
 * query string, e.g. `/offset=600/` for one page of a list).
 *
 * @since 0.1.0
 * @category models
 */
export interface Fault {
  readonly method?: string
  readonly path?: string | RegExp
  readonly times?: number
  readonly action: FaultAction
}

/**
 * A request as the server saw it. `authorization` is redacted and so is a `client_secret` in a
 * form body.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** Path and query string. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Whether a fault was applied to it. */
  readonly fault?: FaultAction["_tag"]
}

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
  /** Port on 127.0.0.1. Default 0 (any free port). */
  readonly port?: number
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
}

/**
 * @since 0.1.0
 * @category tags
 */
export class FakeTimebackServer extends Context.Tag("@timeback/testkit/FakeTimebackServer")<
  FakeTimebackServer,
  FakeTimebackServerService
>() {}

const codeMinorFor = (status: number): string => {
  switch (status) {
    case 400:
    case 422:
      return "invaliddata"
    case 401:
      return "unauthorisedrequest"
    case 403:
      return "forbidden"
    case 404:
      return "unknownobject"
    case 429:
    case 503:
      return "server_busy"
    default:
      return status >= 500 ? "internal_server_error" : "invaliddata"
  }
}

const imsxJson = (
  info: GradebookError.ImsxStatusInfo,
  shape: "top" | "statusInfoSet"
): unknown => {
  const statusInfo = {
    imsx_codeMajor: info.codeMajor ?? "failure",
    imsx_severity: info.severity ?? "error",
    ...(info.description !== undefined && { imsx_description: info.description }),
    imsx_CodeMinor: {
      imsx_codeMinorField: info.codeMinor.map((m) => ({
        imsx_codeMinorFieldName: m.name,
        imsx_codeMinorFieldValue: m.value
      }))
    }
  }
  return shape === "top" ? statusInfo : { statusInfoSet: [statusInfo] }
}

const redactForm = (body: string) => body.replace(/(client_secret=)[^&]*/g, "$1[redacted]")

const redactHeaders = (headers: Readonly<Record<string, string>>) =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, k === "authorization" ? v.replace(/ .*/, " [redacted]") : v])
  )

const pathMatches = (fault: Fault, method: string, url: string) => {
  const path = new URL(url, "http://x").pathname
  return (fault.method === undefined || fault.method.toUpperCase() === method) &&
    (fault.path === undefined ||
      (typeof fault.path === "string"
        ? path === fault.path || path.startsWith(`${fault.path}/`)
        : fault.path.test(url)))
}

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
    const shape = options.errorShape ?? "top"
    let tokenLifetime = options.tokenLifetimeSeconds ?? 3600
    const store = yield* GradebookStore.make
    const tokens = new Map<string, number>()
    const issued: Array<string> = []
    const faults: Array<{ fault: Fault; remaining: number }> = []
    const recorded: Array<RecordedRequest> = []
    let requestCounter = 0

    const errorResponse = (status: number, info: GradebookError.ImsxStatusInfo) =>
      HttpServerResponse.unsafeJson(imsxJson(info, shape), { status })

    const statusResponse = (status: number, description: string, codeMinorName = "request") =>
      errorResponse(status, {
        codeMajor: "failure",
        severity: "error",
        description,
        codeMinor: [{ name: codeMinorName, value: codeMinorFor(status) }]
      })

    const fromRequestError = (e: GradebookError.RequestError) =>
      errorResponse(
        e.status ?? 422,
        e.imsx ?? {
          codeMajor: "failure",
          severity: "error",
          ...(e.description !== undefined && { description: e.description }),
          codeMinor: (e.fields ?? ["request"]).map((name) => ({ name, value: "invaliddata" }))
        }
      )

    const oauthError = (status: number, error: string, description: string) =>
      HttpServerResponse.unsafeJson({ error, error_description: description }, {
        status,
        headers: { "cache-control": "no-store" }
      })

    // --- token endpoint -----------------------------------------------------------------------

    const token = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const form = new URLSearchParams(yield* Effect.orElseSucceed(request.text, () => ""))
      const basic = /^Basic (.+)$/i.exec(request.headers["authorization"] ?? "")
      let id = form.get("client_id")
      let secret = form.get("client_secret")
      if (basic) {
        const decoded = Buffer.from(basic[1]!, "base64").toString("utf8")
        const colon = decoded.indexOf(":")
        id = decodeURIComponent(decoded.slice(0, colon))
        secret = decodeURIComponent(decoded.slice(colon + 1))
      }
      const grantType = form.get("grant_type")
      if (grantType === null) return oauthError(400, "invalid_request", "grant_type is required")
      if (grantType !== "client_credentials") {
        return oauthError(400, "unsupported_grant_type", `grant_type ${grantType} is not supported`)
      }
      if (id === null || secret === null) return oauthError(400, "invalid_request", "client credentials are required")
      if (id !== clientId || secret !== clientSecret) {
        return oauthError(401, "invalid_client", "Client authentication failed")
      }
      const now = yield* Clock.currentTimeMillis
      const accessToken = `tok_${crypto.randomUUID()}`
      tokens.set(accessToken, now + tokenLifetime * 1000)
      issued.push(accessToken)
      const scope = form.get("scope")
      return HttpServerResponse.unsafeJson({
        access_token: accessToken,
        expires_in: tokenLifetime,
        token_type: "Bearer",
        ...(scope !== null && { scope })
      }, { headers: { "cache-control": "no-store" } })
    })

    // --- gradebook endpoints ------------------------------------------------------------------

    /** The JSON body, which must be `{ assessmentResult: {...} }`. */
    const readBody = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const text = yield* Effect.orElseSucceed(request.text, () => "")
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        return yield* Effect.fail(GradebookStore.requestError({
          status: 400,
          codeMinor: "invaliddata",
          description: "Request body is not valid JSON",
          fields: ["body"]
        }))
      }
      if (!Predicate.isRecord(json) || !Predicate.isRecord(json.assessmentResult)) {
        return yield* Effect.fail(GradebookStore.requestError({
          status: 400,
          codeMinor: "invaliddata",
          description: "Request body must be an object with an assessmentResult object",
          fields: ["assessmentResult"]
        }))
      }
      return { assessmentResult: json.assessmentResult }
    })

    const unprocessable = (e: ParseResult.ParseError) => {
      const invalid = Gradebook.invalidInput("", e)
      return GradebookStore.requestError({
        status: 422,
        codeMinor: "invaliddata",
        description: invalid.description ?? "invalid assessmentResult",
        fields: invalid.fields?.map((f) => `assessmentResult.${f}`)
      })
    }

    const mismatch = (body: string, path: string) =>
      GradebookStore.requestError({
        status: 422,
        codeMinor: "invaliddata",
        description: `sourcedId in body (${body}) does not match sourcedId in path (${path})`,
        fields: ["assessmentResult.sourcedId"]
      })

    const readWrite = Effect.flatMap(
      readBody,
      (body) => Effect.mapError(AssessmentResult.decodeInput(body.assessmentResult), unprocessable)
    )

    const sourcedIdParam = Effect.map(HttpRouter.params, (p) => p.sourcedId ?? "")

    /** Reads list/get query parameters with core's query schema; failures answer 400 with the codeMinor the API uses. */
    const readQuery = (params: URLSearchParams) => {
      const raw: Record<string, unknown> = {}
      const number = (name: string) => {
        const v = params.get(name)
        if (v !== null) raw[name] = /^-?\d+$/.test(v) ? Number(v) : v
      }
      number("limit")
      number("offset")
      for (const name of ["sort", "orderBy", "search"]) {
        const v = params.get(name)
        if (v !== null) raw[name] = v
      }
      const fields = params.get("fields")
      if (fields !== null) raw.fields = fields.split(",").map((f) => f.trim())
      const filter = params.get("filter")
      if (filter !== null) {
        const parsed = Filter.parse(filter)
        if (Either.isLeft(parsed)) {
          return Effect.fail(GradebookStore.requestError({
            status: 400,
            codeMinor: "invalid_filter_field",
            description: `filter: ${parsed.left}`,
            fields: ["filter"]
          }))
        }
        raw.filter = parsed.right
      }
      return AssessmentResult.decodeListQuery(raw).pipe(
        Effect.mapError((e) => {
          const invalid = Gradebook.invalidInput("", e)
          const field = invalid.fields?.[0]?.split(".")[0]
          return GradebookStore.requestError({
            status: 400,
            codeMinor: field === "sort"
              ? "invalid_sort_field"
              : field === "fields"
              ? "invalid_selection_field"
              : "invaliddata",
            description: invalid.description ?? "invalid query",
            fields: invalid.fields
          })
        })
      )
    }

    const encodeSelected = (r: AssessmentResult.AssessmentResult | AssessmentResult.PartialAssessmentResult) =>
      r instanceof AssessmentResult.AssessmentResult ? encodeResult(r) : encodePartial(r)

    const list = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://x")
      const query = yield* readQuery(url.searchParams)
      const page = yield* store.list(query)
      const assessmentResults = page.results.map(encodeSelected)
      const pageCount = Math.ceil(page.totalCount / page.limit)
      const paging = options.paging ?? "body"
      if (paging === "body") {
        return json({
          assessmentResults,
          totalCount: page.totalCount,
          pageCount,
          pageNumber: Math.floor(page.offset / page.limit) + 1,
          offset: page.offset,
          limit: page.limit
        }, 200)
      }
      if (paging === "none") return json({ assessmentResults }, 200)
      const link = (rel: string, offset: number) => {
        const params = new URLSearchParams(url.searchParams)
        params.set("offset", String(offset))
        params.set("limit", String(page.limit))
        return `<http://${request.headers.host}${url.pathname}?${params}>; rel="${rel}"`
      }
      const next = page.offset + page.limit
      const links = [
        ...(next < page.totalCount ? [link("next", next)] : []),
        link("last", Math.max(0, (pageCount - 1) * page.limit))
      ]
      return json({ assessmentResults }, 200).pipe(
        HttpServerResponse.setHeaders({ "x-total-count": String(page.totalCount), link: links.join(", ") })
      )
    })

    const json = (body: unknown, status: number) => HttpServerResponse.unsafeJson(body, { status })

    const encodeResult = Schema.encodeSync(AssessmentResult.AssessmentResult)
    const encodePartial = Schema.encodeSync(AssessmentResult.PartialAssessmentResult)

    const router = HttpRouter.empty.pipe(
      HttpRouter.post(
        tokenPath as HttpRouter.PathInput,
        token
      ),
      HttpRouter.post(
        ASSESSMENT_RESULTS_PATH,
        readWrite.pipe(
          Effect.flatMap(store.create),
          Effect.map((sourcedIdPairs) => json({ sourcedIdPairs }, 201))
        )
      ),
      HttpRouter.put(
        `${ASSESSMENT_RESULTS_PATH}/:sourcedId`,
        Effect.gen(function*() {
          const sourcedId = yield* sourcedIdParam
          const input = yield* readWrite
          if (input.sourcedId !== undefined && input.sourcedId !== sourcedId) {
            return yield* Effect.fail(mismatch(input.sourcedId, sourcedId))
          }
          const { result } = yield* store.put(sourcedId, input)
          return options.putResponse === "empty"
            ? HttpServerResponse.empty({ status: 201 })
            : json({ assessmentResult: encodeResult(result) }, 201)
        })
      ),
      HttpRouter.get(ASSESSMENT_RESULTS_PATH, list),
      HttpRouter.get(
        `${ASSESSMENT_RESULTS_PATH}/:sourcedId`,
        Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          const { fields } = yield* readQuery(new URL(request.url, "http://x").searchParams)
          const result = yield* store.select(yield* sourcedIdParam, fields)
          return json({ assessmentResult: encodeSelected(result) }, 200)
        })
      ),
      HttpRouter.del(
        `${ASSESSMENT_RESULTS_PATH}/:sourcedId`,
        sourcedIdParam.pipe(Effect.flatMap(store.remove), Effect.as(HttpServerResponse.empty({ status: 204 })))
      ),
      HttpRouter.patch(
        `${ASSESSMENT_RESULTS_PATH}/:sourcedId`,
        Effect.gen(function*() {
          const sourcedId = yield* sourcedIdParam
          const body = yield* readBody
          const patch = yield* AssessmentResult.decodePatch(body.assessmentResult).pipe(
            Effect.mapError((e) => unprocessable(e))
          )
          if (patch.sourcedId !== undefined && patch.sourcedId !== sourcedId) {
            return yield* Effect.fail(mismatch(patch.sourcedId, sourcedId))
          }
          const result = yield* store.patch(sourcedId, patch)
          return json({ assessmentResult: encodeResult(result) }, 200)
        })
      ),
      HttpRouter.catchTag("RequestError", (e) => Effect.succeed(fromRequestError(e)))
    )

    const authorized = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const bearer = /^Bearer (.+)$/i.exec(request.headers["authorization"] ?? "")
      const expiresAt = bearer ? tokens.get(bearer[1]!) : undefined
      const now = yield* Clock.currentTimeMillis
      return expiresAt !== undefined && expiresAt > now
    })

    const route = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const path = new URL(request.url, "http://x").pathname
      if (path.startsWith(BASE_PATH) && !(yield* authorized)) {
        return statusResponse(401, "Missing, unknown or expired access token", "Authorization").pipe(
          HttpServerResponse.setHeader("www-authenticate", "Bearer error=\"invalid_token\"")
        )
      }
      return yield* router.pipe(
        Effect.catchTag(
          "RouteNotFound",
          () => Effect.succeed(statusResponse(404, `No route for ${request.method} ${path}`))
        )
      )
    })

    const takeFault = (method: string, url: string): FaultAction | undefined => {
      const entry = faults.find((f) => f.remaining > 0 && pathMatches(f.fault, method, url))
      if (!entry) return undefined
      entry.remaining -= 1
      if (entry.remaining === 0) faults.splice(faults.indexOf(entry), 1)
      return entry.fault.action
    }

    const rawResponse = (request: HttpServerRequest.HttpServerRequest) =>
      NodeHttpServerRequest.toServerResponse(request)

    const applyFault = (
      action: FaultAction,
      request: HttpServerRequest.HttpServerRequest,
      requestId: string
    ): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> => {
      switch (action._tag) {
        case "Status": {
          const headers: Record<string, string> = {}
          if (action.retryAfter !== undefined) headers["retry-after"] = String(action.retryAfter)
          if (action.retryAfterMs !== undefined) headers["retry-after-ms"] = String(action.retryAfterMs)
          const response = action.body !== undefined
            ? HttpServerResponse.text(action.body, { status: action.status, contentType: "application/json" })
            : statusResponse(action.status, `Injected ${action.status}`)
          return Effect.succeed(HttpServerResponse.setHeaders(response, headers))
        }
        case "Delay":
          return Effect.zipRight(Effect.sleep(action.millis), route)
        case "Hang":
          return Effect.never
        case "Malformed":
          return Effect.succeed(
            HttpServerResponse.text(action.body ?? "{\"sourcedIdPairs\": {\"suppliedSourcedId\": ", {
              status: action.status ?? 200,
              contentType: "application/json"
            })
          )
        case "Truncated":
        case "StallBody":
          return Effect.zipRight(
            Effect.sync(() => {
              const res = rawResponse(request)
              const body = JSON.stringify({ sourcedIdPairs: { suppliedSourcedId: "x", allocatedSourcedId: "x" } })
              res.writeHead(200, {
                "content-type": "application/json",
                "content-length": String(Buffer.byteLength(body)),
                "x-request-id": requestId
              })
              res.write(body.slice(0, 10), () => {
                if (action._tag === "Truncated") res.socket?.destroy()
              })
            }),
            Effect.never
          )
        case "DropAfterCommit":
          return route.pipe(
            Effect.zipRight(Effect.sync(() => rawResponse(request).socket?.destroy())),
            Effect.zipRight(Effect.never)
          )
      }
    }

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const requestId = `req-${++requestCounter}`
      const path = new URL(request.url, "http://x").pathname
      const body = yield* Effect.orElseSucceed(request.text, () => "")
      const action = takeFault(request.method, request.url)
      recorded.push({
        method: request.method,
        url: request.url,
        headers: redactHeaders(request.headers),
        body: path === tokenPath ? redactForm(body) : body,
        ...(action && { fault: action._tag })
      })
      const response = yield* (action ? applyFault(action, request, requestId) : route)
      return HttpServerResponse.setHeader(response, "x-request-id", requestId)
    })

    const nodeServer = createServer()
    const serverContext = yield* Layer.build(
      HttpServer.serve(app).pipe(
        Layer.provideMerge(NodeHttpServer.layer(() => nodeServer, { port: options.port ?? 0, host: "127.0.0.1" }))
      )
    ).pipe(Effect.orDie)
    // close keep-alive and hung connections first, so shutting the server down never waits on them
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const address = Context.get(serverContext, HttpServer.HttpServer).address
    const port = address._tag === "TcpAddress" ? address.port : 0
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
      inject: (fault) => Effect.sync(() => void faults.push({ fault, remaining: fault.times ?? 1 })),
      clearFaults: Effect.sync(() => faults.splice(0)),
      requests: Effect.sync(() => [...recorded]),
      clearRequests: Effect.sync(() => recorded.splice(0)),
      issuedTokens: Effect.sync(() => [...issued]),
      revokeTokens: Effect.sync(() => tokens.clear()),
      setTokenLifetime: (seconds) => Effect.sync(() => (tokenLifetime = seconds))
    } satisfies FakeTimebackServerService
  })

/**
 * The server as a scoped layer: started when the layer is built, stopped when its scope closes.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServer = (options?: ServerOptions): Layer.Layer<FakeTimebackServer> =>
  Layer.scoped(FakeTimebackServer, make(options))
