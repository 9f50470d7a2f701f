// A call's own retries and a look at its HTTP answers: plain async tests, no Effect import.
import { GradebookError, type ResponseInfo, TimebackGradebook } from "@timeback/client"
import { FakeServer } from "@timeback/client/testing"
import { afterEach, beforeEach, expect, it } from "vitest"
import { result } from "./fixtures.js"

let server: FakeServer.FakeServer
let gradebook: TimebackGradebook
beforeEach(async () => {
  server = await FakeServer.start()
  gradebook = new TimebackGradebook({ ...server.connection, baseDelay: "10 millis", maxAttempts: 3 })
})
afterEach(async () => {
  await gradebook.close()
  await server.close()
})

const puts = async () => (await server.requests()).filter((r) => r.method === "PUT").length

it("maxRetries sets one call's retries: 0 sends once, 4 sends five times; other calls keep the client's", async () => {
  await server.inject({ method: "PUT", times: 100, action: { _tag: "Status", status: 503 } })
  const once = await gradebook.assessmentResults.put("r-1", result("s-1"), { maxRetries: 0 }).catch((e: unknown) => e)
  expect(once).toBeInstanceOf(GradebookError.ServerError)
  expect(once).toMatchObject({ status: 503, attempts: 1 })
  expect(await puts()).toBe(1)
  const five = await gradebook.assessmentResults.put("r-1", result("s-1"), { maxRetries: 4 }).catch((e: unknown) => e)
  expect(five).toMatchObject({ attempts: 5 })
  expect(await puts()).toBe(6)
  const client = await gradebook.assessmentResults.put("r-1", result("s-1")).catch((e: unknown) => e)
  expect(client).toMatchObject({ attempts: 3 })
  expect(await puts()).toBe(9)
})

it("a maxRetries or onResponse that cannot be is refused, naming it, before anything is sent", async () => {
  for (
    const [options, field] of [
      [{ maxRetries: -1 }, "maxRetries"],
      [{ maxRetries: 1.5 }, "maxRetries"],
      [{ onResponse: "log" as unknown as () => void }, "onResponse"]
    ] as const
  ) {
    const refused = await gradebook.assessmentResults.put("r-1", result("s-1"), options).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(GradebookError.RequestError)
    expect(refused).toMatchObject({ fields: [field] })
    const streamed = gradebook.assessmentResults.stream({}, options)[Symbol.asyncIterator]().next()
    await expect(streamed).rejects.toThrow(`${field}: Expected`)
  }
  expect((await server.requests()).filter((r) => r.url.includes("/assessmentResults")).length).toBe(0)
})

it("onResponse sees every answer of a call (each attempt's, each page's): status, headers, request id", async () => {
  await server.inject({ method: "PUT", times: 1, action: { _tag: "Status", status: 503 } })
  const seen: Array<ResponseInfo> = []
  const stored = await gradebook.assessmentResults.put("r-1", result("s-1"), { onResponse: (r) => seen.push(r) })
  expect(stored.sourcedId).toBe("r-1")
  expect(seen.map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 503", "PUT 201"])
  expect(seen[1]!.url).toBe(`${server.connection.baseUrl}/ims/oneroster/gradebook/v1p2/assessmentResults/r-1`)
  expect(seen[1]!.requestId).toMatch(/\S/)
  expect(seen[1]!.headers["content-type"]).toContain("application/json")

  for (let i = 2; i <= 5; i++) await gradebook.assessmentResults.put(`r-${i}`, result(`s-${i}`))
  const pages: Array<ResponseInfo> = []
  const streamed = []
  for await (const r of gradebook.assessmentResults.stream({ limit: 2 }, { onResponse: (r) => pages.push(r) })) {
    streamed.push(r)
  }
  expect(streamed).toHaveLength(5)
  expect(pages.map((r) => new URL(r.url).searchParams.get("offset"))).toEqual(["0", "2", "4"])
  // the rejection of a call carries its status and request id as well
  const missing = await gradebook.assessmentResults.get("nope").catch((e: unknown) => e)
  expect(missing).toMatchObject({ status: 404, requestId: expect.stringMatching(/\S/) })
})
