// What `cost.mjs` prints and writes: each run's table per tree, and the issue's goals judged over
// every run (a goal is met only when each run meets it), the first tree the "before", the last the
// "after". With --write, the goals and the runs go into `bench/COST.md` and the goals into
// `bench/RESULTS.md`, each between its markers (what is around them is kept).
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { BULK_TOTAL, STREAM_TIMES } from "./cost-programs.mjs"
import { LIST_TOTAL } from "./trees.mjs"

const f = (x, d = 0) => x.toFixed(d)
const name = (r) => r.tree.split("/").at(-1)

/** The contenders, in the tables' order. */
const KINDS = ["undici", "fetch", "platform", "effect-fetch", "effect", "promise"]

/** One run: a table per tree (and its CPU profile, grouped, when it has one). */
export const runTables = (results) =>
  results.map((r) => {
    const lines = [`#### ${name(r)}`, ""]
    if (r.cpu.undici !== undefined) {
      const st = r.start
      const row = (label, cells) => lines.push(`| ${label} | ${cells.join(" | ")} |`)
      lines.push(
        "| per PUT | `undici.request` | `fetch` | Effect's HttpClient alone (`layerUndici`, the floor) | SDK (Effect, `FetchHttpClient`: the README's program) | SDK (Effect, `layerUndici`: bulk on Node) | SDK (Promise) |",
        "|---|---|---|---|---|---|---|"
      )
      row("CPU µs per call at c64", KINDS.map((k) => `${f(r.c64cpu[k])} (${f(r.c64cpu[k] / r.c64cpu.undici, 2)}×)`))
      row("CPU µs per call, sequential", KINDS.map((k) => `${f(r.cpu[k])} (${f(r.cpu[k] / r.cpu.undici, 2)}×)`))
      row("p50 latency (ms)", KINDS.map((k) => `${f(r.p50[k], 3)} (${f(r.p50[k] / r.p50.fetch, 2)}× fetch)`))
      row("c64 throughput (puts/s)", KINDS.map((k) => `${f(r.c64[k])} (${f(r.c64[k] / r.c64.fetch, 2)}× fetch)`))
      row("import + first PUT (ms, from process start)", ["", f(st.fetch.ms), "", f(st.effect.ms), "", f(st.promise.ms)])
      row("heap in use after it, after GC (MB)", [
        "",
        f(st.fetch.heapMb, 1),
        "",
        `${f(st.effect.heapMb, 1)} (+${f(st.effect.heapMb - st.fetch.heapMb, 1)})`,
        "",
        `${f(st.promise.heapMb, 1)} (+${f(st.promise.heapMb - st.fetch.heapMb, 1)})`
      ])
      row("that program bundled, minified, gzipped (KB)", [
        "",
        "",
        "",
        `${f(r.bundle.effect.gzipKB)} (${f(r.bundle.effect.rawKB)} raw)`,
        "",
        `${f(r.bundle.promise.gzipKB)} (${f(r.bundle.promise.rawKB)} raw)`
      ])
      const live = (x) => `${f(x.liveMb, 1)} (${x.fullGcs} full collections; ${x.liveFrom})`
      row(`putAll of ${BULK_TOTAL.toLocaleString("en")}: peak live heap growth (MB); s`, [
        "",
        `${live(r.bulk.fetch)} (a pool of 16); ${f(r.bulk.fetch.ms / 1000, 1)}`,
        "",
        "",
        `${live(r.bulk.effect)}; ${f(r.bulk.effect.ms / 1000, 1)}; ${r.bulk.effect.failed} failed`,
        ""
      ])
      row(`putAll of ${BULK_TOTAL.toLocaleString("en")}: peak heap in use, garbage included, sampled (MB)`, [
        "",
        f(r.bulk.fetch.growthMb),
        "",
        "",
        f(r.bulk.effect.growthMb),
        ""
      ])
      row(`stream of ${LIST_TOTAL.toLocaleString("en")} (pages of 100): ms (median of ${STREAM_TIMES} in one process, the first cold); peak live heap growth (MB); sampled (MB)`, [
        "",
        `${f(r.stream.fetch.ms)} (a fetch loop); ${live(r.stream.fetch)}; ${f(r.stream.fetch.growthMb, 1)}`,
        "",
        "",
        `${f(r.stream.effect.ms)} (${f(r.stream.effect.ms / r.stream.fetch.ms, 2)}× the loop); ${
          live(r.stream.effect)
        }; ${f(r.stream.effect.growthMb, 1)}`,
        ""
      ])
    }
    if (r.profile) {
      lines.push("", "CPU profile of the SDK (Effect, `layerUndici`) at c64, self time by origin:", "")
      lines.push("| origin | share | µs per call |", "|---|---|---|")
      for (const p of r.profile.groups.filter((p) => p.share >= 0.005)) {
        lines.push(`| ${p.group} | ${f(p.share * 100, 1)} % | ${f(p.microsPerCall, 1)} |`)
      }
    }
    return lines.join("\n")
  }).join("\n\n")

