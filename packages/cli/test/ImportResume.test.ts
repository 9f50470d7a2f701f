// Imports that are killed and resumed, or that meet a failing and rate-limiting server: the process
// boundary is what is tested (signals, exit codes, the journal a second run reads).
import { describe, expect, it } from "@effect/vitest"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { expectExactlyTheRows, puts } from "./importing.js"
import { envOf, gradesCsv, read, run, scratch, start, until } from "./spawn.js"

describe("timeback-gradebook import, interrupted or refused", () => {
  for (const signal of ["SIGINT", "SIGKILL"] as const) {
    it.live(`killed mid-way (${signal}) and run again: exactly one result per row`, () =>
      Effect.gen(function*() {
        // 100 requests per second: the import takes about 6 s, long enough to be killed in the middle
        const server = yield* FakeTimebackServer.make({ rateLimit: { requestsPerSecond: 100, burst: 10 } })
        const dir = scratch({ "grades.csv": gradesCsv(60, 10) })
        const file = join(dir, "grades.csv")
        const journal = join(dir, "grades.journal")
        const journaled = () => existsSync(journal) ? read(journal).trim().split("\n").length - 1 : 0
        const first = start(["import", file], envOf(server))
        yield* Effect.promise(() => until(() => journaled() >= 100))
        first.child.kill(signal)
        const killed = yield* Effect.promise(() => first.done)
        if (signal === "SIGINT") {
          expect(killed.code).toBe(130)
          expect(killed.stderr).toMatch(/interrupted: \d+ rows stored this run\. Run the same command again/)
        } else expect(killed.signal).toBe("SIGKILL")
        const landedBefore = journaled()
        expect(landedBefore).toBeGreaterThanOrEqual(100)
        expect(landedBefore).toBeLessThan(600)
        const putsBefore = yield* puts(server)

        const second = yield* Effect.promise(() => run(["import", file], envOf(server)))
        expect(second.code).toBe(0)
        expect(second.stdout).toMatch(new RegExp(`already imported\\s+${landedBefore}\\n`))
        expect(second.stdout).toMatch(new RegExp(`stored\\s+${600 - landedBefore}\\n`))
        // only the rest was sent (each once, a retry after a 429 aside)
        const sentAgain = (yield* puts(server)) - putsBefore - (yield* server.rateLimited)
        expect(sentAgain).toBeLessThanOrEqual(600 - landedBefore + 50)
        expectExactlyTheRows(server, 60, 10)
      }))
  }

  it.live("a 503 storm and a rate limit during the import: every row still lands", () =>
    Effect.gen(function*() {
      // the 503s, then 429s (scripted: a rate-limited server refuses only a client fast enough to
      // outrun its bucket, and on a busy machine this one may not be)
      const server = yield* FakeTimebackServer.make({ rateLimit: { requestsPerSecond: 150, burst: 15 } })
      yield* server.inject({ method: "PUT", times: 40, action: { _tag: "Status", status: 503 } })
      yield* server.inject({ method: "PUT", times: 10, action: { _tag: "Status", status: 429, retryAfterMs: 100 } })
      const dir = scratch({ "grades.csv": gradesCsv(30, 10) })
      const result = yield* Effect.promise(() => run(["import", join(dir, "grades.csv")], envOf(server)))
      expect(result.stderr).not.toMatch(/^line /m)
      expect(result.code).toBe(0)
      expect((yield* server.requests).filter((r) => r.fault === "Status").length).toBe(50)
      expectExactlyTheRows(server, 30, 10)
    }))
})
