// Before/after measurements of two checkouts of this repository on one machine, in one session (the
// move to Effect 4 measured against the last Effect 3 commit; issue 31). Each tree's packages must be
// built (`pnpm build`); they are used from `dist/` (the `timeback-dist` condition), never through tsx.
//
//   node bench/compare.mjs <tree> [<tree> …]      e.g. node bench/compare.mjs ../before .
//
// Per tree, each in its own child processes, against a minimal server in another process:
// - CPU per PUT: the client process's user+system CPU over 3,000 sequential puts, per put (µs);
// - c64 throughput: 5,000 puts at concurrency 64, the SDK against a hand-written `fetch` loop in the
//   same process, alternating, three rounds (the median ratio);
// - decode of a 100-result page: `AssessmentResult.resource.decodeList` on a list answer's text (µs);
// - bundle: a one-put program with the README's imports, bundled by esbuild (minified), gzipped (KB);
// - cold start: `node` running that program unbundled from the installed packages, to its put's answer
//   (ms, median of 7).
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { bundleSize, input, median, startServer } from "./trees.mjs"

const trees = process.argv.slice(2).map((t) => resolve(t))
if (trees.length === 0) {
  console.error("usage: node bench/compare.mjs <tree> [<tree> …]")
  process.exit(64)
}

// ---------------------------------------------------------------------------------------------
// the programs, written into each tree's bench folder (its node_modules resolve the packages)
// ---------------------------------------------------------------------------------------------
/** The README's imports of the tree (Effect 3: the platform-node index; Effect 4: per module). */
const imports = (effect4) =>
  effect4
    ? `import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"\n`
    : `import { NodeHttpClient } from "@effect/platform-node"\n`

const sdkSetup = (effect4, fetch = false) => `${
  fetch
    ? effect4 ? `import { FetchHttpClient } from "effect/http"\n` : `import { FetchHttpClient } from "@effect/platform"\n`
    : imports(effect4)
}import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
const url = process.argv[2]
const input = ${JSON.stringify(input)}
const runtime = ManagedRuntime.make(HttpGradebook.layer({
  clientId: "bench", clientSecret: Redacted.make("s"), baseUrl: url, tokenUrl: url + "/oauth2/token"
}).pipe(Layer.provide(${fetch ? "FetchHttpClient.layer" : "NodeHttpClient.layerUndici"})))
const put = (i) => runtime.runPromise(Gradebook.putAssessmentResult("bench-" + i, { ...input, sourcedId: "bench-" + i }))
`

const CPU = (effect4) =>
  sdkSetup(effect4) + `
for (let i = 0; i < 500; i++) await put(i)
const before = process.cpuUsage()
const N = 3000
for (let i = 0; i < N; i++) await put(i)
const used = process.cpuUsage(before)
console.log(JSON.stringify({ cpuPerPutMicros: (used.user + used.system) / N }))
await runtime.dispose()
`

const THROUGHPUT = (effect4) =>
  sdkSetup(effect4) + `
const fetchPut = async (i) => {
  const r = await fetch(url + "/ims/oneroster/gradebook/v1p2/assessmentResults/bench-" + i, {
    method: "PUT",
    headers: { authorization: "Bearer bench-token", "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ assessmentResult: { ...input, sourcedId: "bench-" + i } })
  })
  await r.json()
}
const run = async (f, total, concurrency) => {
  let next = 0
  const t = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < total) await f(next++) }))
  return total / ((performance.now() - t) / 1000)
}
await run(put, 1000, 64)
await run(fetchPut, 1000, 64)
const ratios = []
for (let round = 0; round < 3; round++) {
  const sdk = await run(put, 5000, 64)
  const base = await run(fetchPut, 5000, 64)
  ratios.push({ sdk, fetch: base, ratio: sdk / base })
}
ratios.sort((a, b) => a.ratio - b.ratio)
console.log(JSON.stringify({ c64: ratios[1] }))
await runtime.dispose()
`

const DECODE = `import { AssessmentResult } from "@timeback/core"
import { Effect } from "effect"
const input = ${JSON.stringify(input)}
const page = JSON.stringify({
  assessmentResults: Array.from({ length: 100 }, (_, i) => ({
    ...input, sourcedId: "ar-" + i, status: "active", dateLastModified: "2024-09-01T10:00:00Z",
    scoreScale: null, textScore: null, late: null, inProgress: "false",
    student: { sourcedId: "stu-" + i, href: "https://x/students/stu-" + i, type: "user" }
  })),
  totalCount: 100, offset: 0, limit: 100
})
const decode = AssessmentResult.resource.decodeList
const once = () => {
  const body = Effect.runSync(decode(page))
  if (body.items.length !== 100) throw new Error("not decoded")
}
for (let i = 0; i < 300; i++) once()
const samples = []
for (let round = 0; round < 7; round++) {
  const t = performance.now()
  for (let i = 0; i < 300; i++) once()
  samples.push(((performance.now() - t) * 1000) / 300)
}
samples.sort((a, b) => a - b)
console.log(JSON.stringify({ decodePageMicros: samples[3] }))
`