/**
 * The goals of issue 33, each with its value before → after in every run, and the verdict: met only
 * when the after of every run meets it.
 */
export const goalsTable = (runs) => {
  const first = (run) => run[0]
  const last = (run) => run.at(-1)
  const goal = (label, value, meets, show) => {
    const cells = runs.map((run) => `${show(value(first(run)))} → ${show(value(last(run)))}`)
    const verdict = meets === undefined ? "(for reference)" : runs.every((run) => meets(value(last(run)))) ? "met" : "MISSED"
    return `| ${label} | ${cells.join(" | ")} | ${verdict} |`
  }
  const x = (v) => `${f(v, 2)}×`
  const kb = (v) => `${f(v)} KB`
  const mb = (v) => `${f(v, 1)} MB`
  const cpuRatio = (k) => (r) => r.c64cpu[k] / r.c64cpu.undici
  const seqRatio = (k) => (r) => r.cpu[k] / r.cpu.undici
  const rate = (k) => (r) => r.c64[k] / r.c64.fetch
  const startRatio = (k) => (r) => r.start[k].ms / r.start.fetch.ms
  const lines = [
    `| goal | ${runs.map((_, i) => `run ${i + 1} (before → after)`).join(" | ")} | verdict |`,
    `|---|${runs.map(() => "---").join("|")}|---|`,
    goal("CPU per PUT at c64 ≤ 2.5× `undici.request`'s: SDK (Effect, `layerUndici`)", cpuRatio("effect"), (v) => v <= 2.5, x),
    goal("… SDK (Promise)", cpuRatio("promise"), (v) => v <= 2.5, x),
    goal("… the floor: Effect's HttpClient alone (no token, retry, governor or validation)", cpuRatio("platform"), undefined, x),
    goal("CPU per PUT, sequential ≤ 2.5×: SDK (Effect, `layerUndici`)", seqRatio("effect"), (v) => v <= 2.5, x),
    goal("… SDK (Promise)", seqRatio("promise"), (v) => v <= 2.5, x),
    goal("c64 throughput ≥ 1.5× `fetch`'s: SDK (Effect, `layerUndici`)", rate("effect"), (v) => v >= 1.5, x),
    goal("… SDK (Promise)", rate("promise"), (v) => v >= 1.5, x),
    goal("… SDK (Effect, `FetchHttpClient`: the README's program)", rate("effect-fetch"), (v) => v >= 1.5, x),
    `| import + first PUT ≤ the peer's (not installable here: shown as × \`fetch\`'s; the issue measured the peer at 4.46× \`fetch\`'s): the README's program | ${
      runs.map((run) => `${x(startRatio("effect")(first(run)))} → ${x(startRatio("effect")(last(run)))}`).join(" | ")
    } | not measured |`,
    `| … SDK (Promise) | ${
      runs.map((run) => `${x(startRatio("promise")(first(run)))} → ${x(startRatio("promise")(last(run)))}`).join(" | ")
    } | not measured |`,
    goal("a one-PUT program from the README's imports ≤ 100 KB gzipped: the README's Effect program", (r) => r.bundle.effect.gzipKB, (v) => v <= 100, kb),
    goal("… `@timeback/client`'s first call", (r) => r.bundle.promise.gzipKB, (v) => v <= 100, kb),
    goal(`putAll of ${BULK_TOTAL.toLocaleString("en")}: peak live heap growth ≤ 50 MB`, (r) => r.bulk.effect.liveMb, (v) => v <= 50, mb),
    goal("… the same, as heap in use sampled with its garbage (a fetch pool of 16 measures alike)", (r) => r.bulk.effect.growthMb, (v) => v <= 50, mb),
    goal(`stream of ${LIST_TOTAL.toLocaleString("en")}: ≤ 1.2× the fetch loop's time`, (r) => r.stream.effect.ms / r.stream.fetch.ms, (v) => v <= 1.2, x),
    goal("… peak live heap growth ≤ 10 MB", (r) => r.stream.effect.liveMb, (v) => v <= 10, mb),
    goal("… the same, as heap in use sampled with its garbage (the fetch loop measures alike)", (r) => r.stream.effect.growthMb, (v) => v <= 10, mb)
  ]
  return lines.join("\n")
}

export const machine = () =>
  `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "unknown"}), ${process.platform}/${process.arch}`

/** `file` with what is between `<!-- name -->` and `<!-- /name -->` replaced by `content` (appended when absent). */
export const replaceBlock = (file, name, content) => {
  const open = `<!-- ${name} -->`
  const close = `<!-- /${name} -->`
  const text = existsSync(file) ? readFileSync(file, "utf8") : ""
  const block = `${open}\n${content}\n${close}`
  const at = text.indexOf(open)
  const end = text.indexOf(close)
  writeFileSync(
    file,
    at >= 0 && end > at ? text.slice(0, at) + block + text.slice(end + close.length) : `${text.trimEnd()}\n\n${block}\n`
  )
}
