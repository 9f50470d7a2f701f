// The README's samples are these files, verbatim: the first call runs as a user runs it (a process,
// configured by TIMEBACK_* variables, against the fake server), the test sample runs as a test file;
// all are type-checked with the package's tests.
import { TimebackGradebook } from "@timeback/client"
import { FakeServer } from "@timeback/client/testing"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { promisify } from "node:util"
import { expect, it } from "vitest"

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
const sample = (file: string) => readFileSync(new URL(`readme/${file}`, import.meta.url), "utf8")

it("the README shows the samples that are run here, verbatim", () => {
  expect(readme).toContain("```ts\n" + sample("firstCall.ts") + "```")
  expect(readme).toContain("```ts\n" + sample("lowScores.ts") + "```")
  expect(readme).toContain("```ts\n" + sample("testing.test.ts") + "```")
})

/** Runs a sample as a user runs it: a process, configured by the fake server's TIMEBACK_* variables. */
const runSample = (file: string, server: FakeServer.FakeServer) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", new URL(`readme/${file}`, import.meta.url).pathname], {
    env: {
      ...process.env,
      TIMEBACK_CLIENT_ID: server.connection.clientId,
      TIMEBACK_CLIENT_SECRET: server.connection.clientSecret,
      TIMEBACK_BASE_URL: server.connection.baseUrl,
      TIMEBACK_TOKEN_URL: server.connection.tokenUrl
    }
  })

it("the filtered stream prints exactly the results under 60, then the fully graded ones in one page", async () => {
  const server = await FakeServer.start()
  const gradebook = new TimebackGradebook(server.connection)
  try {
    // 230 results (three pages of 100 for the stream), scores 0..229; every third one only submitted
    for await (
      const outcome of gradebook.assessmentResults.putAll(
        Array.from({ length: 230 }, (_, i) => ({
          sourcedId: `r-${i}`,
          assessmentLineItem: { sourcedId: "quiz-1" },
          student: { sourcedId: `student-${i}` },
          scoreStatus: i % 3 === 0 ? "submitted" as const : "fully graded" as const,
          scoreDate: "2024-09-06",
          score: i
        }))
      )
    ) expect(outcome.ok).toBe(true)
    const { stdout } = await runSample("lowScores.ts", server)
    const lines = stdout.trim().split("\n")
    // in the server's order (the order putAll's concurrent puts were stored in)
    expect(lines.slice(0, 60).sort()).toEqual(Array.from({ length: 60 }, (_, i) => `r-${i} ${i}`).sort())
    expect(lines[60]).toMatch(/^HTTP 200, request id \S+$/)
    expect(lines[61]).toBe("10 fully graded under 60")
    expect(lines).toHaveLength(62)
    const lists = (await server.requests()).filter((r) => r.method === "GET")
    expect(lists.map((r) => new URL(r.url, "http://x").searchParams.get("filter"))).toEqual([
      "score<'60'",
      "score<'60' AND scoreStatus='fully graded'"
    ])
  } finally {
    await gradebook.close()
    await server.close()
  }
})

it("the first call runs from the environment against the fake server and prints what was stored", async () => {
  const server = await FakeServer.start()
  try {
    const { stdout } = await runSample("firstCall.ts", server)
    expect(stdout).toMatch(/^result-42 \d{4}-\d\d-\d\dT[\d:.]+Z\n$/)
    const [put] = (await server.requests()).filter((r) => r.method === "PUT")
    expect(put?.userAgent).toMatch(/^grade-sync\/1\.0 timeback-http\//)
  } finally {
    await server.close()
  }
})
