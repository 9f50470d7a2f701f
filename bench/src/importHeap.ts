/**
 * The CLI's heap while importing a large CSV: `timeback-gradebook import` run as a user runs it (a
 * child process, its own argv and environment) against the bench server, with the heap sampler
 * preloaded. The CSV is generated in a temporary folder: `rows` results of distinct (line item,
 * student) pairs, no sourcedId column (every id is derived, as for most spreadsheets).
 */
import { execFile } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const here = fileURLToPath(new URL(".", import.meta.url))
const BIN = fileURLToPath(new URL("../../packages/cli/src/bin.ts", import.meta.url))
const STUDENTS = 1000

const writeCsv = (file: string, rows: number) => {
  const fd = openSync(file, "w")
  writeSync(fd, "student,assessmentLineItem,scoreStatus,scoreDate,score,comment\n")
  let chunk = ""
  for (let i = 0; i < rows; i++) {
    chunk += `student-${i % STUDENTS},ali-${Math.floor(i / STUDENTS)},fully graded,2024-09-06,${i % 101},row ${i}\n`
    if (chunk.length > 1 << 16) {
      writeSync(fd, chunk)
      chunk = ""
    }
  }
  writeSync(fd, chunk)
  closeSync(fd)
}

export interface ImportHeap {
  readonly rows: number
  readonly exitCode: number
  readonly peakMb: number
  readonly seconds: number
}

export const importHeap = async (url: string, rows: number): Promise<ImportHeap> => {
  const dir = mkdtempSync(join(tmpdir(), "timeback-bench-"))
  try {
    const csv = join(dir, "grades.csv")
    const report = join(dir, "heap.json")
    writeCsv(csv, rows)
    const started = performance.now()
    let exitCode = 0
    await promisify(execFile)(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "--import", `${here}heapSampler.ts`, BIN, "import", csv],
      {
        env: {
          ...process.env,
          HEAP_REPORT: report,
          TIMEBACK_CLIENT_ID: "bench",
          TIMEBACK_CLIENT_SECRET: "bench-secret",
          TIMEBACK_BASE_URL: url,
          TIMEBACK_TOKEN_URL: `${url}/oauth2/token`
        },
        maxBuffer: 64 << 20
      }
    ).catch((e: { code?: number }) => {
      exitCode = e.code ?? -1
    })
    const seconds = (performance.now() - started) / 1000
    const { peakMb } = JSON.parse(readFileSync(report, "utf8")) as { peakMb: number }
    return { rows, exitCode, peakMb, seconds }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
