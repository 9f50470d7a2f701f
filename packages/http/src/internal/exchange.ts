import type * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { GradebookError } from "@timeback/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"

/** A complete answer: status, headers and the whole body, read within the timeout. */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
  readonly requestId: string | undefined
}

const causeCode = (u: unknown): string | undefined => {
  for (let cause = u, depth = 0; Predicate.isRecord(cause) && depth < 5; cause = cause.cause, depth++) {
    if (typeof cause.code === "string") return cause.code
  }
  return undefined
}

/**
 * Describes a platform error without anything from the request but its method and URL (no
 * headers, no body: those may carry credentials).
 */
const describe = (e: HttpClientError.HttpClientError): string => {
  const code = causeCode(e.cause)
  const where = `${e.request.method} ${e.request.url}`
  return e._tag === "ResponseError"
    ? `connection lost while reading the HTTP ${e.response.status} body of ${where}${code ? ` (${code})` : ""}`
    : `${e.reason === "Transport" ? "could not reach" : `${e.reason} error for`} ${where}${code ? ` (${code})` : ""}`
}

/** Sends a request and reads the whole answer; no answer (transport failure or timeout) is a `NoResponseError`. */
export const send = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  timeout: Duration.Duration
): Effect.Effect<Answer, GradebookError.NoResponseError> =>
  client.execute(request).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.text, (text): Answer => ({
        status: response.status,
        headers: response.headers,
        text,
        requestId: response.headers["x-request-id"] ?? response.headers["x-amzn-requestid"]
      }))
    ),
    Effect.mapError((e) => new GradebookError.NoResponseError({ reason: "Transport", description: describe(e) })),
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () =>
        new GradebookError.NoResponseError({
          reason: "Timeout",
          description: `no complete answer from ${request.method} ${request.url} within ${Duration.format(timeout)}`
        })
    })
  )

/** `retry-after-ms`, or `Retry-After` as seconds or an HTTP date, in seconds (never negative). */
export const retryAfterSeconds = (headers: Headers.Headers, now: number): number | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms) / 1000
  const value = headers["retry-after"]?.trim()
  if (value === undefined || value === "") return undefined
  if (/^\d+$/.test(value)) return Number(value)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}
