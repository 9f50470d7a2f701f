// Plain async tests, as a team that does not use Effect writes them: no Effect import anywhere.
import { ConfigurationError, Filter, GradebookError, TimebackGradebook } from "@timeback/client"
import { FakeServer, inMemory } from "@timeback/client/testing"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { result } from "./fixtures.js"

/** Waits until `condition` holds; the minute's deadline only guards against a hang. */
const until = async (condition: () => Promise<boolean>) => {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error("condition never held")
}

describe("against the fake server, over sockets", () => {
  let server: FakeServer.FakeServer
  let gradebook: TimebackGradebook
  beforeEach(async () => {
    server = await FakeServer.start()
    gradebook = new TimebackGradebook({ ...server.connection, baseDelay: "10 millis" })
  })
  afterEach(async () => {
    await gradebook.close()
    await server.close()
  })

  it("filters as the Filter builders make them or as OneRoster filter strings, a bad string refused before sending", async () => {
    for (const [id, score] of [["r-40", 40], ["r-60", 60], ["r-90", 90]] as const) {
      await gradebook.assessmentResults.put(id, result(`stu-${id}`, score))
    }
    const ids = (items: ReadonlyArray<{ readonly sourcedId?: string | undefined }>) => items.map((r) => r.sourcedId)
    const streamed = []
    for await (const r of gradebook.assessmentResults.stream({ filter: "score<'50'" })) streamed.push(r)
    expect(ids(streamed)).toEqual(["r-40"])
    const built = await gradebook.assessmentResults.list({
      filter: Filter.and(Filter.gte("score", 50), Filter.lt("score", 95))
    })
    expect(ids(built.results).sort()).toEqual(["r-60", "r-90"])
    expect(Filter.render(Filter.lt("score", 50))).toBe("score<'50'")

    const listsBefore = (await server.requests()).filter((r) => r.method === "GET").length
    const unquoted = await gradebook.assessmentResults.list({ filter: "score<50" }).catch((e: unknown) => e)
    expect(unquoted).toBeInstanceOf(GradebookError.RequestError)
    expect(unquoted).toMatchObject({ fields: ["filter"] })
    expect((unquoted as Error).message).toContain("values are in single quotes, as in score<'50'")
    const unknown = gradebook.classes("c-1").results.stream({ filter: "scroe<'1'" })[Symbol.asyncIterator]().next()
    await expect(unknown).rejects.toThrow("filter: unknown filter field \"scroe\"")
    // nothing was sent for either
    expect((await server.requests()).filter((r) => r.method === "GET").length).toBe(listsBefore)
  })

  it("credentials the token endpoint refuses reject with an AuthError that says what to check, secret unshown", async () => {
    const refused = new TimebackGradebook({ ...server.connection, clientSecret: "not-the-secret-123" })
    try {
      const error = await refused.assessmentResults.get("r-1").catch((e: unknown) => e)
      expect(error).toBeInstanceOf(GradebookError.AuthError)
      expect((error as Error).message).toMatch(
        /invalid_client.* → check the client id and secret \(the clientId and clientSecret options, or TIMEBACK_CLIENT_ID/
      )
      expect(String((error as Error).stack)).not.toContain("not-the-secret-123")
    } finally {
      await refused.close()
    }
  })

  it("a rejection's stack names the caller's code, not only the SDK's runtime", async () => {
    async function lookUpTheMissingResult() {
      return await gradebook.assessmentResults.get("missing")
    }
    const error = (await lookUpTheMissingResult().catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(GradebookError.RequestError)
    expect(error.stack).toMatch(/^\S*RequestError: getAssessmentResult: request rejected \(HTTP 404/)
    expect(error.stack).toContain("lookUpTheMissingResult")
    async function readEveryResultOfAClass() {
      for await (const _ of gradebook.classes("c-1").results.stream({ filter: "nope" })) break
    }
    const streamed = (await readEveryResultOfAClass().catch((e: unknown) => e)) as Error
    expect(streamed.stack).toContain("readEveryResultOfAClass")
  })

  it("put, get, list and stream resolve to plain values", async () => {
    const stored = await gradebook.assessmentResults.put("r-1", result("stu-1"))
    expect(stored).toMatchObject({ sourcedId: "r-1", score: 88, status: "active" })
    expect(await gradebook.assessmentResults.get("r-1")).toMatchObject({ sourcedId: "r-1" })
    for (let i = 2; i <= 25; i++) await gradebook.assessmentResults.put(`r-${i}`, result(`stu-${i}`, i))
    const page = await gradebook.assessmentResults.list({ limit: 10 })
    expect(page.results).toHaveLength(10)
    const ids: Array<string> = []
    for await (const r of gradebook.assessmentResults.stream({ limit: 7, fields: ["sourcedId"] })) {
      ids.push(String(r.sourcedId))
    }
    expect(ids.sort()).toStrictEqual(Array.from({ length: 25 }, (_, i) => `r-${i + 1}`).sort())
    // 25 results at 7 a page: 4 list requests, pulled as the loop went
    expect((await server.requests()).filter((r) => r.method === "GET" && r.url.includes("limit=7"))).toHaveLength(4)
  })

  it("a rejection is the SDK's own error class, with its fields; never a FiberFailure", async () => {
    const invalid = await gradebook.assessmentResults.put("r-x", { ...result("stu-1"), scoreDate: "2024-13-45" })
      .then(() => undefined, (e: unknown) => e)
    expect(invalid).toBeInstanceOf(GradebookError.RequestError)
    expect(invalid).toBeInstanceOf(Error)
    const error = invalid as GradebookError.RequestError
    expect(error.fields).toStrictEqual(["scoreDate"])
    expect(error.message).toContain("scoreDate")
    expect(String(error)).not.toContain("FiberFailure")
    expect(await server.requests()).toStrictEqual([])

    const missing = await gradebook.assessmentResults.get("nope").catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(GradebookError.RequestError)
    expect((missing as GradebookError.RequestError).status).toBe(404)

    await server.inject({ method: "PUT", times: 3, action: { _tag: "Status", status: 503 } })
    const server503 = await gradebook.assessmentResults.put("r-y", result("stu-2")).catch((e: unknown) => e)
    expect(server503).toBeInstanceOf(GradebookError.ServerError)
    expect((server503 as GradebookError.ServerError).attempts).toBe(3)
  })

  it("a call's timeout ends it, its request aborted, with a NoResponseError; a timeout that cannot be is refused", async () => {
    await server.inject({ method: "PUT", action: { _tag: "Hang" } })
    const timedOut = await gradebook.assessmentResults.put("r-1", result("stu-1"), { timeout: 300 })
      .catch((e: unknown) => e)
    expect(timedOut).toBeInstanceOf(GradebookError.NoResponseError)
    expect(timedOut).toMatchObject({ reason: "Timeout" })
    expect((timedOut as Error).message).toContain("no answer within the call's timeout (300 ms)")
    // its request was abandoned, not left open
    await until(async () => (await server.requests()).some((r) => r.method === "PUT" && r.abandonedAt !== undefined))
    // a call within its timeout resolves as any other
    expect(await gradebook.assessmentResults.put("r-2", result("stu-2"), { timeout: 30_000 })).toMatchObject({
      sourcedId: "r-2"
    })
    const refused = await gradebook.assessmentResults.get("r-2", {}, { timeout: -1 }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(GradebookError.RequestError)
    expect(refused).toMatchObject({ fields: ["timeout"] })
    // a stream's timeout bounds the whole iteration
    await server.inject({ method: "GET", action: { _tag: "Hang" } })
    const streamed = await (async () => {
      for await (const _ of gradebook.assessmentResults.stream({}, { timeout: 300 })) break
    })().catch((e: unknown) => e)
    expect(streamed).toBeInstanceOf(GradebookError.NoResponseError)
  })

  it("aborting a call's signal aborts its HTTP request and rejects with the signal's reason", async () => {
    await server.inject({ method: "PUT", action: { _tag: "Hang" } })
    const controller = new AbortController()
    const call = gradebook.assessmentResults.put("r-1", result("stu-1"), { signal: controller.signal })
    const outcome = call.then(() => "resolved", (e: unknown) => e)
    await until(async () => (await server.requests()).some((r) => r.method === "PUT"))
    controller.abort()
    const reason = await outcome
    expect(reason).toBe(controller.signal.reason)
    expect((reason as Error).name).toBe("AbortError")
    // the server saw the client close that request's connection, and no retry followed
    await until(async () => (await server.requests()).some((r) => r.method === "PUT" && r.abandonedAt !== undefined))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await server.requests()).filter((r) => r.method === "PUT")).toHaveLength(1)

    // an already aborted signal sends nothing
    const before = (await server.requests()).length
    await expect(gradebook.assessmentResults.get("r-1", {}, { signal: AbortSignal.abort() })).rejects.toThrow()
    expect(await server.requests()).toHaveLength(before)
  })

  it("putAll: any iterable in, one outcome per item in input order, failures as outcomes", async () => {
    async function* items() {
      for (let i = 0; i < 50; i++) {
        yield { sourcedId: `b-${i}`, ...result(`stu-${i}`), ...(i % 10 === 3 && { scoreDate: "not a date" }) }
      }
    }
    const outcomes = []
    for await (const o of gradebook.assessmentResults.putAll(items(), { concurrency: 8 })) outcomes.push(o)
    expect(outcomes.map((o) => o.index)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i))
    const failed = outcomes.filter((o) => !o.ok)
    expect(failed.map((o) => o.sourcedId)).toStrictEqual(["b-3", "b-13", "b-23", "b-33", "b-43"])
    for (const o of failed) {
      if (o.ok) continue
      expect(o.error).toBeInstanceOf(GradebookError.RequestError)
      expect((o.error as GradebookError.RequestError).fields).toStrictEqual(["scoreDate"])
    }
    const page = await gradebook.assessmentResults.list({ limit: 100 })
    expect(page.results).toHaveLength(45)
  })

  it("the class and school routes reach their own endpoints", async () => {
    const routes = [
      [() => gradebook.classes("c-1").results.list(), "/classes/c-1/results"],
      [() => gradebook.classes("c-1").lineItems("li-1").results.list(), "/classes/c-1/lineItems/li-1/results"],
      [() => gradebook.classes("c-1").students("s-1").results.list(), "/classes/c-1/students/s-1/results"],
      [() => gradebook.schools("sch-1").scoreScales.list(), "/schools/sch-1/scoreScales"]
    ] as const
    for (const [call, path] of routes) {
      // the fake server knows no class or school: a 404 for the parent, from the route asked for
      const error = await call().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(GradebookError.RequestError)
      expect((error as GradebookError.RequestError).status).toBe(404)
      expect((await server.requests()).at(-1)?.url).toContain(path)
    }
  })
})

describe("configuration", () => {
  it("a bad option throws at construction, naming it, and never shows the secret", () => {
    expect(() => new TimebackGradebook({ clientId: "id", clientSecret: "s3cret", baseUrl: "http://example.com" }))
      .toThrow(ConfigurationError)
    try {
      new TimebackGradebook({ clientId: "id", clientSecret: "s3cret", userAgent: "bad\nagent" })
    } catch (e) {
      expect((e as Error).message).toContain("userAgent")
      expect((e as Error).message).not.toContain("s3cret")
    }
  })

  it("fromEnv names every missing variable, and says where to set them", () => {
    const saved = { ...process.env }
    delete process.env.TIMEBACK_CLIENT_ID
    delete process.env.TIMEBACK_CLIENT_SECRET
    try {
      expect(() => TimebackGradebook.fromEnv()).toThrow(
        new ConfigurationError(
          "Timeback configuration: TIMEBACK_CLIENT_ID is not set; TIMEBACK_CLIENT_SECRET is not set (set the " +
            "TIMEBACK_* variables in the environment, or pass the options to new TimebackGradebook({ clientId, " +
            "clientSecret, … }))"
        )
      )
    } finally {
      process.env = saved
    }
  })

  it("an option that is not one (a typo in plain JavaScript) throws, with the option it was likely meant to be", () => {
    const options = { clientId: "id", clientSecret: "s3cret", basUrl: "http://127.0.0.1:1" } as never
    expect(() => new TimebackGradebook(options)).toThrow(
      new ConfigurationError("Timeback configuration: basUrl: not an option; did you mean baseUrl?")
    )
    const unrelated = { clientId: "id", clientSecret: "s3cret", colour: "blue" } as never
    expect(() => new TimebackGradebook(unrelated)).toThrow(
      /^Timeback configuration: colour: not an option \(options: clientId, /
    )
  })
})

describe("the in-memory double", () => {
  it("behaves as the server does: validation, 404, stored state", async () => {
    await using gradebook = inMemory()
    await gradebook.assessmentResults.put("r-1", result("stu-1"))
    expect((await gradebook.assessmentResults.get("r-1")).score).toBe(88)
    const missing = await gradebook.assessmentResults.get("r-2").catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(GradebookError.RequestError)
    expect((missing as GradebookError.RequestError).message).toMatch(/^getAssessmentResult: .*404/)
    const bad = await gradebook.assessmentResults.put("r-3", { ...result("stu-1"), score: Number.NaN }).catch((e) => e)
    expect((bad as GradebookError.RequestError).fields).toStrictEqual(["score"])
  })
})
