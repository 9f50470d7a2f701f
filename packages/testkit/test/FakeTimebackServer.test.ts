import { describe, expect, it } from "@effect/vitest"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

const RESULTS = FakeTimebackServer.ASSESSMENT_RESULTS_PATH

const result = {
  status: "active",
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-01T10:00:00Z",
  score: 88
}

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: any
}

const call = (url: string, init: RequestInit = {}) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(url, init)
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  })

/** Runs `f` against a fresh server. */
const withServer = <A, E>(
  f: (server: FakeTimebackServer.FakeTimebackServerService) => Effect.Effect<A, E>,
  options?: FakeTimebackServer.ServerOptions
) => Effect.flatMap(FakeTimebackServer.make(options), f)

const tokenRequest = (server: FakeTimebackServer.FakeTimebackServerService, form: Record<string, string>) =>
  call(server.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString()
  })

const credentials = (server: FakeTimebackServer.FakeTimebackServerService) => ({
  grant_type: "client_credentials",
  client_id: server.clientId,
  client_secret: Redacted.value(server.clientSecret)
})

const getToken = (server: FakeTimebackServer.FakeTimebackServerService) =>
  Effect.map(tokenRequest(server, credentials(server)), (a) => a.json.access_token as string)

const api = (
  server: FakeTimebackServer.FakeTimebackServerService,
  token: string,
  method: string,
  path: string,
  body?: unknown
) =>
  call(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) })
  })

const expectImsx = (answer: Answer, status: number, codeMinor: string, description: RegExp) => {
  expect(answer.status).toBe(status)
  expect(answer.headers.get("x-request-id")).toMatch(/^req-\d+$/)
  expect(answer.json).toMatchObject({
    imsx_codeMajor: "failure",
    imsx_severity: "error",
    imsx_CodeMinor: {
      imsx_codeMinorField: expect.arrayContaining([expect.objectContaining({ imsx_codeMinorFieldValue: codeMinor })])
    }
  })
  expect(answer.json.imsx_description).toMatch(description)
}

describe("token endpoint", () => {
  it.live("issues a bearer token for form-body credentials", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const answer = yield* tokenRequest(server, {
          ...credentials(server),
          scope: "https://purl.imsglobal.org/spec/or/v1p1/scope/gradebook.createput"
        })
        expect(answer.status).toBe(200)
        expect(answer.headers.get("cache-control")).toBe("no-store")
        expect(answer.json).toStrictEqual({
          access_token: expect.stringMatching(/^tok_/),
          expires_in: 3600,
          token_type: "Bearer",
          scope: "https://purl.imsglobal.org/spec/or/v1p1/scope/gradebook.createput"
        })
      })
    ))

  it.live("issues a bearer token for HTTP Basic client authentication, with a configured lifetime", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const basic = Buffer.from(`${server.clientId}:${Redacted.value(server.clientSecret)}`).toString("base64")
        const answer = yield* call(server.tokenUrl, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
          body: "grant_type=client_credentials"
        })
        expect(answer.status).toBe(200)
        expect(answer.json.expires_in).toBe(60)
        expect(answer.json.token_type).toBe("Bearer")
      }), { tokenLifetimeSeconds: 60 }))

  it.live("answers RFC 6749 errors", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const cases: Array<[Record<string, string>, number, string]> = [
          [{ ...credentials(server), client_secret: "wrong" }, 401, "invalid_client"],
          [{ ...credentials(server), client_id: "someone-else" }, 401, "invalid_client"],
          [{ client_id: server.clientId, client_secret: "x" }, 400, "invalid_request"],
          [{ ...credentials(server), grant_type: "password" }, 400, "unsupported_grant_type"],
          [{ grant_type: "client_credentials" }, 400, "invalid_request"]
        ]
        for (const [form, status, error] of cases) {
          const answer = yield* tokenRequest(server, form)
          expect([answer.status, answer.json.error]).toStrictEqual([status, error])
          expect(answer.json.error_description).toEqual(expect.any(String))
        }
      })
    ))
})

