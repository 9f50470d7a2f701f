// Where an import reads from and keeps its files: stdin, the per-user state directory, a file it cannot write.
import { describe, expect, it } from "@effect/vitest"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import { mkdirSync, readdirSync, symlinkSync } from "node:fs"
import { join } from "node:path"
import { expectExactlyTheRows, puts } from "./importing.js"
import { envOf, gradesCsv, run, scratch } from "./spawn.js"

describe("timeback-gradebook import: input and state", () => {
  it.live("- reads stdin; its journal goes to the per-user state directory, and the same input piped again resumes", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const home = scratch()
      const env = envOf(server, { XDG_STATE_HOME: home })
      const csv = gradesCsv(5, 2)
      const first = yield* Effect.promise(() => run(["import", "-"], env, csv))
      expect(first.stderr).not.toMatch(/^line /m)
      expect(first.code).toBe(0)
      expect(first.stdout).toMatch(/stored\s+10\n/)
      expectExactlyTheRows(server, 5, 2)
      const state = join(home, "timeback-gradebook")
      const files = readdirSync(state).sort()
      expect(files).toEqual([
        expect.stringMatching(/^stdin-[0-9a-f]{16}\.csv$/),
        expect.stringMatching(/^stdin-[0-9a-f]{16}\.journal$/)
      ])
      expect(first.stdout).toContain(`journal: ${join(state, files[1]!)}`)
      const again = yield* Effect.promise(() => run(["import", "-"], env, csv))
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(/already imported\s+10\n/)
      expect(yield* puts(server)).toBe(10)
      // NDJSON on stdin, as --input-format says
      const ndjson = `${
        JSON.stringify({
          sourcedId: "r-nd",
          assessmentLineItem: { sourcedId: "li-1" },
          student: { sourcedId: "s-1" },
          scoreStatus: "fully graded",
          scoreDate: "2024-09-01",
          score: 5
        })
      }\n`
      const nd = yield* Effect.promise(() => run(["import", "-", "--input-format", "ndjson"], env, ndjson))
      expect(nd.code).toBe(0)
      expect(nd.stdout).toMatch(/stored\s+1\n/)
      expect(yield* puts(server)).toBe(11)
    }))

  it.live("a journal that cannot be written ends the import with one line naming it and --state-dir, no stack", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const dir = scratch({ "grades.csv": gradesCsv(2, 2) })
      // a directory where the journal would be: it cannot be opened as a file, even by root
      mkdirSync(join(dir, "grades.journal"))
      const result = yield* Effect.promise(() => run(["import", join(dir, "grades.csv")], envOf(server)))
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(
        `timeback-gradebook: cannot read ${join(dir, "grades.journal")} (EISDIR): pass --state-dir DIR`
      )
      expect(result.stderr).not.toContain("unexpected failure")
      expect(result.stderr).not.toMatch(/^\s+at /m)
      expect(yield* server.requests).toEqual([])
      // opened at the first row that lands, where it cannot be created: the import stops there, in one line
      const other = scratch({ "grades.csv": gradesCsv(2, 2) })
      symlinkSync(join(other, "no-such-dir", "journal"), join(other, "grades.journal"))
      const midway = yield* Effect.promise(() => run(["import", join(other, "grades.csv")], envOf(server)))
      expect(midway.code).toBe(1)
      expect(midway.stderr).toContain(`timeback-gradebook: cannot write ${join(other, "grades.journal")} (ENOENT)`)
      expect(midway.stderr).not.toContain("unexpected failure")
      expect(midway.stderr).not.toMatch(/^\s+at /m)
      expect(yield* puts(server)).toBeGreaterThan(0)
    }))

  it.live("a negative score is refused, naming line and column, unless --allow-negative-scores", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const dir = scratch({
        "grades.csv": "student,assessmentLineItem,scoreStatus,scoreDate,Points\n" +
          "s1,quiz,fully graded,2024-09-01,5\ns2,quiz,fully graded,2024-09-01,-5\n"
      })
      const file = join(dir, "grades.csv")
      const refused = yield* Effect.promise(() => run(["import", file, "--map", "Points=score"], envOf(server)))
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(
        "line 3: score (column \"Points\"): -5 is negative; pass --allow-negative-scores if the score scale has negative scores"
      )
      expect(refused.stdout).toMatch(/stored\s+1\n/)
      expect(yield* puts(server)).toBe(1)
      const allowed = yield* Effect.promise(() =>
        run(["import", file, "--map", "Points=score", "--allow-negative-scores"], envOf(server))
      )
      expect(allowed.code).toBe(0)
      expect(allowed.stdout).toMatch(/stored\s+1\n/)
      expect(yield* puts(server)).toBe(2)
    }))

  it.live("a file that does not exist is named, and nothing is sent", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const dir = scratch()
      const result = yield* Effect.promise(() => run(["import", join(dir, "nope.csv")], envOf(server)))
      expect(result.code).toBe(1)
      expect(result.stderr).toBe(`timeback-gradebook: ${join(dir, "nope.csv")} does not exist\n`)
      expect(yield* server.requests).toEqual([])
    }))
})
