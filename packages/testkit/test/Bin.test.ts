// `timeback-fake-server` as a person runs it: the built bin, spawned.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const BIN = new URL("../dist/bin/serve.js", import.meta.url).pathname
const run = (args: ReadonlyArray<string>) =>
  spawnSync(process.execPath, ["--conditions=timeback-dist", BIN, ...args], { encoding: "utf8", timeout: 60_000 })

/** Starts the server and resolves with what it printed once it printed its four variables; `stop` kills it. */
const started = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly printed: string; readonly stop: () => void }>((resume) => {
      const child = spawn(process.execPath, ["--conditions=timeback-dist", BIN, ...args])
      let printed = ""
      child.stdout.on("data", (chunk) => {
        printed += chunk
        if ((printed.match(/^TIMEBACK_/gm) ?? []).length === 4) {
          resume(Effect.succeed({ printed, stop: () => child.kill() }))
        }
      })
    }),
    ({ stop }) => Effect.sync(stop)
  )

describe("timeback-fake-server", () => {
  it.live("--help prints the usage and starts nothing", () =>
    Effect.sync(() => {
      for (const flag of ["--help", "-h"]) {
        const help = run([flag, "--port", "abc"])
        expect(help.status).toBe(0)
        expect(help.stdout).toMatch(/^Usage: timeback-fake-server \[--port N\]/)
        expect(help.stdout).toContain("--port N")
        expect(help.stderr).toBe("")
      }
    }))

  it.live("a bad option is one line naming it, exit code 64, no stack trace", () =>
    Effect.sync(() => {
      for (
        const [args, message] of [
          [["--port", "abc"], "--port expects a port number, 0 to 65535; got \"abc\""],
          [["--port", "70000"], "--port expects a port number, 0 to 65535; got \"70000\""],
          [["--port"], "--port needs a value"],
          [["--prot", "1"], "unknown option \"--prot\""]
        ] as const
      ) {
        const bad = run(args)
        expect(bad.status).toBe(64)
        expect(bad.stderr).toBe(
          `timeback-fake-server: ${message}${
            message.endsWith("value") ? " (a port number, 0 to 65535)" : ""
          } (--help for usage)\n`
        )
        expect(bad.stdout).toBe("")
      }
    }))

  it.live("a port in use is one line, exit code 1", () =>
    Effect.gen(function*() {
      const taken = createServer()
      yield* Effect.acquireRelease(
        Effect.callback<void>((resume) => {
          taken.listen(0, "127.0.0.1", () => resume(Effect.void))
        }),
        () => Effect.sync(() => taken.close())
      )
      const port = (taken.address() as { port: number }).port
      const busy = run(["--port", String(port)])
      expect(busy.status).toBe(1)
      expect(busy.stderr).toMatch(
        new RegExp(`^timeback-fake-server: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`)
      )
      expect(busy.stderr).not.toMatch(/\n\s+at /)
    }))

  it.live("what it prints pastes into a shell as it is, and points at the server", () =>
    Effect.gen(function*() {
      const { printed } = yield* started([])
      for (const line of printed.trim().split("\n")) expect(line).toMatch(/^(#.*|TIMEBACK_[A-Z_]+=\S+)$/)
      const dir = mkdtempSync(join(tmpdir(), "fake-server-"))
      writeFileSync(join(dir, "env"), printed)
      // sourced by a shell, exactly as printed: the variables it exports reach the token endpoint
      const shell = spawnSync("bash", ["-c", "set -a; . ./env; env"], { cwd: dir, encoding: "utf8" })
      const env = Object.fromEntries(
        shell.stdout.split("\n").filter((l) => l.startsWith("TIMEBACK_")).map((
          l
        ) => [l.split("=")[0], l.slice(l.indexOf("=") + 1)])
      )
      const answer = yield* Effect.promise(() =>
        fetch(env.TIMEBACK_TOKEN_URL!, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: env.TIMEBACK_CLIENT_ID!,
            client_secret: env.TIMEBACK_CLIENT_SECRET!
          }).toString()
        })
      )
      expect(env.TIMEBACK_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(answer.status).toBe(200)
    }))
})
