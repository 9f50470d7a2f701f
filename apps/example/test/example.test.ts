import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { story } from "../src/story.js"

const cwd = fileURLToPath(new URL("..", import.meta.url))

/** Runs the example as a user would, in a child process. */
const runExample = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.async<{ code: number; stdout: string; stderr: string }>((resume) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TIMEBACK_")))
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", ...args],
      { cwd, env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resume(Effect.succeed({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }))
    )
  })

describe("the example", () => {
  it.scopedLive("its story stores what it says, through the real HTTP stack and the fake server", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const live = HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer))
      const steps = yield* story({ lineItem: "li-1", student: "st-1", idPrefix: "t" }).pipe(Effect.provide(live))
      expect(steps.map((s) => s.ok)).toStrictEqual([true, true, true, true, false])
      expect(steps[4]!.outcome).toContain("RequestError")
      const stored = yield* server.store.all
      expect(stored.map((r) => [r.sourcedId.startsWith("t-") ? r.sourcedId : "uuid", r.scoreStatus, r.score]))
        .toStrictEqual([
          ["uuid", "submitted", undefined],
          ["t-quiz", "fully graded", 92],
          ["t-essay", "fully graded", 78]
        ])
      // the invalid result never reached the server: 1 token request + 4 writes
      expect((yield* server.requests).length).toBe(5)
    }))

  it.effect("default run: prints the story's table and what was stored, exits 0", () =>
    Effect.gen(function*() {
      const { code, stdout } = yield* runExample([])
      expect(code).toBe(0)
      expect(stdout).toContain("fake Timeback server at http://127.0.0.1:")
      expect(stdout).toMatch(/5 \| create \(scoreDate 2024-13-45\)\s+\| refused before sending: RequestError/)
      expect(stdout).toMatch(/example-quiz\s+\| student-1 \| fully graded \| 92/)
      expect(stdout).toContain("5 HTTP requests (1 for a token)")
    }))

  it.effect("--memory: the same story on layerMemory", () =>
    Effect.gen(function*() {
      const { code, stdout } = yield* runExample(["--memory"])
      expect(code).toBe(0)
      expect(stdout).toContain("layerMemory")
      expect(stdout).toMatch(/example-essay\s+\| student-1 \| fully graded \| 78/)
    }))

  it.effect("live mode with incomplete configuration: exits 1 naming what is missing, no stack trace", () =>
    Effect.gen(function*() {
      const { code, stderr } = yield* runExample([], { TIMEBACK_CLIENT_ID: "someone" })
      expect(code).toBe(1)
      expect(stderr).toContain("TIMEBACK_CLIENT_SECRET")
      expect(stderr).not.toMatch(/\n\s+at /)
    }))
})
