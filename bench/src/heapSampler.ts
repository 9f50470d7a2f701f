/**
 * Preloaded into a process the bench does not own (`--expose-gc --import tsx --import
 * ./src/heapSampler.ts`): samples the heap in use after a full GC every second and, at exit, writes
 * `{ "peakMb", "samples" }` to the file named by `HEAP_REPORT`.
 */
import { writeFileSync } from "node:fs"
import { heapMb } from "./heap.js"

const report = process.env.HEAP_REPORT
if (!report) throw new Error("HEAP_REPORT names the file to write the heap report to")
let peakMb = 0
let samples = 0
const sample = () => {
  peakMb = Math.max(peakMb, heapMb())
  samples++
}
setInterval(sample, 1000).unref()
process.on("exit", () => {
  sample()
  writeFileSync(report, JSON.stringify({ peakMb, samples }))
})
