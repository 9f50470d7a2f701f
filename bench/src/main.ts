/**
 * `pnpm bench`: the SDK's cost against the floor, measured side by side in one run.
 *
 * One minimal server on 127.0.0.1 (precomputed answers). Baseline: fetch + JSON.stringify +
 * JSON.parse with a static bearer header. SDK: HttpGradebook over NodeHttpClient.layerUndici (and,
 * for latency and throughput at 64, over FetchHttpClient too) with a warm token cache and full
 * schema validation of input and output. The two sides alternate within
 * every scenario and the table reports medians and ratios (SDK / baseline). Peak RSS and stream
 * heap growth are measured in child processes, one per side, so neither pollutes the other.
 */
import { AssessmentResult } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { execFile } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { baseline, platformOnly, type Put, runConcurrent, sdk, warm } from "./clients.js"
import { fullInput, putResponse } from "./fixtures.js"
import { importHeap } from "./importHeap.js"
import { rateLimitedArgs } from "./rateLimitedArgs.js"
import { start } from "./server.js"

const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
const fmt = (n: number, digits = 2) => n.toFixed(digits)
const log = (line: string) => process.stderr.write(`${line}\n`)

interface Row {
  readonly scenario: string
  readonly baseline: string
  readonly platform?: string
  readonly platformRatio?: string
  readonly sdk: string
  readonly ratio: string
  readonly goal: string
}
const rows: Array<Row> = []

const STREAM_TOTAL = 100_000
const server = await start({ streamTotal: STREAM_TOTAL })
const base = baseline(server.url)
const client = sdk(server.url)
const clientFetch = sdk(server.url, "fetch")
const platform = platformOnly(server.url)
await warm(base)
await warm(client.put)
await warm(clientFetch.put)
await warm(platform.put)

// --- schema encode + decode of one fully populated result --------------------------------------
{
  log("schema encode+decode …")
  // exactly the schema work the SDK does for one put: validate the input strictly, serialize it,
  // parse and validate the answer (run synchronously: a decoder answers with an Exit)
  const decodeSingle = AssessmentResult.decodeResponse(AssessmentResult.SingleResponse)
  const answer = putResponse("r-0")
  const sync = <A>(e: Effect.Effect<A, unknown>): A => {
    if (!Exit.isExit(e) || Exit.isFailure(e)) throw new Error("expected a valid fixture")
    return (e as Exit.Success<A>).value
  }
  const sdkSide = () => {
    const input = sync(AssessmentResult.decodeInput(fullInput))
    JSON.stringify({ assessmentResult: input })
    sync(decodeSingle(answer))
  }
  const baseSide = () => {
    JSON.stringify({ assessmentResult: fullInput })
    JSON.parse(answer)
  }
  const perCall = (f: () => void, n = 2000) => {
    const t = performance.now()
    for (let i = 0; i < n; i++) f()
    return ((performance.now() - t) * 1000) / n
  }
  for (let i = 0; i < 3; i++) {
    perCall(sdkSide)
    perCall(baseSide)
  } // warm the JIT
  const s: Array<number> = []
  const b: Array<number> = []
  for (let i = 0; i < 9; i++) {
    b.push(perCall(baseSide))
    s.push(perCall(sdkSide))
  }
  rows.push({
    scenario: "schema encode+decode, one full result (µs)",
    baseline: `${fmt(median(b))} (JSON only)`,
    sdk: fmt(median(s)),
    ratio: "",
    goal: `≤ 20 µs: ${median(s) <= 20 ? "met" : "MISSED"}`
  })
}