const ONE_PUT = (effect4, fetch = false) =>
  sdkSetup(effect4, fetch) + `
await put(1)
await runtime.dispose()
`

// ---------------------------------------------------------------------------------------------
const node = (tree, file, args = [], env = {}) =>
  execFileSync(process.execPath, ["--conditions=timeback-dist", file, ...args], {
    cwd: join(tree, "bench"),
    encoding: "utf8",
    env: { ...process.env, ...env }
  })


const measure = async (tree) => {
  const effect4 = JSON.parse(execFileSync(process.execPath, ["-p", "JSON.stringify(require('effect/package.json').version)"], {
    cwd: join(tree, "bench"),
    encoding: "utf8"
  })).startsWith("4.")
  const dir = join(tree, "bench", ".compare")
  mkdirSync(dir, { recursive: true })
  const files = {
    cpu: join(dir, "cpu.mjs"),
    throughput: join(dir, "throughput.mjs"),
    decode: join(dir, "decode.mjs"),
    onePut: join(dir, "onePut.mjs"),
    onePutFetch: join(dir, "onePutFetch.mjs")
  }
  writeFileSync(files.cpu, CPU(effect4))
  writeFileSync(files.throughput, THROUGHPUT(effect4))
  writeFileSync(files.decode, DECODE)
  writeFileSync(files.onePut, ONE_PUT(effect4))
  writeFileSync(files.onePutFetch, ONE_PUT(effect4, true))
  const server = await startServer()
  try {
    const cpu = median([0, 1, 2].map(() => JSON.parse(node(tree, files.cpu, [server.url])).cpuPerPutMicros))
    const { c64 } = JSON.parse(node(tree, files.throughput, [server.url]))
    const decode = JSON.parse(node(tree, files.decode)).decodePageMicros
    // Effect 3: its parser alone instead of the compiled decoders; Effect 4: its interpreter, no JIT
    const decodeEffectParser =
      JSON.parse(node(tree, files.decode, [], effect4 ? { TIMEBACK_SCHEMA_JIT: "off" } : { TIMEBACK_DECODERS: "effect" }))
        .decodePageMicros
    const cold = median(Array.from({ length: 7 }, () => {
      const t = performance.now()
      node(tree, files.onePut, [server.url])
      return performance.now() - t
    }))
    const bundled = await bundleSize(tree, files.onePut)
    const fetchBundled = await bundleSize(tree, files.onePutFetch)
    return {
      tree,
      effect: effect4 ? "4" : "3",
      cpu,
      c64,
      decode,
      decodeEffectParser,
      bundleKB: bundled.gzipKB,
      bundleRawKB: bundled.rawKB,
      fetchBundleKB: fetchBundled.gzipKB,
      fetchBundleRawKB: fetchBundled.rawKB,
      cold
    }
  } finally {
    server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const results = []
for (const tree of trees) {
  console.error(`compare: measuring ${tree} …`)
  results.push(await measure(tree))
}
const f = (x, d = 0) => x === undefined ? "–" : x.toFixed(d)
console.log(`| | ${results.map((r) => `Effect ${r.effect} (${r.tree.split("/").at(-1)})`).join(" | ")} |`)
console.log(`|---|${results.map(() => "---").join("|")}|`)
console.log(`| CPU per PUT (µs) | ${results.map((r) => f(r.cpu)).join(" | ")} |`)
console.log(`| c64 throughput vs fetch | ${results.map((r) => `${f(r.c64.ratio, 2)}× (${f(r.c64.sdk)}/s vs ${f(r.c64.fetch)}/s)`).join(" | ")} |`)
console.log(`| decode a 100-result page (µs) | ${results.map((r) => f(r.decode)).join(" | ")} |`)
console.log(`| … Effect 3: its parser alone; Effect 4: its interpreter, no JIT (µs) | ${results.map((r) => f(r.decodeEffectParser)).join(" | ")} |`)
console.log(`| one-put program (README's imports, undici), bundled, gzipped (KB) | ${results.map((r) => `${f(r.bundleKB)} (${f(r.bundleRawKB)} raw)`).join(" | ")} |`)
console.log(`| the same on FetchHttpClient (no undici), gzipped (KB) | ${results.map((r) => `${f(r.fetchBundleKB)} (${f(r.fetchBundleRawKB)} raw)`).join(" | ")} |`)
console.log(`| cold start of that program (ms) | ${results.map((r) => f(r.cold)).join(" | ")} |`)
console.log(`\nNode ${process.version}, ${(await import("node:os")).cpus().length} cores`)
