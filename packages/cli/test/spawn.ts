/**
 * Drives `timeback-gradebook` as a user does: a separate process running the built bin
 * (`node dist/bin.js`, as installed; no TypeScript compiled per spawn), its own environment, stdout
 * and stderr read whole. In the workspace the packages export their sources; the `timeback-dist`
 * condition makes the built bin import the other packages' builds instead. The test task depends on
 * the build (`turbo.json`), so a stale `dist/` is never what is tested.
 */
import type { FakeTimebackServer } from "@timeback/testkit"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url))
const BIN = join(PACKAGE_DIR, "dist", "bin.js")

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment of a user with the server's credentials (and nothing of this process's TIMEBACK_*). */
export const envOf = (
  server: FakeTimebackServer.FakeTimebackServerService,
  overrides: Record<string, string> = {}
) => ({
  TIMEBACK_CLIENT_ID: server.clientId,
  TIMEBACK_CLIENT_SECRET: Redacted.value(server.clientSecret),
  TIMEBACK_BASE_URL: server.baseUrl,
  TIMEBACK_TOKEN_URL: server.tokenUrl,
  ...overrides
})

export interface Running {
  readonly child: ChildProcess
  readonly stderr: () => string
  readonly done: Promise<Result>
}

export const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}, input?: string): Running => {
  const base: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("TIMEBACK_"))
  )
  const child = spawn(process.execPath, ["--conditions=timeback-dist", BIN, ...args], {
    cwd: PACKAGE_DIR,
    env: { ...base, ...env, NO_COLOR: "1" },
    stdio: ["pipe", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d))
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d))
  if (input !== undefined) child.stdin!.end(input)
  else child.stdin!.end()
  const done = new Promise<Result>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  return { child, stderr: () => stderr, done }
}

export const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}, input?: string) =>
  start(args, env, input).done

/** A scratch directory with `files` written in it; returns its path. */
export const scratch = (files: Record<string, string> = {}): string => {
  const dir = mkdtempSync(join(tmpdir(), "timeback-cli-"))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

export const read = (path: string) => readFileSync(path, "utf8")

/** A class's results as CSV: `students` × `lineItems` rows, every one valid. */
export const gradesCsv = (students: number, lineItems: number): string => {
  const lines = ["student.sourcedId,assessmentLineItem,scoreStatus,scoreDate,score,comment"]
  for (let s = 0; s < students; s++) {
    for (let l = 0; l < lineItems; l++) {
      const comment = s % 7 === 0 ? "\"late, but \"\"complete\"\"\nsee rubric\"" : ""
      lines.push(`student-${s},line-item-${l},fully graded,2024-09-0${1 + (l % 9)},${(s * 7 + l) % 101},${comment}`)
    }
  }
  return `${lines.join("\n")}\n`
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export const until = async (check: () => boolean, ms = 120_000) => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting")
    await new Promise((r) => setTimeout(r, 25))
  }
}
