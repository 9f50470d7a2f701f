// The cost of a call, measured against the transport (issue 33): the SDK against `undici.request` (the
// transport its Node clients use) and `fetch`, on the built packages (`pnpm build`; the `timeback-dist`
// condition, never tsx), each tree in its own processes, against a minimal server in another process.
//
//   node bench/cost.mjs [--profile] <tree> [<tree> …]      e.g. node bench/cost.mjs ../before .
//
// Contenders, one PUT each (same URL, body and answer): `undici.request` + JSON, `fetch` + JSON,
// the SDK through Effect (`HttpGradebook` over `NodeHttpClient.layerUndici`, the README's setup) and
// the SDK without Effect (`@timeback/client`), both with a warm token and full validation.
// - CPU per PUT and p50 latency: 3,000 sequential PUTs in a fresh process per contender (after 500
//   to warm up), user+system CPU of that process per PUT; 5 rounds, the contenders' order rotated
//   every round; medians.
// - c64 throughput: the four contenders in one process, blocks of 5,000 PUTs at concurrency 64,
//   alternating, 3 rounds; median puts/s, and its ratio to fetch's.
// - with --profile: a CPU profile of the Effect SDK's c64 run (10,000 PUTs after 2,000 unprofiled), self time grouped by
//   package (the Effect runtime, Schema and HTTP modules apart), written to bench/cost-profile-<tree>.json.
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { gzipSync } from "node:zlib"

const args = process.argv.slice(2)
const profileOnly = args.includes("--profile-only")
const profile = profileOnly || args.includes("--profile")
const trees = args.filter((a) => !a.startsWith("--")).map((t) => resolve(t))
if (trees.length === 0) {
  console.error("usage: node bench/cost.mjs [--profile] <tree> [<tree> …]")
  process.exit(64)
}

const input = {
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-01T10:00:00Z",
  score: 88,
  comment: "well done",
  metadata: { source: "bench", tags: ["a", "b"] }
}

const LIST_TOTAL = 10_000
const SERVER = `
import { createServer } from "node:http"
const LIST_TOTAL = ${LIST_TOTAL}
const input = ${JSON.stringify(input)}
const server = createServer((req, res) => {
  let body = ""
  req.on("data", (c) => (body += c))
  req.on("end", () => {
    if (req.url.endsWith("/oauth2/token")) {
      res.writeHead(200, { "content-type": "application/json" })
      return res.end(JSON.stringify({ access_token: "bench-token", token_type: "Bearer", expires_in: 3600 }))
    }
    if (req.method === "GET") {
      // a list of LIST_TOTAL results, in the pages asked for
      const q = new URL(req.url, "http://x").searchParams
      const offset = Number(q.get("offset") ?? 0)
      const limit = Number(q.get("limit") ?? 100)
      const results = []
      for (let i = offset; i < Math.min(offset + limit, LIST_TOTAL); i++) {
        results.push({ ...input, sourcedId: "ar-" + i, status: "active", dateLastModified: "2024-09-01T10:00:00Z" })
      }
      res.writeHead(200, { "content-type": "application/json", "x-total-count": String(LIST_TOTAL) })
      return res.end(JSON.stringify({ assessmentResults: results, totalCount: LIST_TOTAL, offset, limit }))
    }
    const id = decodeURIComponent(req.url.split("/").at(-1).split("?")[0])
    res.writeHead(201, { "content-type": "application/json", "x-request-id": "req-1" })
    res.end(JSON.stringify({ assessmentResult: { ...input, sourcedId: id, status: "active", dateLastModified: "2024-09-01T10:00:00Z", textScore: null, late: null } }))
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => console.log(server.address().port))
`

const startServer = () =>
  new Promise((ok) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] })
    child.stdout.once("data", (d) => ok({ url: `http://127.0.0.1:${String(d).trim()}`, stop: () => child.kill() }))
  })

