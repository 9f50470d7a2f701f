/**
 * The live `Gradebook`: the Timeback OneRoster 1.2 Gradebook API over `@effect/platform`'s
 * HttpClient, with bearer tokens, retries and idempotent creates.
 *
 * Bring an `HttpClient` layer: on Node `NodeHttpClient.layerUndici` from `@effect/platform-node` (the
 * fastest in `pnpm bench`), elsewhere `FetchHttpClient.layer` from `@effect/platform` (any runtime with
 * `fetch`).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { AssessmentResult, Filter, Gradebook, GradebookError, SourcedId } from "@timeback/core"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Exchange from "./internal/exchange.js"
import { RetryPolicy } from "./Retry.js"
import * as TimebackConfig from "./TimebackConfig.js"
import * as TokenProvider from "./TokenProvider.js"

/**
 * Base path of the gradebook API (`Gradebook.BASE_PATH` of `@timeback/core`).
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_PATH: typeof Gradebook.BASE_PATH = Gradebook.BASE_PATH

const decodeBody = AssessmentResult.decodeResponse
const decodeCreate = decodeBody(AssessmentResult.CreateResponse)
const decodeSingle = decodeBody(AssessmentResult.SingleResponse)
const decodeSinglePartial = decodeBody(Schema.Struct({ assessmentResult: AssessmentResult.PartialAssessmentResult }))
const decodeList = decodeBody(AssessmentResult.ListResponse(AssessmentResult.AssessmentResult))
const decodeListPartial = decodeBody(AssessmentResult.ListResponse(AssessmentResult.PartialAssessmentResult))
const decodeNothing = () => Effect.void

/** The query as URL parameters, in the API's names. */
const listParams = (query: AssessmentResult.ListQuery): Record<string, string> => {
  const params: Record<string, string> = {}
  if (query.limit !== undefined) params.limit = String(query.limit)
  if (query.offset !== undefined) params.offset = String(query.offset)
  if (query.sort !== undefined) params.sort = query.sort
  if (query.orderBy !== undefined) params.orderBy = query.orderBy
  if (query.filter !== undefined) params.filter = Filter.render(query.filter)
  if (query.fields !== undefined) params.fields = query.fields.join(",")
  if (query.search !== undefined) params.search = query.search
  return params
}

/** `true`/`false` when a `Link` header says whether a next page exists, `undefined` without one. */
const linkHasNext = (link: string | undefined) => link === undefined ? undefined : /rel\s*=\s*"?next"?/i.test(link)
// The input schemas have no transformations (their encoded form is their decoded form, as core's
// tests pin), so validated input is serialized as it is instead of being encoded a second time.
const writeBody = (assessmentResult: AssessmentResult.AssessmentResultInput | AssessmentResult.PatchInput) =>
  JSON.stringify({ assessmentResult })
/** The result a write body carries: what was sent, not the caller's object (which may have changed since). */
const sentResult = (body: string): AssessmentResult.AssessmentResultInput & { readonly sourcedId: string } =>
  JSON.parse(body).assessmentResult

const summarize = (e: ParseResult.ParseError) =>
  GradebookError.formatIssues(e)
    .map((i) => `${i.path || "body"}: ${i.message}`)
    .join("; ")
    .slice(0, 500)

/**
 * The same result, as far as a confirmation after a lost answer needs: same student, line item,
 * status and score.
 */
const sameResult = (stored: AssessmentResult.AssessmentResult, sent: AssessmentResult.AssessmentResultInput) =>
  stored.student.sourcedId === sent.student.sourcedId &&
  stored.assessmentLineItem.sourcedId === sent.assessmentLineItem.sourcedId &&
  stored.scoreStatus === sent.scoreStatus &&
  stored.score === sent.score

