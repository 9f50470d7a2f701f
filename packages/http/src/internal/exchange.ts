import { GradebookError } from "@timeback/core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { constTrue } from "effect/Function"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Predicate from "effect/Predicate"
import * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"

/** A complete answer: status, headers and the whole body, read within the timeout. */
export interface Answer {
  /** The URL the request went to. */
  readonly url: string
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
  readonly requestId: string | undefined
}

const causeCode = (u: unknown): string | undefined => {
  for (let cause = u, depth = 0; Predicate.isObject(cause) && depth < 5; cause = cause.cause, depth++) {
    if (typeof cause.code === "string") return cause.code
  }
  return undefined
}

/**
 * Describes a platform error without anything from the request but its method and URL (no
 * headers, no body: those may carry credentials).
 */
const describe = (e: HttpClientError.HttpClientError): string => {
  const reason = e.reason
  const code = causeCode(reason.cause)
  const where = `${reason.request.method} ${reason.request.url}`
  return "response" in reason
    ? `connection lost while reading the HTTP ${reason.response.status} body of ${where}${code ? ` (${code})` : ""}`
    : `${
      reason._tag === "TransportError" ? "could not reach" : `${reason._tag.replace(/Error$/, "")} error for`
    } ${where}${code ? ` (${code})` : ""}`
}

/**
 * Sends requests through `client` and reads whole answers; no answer (transport failure or
 * timeout) is a `NoResponseError`.
 *
 * The timeout is a timer that aborts the request through its `AbortSignal` (every
 * Effect `HttpClient` passes it to its transport), not `Effect.timeout`: the timer costs a
 * few microseconds where racing two forked fibers cost about 100 µs of CPU per attempt. It runs on
 * the system clock, not on Effect's `Clock`.
 *
 * Redirects are never followed: `fetch` is told `redirect: "manual"` (merged into any `RequestInit`
 * the caller provides; the Node clients do not follow), so a 3xx is an answer, and it becomes a
 * typed error naming where it points (`redirected`). Followed, a create would be a GET to the other
 * origin reported as the create, and a token request would re-post the client secret there.
 */
export const sender = (client: HttpClient.HttpClient) => {
  // requests scoped to a `Scope` the exchange owns: closing it aborts the request
  const scoped = HttpClient.withScope(client)
  return (
    request: HttpClientRequest.HttpClientRequest,
    timeout: Duration.Duration
  ): Effect.Effect<Answer, GradebookError.NoResponseError> =>
    Effect.suspend(() => {
      const scope = Scope.makeUnsafe()
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        Effect.runSync(Scope.close(scope, Exit.void))
      }, Duration.toMillis(timeout))
      return scoped.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.map(response.text, (text): Answer => ({
            url: response.url || response.request.url,
            status: response.status,
            headers: response.headers,
            text,
            requestId: response.headers["x-request-id"] ?? response.headers["x-amzn-requestid"]
          }))
        ),
        // one change of context per request: the scope, on the caller's context as `prepared` makes it
        Effect.updateContext((context: Context.Context<never>) => Context.add(prepared(context), Scope.Scope, scope)),
        Effect.mapError((e) =>
          timedOut
            ? new GradebookError.NoResponseError({
              reason: "Timeout",
              description: `no complete answer from ${request.method} ${request.url} within ${Duration.format(timeout)}`
            })
            : new GradebookError.NoResponseError({ reason: "Transport", description: describe(e) })
        ),
        Effect.onExit((exit) => {
          clearTimeout(timer)
          // a complete answer leaves nothing to abort (aborting costs a DOMException per call)
          return Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)
        })
      )
    })
}

/** The tracer every Effect runtime starts with, unless a layer or `Effect.withTracer` sets another. */
const builtInTracer = Effect.runSync(Effect.withFiber((fiber) => Effect.succeed(fiber.getRef(Tracer.Tracer))))

/**
 * Whether nothing can see a span made in `context`: the built-in tracer (no layer or
 * `Effect.withTracer` set an exporting one) and no span of the caller's to nest in. Then neither a
 * call's span nor the platform's `http.client` one is made (nor, so, a `traceparent` header from a
 * trace id no one holds): about 70 µs of CPU per call, measured with the transport mocked out.
 */
export const untraced = (context: Context.Context<never>): boolean =>
  Context.get(context, Tracer.Tracer) === builtInTracer &&
  Context.getOrUndefined(context, Tracer.ParentSpan) === undefined

/**
 * The caller's context as its requests are sent in: `redirect: "manual"` added, and the platform's
 * tracing off where it is `untraced`. Made once per context and kept (a runtime runs every call in
 * the same one): a call then changes its context once per request, for the request's scope.
 */
const preparedContexts = new WeakMap<Context.Context<any>, Context.Context<any>>()
const prepared = <R>(context: Context.Context<R>): Context.Context<R> => {
  let made = preparedContexts.get(context)
  if (made === undefined) {
    const manual = Context.add(context, FetchHttpClient.RequestInit, {
      ...Context.getOrUndefined(context, FetchHttpClient.RequestInit),
      redirect: "manual"
    })
    made = untraced(context) ? Context.add(manual, HttpClient.TracerDisabledWhen, constTrue) : manual
    preparedContexts.set(context, made)
  }
  return made
}

/** For a 3xx answer, what it says (it is never followed): where it points. `undefined` for any other. */
export const redirected = (answer: Answer, what: string): string | undefined =>
  answer.status >= 300 && answer.status < 400
    ? `${what} answered HTTP ${answer.status}, a redirect to ${
      answer.headers["location"] ?? "(no location)"
    }, which this client does not follow: check the URL it is configured with`
    : undefined

/**
 * `retry-after-ms`, or `Retry-After` as seconds or an HTTP date, in seconds (never negative). An
 * HTTP date is read against the answer's own `Date` header when it has a valid one (the server's
 * clock, whatever this machine's says), else against `now`.
 */
export const retryAfterSeconds = (headers: Headers.Headers, now: number): number | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms) / 1000
  const value = headers["retry-after"]?.trim()
  if (value === undefined || value === "") return undefined
  if (/^\d+$/.test(value)) return Number(value)
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  const served = headers["date"] === undefined ? Number.NaN : Date.parse(headers["date"])
  return Math.max(0, Math.ceil((date - (Number.isNaN(served) ? now : served)) / 1000))
}

/** A non-2xx answer as its member of the error union (`Retry-After` read against the current time). */
export const failure = (operation: string, answer: Answer): Effect.Effect<GradebookError.GradebookError> =>
  Effect.map(Clock.currentTimeMillis, (now): GradebookError.GradebookError => {
    const redirect = redirected(answer, "the API")
    return redirect !== undefined
      ? new GradebookError.RequestError({
        operation,
        status: answer.status,
        description: redirect,
        ...(answer.requestId && { requestId: answer.requestId })
      })
      : GradebookError.fromResponse({
        operation,
        status: answer.status,
        body: answer.text,
        requestId: answer.requestId,
        retryAfter: retryAfterSeconds(answer.headers, now)
      })
  })