/** The contenders' module: `make(kind, url)` → `{ put(i), close() }`, resolving each tree's own packages. */
const CONTENDERS = (undiciUrl, clientUrl) => `
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
const undici = await import(${JSON.stringify(undiciUrl)})
const input = ${JSON.stringify(input)}
const PATH = "/ims/oneroster/gradebook/v1p2/assessmentResults/"
const headers = { authorization: "Bearer bench-token", "content-type": "application/json", accept: "application/json" }
const body = (i) => JSON.stringify({ assessmentResult: { ...input, sourcedId: "bench-" + i } })
const check = (r) => { if (r.assessmentResult.sourcedId === undefined) throw new Error("no answer") }
export const make = async (kind, url) => {
  const connection = { clientId: "bench", clientSecret: "s", baseUrl: url, tokenUrl: url + "/oauth2/token" }
  switch (kind) {
    case "undici": {
      const agent = new undici.Agent()
      return {
        put: async (i) => {
          const r = await agent.request({ origin: url, path: PATH + "bench-" + i, method: "PUT", headers, body: body(i) })
          check(await r.body.json())
        },
        close: () => agent.close()
      }
    }
    case "fetch":
      return {
        put: async (i) => check(await (await fetch(url + PATH + "bench-" + i, { method: "PUT", headers, body: body(i) })).json()),
        close: async () => {}
      }
    case "effect": {
      const runtime = ManagedRuntime.make(HttpGradebook.layer({ ...connection, clientSecret: Redacted.make("s") })
        .pipe(Layer.provide(NodeHttpClient.layerUndici)))
      return {
        runtime,
        put: (i) => runtime.runPromise(Gradebook.putAssessmentResult("bench-" + i, { ...input, sourcedId: "bench-" + i })),
        close: () => runtime.dispose()
      }
    }
    case "promise": {
      const { TimebackGradebook } = await import(${JSON.stringify(clientUrl)})
      const gradebook = new TimebackGradebook(connection)
      return {
        put: (i) => gradebook.assessmentResults.put("bench-" + i, { ...input, sourcedId: "bench-" + i }),
        close: () => gradebook.close()
      }
    }
  }
}
export const concurrently = async (put, total, concurrency) => {
  let next = 0
  const t = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < total) await put(next++) }))
  return total / ((performance.now() - t) / 1000)
}
`

const SEQUENTIAL = `
import { make } from "./contenders.mjs"
const [kind, url] = process.argv.slice(2)
const c = await make(kind, url)
for (let i = 0; i < 500; i++) await c.put(i)
const N = 3000
const times = new Float64Array(N)
const before = process.cpuUsage()
for (let i = 0; i < N; i++) {
  const t = performance.now()
  await c.put(i)
  times[i] = performance.now() - t
}
const used = process.cpuUsage(before)
times.sort()
console.log(JSON.stringify({ cpu: (used.user + used.system) / N, p50: times[N / 2] }))
await c.close()
`

const THROUGHPUT = `
import { concurrently, make } from "./contenders.mjs"
const url = process.argv[2]
const kinds = ["undici", "fetch", "effect", "promise"]
const cs = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, await make(k, url)])))
for (const k of kinds) await concurrently(cs[k].put, 1000, 64)
const rounds = []
for (let round = 0; round < 3; round++) {
  const r = {}
  for (const k of [...kinds.slice(round), ...kinds.slice(0, round)]) {
    const before = process.cpuUsage()
    const rate = await concurrently(cs[k].put, 5000, 64)
    const used = process.cpuUsage(before)
    r[k] = { rate, cpu: (used.user + used.system) / 5000 }
  }
  rounds.push(r)
}
for (const k of kinds) await cs[k].close()
console.log(JSON.stringify(rounds))
`

