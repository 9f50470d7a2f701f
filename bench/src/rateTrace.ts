/**
 * `pnpm rate-trace [processes] [maxRequestsPerSecond]`: the rate-limited scenario of the bench
 * (200/s, burst 20, Retry-After: 1; 3,000 puts at concurrency 64 split over 1 or 2 processes, each
 * with default settings or the given ceiling), printing what the
 * server admitted / refused in each 500 ms, then the achieved rate. For tuning the rate governor:
 * child processes' stderr is passed through, so logging added to the governor shows each event.
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { rateLimitedArgs } from "./rateLimitedArgs.js"
import { start } from "./server.js"
const here = fileURLToPath(new URL(".", import.meta.url))
const processes = Number(process.argv[2] ?? 1)
const ceiling = process.argv[3]
const per = 3000 / processes
const limited = await start({
  rateLimit: { requestsPerSecond: 200, burst: 20, announce: process.env.ANNOUNCE === "1" }
})
let last = { total: 0, refused: 0 }
const t0 = performance.now()
const line: Array<string> = []
const timer = setInterval(() => {
  const now = limited.apiRequests()
  line.push(
    `${((performance.now() - t0) / 1000).toFixed(1)}:${now.total - last.total - (now.refused - last.refused)}/${
      now.refused - last.refused
    }`
  )
  last = now
}, 500)
const results = await Promise.all(
  Array.from({ length: processes }, (_, p) =>
    promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      `${here}rateLimited.ts`,
      ...rateLimitedArgs(limited.url, per, p * per, ceiling)
    ]).then((r) => {
      process.stderr.write(r.stderr)
      return JSON.parse(r.stdout.trim().split("\n").at(-1)!)
    }))
)
clearInterval(timer)
const { total, refused } = limited.apiRequests()
const elapsed = Math.max(...results.map((r) => r.elapsedMs))
console.log(line.join(" "))
console.log(
  JSON.stringify({
    achieved: (3000 / (elapsed / 1000) / 200).toFixed(3),
    total,
    refused,
    failed: results.reduce((n, r) => n + r.failed, 0),
    elapsed: Math.round(elapsed)
  })
)
await limited.close()
