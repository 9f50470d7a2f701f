import { describe, expect, it } from "@effect/vitest"
import { AssessmentLineItem, Category, LineItem, Result, ScoreScale } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { story } from "../src/story.js"

const cwd = fileURLToPath(new URL("..", import.meta.url))

/** Runs the example as a user would, in a child process. */
const runExample = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.callback<{ code: number; stdout: string; stderr: string }>((resume) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TIMEBACK_")))
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", ...args],
      { cwd, env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resume(Effect.succeed({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }))
    )
  })

describe("the example", () => {
  it.live("its story stores what it says, through the real HTTP stack and the fake server", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const live = HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer))
      const { results, steps } = yield* story({
        classId: "c-1",
        schoolId: "s-1",
        students: ["a", "b", "c"],
        idPrefix: "t"
      }).pipe(Effect.provide(live))
      expect(steps.map((s) => s.ok)).toStrictEqual([true, true, true, true, true, true, false, true])
      expect(steps[6]!.outcome).toContain("RequestError")
      expect(yield* server.store.of(Category.resource).all).toMatchObject([{ sourcedId: "t-quizzes", weight: 0.4 }])
      expect((yield* server.store.of(ScoreScale.resource).all)[0]!.scoreScaleValue.length).toBe(3)
      expect(yield* server.store.of(AssessmentLineItem.resource).all).toMatchObject([{ title: "Unit 3 quiz" }])
      expect(yield* server.store.of(LineItem.resource).all).toMatchObject([{
        sourcedId: "t-unit-3-column",
        class: { sourcedId: "c-1" },
        category: { sourcedId: "t-quizzes" },
        scoreScale: { sourcedId: "t-letters" }
      }])
      const stored = yield* server.store.of(Result.resource).all
      expect(stored.map((r) => [r.student.sourcedId, r.score, r.comment])).toStrictEqual([
        ["a", 92, undefined],
        ["b", 85, undefined],
        ["c", 81, "Regraded after review"]
      ])
      // read back from the class, best first
      expect(results.map((r) => r.student.sourcedId)).toStrictEqual(["a", "b", "c"])
      // the invalid result never reached the server: 1 token request + 7 calls
      expect((yield* server.requests).length).toBe(8)
    }))

  it.effect("default run: prints the story's table and the class's gradebook, exits 0", () =>
    Effect.gen(function*() {
      const { code, stdout } = yield* runExample([])
      expect(code).toBe(0)
      expect(stdout).toContain("fake Timeback server at http://127.0.0.1:")
      expect(stdout).toMatch(/7 \| results\.create \(scoreDate 2024-13-45\)\s+\| refused before sending: RequestError/)
      expect(stdout).toMatch(/stu-3\s+\| 81\s+\| fully graded \| Regraded after review/)
      expect(stdout).toContain("8 HTTP requests (1 for a token)")
    }))

  it.effect("--memory: the same story on layerMemory", () =>
    Effect.gen(function*() {
      const { code, stdout } = yield* runExample(["--memory"])
      expect(code).toBe(0)
      expect(stdout).toContain("layerMemory")
      expect(stdout).toMatch(/stu-5\s+\| 99\s+\| fully graded/)
    }))

  it.effect("live mode with incomplete configuration: exits 1 naming what is missing, no stack trace", () =>
    Effect.gen(function*() {
      const { code, stderr } = yield* runExample([], { TIMEBACK_CLIENT_ID: "someone" })
      expect(code).toBe(1)
      expect(stderr).toContain("TIMEBACK_CLIENT_SECRET")
      expect(stderr).not.toMatch(/\n\s+at /)
    }))
})
