// The programs `cost.mjs` runs, each in a fresh process in a tree's bench folder (its node_modules
// resolve that tree's packages; the built ones, by the `timeback-dist` condition).
import { input, LIST_TOTAL } from "./trees.mjs"

/** The contenders' module: `make(kind, url)` → `{ put(i), close() }`, resolving each tree's own packages. */
export const CONTENDERS = (undiciUrl, clientUrl) => `
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { Context, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
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
    // the floor of any SDK on Effect's HttpClient: the request through \`layerUndici\` in a runtime,
    // untraced, its answer parsed; no token, governor, retry or validation
    case "platform": {
      const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
      const client = Context.get(await runtime.context(), HttpClient.HttpClient)
      const put = (i) => Effect.provideService(
        Effect.flatMap(client.execute(HttpClientRequest.put(url + PATH + "bench-" + i, { headers }).pipe(HttpClientRequest.bodyText(body(i), "application/json"))), (r) => r.text),
        HttpClient.TracerDisabledWhen, () => true)
      return {
        put: async (i) => check(JSON.parse(await runtime.runPromise(put(i)))),
        close: () => runtime.dispose()
      }
    }
    case "effect":
    case "effect-fetch": {
      const runtime = ManagedRuntime.make(HttpGradebook.layer({ ...connection, clientSecret: Redacted.make("s") })
        .pipe(Layer.provide(kind === "effect" ? NodeHttpClient.layerUndici : FetchHttpClient.layer)))
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

export const SEQUENTIAL = `
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

export const THROUGHPUT = `
import { concurrently, make } from "./contenders.mjs"
const url = process.argv[2]
const kinds = ["undici", "fetch", "platform", "effect-fetch", "effect", "promise"]
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
export const PROFILED = `
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

// --- a start: importing the packages and one PUT, in a fresh process ---------------------------
export const PUT_PATH = "/ims/oneroster/gradebook/v1p2/assessmentResults/"
export const START = {
  fetch: `const url = process.argv[2]
const r = await fetch(url + "${PUT_PATH}start-1", { method: "PUT", headers: { authorization: "Bearer bench-token", "content-type": "application/json" }, body: JSON.stringify({ assessmentResult: ${JSON.stringify(input)} }) })
await r.json()
`,
  // the README's imports (its \`@timeback/http\` program: \`FetchHttpClient\`; \`NodeRuntime.runMain\` in place of
  // \`Effect.runPromise\` adds 0.1 KB to the bundle)
  effect: `import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
const url = process.argv[2]
const live = HttpGradebook.layer({ clientId: "bench", clientSecret: Redacted.make("s"), baseUrl: url, tokenUrl: url + "/oauth2/token" })
  .pipe(Layer.provide(FetchHttpClient.layer))
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
export const START_REPORT = `
globalThis.gc()
console.log(JSON.stringify({ ms: performance.now(), heapMb: process.memoryUsage().heapUsed / 1e6 }))
`

// --- bulk and stream: peak heap above a GC'd start, two ways (no GC forced during the run) ---------
// - growthMb: heap in use sampled every 5 ms, garbage included: how far V8 lets the heap grow before
//   it collects, which its heap sizing decides as much as the program does;
// - the live heap: what each full (mark-compact) collection leaves, read from V8's \`--trace-gc\` lines
//   after the HEAP-START line (see \`liveHeap\` in cost.mjs): what the program keeps alive.
export const HEAP = `
globalThis.gc()
console.log("HEAP-START")
const startMb = process.memoryUsage().heapUsed / 1e6
let peakMb = startMb
const sampler = setInterval(() => { peakMb = Math.max(peakMb, process.memoryUsage().heapUsed / 1e6) }, 5)
const report = (extra) => {
  clearInterval(sampler)
  peakMb = Math.max(peakMb, process.memoryUsage().heapUsed / 1e6)
  console.log(JSON.stringify({ ...extra, growthMb: peakMb - startMb }))
}
`
export const BULK_TOTAL = 100_000
export const BULK = `
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
export const STREAM_TIMES = 5
// the stream run STREAM_TIMES times in the process, the first cold: its median time (one stream of
// ~150 ms, timed once, moved by up to 50 % between runs), and the peak heap over all of them
export const STREAM = `
import { Gradebook } from "@timeback/core"
import { Effect, Stream } from "effect"
import { make } from "./contenders.mjs"
const [kind, url] = process.argv.slice(2)
const c = await make(kind === "fetch" ? "fetch" : "effect", url)
await c.put(-1)
${HEAP}
const once = async () => {
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
}
const times = []
for (let i = 0; i < ${STREAM_TIMES}; i++) {
  const t = performance.now()
  await once()
  times.push(performance.now() - t)
}
report({ ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)] })
await c.close()
`


