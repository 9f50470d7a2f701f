// The README's samples are these files, verbatim: the first call runs as a user runs it (a process,
// configured by TIMEBACK_* variables, against the fake server), the test sample runs as a test file.
import { FakeServer } from "@timeback/client"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { promisify } from "node:util"
import { expect, it } from "vitest"

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
const sample = (file: string) => readFileSync(new URL(`readme/${file}`, import.meta.url), "utf8")

it("the README shows the samples that are run here, verbatim", () => {
  expect(readme).toContain("```ts\n" + sample("firstCall.ts") + "```")
  expect(readme).toContain("```ts\n" + sample("testing.test.ts") + "```")
})

it("the first call runs from the environment against the fake server and prints what was stored", async () => {
  const server = await FakeServer.start()
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", new URL("readme/firstCall.ts", import.meta.url).pathname],
      {
        env: {
          ...process.env,
          TIMEBACK_CLIENT_ID: server.connection.clientId,
          TIMEBACK_CLIENT_SECRET: server.connection.clientSecret,
          TIMEBACK_BASE_URL: server.connection.baseUrl,
          TIMEBACK_TOKEN_URL: server.connection.tokenUrl
        }
      }
    )
    expect(stdout).toMatch(/^result-42 \d{4}-\d\d-\d\dT[\d:.]+Z\n$/)
    const [put] = (await server.requests()).filter((r) => r.method === "PUT")
    expect(put?.userAgent).toMatch(/^grade-sync\/1\.0 timeback-http\//)
  } finally {
    await server.close()
  }
})