// profiled after the warm-up only (the inspector's profiler, not --cpu-prof: a start's module
// loading is not a call's cost)
const PROFILED = `
import { Session } from "node:inspector/promises"
import { writeFileSync } from "node:fs"
import { concurrently, make } from "./contenders.mjs"
const [url, out] = process.argv.slice(2)
const c = await make("effect", url)
await concurrently(c.put, 2000, 64)
const session = new Session()
session.connect()
await session.post("Profiler.enable")
await session.post("Profiler.setSamplingInterval", { interval: 100 })
await session.post("Profiler.start")
await concurrently(c.put, 10000, 64)
const { profile } = await session.post("Profiler.stop")
writeFileSync(out, JSON.stringify(profile))
await c.close()
`

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
// --- a start: importing the packages and one PUT, in a fresh process ---------------------------
const PUT_PATH = "/ims/oneroster/gradebook/v1p2/assessmentResults/"
const START = {
  fetch: `const url = process.argv[2]
const r = await fetch(url + "${PUT_PATH}start-1", { method: "PUT", headers: { authorization: "Bearer bench-token", "content-type": "application/json" }, body: JSON.stringify({ assessmentResult: ${JSON.stringify(input)} }) })
await r.json()
`,
  // the README's imports (its "A first program" section)
  effect: `import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { Effect, Layer, Redacted } from "effect"
const url = process.argv[2]
const live = HttpGradebook.layer({ clientId: "bench", clientSecret: Redacted.make("s"), baseUrl: url, tokenUrl: url + "/oauth2/token" })
  .pipe(Layer.provide(NodeHttpClient.layerUndici))
await Effect.runPromise(Gradebook.putAssessmentResult("start-1", ${JSON.stringify(input)}).pipe(Effect.provide(live)))
`,
  promise: (clientUrl) => `import { TimebackGradebook } from ${JSON.stringify(clientUrl)}
const url = process.argv[2]
const gradebook = new TimebackGradebook({ clientId: "bench", clientSecret: "s", baseUrl: url, tokenUrl: url + "/oauth2/token" })
await gradebook.assessmentResults.put("start-1", ${JSON.stringify(input)})
await gradebook.close()
`
}
/** Appended to a start program: the time since the process began, and the heap still in use after a full GC. */
const START_REPORT = `
globalThis.gc()
console.log(JSON.stringify({ ms: performance.now(), heapMb: process.memoryUsage().heapUsed / 1e6 }))
`

// --- bulk and stream: peak live heap (sampled every 5 ms, no GC forced) above a GC'd start --------
const HEAP = `
globalThis.gc()
const startMb = process.memoryUsage().heapUsed / 1e6
let peakMb = startMb
const sampler = setInterval(() => { peakMb = Math.max(peakMb, process.memoryUsage().heapUsed / 1e6) }, 5)
const report = (extra) => {
  clearInterval(sampler)
  peakMb = Math.max(peakMb, process.memoryUsage().heapUsed / 1e6)
  console.log(JSON.stringify({ ...extra, growthMb: peakMb - startMb }))
}
`
const BULK_TOTAL = 100_000
const BULK = `
import { Gradebook } from "@timeback/core"
import { Effect, Stream } from "effect"
import { make } from "./contenders.mjs"
const [kind, url] = process.argv.slice(2)
const input = ${JSON.stringify(input)}
const c = await make(kind === "fetch" ? "fetch" : "effect", url)
await c.put(-1)
${HEAP}
const t = performance.now()
let failed = 0
if (kind === "fetch") {
  // a plain pool of 16 workers
  let next = 0
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < ${BULK_TOTAL}) await c.put(next++).catch(() => failed++)
  }))
} else {
  function* items() { for (let i = 0; i < ${BULK_TOTAL}; i++) yield { ...input, sourcedId: "bulk-" + i } }
  await c.runtime.runPromise(Stream.unwrap(Effect.map(Gradebook.Gradebook, (g) => g.assessmentResults.putAll(items())))
    .pipe(Stream.runForEach((o) => Effect.sync(() => { if (o.outcome._tag === "Failure") failed++ }))))
}
report({ ms: performance.now() - t, failed })
await c.close()
`
const STREAM = `
import { Gradebook } from "@timeback/core"
import { Effect, Stream } from "effect"
import { make } from "./contenders.mjs"
const [kind, url] = process.argv.slice(2)
const c = await make(kind === "fetch" ? "fetch" : "effect", url)
await c.put(-1)
${HEAP}
const t = performance.now()
let n = 0
if (kind === "fetch") {
  // the hand-written loop: page after page until a short one
  for (let offset = 0; ; offset += 100) {
    const r = await fetch(url + "${PUT_PATH.slice(0, -1)}?limit=100&offset=" + offset, { headers: { authorization: "Bearer bench-token", accept: "application/json" } })
    const page = (await r.json()).assessmentResults
    n += page.length
    if (page.length < 100) break
  }
} else {
  await c.runtime.runPromise(Stream.unwrap(Effect.map(Gradebook.Gradebook, (g) => g.assessmentResults.stream({ limit: 100 })))
    .pipe(Stream.runForEach(() => Effect.sync(() => { n++ }))))
}
if (n !== ${LIST_TOTAL}) throw new Error("streamed " + n)
report({ ms: performance.now() - t })
await c.close()
`


