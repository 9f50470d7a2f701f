// The cost of a call, measured against the transport (issue 33): the SDK against `undici.request` (the
// transport its Node clients use) and `fetch`, on the built packages (`pnpm build`; the `timeback-dist`
// condition, never tsx), each tree in its own processes, against a minimal server in another process.
//
//   node bench/cost.mjs [--profile] [--runs=N] [--write] <tree> [<tree> …]
//   e.g. node bench/cost.mjs --profile --runs=2 --write ../before .
//
// Contenders, one PUT each (same URL, body and answer): `undici.request` + JSON, `fetch` + JSON,
// Effect's HttpClient alone (`layerUndici` in a runtime, untraced, the answer parsed: the floor of any
// SDK built on it, with no token, governor, retry or validation), the SDK through Effect over
// `FetchHttpClient` (the README's program) and over `NodeHttpClient.layerUndici` (the README's advice
// for bulk writes on Node), and the SDK without Effect (`@timeback/client`); the SDK with a warm token
// and full validation.
// - CPU per PUT and p50 latency: 3,000 sequential PUTs in a fresh process per contender (after 500
//   to warm up), user+system CPU of that process per PUT; 5 rounds, the contenders' order rotated
//   every round; medians.
// - c64 throughput: the contenders in one process, blocks of 5,000 PUTs at concurrency 64,
//   alternating, 3 rounds; median puts/s, and its ratio to fetch's.
// - a start (the README's programs, fresh processes), its bundle, `putAll` and a stream: see
//   cost-programs.mjs; the tables and the goals: cost-report.mjs.
// - with --profile: a CPU profile of the Effect SDK's c64 run (10,000 PUTs after 2,000 unprofiled), self time grouped by
//   package (the Effect runtime, Schema and HTTP modules apart), written to bench/cost-profile-<tree>.json.
// - --runs=N measures every tree N times; --write puts the goals and the runs into bench/COST.md and
//   the goals into bench/RESULTS.md (between their markers).
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import {
  BULK,
  CONTENDERS,
  PROFILED,
  SEQUENTIAL,
  START,
  START_REPORT,
  STREAM,
  THROUGHPUT
} from "./cost-programs.mjs"
import { goalsTable, machine, replaceBlock, runTables } from "./cost-report.mjs"
import { bundleSize, liveHeap, median, startServer } from "./trees.mjs"

const args = process.argv.slice(2)
const profileOnly = args.includes("--profile-only")
const profile = profileOnly || args.includes("--profile")
const runCount = Number(args.find((a) => a.startsWith("--runs="))?.slice("--runs=".length) ?? 1)
const write = args.includes("--write")
const trees = args.filter((a) => !a.startsWith("--")).map((t) => resolve(t))
if (trees.length === 0 || !(Number.isInteger(runCount) && runCount >= 1)) {
  console.error("usage: node bench/cost.mjs [--profile] [--runs=N] [--write] <tree> [<tree> …]")
  process.exit(64)
}

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

/** The start programs bundled and gzipped. */
const bundles = async (tree, dir) => ({
  effect: await bundleSize(tree, join(dir, "start-effect.mjs")),
  promise: await bundleSize(tree, join(dir, "start-promise.mjs"))
})

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
    const kinds = ["undici", "fetch", "platform", "effect-fetch", "effect", "promise"]
    const result = { tree, cpu: {}, p50: {}, c64: {}, c64cpu: {} }
    if (profileOnly) return Object.assign(result, { profile: profiled() })
    const seq = Object.fromEntries(kinds.map((k) => [k, []]))
    for (let round = 0; round < 5; round++) {
      for (const k of [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)]) {
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
    // bulk and stream: each side in its own process, alternating, 3 rounds (the stream, short, 5)
    for (const what of ["bulk", "stream"]) {
      const runs = { fetch: [], effect: [] }
      for (let round = 0; round < (what === "bulk" ? 3 : 5); round++) {
        for (const k of round % 2 ? ["effect", "fetch"] : ["fetch", "effect"]) {
          runs[k].push(liveHeap(node(`${what}.mjs`, [k, server.url], ["--expose-gc", "--trace-gc"])))
        }
      }
      result[what] = Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, {
        ms: median(xs.map((x) => x.ms)),
        growthMb: median(xs.map((x) => x.growthMb)),
        liveMb: median(xs.map((x) => x.liveMb)),
        fullGcs: median(xs.map((x) => x.fullGcs)),
        liveFrom: [...new Set(xs.map((x) => x.liveFrom))].join("/"),
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

/** A tree's commit, `+` when its work tree has changes. */
const commitOf = (tree) => {
  try {
    const head = execFileSync("git", ["-C", tree, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()
    const dirty = execFileSync("git", ["-C", tree, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" })
    return dirty.trim() === "" ? head : `${head}+`
  } catch {
    return "?"
  }
}
// taken before measuring: a run writes its profiles into this tree
const commits = trees.map(commitOf)
const runs = []
for (let run = 1; run <= runCount; run++) {
  const results = []
  for (const tree of trees) {
    console.error(`cost: run ${run} of ${runCount}, measuring ${tree} …`)
    results.push(await measure(tree))
  }
  runs.push(results)
}

const runsMd = runs.map((results, i) => `### Run ${i + 1}\n\n${runTables(results)}`).join("\n\n")
const goalsMd = profileOnly ? "" : goalsTable(runs)
console.log(`${goalsMd}\n\n${runsMd}\n\n${machine()}`)
if (write) {
  const trees = runs[0].map((r, i) => `${r.tree.split("/").at(-1)} (${commits[i]})`)
  const produced = `Produced by \`node bench/cost.mjs ${args.join(" ")}\` on ${new Date().toISOString().slice(0, 10)}: ${
    machine()
  }. Trees, in order (the first is "before", the last "after"): ${trees.join(", ")}. ${runCount} run(s), each measuring every tree; a goal is met only when every run meets it.`
  replaceBlock(join(import.meta.dirname, "COST.md"), "cost.mjs", `${produced}\n\n## Goals\n\n${goalsMd}\n\n## Runs\n\n${runsMd}`)
  replaceBlock(
    join(import.meta.dirname, "RESULTS.md"),
    "cost.mjs goals",
    `## The cost of a call, a start and a bulk write (\`bench/cost.mjs\`, details in \`bench/COST.md\`)\n\n${produced}\n\n${goalsMd}`
  )
}
