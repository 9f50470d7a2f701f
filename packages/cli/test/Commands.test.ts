import { describe, expect, it } from "@effect/vitest"
import { AssessmentResult } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { envOf, gradesCsv, PACKAGE_DIR, run, scratch } from "./spawn.js"

const result = (student: string, score: number) => ({
  assessmentLineItem: { sourcedId: "quiz-1" },
  student: { sourcedId: student },
  scoreStatus: "fully graded" as const,
  scoreDate: "2024-09-01",
  score
})

describe("timeback-gradebook", () => {
  it.live("--help for every command", () =>
    Effect.gen(function*() {
      const root = yield* Effect.promise(() => run(["--help"]))
      expect(root.code).toBe(0)
      // its stdout is a pipe here: plain text, no terminal escapes
      expect(root.stdout).not.toContain("\u001b[")
      // and so without NO_COLOR (which `run` sets): a pipe alone is enough
      const { NO_COLOR: _, FORCE_COLOR: __, ...env } = process.env
      const piped = spawnSync(process.execPath, [
        "--conditions=timeback-dist",
        join(PACKAGE_DIR, "dist", "bin.js"),
        "--help"
      ], {
        encoding: "utf8",
        env
      })
      expect(piped.stdout).toContain("import")
      expect(piped.stdout).not.toContain("\u001b[")
      for (const command of ["import", "get", "list", "put", "delete"]) expect(root.stdout).toContain(command)
      const expected: Record<string, ReadonlyArray<string>> = {
        import: [
          "--dry-run",
          "--concurrency",
          "--max-rate",
          "--map",
          "--restart",
          "--allow-negative-scores",
          "--state-dir",
          "--demo",
          "--env-file"
        ],
        get: ["--fields", "--format"],
        list: ["--filter", "--sort", "--fields", "--all", "--format"],
        put: ["--json"],
        delete: ["ID"]
      }
      // side by side: each is its own process, and most of a process's time is its start
      const helps = yield* Effect.forEach(
        Object.entries(expected),
        ([command, options]) => Effect.promise(() => run([command, "--help"]).then((help) => ({ help, options }))),
        { concurrency: "unbounded" }
      )
      for (const { help, options } of helps) {
        expect(help.code).toBe(0)
        for (const option of options) expect(help.stdout).toContain(option)
      }
    }))

  it.live(
    "--completions bash prints a completion script bash accepts, with every command and option",
    () =>
      Effect.gen(function*() {
        const completions = yield* Effect.promise(() => run(["--completions", "bash"]))
        expect(completions.code).toBe(0)
        const dir = scratch({ "completions.bash": completions.stdout })
        const checked = spawnSync("bash", ["-n", join(dir, "completions.bash")], { encoding: "utf8" })
        expect(checked.stderr).toBe("")
        expect(checked.status).toBe(0)
        expect(completions.stdout).toContain("complete -F _timeback_gradebook timeback-gradebook")
        for (const word of ["import", "get", "list", "put", "delete", "--dry-run", "--env-file", "--format"]) {
          expect(completions.stdout).toContain(word)
        }
      })
  )

  it.live(
    "a bad secret, a missing variable: one line naming the variable, no stack trace, exit code 1",
    () =>
      Effect.gen(function*() {
        const server = yield* FakeTimebackServer.make()
        const bad = yield* Effect.promise(() =>
          run(["get", "x"], envOf(server, { TIMEBACK_CLIENT_SECRET: "not-the-secret" }))
        )
        expect(bad.code).toBe(1)
        expect(bad.stderr).toBe(
          "timeback-gradebook: the token endpoint refused the credentials (invalid_client): check " +
            "TIMEBACK_CLIENT_ID and TIMEBACK_CLIENT_SECRET\n"
        )
        expect(bad.stdout).toBe("")

        const { TIMEBACK_CLIENT_SECRET: _, ...withoutSecret } = envOf(server)
        const missing = yield* Effect.promise(() => run(["list"], withoutSecret))
        expect(missing.code).toBe(1)
        expect(missing.stderr).toMatch(
          /^timeback-gradebook: TIMEBACK_CLIENT_SECRET is not set \(set it in the environment/
        )
        expect(missing.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1)

        // an import learns it before reading the file, and sends nothing
        const dir = scratch({
          "g.csv": "student,assessmentLineItem,scoreStatus,scoreDate\ns,l,fully graded,2024-09-01\n"
        })
        const importing = yield* Effect.promise(() =>
          run(["import", join(dir, "g.csv")], envOf(server, { TIMEBACK_CLIENT_SECRET: "not-the-secret" }))
        )
        expect(importing.code).toBe(1)
        expect(importing.stderr).toContain("the token endpoint refused the credentials (invalid_client)")
        expect(importing.stderr).not.toMatch(/not-the-secret|\bat .*\.ts:\d+/)
      })
  )

  it.live("--env-file supplies the variables; the environment wins over it", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const env = envOf(server)
      const dir = scratch({
        ".env": Object.entries(env).map(([k, v]) => `${k}="${v}"`).join("\n") + "\n# a comment\n"
      })
      yield* server.store.of(AssessmentResult.resource).put("r1", result("s1", 10))
      const fromFile = yield* Effect.promise(() => run(["get", "r1", "--env-file", join(dir, ".env")]))
      expect(fromFile.code).toBe(0)
      expect(JSON.parse(fromFile.stdout).score).toBe(10)
      const overridden = yield* Effect.promise(() =>
        run(["get", "r1", "--env-file", join(dir, ".env")], { TIMEBACK_CLIENT_SECRET: "wrong" })
      )
      expect(overridden.code).toBe(1)
      expect(overridden.stderr).toContain("invalid_client")
    }))

  it.live("put (from --json and from stdin), get, list in every format, delete", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const env = envOf(server)
      const put = yield* Effect.promise(() => run(["put", "r1", "--json", JSON.stringify(result("s1", 90))], env))
      expect(put.code).toBe(0)
      expect(JSON.parse(put.stdout)).toMatchObject({ sourcedId: "r1", score: 90 })
      const piped = yield* Effect.promise(() => run(["put", "r2"], env, JSON.stringify(result("s2, \"jr\"", 75))))
      expect(piped.code).toBe(0)

      const invalid = yield* Effect.promise(() => run(["put", "r3", "--json", "{\"score\":\"x\"}"], env))
      expect(invalid.code).toBe(1)
      expect(invalid.stderr).toMatch(/^timeback-gradebook: invalid assessment result, nothing was sent: .*score/)

      const got = yield* Effect.promise(() => run(["get", "r2", "--fields", "sourcedId,score"], env))
      expect(JSON.parse(got.stdout)).toEqual({ sourcedId: "r2", score: 75 })

      const json = yield* Effect.promise(() => run(["list", "--format", "json", "--sort", "score"], env))
      expect(json.code).toBe(0)
      expect((JSON.parse(json.stdout) as Array<{ sourcedId: string }>).map((r) => r.sourcedId)).toEqual(["r2", "r1"])

      const filtered = yield* Effect.promise(() =>
        run(["list", "--format", "json", "--filter", "score>='80'", "--all", "--limit", "1"], env)
      )
      expect((JSON.parse(filtered.stdout) as Array<{ sourcedId: string }>).map((r) => r.sourcedId)).toEqual(["r1"])

      const badFilter = yield* Effect.promise(() => run(["list", "--filter", "scroe>'1'"], env))
      expect(badFilter.code).toBe(1)
      expect(badFilter.stderr).toContain("--filter: unknown filter field \"scroe\"")
      const unquoted = yield* Effect.promise(() => run(["list", "--filter", "score<60"], env))
      expect(unquoted.code).toBe(1)
      expect(unquoted.stderr).toContain(
        "--filter: cannot parse filter at \"score<60\": values are in single quotes, as in score<'60'"
      )

      const csv = yield* Effect.promise(() => run(["list", "--format", "csv", "--sort", "score"], env))
      const lines = csv.stdout.trim().split("\n")
      expect(lines[0]).toMatch(/^sourcedId,status,dateLastModified,assessmentLineItem,student,score,/)
      expect(lines[1]).toContain("r2,active,")
      expect(lines[1]).toContain("\"s2, \"\"jr\"\"\",75,")

      // what list --format csv writes, import reads back
      const dir = scratch({ "export.csv": csv.stdout })
      const reimport = yield* Effect.promise(() => run(["import", join(dir, "export.csv"), "--dry-run"], env))
      expect(reimport.stdout).toContain("2 rows checked: 2 valid, 0 bad")

      const table = yield* Effect.promise(() => run(["list"], env))
      expect(table.stdout.split("\n")[0]).toMatch(
        /^sourcedId\s+student\s+assessmentLineItem\s+scoreStatus\s+score\s+scoreDate$/
      )

      const deleted = yield* Effect.promise(() => run(["delete", "r1"], env))
      expect(deleted.stdout).toBe("deleted r1\n")
      // a delete is soft in OneRoster: the result stays, marked tobedeleted
      const gone = yield* Effect.promise(() => run(["get", "r1"], env))
      expect(JSON.parse(gone.stdout).status).toBe("tobedeleted")
      const unknown = yield* Effect.promise(() => run(["delete", "nope"], env))
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toMatch(/^timeback-gradebook: .*HTTP 404 unknownobject.*→ it does not exist/)
    }))

  it.live("a base URL with a path the API does not have: a get and an import each end in one line naming TIMEBACK_BASE_URL", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const env = envOf(server, { TIMEBACK_BASE_URL: `${server.connection.baseUrl}/api` })
      const got = yield* Effect.promise(() => run(["get", "r1"], env))
      expect(got.code).toBe(1)
      expect(got.stderr).toMatch(
        /^timeback-gradebook: .*HTTP 404.*→ the server has no such route, so TIMEBACK_BASE_URL/
      )
      expect(got.stderr).not.toContain("check the sourcedIds")
      const dir = scratch({ "grades.csv": gradesCsv(20, 2) })
      const imported = yield* Effect.promise(() => run(["import", join(dir, "grades.csv"), "--concurrency", "1"], env))
      expect(imported.code).toBe(1)
      expect(imported.stderr).toContain(
        "set it to the API's origin with no path (the tool adds /ims/oneroster/gradebook/v1p2)"
      )
      // it stops at the first row: no line per row
      expect(imported.stderr).not.toMatch(/^line \d+:/m)
      expect((yield* server.requests).filter((r) => r.method === "PUT").length).toBeLessThanOrEqual(1)
    }))

  it.live("--demo: every command works with no credentials", () =>
    Effect.gen(function*() {
      const listed = yield* Effect.promise(() => run(["list", "--demo", "--limit", "2", "--format", "json"]))
      expect(listed.code).toBe(0)
      const [first] = JSON.parse(listed.stdout) as Array<{ sourcedId: string; student: { sourcedId: string } }>
      const got = yield* Effect.promise(() => run(["get", first!.sourcedId, "--demo"]))
      expect(JSON.parse(got.stdout).student.sourcedId).toBe(first!.student.sourcedId)
    }))
})