// --- sequential latency ------------------------------------------------------------------------
{
  log("sequential latency …")
  const b: Array<number> = []
  const p: Array<number> = []
  const s: Array<number> = []
  const f: Array<number> = []
  const time = async (put: (i: number) => Promise<unknown>, i: number, into: Array<number>) => {
    const t = performance.now()
    await put(i)
    into.push(performance.now() - t)
  }
  for (let block = 0; block < 20; block++) {
    for (let i = 0; i < 100; i++) await time(base, i, b)
    for (let i = 0; i < 100; i++) await time(platform.put, i, p)
    for (let i = 0; i < 100; i++) await time(client.put, i, s)
    for (let i = 0; i < 100; i++) await time(clientFetch.put, i, f)
  }
  const [b50, s50, b99, s99] = [percentile(b, 50), percentile(s, 50), percentile(b, 99), percentile(s, 99)]
  const [p50, p99] = [percentile(p, 50), percentile(p, 99)]
  rows.push({
    scenario: "sequential put latency p50 (ms, 2,000 calls each)",
    baseline: fmt(b50, 3),
    platform: fmt(p50, 3),
    platformRatio: fmt(s50 / p50),
    sdk: fmt(s50, 3),
    ratio: fmt(s50 / b50),
    goal: `≤ 1.2×: ${s50 / b50 <= 1.2 ? "met" : "MISSED"}`
  })
  rows.push({
    scenario: "sequential put latency p50, SDK over FetchHttpClient (ms)",
    baseline: fmt(b50, 3),
    sdk: fmt(percentile(f, 50), 3),
    ratio: fmt(percentile(f, 50) / b50),
    goal: ""
  })
  rows.push({
    scenario: "sequential put latency p99 (ms)",
    baseline: fmt(b99, 3),
    platform: fmt(p99, 3),
    platformRatio: fmt(s99 / p99),
    sdk: fmt(s99, 3),
    ratio: fmt(s99 / b99),
    goal: ""
  })
}

// --- throughput: 10,000 puts at concurrency 1, 16, 64 -----------------------------------------
for (const concurrency of [1, 16, 64]) {
  log(`throughput at concurrency ${concurrency} …`)
  // 10,000 puts per side, run as 4 alternating blocks of 2,500 so both sides see the same machine
  const elapsed = { b: 0, p: 0, s: 0, f: 0 }
  for (let block = 0; block < 4; block++) {
    elapsed.b += await runConcurrent(base, 2_500, concurrency)
    if (concurrency === 64) elapsed.p += await runConcurrent(platform.put, 2_500, concurrency)
    elapsed.s += await runConcurrent(client.put, 2_500, concurrency)
    if (concurrency === 64) elapsed.f += await runConcurrent(clientFetch.put, 2_500, concurrency)
  }
  const b = [10_000 / (elapsed.b / 1000)]
  const p = elapsed.p > 0 ? [10_000 / (elapsed.p / 1000)] : []
  const s = [10_000 / (elapsed.s / 1000)]
  const ratio = median(s) / median(b)
  rows.push({
    scenario: `10,000 puts at concurrency ${concurrency} (puts/s, 4 alternating blocks)`,
    baseline: fmt(median(b), 0),
    ...(p.length > 0 && { platform: fmt(median(p), 0), platformRatio: fmt(median(s) / median(p)) }),
    sdk: fmt(median(s), 0),
    ratio: fmt(ratio),
    goal: concurrency === 64 ? `≥ 0.85×: ${ratio >= 0.85 ? "met" : "MISSED"}` : ""
  })
  if (concurrency === 64) {
    const f = 10_000 / (elapsed.f / 1000)
    rows.push({
      scenario: "10,000 puts at concurrency 64, SDK over FetchHttpClient (puts/s)",
      baseline: fmt(median(b), 0),
      sdk: fmt(f, 0),
      ratio: fmt(f / median(b)),
      goal: ""
    })
  }
}

// --- cold start: 100 concurrent calls on an empty token cache ----------------------------------
{
  log("cold start …")
  const cold = sdk(server.url)
  const before = server.tokenRequests()
  const t = performance.now()
  await Promise.all(Array.from({ length: 100 }, (_, i) => cold.put(i)))
  const ms = performance.now() - t
  const tokenRequests = server.tokenRequests() - before
  await cold.dispose()
  const tb = performance.now()
  await Promise.all(Array.from({ length: 100 }, (_, i) => base(i)))
  const baseMs = performance.now() - tb
  rows.push({
    scenario: "cold start, 100 concurrent puts (ms; token requests)",
    baseline: `${fmt(baseMs, 1)} (static token)`,
    sdk: `${fmt(ms, 1)}; ${tokenRequests} token request${tokenRequests === 1 ? "" : "s"}`,
    ratio: "",
    goal: `1 token request: ${tokenRequests === 1 ? "met" : "MISSED"}`
  })
}
await client.dispose()
await clientFetch.dispose()
await platform.dispose()