describe("gradebook endpoints", () => {
  it.live("POST answers 201 { sourcedIdPairs }, keeping a supplied sourcedId or allocating a uuid", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        const supplied = yield* api(server, token, "POST", RESULTS, {
          assessmentResult: { ...result, sourcedId: "ar-1" }
        })
        expect(supplied.status).toBe(201)
        expect(supplied.json).toStrictEqual({
          sourcedIdPairs: { suppliedSourcedId: "ar-1", allocatedSourcedId: "ar-1" }
        })
        expect(supplied.headers.get("x-request-id")).toMatch(/^req-\d+$/)
        const allocated = yield* api(server, token, "POST", RESULTS, { assessmentResult: result })
        expect(allocated.status).toBe(201)
        expect(allocated.json.sourcedIdPairs.allocatedSourcedId).toMatch(/^[0-9a-f-]{36}$/)
        expect((yield* server.store.all).length).toBe(2)
      })
    ))

  it.live("PUT upserts and answers 201 { assessmentResult }; GET reads it back", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        const created = yield* api(server, token, "PUT", `${RESULTS}/ar-2`, { assessmentResult: result })
        expect(created.status).toBe(201)
        expect(created.json).toStrictEqual({
          assessmentResult: {
            ...result,
            sourcedId: "ar-2",
            status: "active",
            dateLastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
          }
        })
        const updated = yield* api(server, token, "PUT", `${RESULTS}/ar-2`, {
          assessmentResult: { ...result, sourcedId: "ar-2", score: 99 }
        })
        expect(updated.json.assessmentResult.score).toBe(99)
        const read = yield* api(server, token, "GET", `${RESULTS}/ar-2`)
        expect(read.status).toBe(200)
        expect(read.json).toStrictEqual(updated.json)
      })
    ))

  it.live("PUT can answer like the official binding: 201 with no body", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        const answer = yield* api(server, token, "PUT", `${RESULTS}/ar-3`, { assessmentResult: result })
        expect([answer.status, answer.text]).toStrictEqual([201, ""])
      }), { putResponse: "empty" }))

  it.live("answers 400, 404, 409 and 422 with imsx bodies naming the problem", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        expectImsx(yield* api(server, token, "POST", RESULTS, "{not json"), 400, "invaliddata", /not valid JSON/)
        // Timeback's contract first: the body's key, then every field its schema refuses
        expectImsx(
          yield* api(server, token, "POST", RESULTS, { result }),
          422,
          "invaliddata",
          /assessmentResult: is required/
        )
        const invalid = yield* api(server, token, "POST", RESULTS, {
          assessmentResult: { ...result, scoreDate: "2024-09-01", status: undefined }
        })
        expectImsx(invalid, 422, "invaliddata", /scoreDate: must be an RFC 3339 date-time/)
        expect(invalid.json.imsx_CodeMinor.imsx_codeMinorField.map((f: any) => f.imsx_codeMinorFieldName))
          .toStrictEqual(["assessmentResult.status", "assessmentResult.scoreDate"])
        // then what the contract leaves open and the store refuses (an empty reference)
        const empty = yield* api(server, token, "POST", RESULTS, {
          assessmentResult: { ...result, student: { sourcedId: "" } }
        })
        expectImsx(empty, 422, "invaliddata", /student\.sourcedId/)
        const mismatch = yield* api(server, token, "PUT", `${RESULTS}/ar-1`, {
          assessmentResult: { ...result, sourcedId: "ar-2" }
        })
        expectImsx(mismatch, 422, "invaliddata", /does not match/)
        expectImsx(yield* api(server, token, "GET", `${RESULTS}/nope`), 404, "unknownobject", /nope not found/)
        yield* api(server, token, "POST", RESULTS, { assessmentResult: { ...result, sourcedId: "ar-1" } })
        const conflict = yield* api(server, token, "POST", RESULTS, {
          assessmentResult: { ...result, sourcedId: "ar-1" }
        })
        expectImsx(conflict, 409, "invaliddata", /already exists/)
        expect((yield* server.store.all).length).toBe(1)
      })
    ))

  it.live("can wrap error bodies in statusInfoSet", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        const answer = yield* api(server, token, "GET", `${RESULTS}/nope`)
        expect(answer.status).toBe(404)
        expect(answer.json.statusInfoSet[0].imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue)
          .toBe("unknownobject")
      }), { errorShape: "statusInfoSet" }))

  it.live("answers 401 for a missing, unknown, expired or revoked token", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const missing = yield* call(`${server.baseUrl}${RESULTS}/x`)
        expectImsx(missing, 401, "unauthorisedrequest", /token/)
        expect(missing.headers.get("www-authenticate")).toContain("invalid_token")
        expectImsx(yield* api(server, "tok_made_up", "GET", `${RESULTS}/x`), 401, "unauthorisedrequest", /token/)
        yield* server.setTokenLifetime(0)
        const expired = yield* getToken(server)
        expectImsx(yield* api(server, expired, "GET", `${RESULTS}/x`), 401, "unauthorisedrequest", /token/)
        yield* server.setTokenLifetime(3600)
        const revoked = yield* getToken(server)
        expect((yield* api(server, revoked, "GET", `${RESULTS}/x`)).status).toBe(404)
        yield* server.revokeTokens
        expect((yield* api(server, revoked, "GET", `${RESULTS}/x`)).status).toBe(401)
      })
    ))

  it.live("records every request with the Authorization header and client_secret redacted", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* api(server, token, "PUT", `${RESULTS}/ar-1?x=1`, { assessmentResult: result })
        const [tokenReq, putReq] = yield* server.requests
        expect(tokenReq!.body).toContain("client_secret=[redacted]")
        expect(tokenReq!.body).not.toContain(Redacted.value(server.clientSecret))
        expect(putReq).toMatchObject({ method: "PUT", url: `${RESULTS}/ar-1?x=1` })
        expect(putReq!.headers.authorization).toBe("Bearer [redacted]")
        expect(JSON.parse(putReq!.body)).toStrictEqual({ assessmentResult: result })
        expect(JSON.stringify(yield* server.requests)).not.toContain(token)
      })
    ))
})