/**
 * Builds the live service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Gradebook.GradebookService,
  never,
  TimebackConfig.TimebackConfig | TokenProvider.TokenProvider | HttpClient.HttpClient
> = Effect.gen(function*() {
  const config = yield* TimebackConfig.TimebackConfig
  const tokens = yield* TokenProvider.TokenProvider
  const policy = (yield* RetryPolicy)(config)
  const send = Exchange.sender((yield* HttpClient.HttpClient).pipe(
    HttpClient.mapRequest((r) =>
      r.pipe(HttpClientRequest.prependUrl(`${config.baseUrl}${BASE_PATH}`), HttpClientRequest.acceptJson)
    )
  ))

  /**
   * One exchange with a bearer token; a 401 invalidates the token, refreshes once and replays once.
   * A 401 on the replay invalidates that token too: no call after it starts with a rejected token.
   */
  const authorized = (request: HttpClientRequest.HttpClientRequest) => {
    const withToken = (token: Redacted.Redacted<string>) =>
      Effect.tap(
        send(HttpClientRequest.bearerToken(request, token), config.attemptTimeout),
        (answer) => answer.status === 401 ? tokens.invalidate(token) : Effect.void
      )
    return Effect.flatMap(tokens.get, (token) =>
      Effect.flatMap(withToken(token), (answer) =>
        answer.status === 401
          ? Effect.flatMap(tokens.get, withToken)
          : Effect.succeed(answer)))
  }

  /** A 2xx body decoded with `decode`, or the answer's status mapped to its error. */
  const decoded = <A>(
    operation: string,
    answer: Exchange.Answer,
    decode: (text: string) => Effect.Effect<A, ParseResult.ParseError>
  ): Effect.Effect<A, GradebookError.GradebookError> =>
    Effect.zipRight(
      Effect.annotateCurrentSpan("http.response.status_code", answer.status),
      answer.status >= 200 && answer.status < 300
        ? Effect.mapError(decode(answer.text), (e) =>
          new GradebookError.MalformedResponseError({
            operation,
            status: answer.status,
            description: summarize(e),
            ...(answer.requestId && { requestId: answer.requestId })
          }))
        : Effect.flatMap(Exchange.failure(operation, answer), Effect.fail)
    )

  /** Runs `attempt(n)` under the retry policy, in a span, counting attempts into the error. */
  const run = <A>(
    operation: string,
    method: string,
    route: string,
    attempt: (n: number) => Effect.Effect<A, GradebookError.GradebookError>
  ): Effect.Effect<A, GradebookError.GradebookError> =>
    Effect.suspend(() => {
      let attempts = 0
      const once = Effect.suspend(() => attempt(++attempts)).pipe(
        Effect.tapError((e) => Effect.logDebug(`${operation} attempt ${attempts} failed: ${e.message}`))
      )
      return once.pipe(
        // the policy starts at the first failure, as `Effect.retry` would: that failure is its first
        // input. A call that succeeds at once never builds the schedule (about 15 µs of CPU).
        Effect.catchAll((first) => {
          let fed = false
          return Effect.retry(Effect.suspend(() => fed ? once : (fed = true, Effect.fail(first))), policy)
        }),
        Effect.mapError((e) => GradebookError.annotate(e, { attempts, operation: e.operation ?? operation })),
        Effect.ensuring(Effect.suspend(() => Effect.annotateCurrentSpan("timeback.attempts", attempts))),
        Effect.withSpan(`Gradebook.${operation}`, {
          kind: "client",
          captureStackTrace: false,
          attributes: { "http.request.method": method, "http.route": `${BASE_PATH}${route}` }
        })
      )
    })

  const itemPath = (sourcedId: string) => `/assessmentResults/${SourcedId.pathSegment(sourcedId)}`
  const ITEM_ROUTE = "/assessmentResults/{sourcedId}"

  /** One attempt of `request`, its 2xx body decoded with `decode`. */
  const exchange = <A>(
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
    decode: (text: string) => Effect.Effect<A, ParseResult.ParseError>
  ) => Effect.flatMap(authorized(request), (answer) => decoded(operation, answer, decode))

  /** The stored result is ours: same student, line item, status and score as what was sent. */
  const confirmCreated = (sourcedId: string, body: string, conflict: GradebookError.GradebookError) =>
    exchange("createAssessmentResult", HttpClientRequest.get(itemPath(sourcedId)), decodeSingle).pipe(
      Effect.filterOrFail(({ assessmentResult }) => sameResult(assessmentResult, sentResult(body)), () => conflict),
      Effect.as({ suppliedSourcedId: sourcedId, allocatedSourcedId: sourcedId })
    )

  return Gradebook.make({
    createAssessmentResult: (input) =>
      Effect.suspend(() => {
        const operation = "createAssessmentResult"
        // fixed once: every attempt sends these same bytes
        const sourcedId = input.sourcedId ?? crypto.randomUUID()
        const body = writeBody({ sourcedId, ...input })
        const request = HttpClientRequest.post("/assessmentResults").pipe(
          HttpClientRequest.bodyText(body, "application/json")
        )
        return run(operation, "POST", "/assessmentResults", (n) =>
          Effect.flatMap(authorized(request), (answer) =>
            // a 409 on a retry: an earlier attempt was stored but its answer lost; confirm it is ours
            answer.status === 409 && n > 1
              ? Effect.flatMap(Exchange.failure(operation, answer), (conflict) =>
                confirmCreated(sourcedId, body, conflict))
              : Effect.map(decoded(operation, answer, decodeCreate), (r) =>
                r.sourcedIdPairs)))
      }),

    putAssessmentResult: (sourcedId, input) => {
      const operation = "putAssessmentResult"
      const body = writeBody({ sourcedId, ...input })
      const request = HttpClientRequest.put(itemPath(sourcedId)).pipe(
        HttpClientRequest.bodyText(body, "application/json")
      )
      return run(operation, "PUT", ITEM_ROUTE, () =>
        Effect.flatMap(authorized(request), (answer) =>
          // the official binding answers 201 without a body: what was sent is what is stored
          answer.status >= 200 && answer.status < 300 && answer.text.trim() === ""
            ? Effect.sync(() => AssessmentResult.AssessmentResult.make(sentResult(body)))
            : Effect.map(decoded(operation, answer, decodeSingle), (r) => r.assessmentResult)))
    },

    getAssessmentResult: (sourcedId, fields) => {
      const operation = "getAssessmentResult"
      const request = HttpClientRequest.get(itemPath(sourcedId)).pipe(
        fields ? HttpClientRequest.setUrlParam("fields", fields.join(",")) : (r) => r
      )
      return run(operation, "GET", ITEM_ROUTE, () =>
        fields
          ? Effect.map(exchange(operation, request, decodeSinglePartial), (r) => r.assessmentResult)
          : Effect.map(exchange(operation, request, decodeSingle), (r) => r.assessmentResult))
    },

    listAssessmentResults: (query) => {
      const operation = "listAssessmentResults"
      const request = HttpClientRequest.get("/assessmentResults").pipe(
        HttpClientRequest.setUrlParams(listParams(query))
      )
      const decode = query.fields ? decodeListPartial : decodeList
      return run(
        operation,
        "GET",
        "/assessmentResults",
        () =>
          Effect.flatMap(authorized(request), (answer) =>
            Effect.map(decoded(operation, answer, decode), (body) => {
              const header = answer.headers["x-total-count"]
              const totalCount = body.totalCount ?? (header && /^\d+$/.test(header) ? Number(header) : undefined)
              const hasNext = linkHasNext(answer.headers["link"])
              return {
                results: body.assessmentResults,
                offset: query.offset ?? body.offset ?? 0,
                limit: query.limit ?? body.limit ?? 100,
                ...(totalCount !== undefined && { totalCount }),
                ...(hasNext !== undefined && { hasNext })
              }
            }))
      )
    },

    deleteAssessmentResult: (sourcedId) =>
      run(
        "deleteAssessmentResult",
        "DELETE",
        ITEM_ROUTE,
        () => exchange("deleteAssessmentResult", HttpClientRequest.del(itemPath(sourcedId)), decodeNothing)
      ),

    patchAssessmentResult: (sourcedId, patch) => {
      const operation = "patchAssessmentResult"
      const request = HttpClientRequest.patch(itemPath(sourcedId)).pipe(
        HttpClientRequest.bodyText(writeBody(patch), "application/json")
      )
      return run(
        operation,
        "PATCH",
        ITEM_ROUTE,
        () => Effect.map(exchange(operation, request, decodeSingle), (r) => r.assessmentResult)
      )
    }
  })
})

