import { describe, expect, it } from "@effect/vitest"
import { GradebookError } from "@timeback/core"
import * as Schema from "effect/Schema"

const topLevel = JSON.stringify({
  imsx_codeMajor: "failure",
  imsx_severity: "error",
  imsx_description: "scoreDate must be a date",
  imsx_CodeMinor: {
    imsx_codeMinorField: [{ imsx_codeMinorFieldName: "TargetEndSystem", imsx_codeMinorFieldValue: "invaliddata" }]
  },
  imsx_error_details: [{ path: "scoreDate" }]
})

const wrapped = JSON.stringify({
  statusInfoSet: [{
    imsx_codeMajor: "failure",
    imsx_severity: "error",
    imsx_description: "Assessment result ar-404 not found",
    imsx_CodeMinor: {
      imsx_codeMinorField: [{ imsx_codeMinorFieldName: "sourcedId", imsx_codeMinorFieldValue: "unknownobject" }]
    }
  }]
})

describe("parseImsx", () => {
  it("reads the top-level shape", () => {
    expect(GradebookError.parseImsx(JSON.parse(topLevel))).toStrictEqual({
      codeMajor: "failure",
      severity: "error",
      description: "scoreDate must be a date",
      codeMinor: [{ name: "TargetEndSystem", value: "invaliddata" }],
      details: [{ path: "scoreDate" }]
    })
  })

  it("reads the statusInfoSet shape", () => {
    expect(GradebookError.parseImsx(JSON.parse(wrapped))).toStrictEqual({
      codeMajor: "failure",
      severity: "error",
      description: "Assessment result ar-404 not found",
      codeMinor: [{ name: "sourcedId", value: "unknownobject" }]
    })
  })

  it("returns undefined for bodies that are not imsx", () => {
    expect(GradebookError.parseImsx({ hello: "world" })).toBeUndefined()
    expect(GradebookError.parseImsx("text")).toBeUndefined()
    expect(GradebookError.parseImsx(null)).toBeUndefined()
  })
})

describe("fromResponse", () => {
  it.each([
    [400, "RequestError"],
    [403, "RequestError"],
    [404, "RequestError"],
    [409, "RequestError"],
    [422, "RequestError"],
    [401, "AuthError"],
    [429, "RateLimitError"],
    [500, "ServerError"],
    [502, "ServerError"],
    [503, "ServerError"],
    [504, "ServerError"]
  ])("maps %i to %s", (status, tag) => {
    const e = GradebookError.fromResponse({ status, body: topLevel })
    expect(e._tag).toBe(tag)
    expect(e.status).toBe(status)
  })

  it("builds an actionable message from a top-level imsx body", () => {
    const e = GradebookError.fromResponse({
      status: 422,
      body: topLevel,
      requestId: "req-42",
      attempts: 1,
      operation: "createAssessmentResult"
    })
    expect(e.message).toBe(
      "createAssessmentResult: request rejected (HTTP 422 invaliddata): scoreDate must be a date [request id req-42; after 1 attempt]"
    )
    expect(e.imsx?.codeMinor[0]?.value).toBe("invaliddata")
  })

  it("builds an actionable message from a statusInfoSet body; 404 and 409 are told apart by status", () => {
    const e = GradebookError.fromResponse({ status: 404, body: wrapped, requestId: "r-1" })
    expect(e._tag).toBe("RequestError")
    expect(e.status).toBe(404)
    expect(e.message).toBe(
      "request rejected (HTTP 404 unknownobject): Assessment result ar-404 not found [request id r-1]"
    )
    expect(GradebookError.fromResponse({ status: 409, body: wrapped }).status).toBe(409)
  })

  it("copes with a body without description", () => {
    const body = JSON.stringify({
      imsx_codeMajor: "failure",
      imsx_severity: "error",
      imsx_CodeMinor: {
        imsx_codeMinorField: [{ imsx_codeMinorFieldName: "x", imsx_codeMinorFieldValue: "server_busy" }]
      }
    })
    const e = GradebookError.fromResponse({ status: 503, body, attempts: 3 })
    expect(e._tag).toBe("ServerError")
    expect(e.description).toBeUndefined()
    expect(e.message).toBe("server error (HTTP 503 server_busy) [after 3 attempts]")
  })

  it("copes with a non-JSON body, keeping a short excerpt", () => {
    const html = `<html><body><h1>502 Bad Gateway</h1>${"x".repeat(500)}</body></html>`
    const e = GradebookError.fromResponse({ status: 502, body: html, requestId: "amzn-1" })
    expect(e._tag).toBe("ServerError")
    expect(e.message).toMatch(
      /^server error \(HTTP 502\): non-JSON body: <html><body><h1>502 Bad Gateway<\/h1>x+… \[request id amzn-1\]$/
    )
    expect(e.description!.length).toBeLessThan(250)
  })

  it("copes with an empty body and with a plain { message } body", () => {
    expect(GradebookError.fromResponse({ status: 500 }).message).toBe("server error (HTTP 500)")
    expect(GradebookError.fromResponse({ status: 403, body: "{\"message\":\"Forbidden\"}" }).message)
      .toBe("request rejected (HTTP 403): Forbidden")
  })

  it("keeps retryAfter on a 429", () => {
    const e = GradebookError.fromResponse({ status: 429, body: "", retryAfter: 30 })
    expect(e).toBeInstanceOf(GradebookError.RateLimitError)
    expect((e as GradebookError.RateLimitError).retryAfter).toBe(30)
    expect(e.message).toBe("rate limited (HTTP 429) [retry after 30 s]")
  })
})

