/**
 * The live `Gradebook`: the Timeback OneRoster 1.2 Gradebook API over Effect's (`effect/http`)
 * HttpClient, with bearer tokens, retries and idempotent creates.
 *
 * Bring an `HttpClient` layer: `FetchHttpClient.layer` from `effect/http` (any runtime with `fetch`, the
 * smallest bundle), or, for bulk writes on Node, `NodeHttpClient.layerUndici` from
 * `@effect/platform-node` (30–45 % of the CPU per call in `bench/cost.mjs`).
 *
 * @since 0.1.0
 */
import { Filter, Gradebook, GradebookError, Resource, Scope, SourcedId } from "@timeback/core"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import type * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import * as Exchange from "./internal/exchange.js"
import * as Governed from "./internal/governed.js"
import * as Governor from "./internal/governor.js"
import * as UserAgent from "./internal/userAgent.js"
import { MaxAttempts, RetryPolicy } from "./Retry.js"
import * as TimebackConfig from "./TimebackConfig.js"
import * as TokenProvider from "./TokenProvider.js"

/**
 * Base path of the gradebook API (`Gradebook.BASE_PATH` of `@timeback/core`).
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_PATH: typeof Gradebook.BASE_PATH = Gradebook.BASE_PATH

const decodeCreateMany = Resource.decodeResponse(Resource.CreateManyResponse)
/** A create's pairs: one object (a single create) or an array (a multi-item one), as an array. */
const decodePairs = (text: string) =>
  Exit.map(
    decodeCreateMany(text),
    (r): ReadonlyArray<Resource.SourcedIdPair> =>
      "suppliedSourcedId" in r.sourcedIdPairs ? [r.sourcedIdPairs] : r.sourcedIdPairs
  )
const decodeNothing = () => Exit.void

