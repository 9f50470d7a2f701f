/**
 * `pnpm --filter @timeback/bench profile`: a CPU profile of 10,000 SDK puts at concurrency 64, the
 * server in a separate process so the profile shows only the client. Prints the top functions by
 * self time and leaves the .cpuprofile in bench/profiles/ (open it in Chrome DevTools).
 */
import { execFile, fork } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const here = fileURLToPath(new URL(".", import.meta.url))
const dir = fileURLToPath(new URL("../profiles/", import.meta.url))
const side = process.argv[2] ?? "sdk"

if (process.argv[2] === "--serve") {
  const { start } = await import("./server.js")
  const server = await start()
  process.send!(server.url)
} else {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const server = fork(`${here}profile.ts`, ["--serve"], { execArgv: ["--import", "tsx"] })
  const url = await new Promise<string>((resolve) => server.once("message", (m) => resolve(String(m))))
  const { stdout } = await promisify(execFile)(process.execPath, [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    "--import",
    "tsx",
    `${here}rss.ts`,
    side,
    url
  ])
  server.kill()
  console.log(stdout.trim())
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!
  const profile = JSON.parse(readFileSync(`${dir}${file}`, "utf8")) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>
    samples: Array<number>
  }
  const counts = new Map<number, number>()
  for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1)
  const self = new Map<string, number>()
  for (const n of profile.nodes) {
    const where = n.callFrame.url.replace(/^.*node_modules\/\.pnpm\/([^/]+)\/.*\/(dist|src)\//, "$1 ").replace(
      /^.*\/(packages|bench)\//,
      "$1/"
    )
    const key = `${n.callFrame.functionName || "(anonymous)"}  ${where}:${n.callFrame.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + (counts.get(n.id) ?? 0))
  }
  const total = profile.samples.length
  for (const [key, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${key}`)
  }
}
