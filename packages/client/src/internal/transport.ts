/**
 * The client's transport: an Effect `HttpClient` over undici's `Dispatcher.request` (the fastest
 * way Node sends a request; `fetch` costs about six times its CPU), or over a `fetch` the caller
 * brings. It stands in for `@effect/platform-node`'s undici client, whose package would bring a
 * Redis client and `ws` into every install of `@timeback/client`. It sends what the SDK sends (an
 * empty or a byte body) and reads whole answers; timeouts and aborts come from the request's signal.
 */
import * as Effect from "effect/Effect"
import * as Cookies from "effect/http/Cookies"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Stream from "effect/Stream"
import type { Dispatcher } from "undici"

// loaded when the first client is built, not when the package is imported (about 80 ms of a cold start)
const loadUndici = Effect.promise(() => import("undici"))

/** How the client sends: its own undici `Agent` (the default), a caller's `Dispatcher`, or a caller's `fetch`. */
export interface Options {
  readonly dispatcher?: Dispatcher | undefined
  readonly fetch?: typeof globalThis.fetch | undefined
}

/** The `HttpClient` layer for `options`: a dispatcher or fetch given is the caller's, and never closed here. */
export const layer = (options: Options): Layer.Layer<HttpClient.HttpClient> =>
  options.fetch !== undefined
    ? Layer.provide(FetchHttpClient.layer, Layer.succeed(FetchHttpClient.Fetch, options.fetch))
    : Layer.effect(HttpClient.HttpClient)(
      Effect.map(
        options.dispatcher !== undefined
          ? Effect.succeed(options.dispatcher)
          : Effect.acquireRelease(
            Effect.map(loadUndici, (undici) => new undici.Agent()),
            (agent) => Effect.promise(() => agent.destroy())
          ),
        undiciClient
      )
    )

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })

const undiciClient = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) => {
    const body = request.body
    if (body._tag !== "Empty" && body._tag !== "Uint8Array") {
      return Effect.fail(transportError(request, new Error(`a ${body._tag} body is not sent by this transport`)))
    }
    return Effect.tryPromise({
      try: () =>
        dispatcher.request({
          method: request.method,
          origin: url.origin,
          path: url.pathname + url.search,
          headers: request.headers,
          body: body._tag === "Empty" ? null : body.body,
          signal,
          // the SDK's own timer aborts through `signal`
          headersTimeout: 0,
          bodyTimeout: 0
        }),
      catch: (cause) => transportError(request, cause)
    }).pipe(Effect.map((source) => new UndiciResponse(request, source, url.href.split("#")[0]!)))
  })

type Source = Dispatcher.ResponseData

const utf8 = new TextDecoder()

/** An undici answer as an `HttpClientResponse`: the body read once, as bytes, when first asked for. */
class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: typeof HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: string
  readonly #source: Source
  #bytes: Promise<ArrayBuffer> | undefined
  #headers: Headers.Headers | undefined

  constructor(request: HttpClientRequest.HttpClientRequest, source: Source, url: string) {
    super()
    this.request = request
    this.#source = source
    this.url = url
    // a body left unread must not crash the process when its connection fails
    source.body.on("error", () => {})
  }

  get status(): number {
    return this.#source.statusCode
  }

  get headers(): Headers.Headers {
    return this.#headers ??= Headers.fromInput(this.#source.headers as Headers.Input)
  }

  get cookies(): Cookies.Cookies {
    const header = this.#source.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(header)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    return this.#read((bytes) => bytes)
  }

  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return this.#read((bytes) => utf8.decode(bytes))
  }

  /** The body's bytes, read once however often they are asked for, as `f` makes them. */
  #read<A>(f: (bytes: ArrayBuffer) => A): Effect.Effect<A, HttpClientError.HttpClientError> {
    return Effect.tryPromise({
      try: () => (this.#bytes ??= this.#source.body.arrayBuffer()).then(f),
      catch: (cause) =>
        new HttpClientError.HttpClientError({
          reason: new HttpClientError.DecodeError({ request: this.request, response: this, cause })
        })
    })
  }

  get json() {
    return Effect.flatMap(this.#web, (web) => web.json)
  }

  get urlParamsBody() {
    return Effect.flatMap(this.#web, (web) => web.urlParamsBody)
  }

  get formData() {
    return Effect.flatMap(this.#web, (web) => web.formData)
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return Stream.unwrap(Effect.map(this.#web, (web) => web.stream))
  }

  get upgrade() {
    return Effect.flatMap(this.#web, (web) => web.upgrade)
  }

  /** What the SDK never reads, from a web `Response` over the bytes. */
  get #web(): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> {
    return Effect.map(this.arrayBuffer, (bytes) =>
      HttpClientResponse.fromWeb(
        this.request,
        new Response(this.status === 204 || this.status === 304 ? null : bytes, {
          status: this.status,
          headers: this.headers
        })
      ))
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }

  pipe() {
    // eslint-disable-next-line prefer-rest-params -- `Pipeable` takes the call's own arguments object
    return pipeArguments(this, arguments)
  }
}