// --- child processes: peak RSS of the 10k run, heap growth of a 100k stream --------------------
const here = fileURLToPath(new URL(".", import.meta.url))
// async: the server lives in this process and must keep answering while a child runs
const child = async (script: string, args: ReadonlyArray<string>, nodeArgs: ReadonlyArray<string> = []) => {
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...nodeArgs,
    "--import",
    "tsx",
    `${here}${script}`,
    ...args
  ])
  return JSON.parse(stdout.trim().split("\n").at(-1)!)
}
{
  log("peak RSS (child processes) …")
  const b = await child("rss.ts", ["baseline", server.url])
  const s = await child("rss.ts", ["sdk", server.url])
  rows.push({
    scenario: "peak RSS, 10,000 puts at concurrency 64 (MB, own process)",
    baseline: fmt(b.maxRssMb, 1),
    sdk: fmt(s.maxRssMb, 1),
    ratio: fmt(s.maxRssMb / b.maxRssMb),
    goal: ""
  })
  for (
    const [what, label] of [
      ["assessmentResults", "results"],
      ["lineItems", "line items"],
      ["classResults", "results of a class (scoped route)"]
    ] as const
  ) {
    log(`stream heap, ${what} (child process) …`)
    const h = await child("streamHeap.ts", [server.url, String(STREAM_TOTAL), what], ["--expose-gc"])
    rows.push({
      scenario: `stream ${h.results.toLocaleString("en")} ${label}, limit 1000: client heap growth (MB)`,
      baseline: "",
      sdk: fmt(h.maxGrowthMb, 1),
      ratio: "",
      goal: `< 50 MB: ${h.maxGrowthMb < 50 && h.results === STREAM_TOTAL ? "met" : "MISSED"}`
    })
  }
  log("bulk heap (child process) …")
  const BULK_TOTAL = 100_000
  const bulk = await child("bulkHeap.ts", [server.url, String(BULK_TOTAL)], ["--expose-gc"])
  rows.push({
    scenario: `putAll of ${bulk.outcomes.toLocaleString("en")} results (concurrency 16): client heap growth (MB)`,
    baseline: "",
    sdk: `${fmt(bulk.maxGrowthMb, 1)} (${bulk.failed} failed)`,
    ratio: "",
    goal: `< 50 MB: ${bulk.maxGrowthMb < 50 && bulk.outcomes === BULK_TOTAL && bulk.failed === 0 ? "met" : "MISSED"}`
  })
}
{
  // the CLI importing a large CSV: its heap must not grow with the file (rows are streamed)
  log("timeback-gradebook import, 20,000 and 200,000 rows (child processes) …")
  const small = await importHeap(server.url, 20_000)
  const large = await importHeap(server.url, 200_000)
  const growth = large.peakMb - small.peakMb
  rows.push({
    scenario:
      "timeback-gradebook import of a 200,000-row CSV: CLI peak heap (MB) vs the same import of 20,000 rows; rows/s",
    baseline: "",
    sdk: `${fmt(large.peakMb, 1)} vs ${fmt(small.peakMb, 1)} (+${fmt(growth, 1)}); ${
      Math.round(large.rows / large.seconds)
    } rows/s`,
    ratio: "",
    goal: `flat: < 20 MB more for 10× the rows, every row stored: ${
      growth < 20 && large.exitCode === 0 && small.exitCode === 0 ? "met" : "MISSED"
    }`
  })
}
await server.close()