describe("the union", () => {
  it("classifies transient errors", () => {
    const transient = [408, 429, 500, 502, 503, 504].map((status) => GradebookError.fromResponse({ status }))
    const permanent = [400, 401, 403, 404, 409, 422, 501].map((status) => GradebookError.fromResponse({ status }))
    expect(transient.map(GradebookError.isTransient)).toStrictEqual(transient.map(() => true))
    expect(permanent.map(GradebookError.isTransient)).toStrictEqual(permanent.map(() => false))
    expect(GradebookError.isTransient(new GradebookError.NoResponseError({ reason: "Timeout" }))).toBe(true)
    expect(GradebookError.isTransient(new GradebookError.MalformedResponseError({ status: 200 }))).toBe(false)
  })

  it("annotate records attempts and operation on a copy of the same member", () => {
    const e = GradebookError.fromResponse({ status: 503, body: wrapped })
    const counted = GradebookError.annotate(e, { attempts: 3, operation: "createAssessmentResult" })
    expect(counted).toBeInstanceOf(GradebookError.ServerError)
    expect(counted.attempts).toBe(3)
    expect(counted.message).toMatch(/^createAssessmentResult: server error \(HTTP 503 unknownobject\)/)
    expect(counted.imsx).toStrictEqual(e.imsx)
    expect(e.attempts).toBeUndefined()
  })

  it("every member is an Error with a message, and the union schema round-trips", () => {
    const members = [
      new GradebookError.RequestError({ fields: ["student"], description: "student: is missing" }),
      new GradebookError.AuthError({ status: 401, oauthError: "invalid_client" }),
      new GradebookError.RateLimitError({ status: 429, retryAfter: 5 }),
      new GradebookError.ServerError({ status: 500 }),
      new GradebookError.NoResponseError({ reason: "Transport", description: "ECONNRESET" }),
      new GradebookError.MalformedResponseError({ status: 201, description: "sourcedIdPairs is missing" })
    ]
    for (const e of members) {
      expect(e).toBeInstanceOf(Error)
      expect(e.message.length).toBeGreaterThan(10)
      expect(GradebookError.isGradebookError(e)).toBe(true)
      const encoded = Schema.encodeSync(GradebookError.GradebookError)(e)
      expect(Schema.decodeSync(GradebookError.GradebookError)(encoded)).toStrictEqual(e)
    }
    expect(members.map((e) => e.message)).toStrictEqual([
      "invalid input, nothing was sent: student: is missing",
      "authentication failed (HTTP 401) [oauth error invalid_client] → the API refused a fresh access token: check " +
      "that these credentials may use the Gradebook API and that the base URL and the token URL are of the same environment",
      "rate limited (HTTP 429) [retry after 5 s]",
      "server error (HTTP 500)",
      "no response (transport failure): ECONNRESET",
      "malformed response (HTTP 201): sourcedIdPairs is missing"
    ])
  })
})
