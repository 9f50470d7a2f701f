import { describe, expect, it } from "@effect/vitest"
import { FakeTimebackServer, WireError } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { expectExactlyTheRows, puts, stored } from "./importing.js"
import { envOf, gradesCsv, PACKAGE_DIR, read, run, scratch } from "./spawn.js"

const SAMPLE = join(PACKAGE_DIR, "sample", "grades.csv")

describe("timeback-gradebook import", () => {
  it.live("--dry-run reports every bad row by line and field, sends nothing, writes nothing", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const dir = scratch({ "grades.csv": read(SAMPLE) })
      const result = yield* Effect.promise(() => run(["import", join(dir, "grades.csv"), "--dry-run"], envOf(server)))
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("line 43: score: Expected number, actual \"ninety\"")
      expect(result.stderr).toMatch(/line 139: scoreDate: .*"2024-09-31"/)
      expect(result.stderr).toMatch(/line 290: scoreStatus: .*actual "graded"/)
      expect(result.stderr).toContain("line 404: student: is missing")
      expect(result.stderr.match(/^line \d+:/gm)?.length).toBe(4)
      expect(result.stdout).toContain("500 rows checked: 496 valid, 4 bad. Nothing was sent (--dry-run).")
      expect(yield* server.requests).toEqual([])
      expect(existsSync(join(dir, "grades.failed.csv"))).toBe(false)
      expect(existsSync(join(dir, "grades.journal"))).toBe(false)
    }))

  it.live("imports every row once; a second run sends nothing; bad rows go to the failed file", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const dir = scratch({ "grades.csv": gradesCsv(30, 10) })
      const file = join(dir, "grades.csv")
      const first = yield* Effect.promise(() => run(["import", file], envOf(server)))
      expect(first.stderr).not.toMatch(/^line /m)
      expect(first.code).toBe(0)
      expect(first.stdout).toMatch(/stored\s+300\n/)
      expectExactlyTheRows(server, 30, 10)
      expect(yield* puts(server)).toBe(300)
      // the server's logs can tell which tool and version wrote the grades
      const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
        version: string
      }
      const agents = new Set((yield* server.requests).map((r) => r.userAgent?.split(" ")[0]))
      expect([...agents]).toStrictEqual([`timeback-gradebook/${version}`])

      const again = yield* Effect.promise(() => run(["import", file], envOf(server)))
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(/already imported\s+300\n/)
      expect(yield* puts(server)).toBe(300)

      // --restart sends every row again, under the same ids: still one result per row
      const restarted = yield* Effect.promise(() => run(["import", file, "--restart"], envOf(server)))
      expect(restarted.code).toBe(0)
      expect(yield* puts(server)).toBe(600)
      expectExactlyTheRows(server, 30, 10)
    }))

  it.live("rows the server refuses are named with status and codeMinor, and written to the failed file", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      yield* server.inject({
        method: "PUT",
        times: 2,
        action: {
          _tag: "Status",
          status: 422,
          body: JSON.stringify(WireError.body(WireError.make(422, "score above the maximum", ["score"])))
        }
      })
      const dir = scratch({ "grades.csv": gradesCsv(5, 2) })
      const result = yield* Effect.promise(() =>
        run(["import", join(dir, "grades.csv"), "--concurrency", "1"], envOf(server))
      )
      expect(result.code).toBe(2)
      const failures = result.stderr.match(/^line \d+: .*$/gm) ?? []
      expect(failures).toHaveLength(2)
      for (const line of failures) {
        expect(line).toMatch(
          /^line [24]: putAssessmentResult: request rejected \(HTTP 422 invaliddata\): score above the maximum .*→ the server refused the values; fix them and run again/
        )
      }
      expect(result.stdout).toMatch(/stored\s+8\n/)
      expect(result.stdout).toMatch(/failed\s+2 \(RequestError 2\)/)
      const failed = read(join(dir, "grades.failed.csv")).trim().split("\n")
      expect(failed[0]).toBe("#line,#error,student.sourcedId,assessmentLineItem,scoreStatus,scoreDate,score,comment")
      // the first row's comment spans two lines (a quoted line break): the second row starts on line 4
      expect(failed.slice(1).map((l) => l.split(",")[0]).filter((l) => /^\d+$/.test(l))).toEqual(["2", "4"])

      // the failed file, as written, imports: its # columns are ignored; the two rows land
      const retried = yield* Effect.promise(() => run(["import", join(dir, "grades.failed.csv")], envOf(server)))
      expect(retried.code).toBe(0)
      expect(retried.stdout).toMatch(/stored\s+2\n/)
      expect(stored(server)).toHaveLength(10)
    }))

  it.live("tokens revoked in quick succession do not stop an import; a row refused after fresh tokens fails alone; a run of them stops it", () =>
    Effect.gen(function*() {
      const refuse = (server: FakeTimebackServer.FakeTimebackServerService, times: number) =>
        server.inject({
          method: "PUT",
          path: FakeTimebackServer.BASE_PATH,
          times,
          action: { _tag: "Status", status: 401 }
        })
      const importing = (server: FakeTimebackServer.FakeTimebackServerService) => {
        const dir = scratch({ "grades.csv": gradesCsv(5, 2) })
        return Effect.promise(() => run(["import", join(dir, "grades.csv"), "--concurrency", "1"], envOf(server)))
      }
      // two revocations: the client's third token works
      const twice = yield* FakeTimebackServer.make()
      yield* refuse(twice, 2)
      const first = yield* importing(twice)
      expect(first.code).toBe(0)
      expect(stored(twice)).toHaveLength(10)
      // four 401s: the first row's token and three fresh ones refused; that row fails, the rest land
      const one = yield* FakeTimebackServer.make()
      yield* refuse(one, 4)
      const second = yield* importing(one)
      expect(second.code).toBe(2)
      expect(second.stderr).toMatch(
        /^line 2: .*HTTP 401.*→ the API refused a fresh access token: check that these credentials .* → run again \(what landed is kept\)$/m
      )
      expect(stored(one)).toHaveLength(9)
      // every call refused: five rows in a row, then one line about the credentials
      const always = yield* FakeTimebackServer.make()
      yield* refuse(always, 1000)
      const third = yield* importing(always)
      expect(third.code).toBe(1)
      expect(third.stderr).toContain("the API refused the access token (HTTP 401): check TIMEBACK_CLIENT_ID")
      expect(stored(always)).toHaveLength(0)
    }))

  it.live(
    "--max-rate holds the import under a quota it knows: the server receives the rows no faster",
    () =>
      Effect.gen(function*() {
        const server = yield* FakeTimebackServer.make()
        const dir = scratch({ "grades.csv": gradesCsv(10, 3) })
        const result = yield* Effect.promise(() =>
          run(["import", join(dir, "grades.csv"), "--max-rate", "10"], envOf(server))
        )
        expect(result.code).toBe(0)
        expectExactlyTheRows(server, 10, 3)
        // the k-th row reaches the server at least k tenths of a second after the first, less half a
        // second for the first to be read late on a busy machine (without the ceiling, 16 rows in
        // flight arrive together)
        const sent = (yield* server.requests).filter((r) => r.method === "PUT")
        expect(sent.length).toBe(30)
        for (let k = 1; k < sent.length; k++) {
          expect(sent[k]!.receivedAt - sent[0]!.receivedAt, `row ${k}`).toBeGreaterThanOrEqual(k * 100 - 500)
        }
      })
  )

  it.live(
    "a --max-rate or --concurrency that cannot be is refused before anything is read or sent",
    () =>
      Effect.gen(function*() {
        const server = yield* FakeTimebackServer.make()
        const dir = scratch({ "grades.csv": gradesCsv(2, 1) })
        for (
          const [args, message] of [
            [["--max-rate", "0"], "--max-rate: expected a positive number of requests per second"],
            [["--max-rate", "-5"], "--max-rate: expected a positive number of requests per second"],
            [["--concurrency", "0"], "--concurrency: expected a whole number of rows in flight, 1 or more"]
          ] as const
        ) {
          const result = yield* Effect.promise(() => run(["import", join(dir, "grades.csv"), ...args], envOf(server)))
          expect(result.code).toBe(1)
          expect(result.stderr).toContain(message)
        }
        expect(yield* server.requests).toEqual([])
        expect(existsSync(join(dir, "grades.journal"))).toBe(false)
      })
  )

  it.live("NDJSON: one result per line, as the API takes it", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const line = (student: string, score: unknown) =>
        JSON.stringify({
          assessmentLineItem: { sourcedId: "quiz" },
          student: { sourcedId: student },
          scoreStatus: "fully graded",
          scoreDate: "2024-09-01",
          score
        })
      const dir = scratch({ "grades.ndjson": [line("a", 1), "", line("b", "x"), "{oops", line("c", 3)].join("\n") })
      const result = yield* Effect.promise(() => run(["import", join(dir, "grades.ndjson")], envOf(server)))
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("line 3: score: Expected number, actual \"x\"")
      expect(result.stderr).toMatch(/line 4: the row: not JSON/)
      expect(stored(server).map((r) => r.student.sourcedId).sort()).toEqual(["a", "c"])
      const failed = read(join(dir, "grades.failed.ndjson")).trim().split("\n").map((l) => JSON.parse(l))
      expect(failed.map((f) => f.line)).toEqual([3, 4])
    }))

  it.live("a file the importer cannot read as asked ends before sending, naming the column or line", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const dir = scratch({
        "typo.csv": "student,assessmentLineItem,scoreStatus,scoreDate,scroe\ns,l,fully graded,2024-09-01,5\n",
        "quote.csv": "student,assessmentLineItem,scoreStatus,scoreDate\ns,l,fully graded,2024-09-01\ns,\"l,x\n",
        "mapped.csv": "Student ID,Quiz,Status,Date,Points\ns,l,fully graded,2024-09-01,5\n",
        "semicolons.csv": "student;assessmentLineItem;scoreStatus;scoreDate\ns;l;fully graded;2024-09-01\n"
      })
      // a spreadsheet's export with semicolons: said so, not --map advice for a column named "student;…"
      const semicolons = yield* Effect.promise(() => run(["import", join(dir, "semicolons.csv")], envOf(server)))
      expect(semicolons.code).toBe(1)
      expect(semicolons.stderr).toMatch(
        /^timeback-gradebook: .*semicolons\.csv: the header is one column, "student;assessmentLineItem;scoreStatus;scoreDate": the file looks ";"-separated, and import reads commas/
      )
      expect(semicolons.stderr).not.toContain("--map")
      const typo = yield* Effect.promise(() => run(["import", join(dir, "typo.csv")], envOf(server)))
      expect(typo.code).toBe(1)
      expect(typo.stderr).toMatch(/^timeback-gradebook: .*typo\.csv: column "scroe" is not an assessment result field/)
      const quote = yield* Effect.promise(() => run(["import", join(dir, "quote.csv")], envOf(server)))
      expect(quote.code).toBe(1)
      expect(quote.stderr).toMatch(
        /quote\.csv line 3: a quoted field opens here and is never closed \(not valid CSV; nothing was sent\)/
      )
      expect(yield* puts(server)).toBe(0)
      const mapped = yield* Effect.promise(() =>
        run([
          "import",
          join(dir, "mapped.csv"),
          "--map",
          "Student ID=student",
          "--map",
          "Quiz=assessmentLineItem",
          "--map",
          "Status=scoreStatus",
          "--map",
          "Date=scoreDate",
          "--map",
          "Points=score"
        ], envOf(server))
      )
      expect(mapped.code).toBe(0)
      expect(stored(server).map((r) => [r.student.sourcedId, r.score])).toEqual([["s", 5]])
    }))

  it.live("a server that does not answer stops the import after a few rows, with one line saying how to go on", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      // a port nothing listens on: every request finds no one (after the client's retries)
      const closed = createServer()
      const port = yield* Effect.callback<number>((resume) => {
        closed.listen(0, "127.0.0.1", () => {
          const { port } = closed.address() as { port: number }
          closed.close(() => resume(Effect.succeed(port)))
        })
      })
      const down = `http://127.0.0.1:${port}`
      const dir = scratch({ "grades.csv": gradesCsv(30, 2) })
      const result = yield* Effect.promise(() =>
        run(
          ["import", join(dir, "grades.csv"), "--concurrency", "5"],
          envOf(server, { TIMEBACK_BASE_URL: down, TIMEBACK_TOKEN_URL: `${down}/oauth2/token` })
        )
      )
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        /timeback-gradebook: no answer from the server for 5 rows in a row \(.*could not reach .*\): stopped, nothing more is sent\. Run the same command again once it answers/
      )
      // the import stopped: far fewer than the 60 rows waited out their retries
      expect((result.stderr.match(/^line \d+:/gm) ?? []).length).toBeLessThan(10)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }))

  it.live("--restart leaves the journal as it was when the run ends before any row lands", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const dir = scratch({ "grades.csv": gradesCsv(3, 2) })
      const file = join(dir, "grades.csv")
      const first = yield* Effect.promise(() => run(["import", file], envOf(server)))
      expect(first.code).toBe(0)
      const journal = read(join(dir, "grades.journal"))
      expect(journal.trim().split("\n")).toHaveLength(1 + 6)
      // the credentials refused at the token step: nothing landed, so nothing is forgotten
      const refused = yield* Effect.promise(() =>
        run(["import", file, "--restart"], envOf(server, { TIMEBACK_CLIENT_SECRET: "wrong" }))
      )
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain("the token endpoint refused the credentials")
      expect(read(join(dir, "grades.journal"))).toBe(journal)
      // a run that does land rows starts the journal over, and sends every row again
      const restarted = yield* Effect.promise(() => run(["import", file, "--restart"], envOf(server)))
      expect(restarted.code).toBe(0)
      expect(restarted.stdout).toMatch(/stored\s+6\n/)
      expect(yield* puts(server)).toBe(12)
    }))

  it.live("--state-dir: the journal and the failed rows go there, nothing beside the input; a re-run with it resumes", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      yield* server.inject({ method: "PUT", times: 1, action: { _tag: "Status", status: 422 } })
      const dir = scratch({ "grades.csv": gradesCsv(3, 1) })
      const state = join(dir, "state")
      mkdirSync(state)
      const file = join(dir, "grades.csv")
      const first = yield* Effect.promise(() =>
        run(["import", file, "--state-dir", state, "--concurrency", "1"], envOf(server))
      )
      expect(first.code).toBe(2)
      expect(readdirSync(dir).sort()).toEqual(["grades.csv", "state"])
      expect(readdirSync(state).sort()).toEqual(["grades.failed.csv", "grades.journal"])
      expect(first.stdout).toContain(`journal: ${join(state, "grades.journal")}`)
      // resumed from the journal there: only the row that did not land is sent again
      const second = yield* Effect.promise(() => run(["import", file, "--state-dir", state], envOf(server)))
      expect(second.code).toBe(0)
      expect(second.stdout).toMatch(/already imported\s+2\n/)
      expect(yield* puts(server)).toBe(4)
      // a directory that does not exist is refused before anything is read or sent
      const missing = yield* Effect.promise(() =>
        run(["import", file, "--state-dir", join(dir, "nope")], envOf(server))
      )
      expect(missing.code).toBe(1)
      expect(yield* puts(server)).toBe(4)
    }))
})