/**
 * The live Gradebook over the config, token provider and HttpClient in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithoutDependencies: Layer.Layer<
  Gradebook.Gradebook,
  never,
  TimebackConfig.TimebackConfig | TokenProvider.TokenProvider | HttpClient.HttpClient
> = Layer.effect(Gradebook.Gradebook, make)

const withTokens = <E, R>(config: Layer.Layer<TimebackConfig.TimebackConfig, E, R>) =>
  layerWithoutDependencies.pipe(
    Layer.provide(TokenProvider.layer),
    Layer.provide(config)
  )

/**
 * The live Gradebook from programmatic options (token provider included). Needs an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: TimebackConfig.Options
): Layer.Layer<Gradebook.Gradebook, ConfigError.ConfigError, HttpClient.HttpClient> =>
  withTokens(TimebackConfig.layer(options))

/**
 * The live Gradebook configured from the environment (`TIMEBACK_CLIENT_ID`,
 * `TIMEBACK_CLIENT_SECRET`, `TIMEBACK_ENVIRONMENT`, `TIMEBACK_BASE_URL`, `TIMEBACK_TOKEN_URL`).
 * Needs an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Parameters<typeof TimebackConfig.config>[0]
): Layer.Layer<Gradebook.Gradebook, ConfigError.ConfigError, HttpClient.HttpClient> =>
  withTokens(TimebackConfig.layerConfig(overrides))
