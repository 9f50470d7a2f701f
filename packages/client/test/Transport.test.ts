// How the client sends, and what it loads: plain async tests, no Effect import.
import { ConfigurationError, GradebookError, TimebackGradebook } from "@timeback/client"
import { FakeServer } from "@timeback/client/testing"
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { Agent, type Dispatcher } from "undici"
import { afterEach, beforeEach, expect, it } from "vitest"
import { result as resultOf } from "./fixtures.js"

const result = resultOf("s-1", 70)

let server: FakeServer.FakeServer
beforeEach(async () => {
  server = await FakeServer.start()
})
afterEach(() => server.close())

it("a dispatcher of the caller's sends every API request, and close() leaves it open", async () => {
  const sent: Array<string> = []
  const agent = new Agent()
  // an undici interceptor, as a proxy or an instrumentation would be one
  const recording = agent.compose((dispatch) => (options: Dispatcher.DispatchOptions, handler) => {
    sent.push(`${options.method} ${options.path}`)
    return dispatch(options, handler)
  })
  const gradebook = new TimebackGradebook({ ...server.connection, dispatcher: recording })
  try {
    await gradebook.assessmentResults.put("r-1", result)
    expect((await gradebook.assessmentResults.get("r-1")).score).toBe(70)
  } finally {
    await gradebook.close()
  }
  expect(sent.filter((s) => s.includes("/assessmentResults"))).toEqual([
    "PUT /ims/oneroster/gradebook/v1p2/assessmentResults/r-1",
    "GET /ims/oneroster/gradebook/v1p2/assessmentResults/r-1"
  ])
  // still open: it sends for its owner after the client is closed
  const { statusCode, body } = await recording.request({ origin: server.connection.baseUrl, path: "/", method: "GET" })
  await body.dump()
  expect(statusCode).toBeGreaterThan(0)
  await agent.close()
})

it("a fetch of the caller's sends every request instead", async () => {
  const fetched: Array<string> = []
  const fetch: typeof globalThis.fetch = (input, init) => {
    fetched.push(`${init?.method ?? "GET"} ${new URL(input instanceof Request ? input.url : input).pathname}`)
    return globalThis.fetch(input, init)
  }
  await using gradebook = new TimebackGradebook({ ...server.connection, fetch })
  await gradebook.assessmentResults.put("r-1", result)
  expect(fetched).toContain("PUT /ims/oneroster/gradebook/v1p2/assessmentResults/r-1")
})

it("fromEnv takes the transport too", async () => {
  const saved = { ...process.env }
  Object.assign(process.env, {
    TIMEBACK_CLIENT_ID: server.connection.clientId,
    TIMEBACK_CLIENT_SECRET: server.connection.clientSecret,
    TIMEBACK_BASE_URL: server.connection.baseUrl,
    TIMEBACK_TOKEN_URL: server.connection.tokenUrl
  })
  let fetched = 0
  try {
    await using gradebook = TimebackGradebook.fromEnv({
      fetch: (input, init) => (fetched++, globalThis.fetch(input, init))
    })
    await gradebook.assessmentResults.put("r-env", result)
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  }
  // the token request and the put
  expect(fetched).toBe(2)
})

it("a transport that cannot be is refused at construction, naming the option", () => {
  const both = () => new TimebackGradebook({ ...server.connection, dispatcher: new Agent(), fetch: globalThis.fetch })
  expect(both).toThrow(ConfigurationError)
  expect(both).toThrow("dispatcher and fetch: give one of them, not both")
  const notADispatcher = () => new TimebackGradebook({ ...server.connection, dispatcher: {} as Dispatcher })
  expect(notADispatcher).toThrow("dispatcher: Expected an undici Dispatcher")
  const typo = () => new TimebackGradebook({ ...server.connection, ...{ dispatchr: new Agent() } })
  expect(typo).toThrow("dispatchr: not an option; did you mean dispatcher?")
})

/** The modules a fresh process resolves for `import(specifier)`. */
const resolvedBy = async (specifier: string) => {
  const hook = `data:text/javascript,${
    encodeURIComponent(
      `import { registerHooks } from "node:module"
registerHooks({ resolve(s, c, next) { const r = next(s, c); process.stderr.write("resolved " + r.url + "\\n"); return r } })`
    )
  }`
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--import", hook, "--input-type=module", "-e", `await import(${JSON.stringify(specifier)})`],
    { cwd: new URL("..", import.meta.url).pathname, maxBuffer: 64 * 1024 * 1024 }
  )
  return stderr.split("\n").filter((line) => line.startsWith("resolved ")).map((line) => line.slice(9))
}

it("importing the client loads no test kit and no platform adapter; the testing entry loads the test kit", async () => {
  const client = await resolvedBy("@timeback/client")
  expect(client.some((url) => url.includes("/effect/"))).toBe(true)
  expect(client.filter((url) => /testkit|platform-node|redis|\/ws\//.test(url))).toEqual([])
  const testing = await resolvedBy("@timeback/client/testing")
  expect(testing.some((url) => url.includes("/testkit/"))).toBe(true)
})

it("an answer whose body is cut off is a NoResponseError naming it, and the retry lands", async () => {
  await server.inject({ method: "PUT", times: 1, action: { _tag: "Truncated" } })
  await using cut = new TimebackGradebook({ ...server.connection, baseDelay: "10 millis" })
  const error = await cut.assessmentResults.put("r-1", result, { maxRetries: 0 }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GradebookError.NoResponseError)
  expect((error as GradebookError.NoResponseError).reason).toBe("Transport")
  expect((error as GradebookError.NoResponseError).message).toContain(
    "connection lost while reading the HTTP 200 body of PUT"
  )
  // the same call with its retries: the next attempt reads a whole answer
  await server.inject({ method: "PUT", times: 1, action: { _tag: "Truncated" } })
  expect((await cut.assessmentResults.put("r-1", result)).score).toBe(70)
})

it("an answer whose body stalls ends at the attempt timeout", async () => {
  await server.inject({ method: "PUT", times: 1, action: { _tag: "StallBody" } })
  await using stalled = new TimebackGradebook({ ...server.connection, attemptTimeout: "300 millis" })
  const error = await stalled.assessmentResults.put("r-1", result, { maxRetries: 0 }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GradebookError.NoResponseError)
  expect((error as GradebookError.NoResponseError).reason).toBe("Timeout")
})