// --- a rate-limited server: 200 requests/s, burst 20, 429 with Retry-After: 1 ------------------
{
  const ALLOWED = 200
  /**
   * `ceiling`: each process is given `maxRequestsPerSecond` (its share of a quota it knows); default
   * settings otherwise. `announce`: the server says its limit in every answer (`RateLimit-Policy`,
   * `RateLimit`), as the IETF draft's fields do; otherwise it says nothing until it refuses.
   */
  const scenario = async (
    processes: number,
    perProcess: number,
    { announce = false, ceiling }: { readonly ceiling?: number; readonly announce?: boolean } = {}
  ) => {
    const limited = await start({ rateLimit: { requestsPerSecond: ALLOWED, burst: 20, announce } })
    log(
      `rate-limited server${announce ? " announcing its limit" : ""}, ${processes} process(es) × ${perProcess} puts …`
    )
    const started = performance.now()
    const results = await Promise.all(Array.from(
      { length: processes },
      (_, p) => child("rateLimited.ts", rateLimitedArgs(limited.url, perProcess, p * perProcess, ceiling))
    ))
    const wallMs = performance.now() - started
    const { total } = limited.apiRequests()
    await limited.close()
    const succeeded = results.reduce((n, r) => n + r.succeeded, 0)
    const failed = results.reduce((n, r) => n + r.failed, 0)
    // each process's own time (from its first put to its last; no process start-up)
    const elapsedMs = Math.max(...results.map((r) => r.elapsedMs))
    const achieved = succeeded / (elapsedMs / 1000) / ALLOWED
    const perPut = total / (processes * perProcess)
    const goal = processes === 1 ? 0.9 : 0.85
    rows.push({
      scenario: `${processes * perProcess} puts at concurrency 64 ${
        processes === 1 ? "in one process" : `in ${processes} processes`
      }${
        ceiling === undefined ? "" : `, each told maxRequestsPerSecond: ${ceiling}`
      }, server allows 200/s (burst 20, Retry-After: 1)${
        announce ? " and announces it (RateLimit-Policy, RateLimit headers)" : ""
      }: achieved / allowed rate; failed; requests per put; wall s`,
      baseline: "",
      sdk: `${fmt(achieved, 3)}; ${failed} failed; ${fmt(perPut)}; ${fmt(elapsedMs / 1000, 1)} s (${
        fmt(wallMs / 1000, 1)
      } s with process start)`,
      ratio: "",
      goal: ceiling !== undefined
        ? "(the quota split the README advises for several processes; the goal above is with default settings)"
        : `≥ ${goal} of allowed, 0 failed${processes === 1 ? ", ≤ 1.15 requests/put" : ""}: ${
          achieved >= goal && failed === 0 && (processes > 1 || perPut <= 1.15) ? "met" : "MISSED"
        }`
    })
  }
  await scenario(1, 3000)
  {
    // a program shaped like a plain user's (issue 29, finding 9): runPromise per put from 64 loops,
    // a warm-up put first, the server in the program's own process; five runs, the median
    const runs: Array<{ achieved: number; failed: number; requestsPerPut: number }> = []
    for (let i = 0; i < 5; i++) {
      log(`rate-limited server, user-shaped program, run ${i + 1} of 5 …`)
      // on the built packages (`pnpm bench` builds first): the `timeback-dist` condition resolves
      // @timeback/* to their dist/, as an installed package would
      runs.push(await child("userShaped.ts", ["3000", "--warm-up"], ["--conditions=timeback-dist"]))
    }
    const achieved = runs.map((r) => r.achieved).sort((a, b) => a - b)
    const median = achieved[2]!
    const failed = runs.reduce((n, r) => n + r.failed, 0)
    rows.push({
      scenario:
        "3000 puts, a user-shaped program (ManagedRuntime, runPromise per put from 64 loops, a warm-up put, server in the same process), server allows 200/s (burst 20, Retry-After: 1): achieved / allowed, median of 5 runs (range); failed; requests per put",
      baseline: "",
      sdk: `${fmt(median, 3)} (${fmt(achieved[0]!, 3)}–${fmt(achieved[4]!, 3)}); ${failed} failed; ${
        fmt(Math.max(...runs.map((r) => r.requestsPerPut)))
      }`,
      ratio: "",
      goal: `median ≥ 0.87, 0 failed: ${median >= 0.87 && failed === 0 ? "met" : "MISSED"}`
    })
  }
  await scenario(2, 1500)
  await scenario(2, 1500, { ceiling: ALLOWED / 2 })
  await scenario(1, 3000, { announce: true })
  await scenario(2, 1500, { announce: true })
}

