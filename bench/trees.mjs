// What the tree-measuring benches share (`cost.mjs`, `compare.mjs`): the result they put, a minimal
// server in its own process (a token, a PUT answered with the stored result, a list of LIST_TOTAL
// results in the pages asked for), the median, and the size of a program bundled as a user would.
import { spawn } from "node:child_process"
import { realpathSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { gzipSync } from "node:zlib"

export const input = {
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-01T10:00:00Z",
  score: 88,
  comment: "well done",
  metadata: { source: "bench", tags: ["a", "b"] }
}

export const LIST_TOTAL = 10_000
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

export const startServer = () =>
  new Promise((ok) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] })
    child.stdout.once("data", (d) => ok({ url: `http://127.0.0.1:${String(d).trim()}`, stop: () => child.kill() }))
  })

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** `entry` bundled by esbuild as the tree has it (tsx's), the packages as built, minified: KB gzipped and raw. */
export const bundleSize = async (tree, entry) => {
  const esbuild = createRequire(realpathSync(join(tree, "node_modules", "tsx", "package.json")))("esbuild")
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

/**
 * A bulk or stream program's report, with its live heap: of V8's `--trace-gc` lines after `HEAP-START`,
 * the heap each full collection (mark-compact) leaves, its peak, above what the forced collection at
 * the start left (the last one before the line). Without a full collection during the run, an upper
 * bound: what the run's last minor collection left (it holds garbage a full one would free), or,
 * without any collection, the sampled growth (`liveFrom` says which). In MB of 2^20 bytes, as V8
 * prints them.
 */
export const liveHeap = (out) => {
  const lines = out.split("\n")
  const at = lines.indexOf("HEAP-START")
  const gcs = (from, to) =>
    lines.slice(from, to).flatMap((l) => {
      const m = /(Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Sweep)[^\d]*([\d.]+)\s+\(([\d.]+)\)\s+->\s+([\d.]+)/.exec(l)
      return m ? [{ full: m[1] === "Mark-Compact", after: Number(m[4]) }] : []
    })
  const start = gcs(0, at).filter((g) => g.full).at(-1).after
  const run = gcs(at + 1)
  const full = run.filter((g) => g.full)
  const report = JSON.parse(lines.findLast((l) => l.startsWith("{")))
  return {
    ...report,
    fullGcs: full.length,
    ...(full.length > 0
      ? { liveFrom: "full", liveMb: Math.max(...full.map((g) => g.after)) - start }
      : run.length > 0
      ? { liveFrom: "minor", liveMb: run.at(-1).after - start }
      : { liveFrom: "sampled", liveMb: report.growthMb })
  }
}