/** The query as URL parameters, in the API's names. */
const listParams = (query: Resource.ListQuery): Record<string, string> => {
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

/**
 * One HTTP answer of the API, as `OnResponse` sees it: the request's method and URL, the status,
 * the headers and the request id the server gave it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseInfo {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly requestId: string | undefined
}

/**
 * Called with every answer the API gives a call, each attempt's and each page's (token requests are
 * not shown): read a call's status, headers and request id without changing what it returns.
 * `Effect.provideService(call, HttpGradebook.OnResponse, (r) => …)`; unset by default.
 *
 * @since 0.1.0
 * @category references
 */
export const OnResponse: Context.Reference<((response: ResponseInfo) => void) | undefined> = Context.Reference<
  ((response: ResponseInfo) => void) | undefined
>("@timeback/http/HttpGradebook/OnResponse", { defaultValue: () => undefined })

/** `true`/`false` when a `Link` header says whether a next page exists, `undefined` without one. */
const linkHasNext = (link: string | undefined) => link === undefined ? undefined : /rel\s*=\s*"?next"?/i.test(link)

const summarize = (e: Schema.SchemaError) =>
  GradebookError.formatIssues(e)
    .map((i) => `${i.path || "body"}: ${i.message}`)
    .join("; ")
    .slice(0, 500)

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
  const retryPolicy = yield* RetryPolicy
  const policy = retryPolicy(config)
  const headers = UserAgent.headers(config.userAgent)
  const base = `${config.baseUrl}${BASE_PATH}`
  /** A request of the API, built whole once per call (URL and headers; each attempt adds its token). */
  const apiRequest = (
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: string,
    urlParams?: Record<string, string>
  ) =>
    HttpClientRequest.make(method)(`${base}${path}`, {
      headers,
      ...(urlParams && { urlParams }),
      ...(body !== undefined && { body: HttpBody.text(body, "application/json") })
    })
  const send = Exchange.sender(yield* HttpClient.HttpClient)
  const governed = Governed.make({
    config,
    tokens,
    governor: yield* Governor.make(config),
    // each answer's status on the call's span, if it has one, and shown to the caller's `OnResponse`,
    // if it set one (nothing added to a call without either)
    send: (request, timeout) =>
      Effect.withFiber((fiber) => {
        const listener = fiber.getRef(OnResponse)
        const span = Context.getOrUndefined(fiber.context, Tracer.ParentSpan)
        return listener === undefined && span?._tag !== "Span"
          ? send(request, timeout)
          : Effect.map(send(request, timeout), (answer) => {
            if (span?._tag === "Span") span.attribute("http.response.status_code", answer.status)
            listener?.({
              method: request.method,
              url: answer.url,
              status: answer.status,
              headers: answer.headers,
              requestId: answer.requestId
            })
            return answer
          })
      })
  })
  /** The policy for this call: the layer's, or one with the caller's `Retry.MaxAttempts`. */
  const policyOf = (maxAttempts: number | undefined) =>
    maxAttempts === undefined || maxAttempts === config.maxAttempts
      ? policy
      : retryPolicy({ ...config, maxAttempts: Number.isInteger(maxAttempts) && maxAttempts >= 1 ? maxAttempts : 1 })

  /** A 2xx body decoded with `decode` (at once: an `Exit`), or the answer's status mapped to its error. */
  const decoded = <A>(
    operation: string,
    answer: Exchange.Answer,
    decode: (text: string) => Exit.Exit<A, Schema.SchemaError>
  ): Effect.Effect<A, GradebookError.GradebookError> =>
    answer.status >= 200 && answer.status < 300
      ? Exit.mapError(decode(answer.text), (e) =>
        new GradebookError.MalformedResponseError({
          operation,
          status: answer.status,
          description: summarize(e),
          ...(answer.requestId && { requestId: answer.requestId })
        }))
      : Effect.flatMap(Exchange.failure(operation, answer), Effect.fail)

  /** Runs `attempt(n)` under the retry policy, in a span, counting attempts into the error. */
  const run = <A>(
    operation: string,
    method: string,
    route: string,
    attempt: (n: number) => Effect.Effect<A, GradebookError.GradebookError>
  ): Effect.Effect<A, GradebookError.GradebookError> =>
    Effect.suspend(() => {
      let attempts = 0
      const once = Effect.suspend(() => attempt(++attempts))
      const failed = (e: GradebookError.GradebookError) =>
        Effect.logDebug(`${operation} attempt ${attempts} failed: ${e.message}`)
      const annotated = (e: GradebookError.GradebookError) =>
        GradebookError.annotate(e, { attempts, operation: e.operation ?? operation })
      // A call that succeeds at once goes through nothing else: no schedule (about 15 µs of CPU), no
      // error mapping. The policy starts at the first failure, as `Effect.retry` would: that failure
      // is its first input.
      const call = Effect.catch(once, (first) => {
        if (Governed.isFinal(first)) return Effect.andThen(failed(first), Effect.fail(annotated(first)))
        let fed = false
        const again = Effect.tapError(once, failed)
        return Effect.andThen(
          failed(first),
          Effect.withFiber((fiber) =>
            Effect.retry(Effect.suspend(() => fed ? again : (fed = true, Effect.fail(first))), {
              schedule: policyOf(fiber.getRef(MaxAttempts)),
              while: (e) => !Governed.isFinal(e)
            })
          ).pipe(Effect.mapError(annotated))
        )
      })
      // Spans only where something can see them (see `Exchange.untraced`, which also keeps the
      // platform's `http.client` span from being made)
      return Effect.withFiber<A, GradebookError.GradebookError>((fiber) =>
        Exchange.untraced(fiber.context)
          ? call
          : call.pipe(
            Effect.ensuring(Effect.suspend(() => Effect.annotateCurrentSpan("timeback.attempts", attempts))),
            Effect.withSpan(`Gradebook.${operation}`, {
              kind: "client",
              attributes: { "http.request.method": method, "http.route": `${BASE_PATH}${route}` }
            })
          )
      )
    })

  const itemPath = (resource: Resource.Any, sourcedId: string) =>
    `/${resource.name}/${SourcedId.pathSegment(sourcedId)}`
  const itemRoute = (resource: Resource.Any) => `/${resource.name}/{sourcedId}`

  /**
   * One attempt of `request`, its 2xx body decoded with `decode`, then, with `checked`, held to what
   * was asked (the answer at hand).
   */
  const exchange = <A, B = A>(
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
    decode: (text: string) => Exit.Exit<A, Schema.SchemaError>,
    checked?: (value: A, answer: Exchange.Answer) => Effect.Effect<B, GradebookError.GradebookError>
  ): Effect.Effect<B, GradebookError.GradebookError> =>
    Effect.flatMap(governed(operation, request), (answer) => {
      const value = decoded(operation, answer, decode)
      // without a check, `B` is `A`
      return checked
        ? Effect.flatMap(value, (v) => checked(v, answer))
        : value as unknown as Effect.Effect<B, GradebookError.GradebookError>
    })

  /**
   * After a 409 on a retried create: every item is stored and is the one sent (the declaration's
   * `isSent`), so an earlier attempt was stored and only its answer lost. Otherwise the conflict.
   */
  const confirmCreated = (
    resource: Resource.Any,
    operation: string,
    sent: ReadonlyArray<{ readonly sourcedId: string }>,
    conflict: GradebookError.GradebookError
  ) =>
    Effect.forEach(
      sent,
      (item) =>
        exchange(operation, apiRequest("GET", itemPath(resource, item.sourcedId)), resource.decodeSingle).pipe(
          Effect.filterOrFail((body) => resource.isSent(body[resource.one], item), () => conflict),
          // an item the server does not have was not stored by an earlier attempt: the conflict stands
          Effect.catchIf((e) => e._tag === "RequestError" && e.status === 404, () => Effect.fail(conflict)),
          Effect.as({ suppliedSourcedId: item.sourcedId, allocatedSourcedId: item.sourcedId })
        ),
      { concurrency: 8 }
    )

  /**
   * An answer that does not match what was asked for. The write may have happened, so the error says
   * so: read the item back by sourcedId before writing it again.
   */
  const mismatch = (operation: string, answer: Exchange.Answer, what: string, wrote: boolean) =>
    Effect.fail(
      new GradebookError.MalformedResponseError({
        operation,
        status: answer.status,
        description: `${what}${
          wrote ? "; the write may have happened: read the items back by sourcedId before writing them again" : ""
        }`,
        ...(answer.requestId && { requestId: answer.requestId })
      })
    )

  /** The pairs of a create's answer, checked against the items sent: one pair per item, naming its sourcedId. */
  const pairsOf = (
    operation: string,
    answer: Exchange.Answer,
    sent: ReadonlyArray<{ readonly sourcedId: string }>,
    pairs: ReadonlyArray<Resource.SourcedIdPair>
  ) => {
    const supplied = new Set(pairs.map((p) => p.suppliedSourcedId))
    const missing = sent.filter((item) => !supplied.has(item.sourcedId)).map((item) => item.sourcedId)
    return pairs.length === sent.length && missing.length === 0 && supplied.size === pairs.length
      ? Effect.succeed(pairs)
      : mismatch(
        operation,
        answer,
        `the answer has ${pairs.length} sourcedId pair(s) for ${sent.length} item(s) sent${
          missing.length > 0 ? `, none for ${missing.slice(0, 5).map((id) => JSON.stringify(id)).join(", ")}` : ""
        }`,
        true
      )
  }

  /** A single item's answer, checked: it must name the sourcedId asked for (when it names one). */
  const itemOf = <A>(operation: string, answer: Exchange.Answer, sourcedId: string, item: A, wrote: boolean) => {
    const named = (item as { readonly sourcedId?: unknown }).sourcedId
    return named === undefined || named === sourcedId
      ? Effect.succeed(item)
      : mismatch(
        operation,
        answer,
        `the answer is about ${JSON.stringify(named)}, not ${JSON.stringify(sourcedId)} as asked`,
        wrote
      )
  }

  /**
   * A create of `items` (one, or many on a scoped route): each item's sourcedId is fixed before the
   * first attempt and every attempt sends the same bytes; a 409 on a retry is confirmed by GETs. The
   * answer's pairs must match the items sent.
   */
  const creating = (
    resource: Resource.Any,
    operation: string,
    path: string,
    route: string,
    body: string,
    sent: ReadonlyArray<{ readonly sourcedId: string }>
  ) => {
    const post = apiRequest("POST", path, body)
    return run(operation, "POST", route, (n) =>
      Effect.flatMap(governed(operation, post), (answer) =>
        // a 409 on a retry: an earlier attempt was stored but its answer lost; confirm it is ours
        answer.status === 409 && n > 1
          ? Effect.flatMap(
            Exchange.failure(operation, answer),
            (conflict) => confirmCreated(resource, operation, sent, conflict)
          )
          : Effect.flatMap(
            decoded(operation, answer, decodePairs),
            (pairs) => pairsOf(operation, answer, sent, pairs)
          )))
  }

  /** An item as sent: its sourcedId fixed (given, or a new uuid v4). */
  const withSourcedId = <I extends { readonly sourcedId?: string | undefined }>(input: I) =>
    input.sourcedId === undefined ? { sourcedId: crypto.randomUUID(), ...input } : input as I & { sourcedId: string }

  const get: Gradebook.GradebookBackend["get"] = (resource, sourcedId, fields) => {
    const operation = resource.operations.get
    const read = apiRequest("GET", itemPath(resource, sourcedId), undefined, fields && { fields: fields.join(",") })
    return run(operation, "GET", itemRoute(resource), () =>
      exchange(
        operation,
        read,
        fields ? resource.decodeSinglePartial : resource.decodeSingle,
        (r, answer) => itemOf(operation, answer, sourcedId, r[resource.one], false)
      ))
  }

  /**
   * A PATCH answer: Timeback's contract says only "an object". `{ <one>: {...} }` is the stored
   * item; any other JSON object is `undefined` (the item is then read back with a GET); anything
   * else is a malformed answer.
   */
  const patchAnswer = (resource: Resource.Any) => (text: string) => {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    return typeof body === "object" && body !== null && !Array.isArray(body) && !(resource.one in body)
      ? Exit.succeed(undefined)
      : Exit.map(resource.decodeSingle(text), (r) => r[resource.one])
  }

  return Gradebook.make({
    create: (resource, input) =>
      Effect.suspend(() => {
        const item = withSourcedId(input)
        // The input schemas have no transformations (their encoded form is their decoded form, as
        // core's tests pin), so validated input is serialized as it is.
        const body = JSON.stringify({ [resource.one]: item })
        const path = `/${resource.name}`
        return Effect.map(
          creating(resource, resource.operations.create, path, path, body, [JSON.parse(body)[resource.one]]),
          (pairs) => pairs[0]!
        )
      }),

    createMany: (resource, scope, items) =>
      Effect.suspend(() => {
        const body = JSON.stringify({ [resource.name]: items.map(withSourcedId) })
        // what was sent, not the caller's objects (which may have changed since)
        const sent: ReadonlyArray<{ readonly sourcedId: string }> = JSON.parse(body)[resource.name]
        return creating(
          resource,
          Scope.operation("create", scope.route),
          Scope.path(scope),
          Scope.template(scope.route),
          body,
          sent
        )
      }),

    put: (resource, sourcedId, input) => {
      const operation = resource.operations.put
      const body = JSON.stringify({ [resource.one]: { sourcedId, ...input } })
      const write = apiRequest("PUT", itemPath(resource, sourcedId), body)
      return run(operation, "PUT", itemRoute(resource), () =>
        Effect.flatMap(governed(operation, write), (answer) =>
          // the official binding answers 201 without a body: what was sent is what is stored
          answer.status >= 200 && answer.status < 300 && answer.text.trim() === ""
            ? Effect.orDie(resource.decodeStored(JSON.parse(body)[resource.one]))
            : Effect.flatMap(
              decoded(operation, answer, resource.decodeSingle),
              (r) => itemOf(operation, answer, sourcedId, r[resource.one], true)
            )))
    },

    get,

    list: (resource, query, scope) => {
      const operation = scope ? Scope.operation("list", scope.route) : resource.operations.list
      const path = scope ? Scope.path(scope) : `/${resource.name}`
      const read = apiRequest("GET", path, undefined, listParams(query))
      const decode = query.fields ? resource.decodeListPartial : resource.decodeList
      return run(
        operation,
        "GET",
        scope ? Scope.template(scope.route) : path,
        () =>
          Effect.flatMap(
            governed(operation, read),
            (answer) =>
              Effect.map(decoded(operation, answer, decode), (body) => {
                const header = answer.headers["x-total-count"]
                const totalCount = body.totalCount ?? (header && /^\d+$/.test(header) ? Number(header) : undefined)
                const hasNext = linkHasNext(answer.headers["link"])
                return {
                  results: body.items,
                  offset: query.offset ?? body.offset ?? 0,
                  limit: query.limit ?? body.limit ?? 100,
                  ...(totalCount !== undefined && { totalCount }),
                  ...(hasNext !== undefined && { hasNext })
                }
              })
          )
      )
    },

    delete: (resource, sourcedId) => {
      const operation = resource.operations.delete
      const remove = apiRequest("DELETE", itemPath(resource, sourcedId))
      return run(
        operation,
        "DELETE",
        itemRoute(resource),
        (n) =>
          Effect.flatMap(governed(operation, remove), (answer) =>
            // a retry's 404: an earlier attempt, whose answer was lost, may have deleted it (as a
            // create's confirmed 409, the outcome asked for is there)
            answer.status === 404 && n > 1 ? Effect.void : decoded(operation, answer, decodeNothing))
      )
    },

    patch: (resource, sourcedId, patch) => {
      const operation = resource.operations.patch
      const write = apiRequest("PATCH", itemPath(resource, sourcedId), JSON.stringify({ [resource.one]: patch }))
      return Effect.flatMap(
        run(operation, "PATCH", itemRoute(resource), () =>
          exchange(
            operation,
            write,
            patchAnswer(resource),
            (item, answer) =>
              item === undefined ? Effect.succeed(undefined) : itemOf(operation, answer, sourcedId, item, true)
          )),
        (stored) => stored === undefined ? get(resource, sourcedId, undefined) : Effect.succeed(stored)
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
): Layer.Layer<Gradebook.Gradebook, Config.ConfigError, HttpClient.HttpClient> =>
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
): Layer.Layer<Gradebook.Gradebook, Config.ConfigError, HttpClient.HttpClient> =>
  withTokens(TimebackConfig.layerConfig(overrides))
