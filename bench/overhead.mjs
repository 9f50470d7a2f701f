// The SDK's own CPU per call, the transport mocked out (issue 33): `HttpGradebook` over an `HttpClient`
// that answers in-process (a token, then a stored result per PUT), so no socket, server or
// event-loop noise is in the number: what a change to the SDK's hot path buys. On the built packages.
//
//   node bench/overhead.mjs <tree> [<tree> …]      (each after `pnpm build`)
//
// Per tree, in fresh processes, alternating trees: 20,000 sequential puts after 2,000 to warm up,
// user+system CPU per put; 5 rounds, the median.
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

const trees = process.argv.slice(2).map((t) => resolve(t))
if (trees.length === 0) {
  console.error("usage: node bench/overhead.mjs <tree> [<tree> …]")
  process.exit(64)
}

const PROGRAM = `
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
const input = { assessmentLineItem: { sourcedId: "ali-1" }, student: { sourcedId: "stu-1" }, scoreStatus: "fully graded",
  scoreDate: "2024-09-01T10:00:00Z", score: 88, comment: "well done", metadata: { source: "bench", tags: ["a", "b"] } }
const token = JSON.stringify({ access_token: "bench-token", token_type: "Bearer", expires_in: 3600 })
const answer = (id) => JSON.stringify({ assessmentResult: { ...input, sourcedId: id, status: "active", dateLastModified: "2024-09-01T10:00:00Z" } })
const mocked = HttpClient.make((request, url) =>
  Effect.succeed(HttpClientResponse.fromWeb(request, url.pathname.endsWith("/token")
    ? new Response(token, { status: 200, headers: { "content-type": "application/json" } })
    : new Response(answer(decodeURIComponent(url.pathname.split("/").at(-1))), { status: 201, headers: { "content-type": "application/json" } }))))
const runtime = ManagedRuntime.make(HttpGradebook.layer({
  clientId: "bench", clientSecret: Redacted.make("s"), baseUrl: "https://mocked", tokenUrl: "https://mocked/oauth2/token"
}).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient)(mocked))))
const put = (i) => runtime.runPromise(Gradebook.putAssessmentResult("bench-" + i, { ...input, sourcedId: "bench-" + i }))
for (let i = 0; i < 2000; i++) await put(i)
const N = 20000
const before = process.cpuUsage()
for (let i = 0; i < N; i++) await put(i)
const used = process.cpuUsage(before)
console.log(JSON.stringify({ cpu: (used.user + used.system) / N }))
await runtime.dispose()
`

const files = trees.map((tree) => {
  const dir = join(tree, "bench", ".overhead")
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "put.mjs"), PROGRAM)
  return { tree, dir, file: join(dir, "put.mjs") }
})
const samples = new Map(trees.map((t) => [t, []]))
try {
  for (let round = 0; round < 5; round++) {
    for (const { tree, file } of round % 2 ? [...files].reverse() : files) {
      const out = execFileSync(process.execPath, ["--conditions=timeback-dist", file], { cwd: join(tree, "bench"), encoding: "utf8" })
      samples.get(tree).push(JSON.parse(out).cpu)
    }
  }
} finally {
  for (const { dir } of files) rmSync(dir, { recursive: true, force: true })
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
for (const tree of trees) {
  const xs = samples.get(tree)
  console.log(`${tree}: ${median(xs).toFixed(1)} µs of CPU per put, the transport mocked out (rounds: ${xs.map((x) => x.toFixed(0)).join(", ")})`)
}