/** Self time of a `.cpuprofile`, grouped by where the code comes from. */
const grouped = (profilePath, calls) => {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(profilePath, "utf8"))
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n)
  const groupOf = (node) => {
    const { url, functionName } = node.callFrame
    if (functionName === "(garbage collector)") return "garbage collection"
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)") return `(${functionName.slice(1, -1)})`
    // a builtin (JSON.parse, a Promise job, a Map) is charged to the code that called it
    if (url === "") {
      const up = parent.get(node.id)
      return up === undefined || up.callFrame.functionName === "(root)" ? "V8 builtins, uncalled" : groupOf(up)
    }
    // the profiler's own stop, not the SDK's
    if (url === "node:inspector") return "(idle)"
    if (url.startsWith("node:")) return "Node internals"
    const pkg = /\/packages\/([a-z]+)\/dist\//.exec(url)
    if (pkg) return `@timeback/${pkg[1]}`
    const effect = /\/node_modules\/effect\/dist\/(.*)$/.exec(url)
    if (effect) {
      const path = effect[1]
      if (/schema|Schema|SchemaAST|SchemaParser|SchemaIssue/.test(path)) return "effect: Schema"
      if (path.startsWith("http/") || path.includes("/http/")) return "effect: http"
      return "effect: runtime"
    }
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.split("/node_modules/").length > 1 ? url.slice(url.lastIndexOf("/node_modules/")) : url)
    return m ? m[1] : "other"
  }
  const self = new Map()
  const functions = new Map()
  let total = 0
  for (let i = 0; i < samples.length; i++) {
    const us = timeDeltas[i] ?? 0
    const node = byId.get(samples[i])
    const g = groupOf(node)
    self.set(g, (self.get(g) ?? 0) + us)
    if (g === "(idle)") continue
    total += us
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${g} · ${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`
    functions.set(key, (functions.get(key) ?? 0) + us)
  }
  self.delete("(idle)")
  return {
    groups: [...self].sort((a, b) => b[1] - a[1]).map(([group, us]) => ({
      group,
      share: us / total,
      microsPerCall: us / calls
    })),
    // the 40 functions with the most self time: where a change would pay
    functions: [...functions].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([fn, us]) => ({
      function: fn,
      microsPerCall: Math.round((us / calls) * 10) / 10
    }))
  }
}

/** The start programs bundled (esbuild, as the tree's tsx has it; minified), gzipped, in KB. */
const bundles = async (tree, dir) => {
  const esbuild = createRequire(realpathSync(join(tree, "node_modules", "tsx", "package.json")))("esbuild")
  const size = async (entry) => {
    const out = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      write: false,
      platform: "node",
      format: "esm",
      conditions: ["timeback-dist"],
      logLevel: "silent"
    })
    const bytes = out.outputFiles[0].contents
    return { gzipKB: gzipSync(bytes).length / 1024, rawKB: bytes.length / 1024 }
  }
  return { effect: await size(join(dir, "start-effect.mjs")), promise: await size(join(dir, "start-promise.mjs")) }
}

const measure = async (tree) => {
  const bench = join(tree, "bench")
  const dir = join(bench, ".cost")
  mkdirSync(dir, { recursive: true })
  const platformNode = realpathSync(join(bench, "node_modules", "@effect", "platform-node", "package.json"))
  const undiciUrl = pathToFileURL(createRequire(platformNode).resolve("undici")).href
  const clientUrl = pathToFileURL(join(tree, "packages", "client", "dist", "index.js")).href
  writeFileSync(join(dir, "contenders.mjs"), CONTENDERS(undiciUrl, clientUrl))
  writeFileSync(join(dir, "sequential.mjs"), SEQUENTIAL)
  writeFileSync(join(dir, "throughput.mjs"), THROUGHPUT)
  writeFileSync(join(dir, "profiled.mjs"), PROFILED)
  writeFileSync(join(dir, "start-fetch.mjs"), START.fetch + START_REPORT)
  writeFileSync(join(dir, "start-effect.mjs"), START.effect + START_REPORT)
  // a path, not a file URL: esbuild resolves the one, not the other
  writeFileSync(join(dir, "start-promise.mjs"), START.promise(join(tree, "packages", "client", "dist", "index.js")) + START_REPORT)
  writeFileSync(join(dir, "bulk.mjs"), BULK)
  writeFileSync(join(dir, "stream.mjs"), STREAM)
  const node = (file, args, extra = []) =>
    execFileSync(process.execPath, ["--conditions=timeback-dist", ...extra, join(dir, file), ...args], {
      cwd: bench,
      encoding: "utf8"
    })
  const server = await startServer()
  const profiled = () => {
    const file = join(dir, "effect.cpuprofile")
    node("profiled.mjs", [server.url, file])
    const grouping = grouped(file, 10_000)
    writeFileSync(
      join(resolve(import.meta.dirname), `cost-profile-${tree.split("/").at(-1)}.json`),
      `${JSON.stringify(grouping, null, 2)}\n`
    )
    return grouping
  }
  try {
    const kinds = ["undici", "fetch", "effect", "promise"]
    const result = { tree, cpu: {}, p50: {}, c64: {}, c64cpu: {} }
    if (profileOnly) return Object.assign(result, { profile: profiled() })
    const seq = Object.fromEntries(kinds.map((k) => [k, []]))
    for (let round = 0; round < 5; round++) {
      for (const k of [...kinds.slice(round % 4), ...kinds.slice(0, round % 4)]) {
        seq[k].push(JSON.parse(node("sequential.mjs", [k, server.url])))
      }
    }
    const rounds = JSON.parse(node("throughput.mjs", [server.url]))
    for (const k of kinds) {
      result.cpu[k] = median(seq[k].map((s) => s.cpu))
      result.p50[k] = median(seq[k].map((s) => s.p50))
      result.c64[k] = median(rounds.map((r) => r[k].rate))
      result.c64cpu[k] = median(rounds.map((r) => r[k].cpu))
    }
    // a start: fresh processes, rotated, 7 rounds
    const starters = ["fetch", "effect", "promise"]
    const starts = Object.fromEntries(starters.map((k) => [k, []]))
    for (let round = 0; round < 7; round++) {
      for (const k of [...starters.slice(round % 3), ...starters.slice(0, round % 3)]) {
        starts[k].push(JSON.parse(node(`start-${k}.mjs`, [server.url], ["--expose-gc"])))
      }
    }
    result.start = Object.fromEntries(starters.map((k) => [k, {
      ms: median(starts[k].map((x) => x.ms)),
      heapMb: median(starts[k].map((x) => x.heapMb))
    }]))
    result.bundle = await bundles(tree, dir)
    // bulk and stream: each side in its own process, alternating, 3 rounds
    for (const what of ["bulk", "stream"]) {
      const runs = { fetch: [], effect: [] }
      for (let round = 0; round < 3; round++) {
        for (const k of round % 2 ? ["effect", "fetch"] : ["fetch", "effect"]) {
          runs[k].push(JSON.parse(node(`${what}.mjs`, [k, server.url], ["--expose-gc"])))
        }
      }
      result[what] = Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, {
        ms: median(xs.map((x) => x.ms)),
        growthMb: median(xs.map((x) => x.growthMb)),
        failed: Math.max(0, ...xs.map((x) => x.failed ?? 0))
      }]))
    }
    if (profile) result.profile = profiled()
    return result
  } finally {
    server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const results = []
for (const tree of trees) {
  console.error(`cost: measuring ${tree} …`)
  results.push(await measure(tree))
}
const f = (x, d = 0) => x.toFixed(d)
const name = (r) => r.tree.split("/").at(-1)
for (const r of results) {
  console.log(`\n### ${name(r)}\n`)
  if (!profileOnly) {
  console.log("| per PUT | `undici.request` | `fetch` | SDK (Effect) | SDK (Promise) |")
  console.log("|---|---|---|---|---|")
  const ks = ["undici", "fetch", "effect", "promise"]
  console.log(`| CPU µs per call at c64 | ${ks.map((k) => `${f(r.c64cpu[k])} (${f(r.c64cpu[k] / r.c64cpu.undici, 2)}×)`).join(" | ")} |`)
  console.log(`| CPU µs per call, sequential | ${ks.map((k) => `${f(r.cpu[k])} (${f(r.cpu[k] / r.cpu.undici, 2)}×)`).join(" | ")} |`)
  console.log(`| p50 latency (ms) | ${ks.map((k) => `${f(r.p50[k], 3)} (${f(r.p50[k] / r.p50.fetch, 2)}× fetch)`).join(" | ")} |`)
  console.log(`| c64 throughput (puts/s) | ${ks.map((k) => `${f(r.c64[k])} (${f(r.c64[k] / r.c64.fetch, 2)}× fetch)`).join(" | ")} |`)
  const st = r.start
  console.log(`| import + first PUT (ms, from process start) | | ${f(st.fetch.ms)} | ${f(st.effect.ms)} | ${f(st.promise.ms)} |`)
  console.log(`| heap in use after it, after GC (MB) | | ${f(st.fetch.heapMb, 1)} | ${f(st.effect.heapMb, 1)} (+${f(st.effect.heapMb - st.fetch.heapMb, 1)}) | ${f(st.promise.heapMb, 1)} (+${f(st.promise.heapMb - st.fetch.heapMb, 1)}) |`)
  console.log(`| that program bundled, minified, gzipped (KB) | | | ${f(r.bundle.effect.gzipKB)} (${f(r.bundle.effect.rawKB)} raw) | ${f(r.bundle.promise.gzipKB)} (${f(r.bundle.promise.rawKB)} raw) |`)
  console.log(`| putAll of ${BULK_TOTAL.toLocaleString("en")}: peak live heap growth (MB); s | | ${f(r.bulk.fetch.growthMb)} (a pool of 16); ${f(r.bulk.fetch.ms / 1000, 1)} | ${f(r.bulk.effect.growthMb)}; ${f(r.bulk.effect.ms / 1000, 1)}; ${r.bulk.effect.failed} failed | |`)
  console.log(`| stream of ${LIST_TOTAL.toLocaleString("en")} (pages of 100): time (ms); peak live heap growth (MB) | | ${f(r.stream.fetch.ms)} (a fetch loop); ${f(r.stream.fetch.growthMb, 1)} | ${f(r.stream.effect.ms)} (${f(r.stream.effect.ms / r.stream.fetch.ms, 2)}× the loop); ${f(r.stream.effect.growthMb, 1)} | |`)
  }
  if (r.profile) {
    console.log(`\nCPU profile of the SDK (Effect) at c64, self time by origin:\n`)
    console.log("| origin | share | µs per call |")
    console.log("|---|---|---|")
    for (const p of r.profile.groups.filter((p) => p.share >= 0.005)) {
      console.log(`| ${p.group} | ${f(p.share * 100, 1)} % | ${f(p.microsPerCall, 1)} |`)
    }
  }
}
console.log(`\nNode ${process.version}, ${(await import("node:os")).cpus().length} cores`)