describe("fault script", () => {
  it.live("Status answers the next N matching requests with a status and Retry-After, then recovers", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* server.inject({
          method: "POST",
          path: RESULTS,
          times: 2,
          action: { _tag: "Status", status: 503, retryAfter: 1 }
        })
        const write = api(server, token, "POST", RESULTS, { assessmentResult: result })
        const first = yield* write
        expectImsx(first, 503, "server_busy", /Injected 503/)
        expect(first.headers.get("retry-after")).toBe("1")
        expect((yield* write).status).toBe(503)
        expect((yield* write).status).toBe(201)
        expect((yield* server.store.all).length).toBe(1)
        // a fault for another method or path does not match
        yield* server.inject({ method: "GET", action: { _tag: "Status", status: 500 } })
        expect((yield* write).status).toBe(201)
        yield* server.inject({
          path: server.tokenUrl.replace(server.baseUrl, ""),
          action: { _tag: "Status", status: 429, retryAfterMs: 250 }
        })
        const limited = yield* tokenRequest(server, credentials(server))
        expect([limited.status, limited.headers.get("retry-after-ms")]).toStrictEqual([429, "250"])
      })
    ))

  it.live("Delay answers normally after the delay", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* server.inject({ action: { _tag: "Delay", millis: 300 } })
        const started = Date.now()
        const answer = yield* api(server, token, "PUT", `${RESULTS}/ar-1`, { assessmentResult: result })
        expect(answer.status).toBe(201)
        expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      })
    ))

  it.live("Hang never answers, and the server still shuts down", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* server.inject({ action: { _tag: "Hang" } })
        const outcome = yield* Effect.promise(() =>
          fetch(`${server.baseUrl}${RESULTS}/x`, {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(300)
          }).then(() => "answered", (e: Error) => e.name)
        )
        expect(outcome).toBe("TimeoutError")
      })
    ))

  it.live("Malformed answers in the shape of the route it hits, mistyped, and writes nothing", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* server.inject({ times: 3, action: { _tag: "Malformed", status: 201 } })
        const answer = yield* api(server, token, "POST", RESULTS, { assessmentResult: result })
        expect(answer.status).toBe(201)
        expect(answer.json).toStrictEqual({ sourcedIdPairs: { suppliedSourcedId: 42 } })
        expect(yield* server.store.all).toStrictEqual([])
        const got = yield* api(server, token, "GET", `${FakeTimebackServer.BASE_PATH}/lineItems/li-1`)
        expect(got.json).toStrictEqual({ lineItem: { sourcedId: 42 } })
        const listed = yield* api(server, token, "GET", `${FakeTimebackServer.BASE_PATH}/classes/c-1/results`)
        expect(listed.json).toStrictEqual({ results: [{ sourcedId: 42 }] })
      })
    ))

  it.live("Truncated sends part of the announced body and closes the socket", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* server.inject({ action: { _tag: "Truncated" } })
        const outcome = yield* Effect.promise(async () => {
          const response = await fetch(`${server.baseUrl}${RESULTS}/x`, {
            headers: { authorization: `Bearer ${token}` }
          })
          return response.text().then(() => "complete", (e: Error) => `${response.status} ${e.name}`)
        })
        expect(outcome).toBe("200 TypeError")
      })
    ))

  it.live("StallBody sends headers, then stalls the body", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* server.inject({ action: { _tag: "StallBody" } })
        const signal = AbortSignal.timeout(500)
        const outcome = yield* Effect.promise(async () => {
          const response = await fetch(`${server.baseUrl}${RESULTS}/x`, {
            headers: { authorization: `Bearer ${token}` },
            signal
          })
          return response.text().then(() => "complete", (e: Error) => `${response.status} ${e.name}`)
        })
        expect(outcome).toBe("200 TimeoutError")
      })
    ))

  it.live("DropAfterCommit stores the write, then closes the socket without answering", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const token = yield* getToken(server)
        yield* server.inject({ method: "POST", action: { _tag: "DropAfterCommit" } })
        const outcome = yield* Effect.promise(() =>
          fetch(`${server.baseUrl}${RESULTS}`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({ assessmentResult: { ...result, sourcedId: "ar-dropped" } })
          }).then(
            (r) => `answered ${r.status}`,
            (e: Error) => `${e.name}: ${String((e.cause as any)?.code ?? e.cause)}`
          )
        )
        expect(outcome).toMatch(/^TypeError: (UND_ERR_SOCKET|ECONNRESET|SocketError)/)
        expect((yield* server.store.all).map((r) => r.sourcedId)).toStrictEqual(["ar-dropped"])
        expect((yield* server.requests).at(-1)!.fault).toBe("DropAfterCommit")
      })
    ))
})
