/** The sides measured: a hand-written fetch client (the floor), the bare platform client and the SDK. */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { ACCESS_TOKEN, fullInput } from "./fixtures.js"

export type Put = (i: number) => Promise<unknown>

const PATH = "/ims/oneroster/gradebook/v1p2/assessmentResults"

/** What anyone pays: fetch, JSON.stringify, JSON.parse, a static bearer header. */
export const baseline = (url: string): Put => (i) => {
  const sourcedId = `bench-${i}`
  return fetch(`${url}${PATH}/${sourcedId}`, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${ACCESS_TOKEN}`,
      "content-type": "application/json",
      accept: "application/json"
    },
    body: JSON.stringify({ assessmentResult: { ...fullInput, sourcedId } })
  }).then((r) => r.json())
}

/** The HttpClient the SDK and the bare platform side run on: undici on Node, as the README recommends. */
export type Transport = "undici" | "fetch"
const transports = { undici: NodeHttpClient.layerUndici, fetch: FetchHttpClient.layer }

/** The SDK: HttpGradebook (undici unless told; `tuning`: more layer options), input and output fully validated. */
export const sdk = (
  url: string,
  transport: Transport = "undici",
  tuning: { readonly maxRequestsPerSecond?: number; readonly rateLimit?: boolean } = {}
) => {
  const runtime = ManagedRuntime.make(
    HttpGradebook.layer({
      ...tuning,
      clientId: "bench",
      clientSecret: Redacted.make("bench-secret"),
      baseUrl: url,
      tokenUrl: `${url}/oauth2/token`
    }).pipe(Layer.provide(transports[transport]))
  )
  const put: Put = (i) => {
    const sourcedId = `bench-${i}`
    return runtime.runPromise(Gradebook.putAssessmentResult(sourcedId, { ...fullInput, sourcedId }))
  }
  return { put, runtime, dispose: () => runtime.dispose() }
}

/**
 * The floor of the stack the SDK is built on: the same request through effect's
 * HttpClient (undici) run by an Effect runtime, JSON parsed, nothing validated.
 */
export const platformOnly = (url: string) => {
  const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const put: Put = (i) => {
    const sourcedId = `bench-${i}`
    return runtime.runPromise(Effect.flatMap(HttpClient.HttpClient, (client) =>
      client.execute(
        HttpClientRequest.put(`${url}${PATH}/${sourcedId}`).pipe(
          HttpClientRequest.bearerToken(ACCESS_TOKEN),
          HttpClientRequest.acceptJson,
          HttpClientRequest.bodyText(
            JSON.stringify({ assessmentResult: { ...fullInput, sourcedId } }),
            "application/json"
          )
        )
      ).pipe(Effect.flatMap((response) => response.json))))
  }
  return { put, dispose: () => runtime.dispose() }
}

/** Warms the SDK: one call fetches and caches the token. */
export const warm = (put: Put) => put(-1)

/** Runs `total` calls with `concurrency` workers; returns the elapsed milliseconds. */
export const runConcurrent = async (put: Put, total: number, concurrency: number): Promise<number> => {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await put(next++)
  }))
  return performance.now() - started
}
