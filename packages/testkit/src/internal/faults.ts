/** The fake server's fault script: which requests get which fault, and how a fault answers. */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import type * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import type { ServerResponse } from "node:http"
import * as WireError from "../WireError.js"

/**
 * What the server does to a request a fault matches.
 *
 * - `Status`: answer with this status and an imsx body (plus `Retry-After` / `retry-after-ms`); nothing is written.
 * - `Delay`: wait, then handle the request normally.
 * - `Hang`: never answer.
 * - `Malformed`: answer `status` (default 200) with a body in the route's shape but not what the
 *   route sends (a mistyped field); nothing is written.
 * - `Truncated`: send headers announcing the route's full body, half of it, then close the socket; nothing is written.
 * - `StallBody`: send headers and the first bytes of the route's body, then nothing more; nothing is written.
 * - `DropAfterCommit`: handle the request (the write is stored), then close the socket without answering.
 * - `Redirect`: answer `status` (default 302) with `Location: location`; nothing is written.
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
  | { readonly _tag: "Redirect"; readonly location: string; readonly status?: 301 | 302 | 303 | 307 | 308 }

/**
 * A scripted fault: applies to the next `times` (default 1) requests matching `method` and `path`
 * (a string matches that path and everything below it; a RegExp is tested against the path and
 * query string, e.g. `/offset=600/` for one page of a list).
 */
export interface Fault {
  readonly method?: string
  readonly path?: string | RegExp
  readonly times?: number
  readonly action: FaultAction
}

/** What a route answers: a create's pairs, one item, a list, or nothing. */
export type Shape =
  | { readonly _tag: "Created" }
  | { readonly _tag: "CreatedMany" }
  | { readonly _tag: "Single"; readonly key: string }
  | { readonly _tag: "List"; readonly key: string }
  | { readonly _tag: "Nothing" }

const pathMatches = (fault: Fault, method: string, url: string) => {
  const path = new URL(url, "http://x").pathname
  return (fault.method === undefined || fault.method.toUpperCase() === method) &&
    (fault.path === undefined ||
      (typeof fault.path === "string"
        ? path === fault.path || path.startsWith(`${fault.path}/`)
        : fault.path.test(url)))
}

/** A body in the route's shape that its client must refuse: a sourcedId that is a number. */
const malformedBody = (shape: Shape) => {
  switch (shape._tag) {
    case "Created":
      return { sourcedIdPairs: { suppliedSourcedId: 42 } }
    case "CreatedMany":
      return { sourcedIdPairs: [{ suppliedSourcedId: 42 }] }
    case "Single":
      return { [shape.key]: { sourcedId: 42 } }
    case "List":
      return { [shape.key]: [{ sourcedId: 42 }] }
    case "Nothing":
      return { unexpected: true }
  }
}

/** A well-formed body of the route's shape, to cut short. */
const wholeBody = (shape: Shape) => {
  const pair = { suppliedSourcedId: "truncated", allocatedSourcedId: "truncated" }
  switch (shape._tag) {
    case "Created":
      return { sourcedIdPairs: pair }
    case "CreatedMany":
      return { sourcedIdPairs: [pair] }
    case "Single":
      return { [shape.key]: { sourcedId: "truncated", status: "active" } }
    case "List":
      return { [shape.key]: [{ sourcedId: "truncated", status: "active" }] }
    case "Nothing":
      return {}
  }
}

export const make = () => {
  const faults: Array<{ fault: Fault; remaining: number }> = []
  return {
    inject: (fault: Fault) => void faults.push({ fault, remaining: fault.times ?? 1 }),
    clear: () => void faults.splice(0),
    /** The action for this request, if a fault matches (counting it down). */
    take: (method: string, url: string): FaultAction | undefined => {
      const entry = faults.find((f) => f.remaining > 0 && pathMatches(f.fault, method, url))
      if (!entry) return undefined
      entry.remaining -= 1
      if (entry.remaining === 0) faults.splice(faults.indexOf(entry), 1)
      return entry.fault.action
    }
  }
}

/**
 * How the server answers a faulted request. `handle` is the normal handling, `shape` what the
 * route answers, `errorShape` how imsx bodies are wrapped.
 */
export const apply = <E, R>(options: {
  readonly action: FaultAction
  readonly request: HttpServerRequest.HttpServerRequest
  readonly requestId: string
  readonly shape: Shape
  readonly errorShape: "top" | "statusInfoSet"
  readonly handle: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
}): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R> => {
  const { action, request } = options
  switch (action._tag) {
    case "Status": {
      const headers: Record<string, string> = {}
      if (action.retryAfter !== undefined) headers["retry-after"] = String(action.retryAfter)
      if (action.retryAfterMs !== undefined) headers["retry-after-ms"] = String(action.retryAfterMs)
      const response = action.body !== undefined
        ? HttpServerResponse.text(action.body, { status: action.status, contentType: "application/json" })
        : HttpServerResponse.jsonUnsafe(
          WireError.body(WireError.make(action.status, `Injected ${action.status}`, ["request"]), options.errorShape),
          { status: action.status }
        )
      return Effect.succeed(HttpServerResponse.setHeaders(response, headers))
    }
    case "Redirect":
      return Effect.succeed(
        HttpServerResponse.text("Moved", { status: action.status ?? 302, headers: { location: action.location } })
      )
    case "Delay":
      return Effect.andThen(Effect.sleep(action.millis), options.handle)
    case "Hang":
      return Effect.never
    case "Malformed":
      return Effect.succeed(
        HttpServerResponse.text(action.body ?? JSON.stringify(malformedBody(options.shape)), {
          status: action.status ?? 200,
          contentType: "application/json"
        })
      )
    case "Truncated":
    case "StallBody":
      return Effect.andThen(
        Effect.sync(() => {
          const res = NodeHttpServerRequest.toServerResponse(request) as ServerResponse
          const body = JSON.stringify(wholeBody(options.shape))
          res.writeHead(200, {
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(body)),
            "x-request-id": options.requestId
          })
          res.write(body.slice(0, Math.floor(body.length / 2)), () => {
            if (action._tag === "Truncated") res.socket?.destroy()
          })
        }),
        Effect.never
      )
    case "DropAfterCommit":
      return options.handle.pipe(
        Effect.andThen(Effect.sync(() => NodeHttpServerRequest.toServerResponse(request).socket?.destroy())),
        Effect.andThen(Effect.never)
      )
  }
}
