// Secrets never show: drive every error path with a known client secret and access token, and look
// for either in every way a user could render an error, in the logs and in the span attributes.
import { describe, expect, it } from "@effect/vitest"
import { GradebookError } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as References from "effect/References"
import type * as Tracer from "effect/Tracer"
import * as util from "node:util"
import { input, RESULTS, stack, withRecordedSpans } from "./fixtures.js"

const SECRET = "canary-secret-5e1d9c"

const renderings = (e: GradebookError.GradebookError): ReadonlyArray<string> => [
  String(e),
  e.message,
  JSON.stringify(e),
  util.inspect(e, { depth: Infinity }),
  Cause.pretty(Cause.fail(e)),
  Cause.pretty(Cause.die(e))
]

/** Runs `f` with every log line (all levels) and every span recorded. */
const observed = <A, E, R>(
  f: (seen: { readonly logs: Array<string>; readonly spans: Array<Tracer.Span> }) => Effect.Effect<A, E, R>
) =>
  withRecordedSpans((spans) => {
    const logs: Array<string> = []
    const logger = Logger.make(({ cause, fiber, message }) => {
      const annotations = fiber.getRef(References.CurrentLogAnnotations)
      logs.push(util.inspect({ message, annotations, cause: Cause.pretty(cause) }, { depth: Infinity }))
    })
    return f({ logs, spans: spans as Array<Tracer.Span> }).pipe(
      Effect.provide(Logger.layer([logger])),
      Effect.provideService(References.MinimumLogLevel, "All")
    )
  })

describe("canary: no secret or token in errors, logs or spans", () => {
  it.live.each(["form", "basic"] as const)(
    "every error path, client authentication %s",
    (clientAuthentication) =>
      observed(({ logs, spans }) =>
        Effect.gen(function*() {
          const { gradebook, server } = yield* stack({
            server: { clientSecret: SECRET },
            // rateLimit off: the Retry-After of 3600 below would otherwise pause this client for an hour
            config: { clientAuthentication, attemptTimeout: "1 second", tokenTimeout: "1 second", rateLimit: false }
          })
          const errors: Array<GradebookError.GradebookError> = []
          const collect = <A>(effect: Effect.Effect<A, GradebookError.GradebookError>) =>
            Effect.flip(effect).pipe(Effect.tap((e) => Effect.sync(() => errors.push(e))))
          // three attempts; a 401 is tried with the token and three fresh ones
          const status = (status: number, path = RESULTS, extra: object = {}) =>
            server.inject({ path, times: status === 401 ? 4 : 3, action: { _tag: "Status", status, ...extra } })

          yield* gradebook.putAssessmentResult("warm-up", input) // a real token is issued and used
          yield* collect(gradebook.createAssessmentResult({ ...input, scoreDate: "yesterday" }))
          for (const code of [400, 401, 403, 404, 409, 422, 500, 502, 503, 504]) {
            yield* status(code)
            yield* collect(gradebook.createAssessmentResult(input))
            yield* server.clearFaults
          }
          yield* status(429, RESULTS, { retryAfter: 3600 })
          yield* collect(gradebook.putAssessmentResult("ar-1", input))
          yield* server.inject({ path: RESULTS, action: { _tag: "Malformed", status: 201 } })
          yield* collect(gradebook.createAssessmentResult(input))
          yield* server.inject({ path: RESULTS, times: 3, action: { _tag: "Hang" } })
          yield* collect(gradebook.createAssessmentResult(input))
          // token endpoint failures: revoke so the next call must fetch a token
          for (
            const action of [
              { _tag: "Status", status: 401 },
              { _tag: "Status", status: 503 },
              { _tag: "Malformed", status: 200, body: `{"access_token":"","echo":"${SECRET}"}` },
              { _tag: "Hang" }
            ] as const
          ) {
            yield* server.revokeTokens
            yield* server.inject({ path: "/oauth2/token", action })
            yield* collect(gradebook.putAssessmentResult("ar-1", input))
          }
          const closed = yield* Effect.scoped(Effect.map(FakeTimebackServer.make(), (s) => s.baseUrl))
          const offline = yield* stack({
            server: { clientSecret: SECRET },
            config: { clientAuthentication, baseUrl: closed, tokenUrl: `${closed}/oauth2/token` }
          })
          yield* collect(offline.gradebook.createAssessmentResult(input))
          const wrong = yield* stack({ config: { clientSecret: Redacted.make(SECRET), clientAuthentication } })
          yield* collect(wrong.gradebook.createAssessmentResult(input))

          expect(new Set(errors.map((e) => e._tag))).toStrictEqual(
            new Set([
              "RequestError",
              "AuthError",
              "RateLimitError",
              "ServerError",
              "NoResponseError",
              "MalformedResponseError"
            ])
          )
          expect(errors.length).toBe(20)
          const tokens = [...(yield* server.issuedTokens), ...(yield* wrong.server.issuedTokens)]
          expect(tokens.length).toBeGreaterThan(0)
          const spanText = spans.map((s) =>
            util.inspect({ name: s.name, attributes: [...s.attributes.entries()] }, { depth: Infinity })
          )
          expect(spans.length).toBeGreaterThan(20)
          const haystacks = [...errors.flatMap(renderings), ...logs, ...spanText]
          for (const needle of [SECRET, Buffer.from(`demo-client:${SECRET}`).toString("base64"), ...tokens]) {
            for (const text of haystacks) expect(text).not.toContain(needle)
          }
          expect(logs.length).toBeGreaterThan(0)
        })
      )
  )
})