// --- a trickle of 503s with Retry-After: 0, every 20th request: the governor against none ---------
{
  const trickling = await start({ trickle: 20 })
  const governed = sdk(trickling.url, "undici")
  const ungoverned = sdk(trickling.url, "undici", { rateLimit: false })
  const COUNT = 4000
  let failed = 0
  // a put can meet the 503 on every attempt (1 in 400 odds per retried put): counted, not fatal
  const throughput = async (put: Put, first: number) => {
    const started = performance.now()
    let next = 0
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < COUNT) {
        const i = first + next++
        await put(i).catch(() => failed++)
      }
    }))
    return COUNT / ((performance.now() - started) / 1000)
  }
  log("a trickle of 503s (Retry-After: 0), 16 callers, governor and rateLimit: false, alternating …")
  const withGovernor: Array<number> = []
  const without: Array<number> = []
  for (let round = 0; round < 2; round++) {
    withGovernor.push(await throughput(governed.put, round * 2 * COUNT))
    without.push(await throughput(ungoverned.put, (round * 2 + 1) * COUNT))
  }
  await governed.dispose()
  await ungoverned.dispose()
  await trickling.close()
  const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)
  const ratio = sum(withGovernor) / sum(without)
  rows.push({
    scenario:
      "4000 puts at concurrency 16, every 20th request answered 503 with Retry-After: 0 (puts/s, 2 alternating blocks): governed / rateLimit: false",
    baseline: fmt(sum(without) / without.length, 0),
    sdk: `${fmt(sum(withGovernor) / withGovernor.length, 0)} (${failed} puts failed, both sides, after 3 attempts)`,
    ratio: fmt(ratio),
    goal: `≥ 0.9× rateLimit: false: ${ratio >= 0.9 ? "met" : "MISSED"}`
  })
}

// --- report -----------------------------------------------------------------------------------
const header = [
  "scenario",
  "baseline (fetch)",
  "Effect platform alone",
  "SDK",
  "SDK / baseline",
  "SDK / platform",
  "goal"
]
const table = [
  `| ${header.join(" | ")} |`,
  `|${header.map(() => "---").join("|")}|`,
  ...rows.map((r) =>
    `| ${[r.scenario, r.baseline, r.platform ?? "", r.sdk, r.ratio, r.platformRatio ?? "", r.goal].join(" | ")} |`
  )
].join("\n")
const machine = `Node ${process.version}, ${cpus().length} CPUs (${
  cpus()[0]?.model.trim() ?? "unknown"
}), ${process.platform}/${process.arch}`
console.log(`\n${table}\n\n${machine}\n`)
// the goals `bench/cost.mjs --write` keeps in this file, between its markers, stay
const results = new URL("../RESULTS.md", import.meta.url)
const costGoals = existsSync(results)
  ? /<!-- cost\.mjs goals -->[\s\S]*<!-- \/cost\.mjs goals -->/.exec(readFileSync(results, "utf8"))?.[0]
  : undefined
writeFileSync(
  results,
  `# Benchmark results

Produced by \`pnpm bench\` (bench/src/main.ts) on ${new Date().toISOString().slice(0, 10)}: ${machine}.
Baseline = hand-written \`fetch\` + \`JSON.stringify\` + \`JSON.parse\` with a static bearer header; "Effect platform
alone" = the same request through Effect's HttpClient (\`NodeHttpClient.layerUndici\`) in an Effect
runtime, nothing validated (the floor of the stack the SDK is built on); SDK = \`HttpGradebook\` over
\`NodeHttpClient.layerUndici\` (the README's recommendation on Node; two rows show it over \`FetchHttpClient\`) with a
warm token cache and full schema validation of input and output. All sides talk to the same minimal server on
127.0.0.1 (in the bench's own process) and alternate within each scenario; ratios come from one run. Shared, noisy
machines: compare ratios, not absolute numbers.

${table}
${costGoals === undefined ? "" : `\n${costGoals}\n`}`
)
await Effect.runPromise(Effect.void)
