/**
 * `timeback-gradebook import FILE`: checks every row, then puts the valid ones with the bulk API,
 * resumable and never duplicating.
 *
 * - Pass 1 reads the whole file and reports every bad row (line, field, why) before anything is
 *   sent; a sourcedId twice in the file is a bad row too. `--dry-run` stops there.
 * - Pass 2 reads it again and puts each valid row (`putAll`, `--concurrency` in flight). A row
 *   without a sourcedId has one derived from its line item and student (`Rows.derivedSourcedId`),
 *   so every run sends a row under the same id, and a put of it twice stores it once.
 * - Each row the server confirms goes into the journal beside the file (`<name>.journal`); a
 *   re-run (after a crash, a kill, Ctrl-C, or failures) skips the rows it lists unchanged.
 * - Rows that did not land go to `<name>.failed.csv` (or `.failed.ndjson`) with the reason.
 *
 * @since 0.1.0
 */
import { Bulk } from "@timeback/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type * as FileSystem from "effect/FileSystem"
import * as Result from "effect/Result"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import { existsSync, rmSync } from "node:fs"
import * as Connection from "./internal/connection.js"
import * as Csv from "./internal/csv.js"
import * as Files from "./internal/files.js"
import type { Output } from "./internal/output.js"
import * as Progress from "./internal/progress.js"
import * as Rows from "./internal/rows.js"
import * as Source from "./internal/source.js"
import * as State from "./internal/state.js"

export interface Options {
  readonly file: string
  readonly format: Source.Format
  readonly mapping: ReadonlyMap<string, string>
  readonly concurrency: number
  /** A ceiling on requests per second (`--max-rate`); without it the governor learns the server's rate. */
  readonly maxRequestsPerSecond?: number | undefined
  readonly dryRun: boolean
  /** Send rows with a negative score (refused by default: most often a typo). */
  readonly allowNegativeScores?: boolean | undefined
  /** Ignore the journal of an earlier run: send every row again. */
  readonly restart: boolean
  /**
   * Where the journal and the failed rows go (`--state-dir`). Without it, beside the input when its
   * folder is writable, else (and for stdin, `-`) the per-user state directory.
   */
  readonly stateDir?: string | undefined
  readonly connection: Connection.Options
}

/** How an import ended: the exit code says whether every row landed. */
export interface Report {
  readonly rows: number
  readonly invalid: number
  readonly skipped: number
  readonly succeeded: number
  readonly failed: ReadonlyMap<string, number>
}

const SHOWN = 50

const FIX = "fix the row and run again (rows that landed are skipped)"

/** 48 bits of a sourcedId's hash: the duplicate check keeps a number per row, not the id. */
const idHash = (sourcedId: string) => createHash("sha1").update(sourcedId).digest().readUIntBE(0, 6)

/** The failed-rows file, created at the first failed row. */
const failedRows = (source: Source.Source, stateDir: string | undefined) => {
  const path = Files.beside(source.file, source.format === "csv" ? ".failed.csv" : ".failed.ndjson", stateDir)
  if (existsSync(path)) Files.onFile("write", path, () => rmSync(path))
  let file: Files.Appender | undefined
  return {
    path,
    written: () => file !== undefined,
    add: (row: Source.Row, error: string) => {
      if (file === undefined) {
        file = Files.appender(path, "w")
        // `#` columns: importing the fixed file reads them as comments
        if (source.header) file.append(Csv.line(["#line", "#error", ...source.header]))
      }
      file.append(
        typeof row.raw === "string"
          ? `${JSON.stringify({ line: row.line, error, row: row.raw })}\n`
          : Csv.line([String(row.line), error, ...row.raw])
      )
    },
    close: () => file?.close()
  }
}

/**
 * Pass 1: every row checked; the lines not to send (invalid or repeated), and how many rows the
 * journal lists as stored.
 */
const check = (
  source: Source.Source,
  output: Output,
  journal: Files.Journal | undefined,
  onBad: (row: Source.Row, why: string) => void
) =>
  Effect.gen(function*() {
    const firstLine = new Map<number, number>()
    const bad = new Set<number>()
    let rows = 0
    let skipped = 0
    const report = (row: Source.Row, why: string) => {
      bad.add(row.line)
      if (bad.size <= SHOWN) output.err(`line ${row.line}: ${why}`)
      onBad(row, why)
    }
    yield* Stream.runForEach(source.rows(), (row) =>
      Effect.sync(() => {
        rows++
        if (Result.isFailure(row.converted)) {
          return report(row, `${row.converted.failure.map(Rows.describe).join("; ")} → ${FIX}`)
        }
        const { sourcedId } = row.converted.success
        const hash = idHash(sourcedId)
        const before = firstLine.get(hash)
        if (before !== undefined) {
          return report(
            row,
            `sourcedId ${sourcedId} is also line ${before}'s (a row without a sourcedId is keyed by its ` +
              `assessmentLineItem and student): one would overwrite the other → ${FIX}`
          )
        }
        firstLine.set(hash, row.line)
        if (journal?.confirmed.has(Files.fingerprint(row.converted.success))) skipped++
      }))
    if (bad.size > SHOWN) output.err(`… and ${bad.size - SHOWN} more bad rows (the first ${SHOWN} shown)`)
    return { rows, bad, skipped }
  })

const summary = (report: Report, elapsedMs: number, extra: ReadonlyArray<string>) => {
  const failed = [...report.failed].reduce((n, [, count]) => n + count, 0)
  const rows: Array<[string, string]> = [
    ["rows in file", String(report.rows)],
    ["invalid (not sent)", String(report.invalid)],
    ["already imported", String(report.skipped)],
    ["stored", String(report.succeeded)],
    ["failed", `${failed}${failed > 0 ? ` (${[...report.failed].map(([k, n]) => `${k} ${n}`).join(", ")})` : ""}`],
    [
      "elapsed",
      `${(elapsedMs / 1000).toFixed(1)} s${
        report.succeeded > 0 ? ` (${Math.round((report.succeeded * 1000) / Math.max(1, elapsedMs))} rows/s)` : ""
      }`
    ]
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  return [...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), ...extra].join("\n")
}

/**
 * Runs an import; succeeds with its report (exit code 0 only when every row landed), fails with a
 * `Fatal` when it cannot run at all (file, header, configuration, credentials).
 *
 * @since 0.1.0
 */
export const run = (
  options: Options,
  output: Output
): Effect.Effect<Report, Connection.Fatal, FileSystem.FileSystem> =>
  Effect.scoped(Effect.gen(function*() {
    const started = performance.now()
    // stdin is read once, into the state directory: an import reads its input twice (check, then send)
    const { dir, file, notice } = yield* State.input(options.file, options.stateDir, options.format)
    if (notice !== undefined) output.err(notice)
    const source = yield* Source.open(file, options.format, options.mapping, options.allowNegativeScores)
    const failed = options.dryRun ? undefined : failedRows(source, dir)
    if (failed) yield* Effect.addFinalizer(() => Effect.sync(failed.close))
    // the configuration is read (and refused) before the file: no waiting through a large file for it
    const target = options.dryRun ? undefined : yield* Connection.resolve(options.connection)
    const journal = target === undefined || target.demo
      ? undefined
      : Files.journal(Files.beside(file, ".journal", dir), target.target, options.restart)
    if (journal) yield* Effect.addFinalizer(() => Effect.sync(journal.close))
    const { bad, rows, skipped } = yield* check(source, output, journal, (row, why) => failed?.add(row, why))
    if (target === undefined) {
      output.out(`${rows} rows checked: ${rows - bad.size} valid, ${bad.size} bad. Nothing was sent (--dry-run).`)
      return { rows, invalid: bad.size, skipped: 0, succeeded: 0, failed: new Map() }
    }
    const gradebook = yield* Connection.open(
      options.maxRequestsPerSecond === undefined
        ? target
        : { ...target, config: { ...target.config, maxRequestsPerSecond: options.maxRequestsPerSecond } }
    )

    let index = 0
    const pending = new Map<number, { readonly row: Source.Row; readonly item: Rows.Item }>()
    let readError: Connection.Fatal | undefined
    const items = source.rows().pipe(
      Stream.filterMap((row) => {
        if (bad.has(row.line) || Result.isFailure(row.converted)) return Result.fail(row)
        const item = row.converted.success
        if (journal?.confirmed.has(Files.fingerprint(item))) return Result.fail(row)
        pending.set(index++, { row, item })
        return Result.succeed(item)
      }),
      Stream.catch((e) => {
        readError = e
        return Stream.empty
      })
    )

    const progress = Progress.make(rows - bad.size - skipped, { tty: output.tty, write: output.errRaw })
    const ticker = yield* Effect.forkScoped(
      Effect.repeat(Effect.sync(progress.tick), Schedule.spaced(Duration.millis(output.progressEveryMs)))
    )
    const outcomes = gradebook.assessmentResults.putAll(items, { concurrency: options.concurrency })
    const interrupted = Effect.sync(() => {
      progress.finish()
      output.err(
        `interrupted: ${progress.counts().succeeded} rows stored this run. Run the same command again to send ` +
          `the rest (rows already stored are skipped; none is sent twice under another id).`
      )
    })
    // a run of failures of one kind: the API refusing fresh tokens, or no answer at all
    let run: { readonly kind: "refused" | "unanswered" | undefined; readonly rows: number } = {
      kind: undefined,
      rows: 0
    }
    yield* Stream.runForEach(outcomes, (outcome: Bulk.Outcome<unknown>) => {
      const sent = pending.get(outcome.index)!
      pending.delete(outcome.index)
      if (Result.isSuccess(outcome.outcome)) {
        run = { kind: undefined, rows: 0 }
        journal?.record(sent.item, sent.row.line)
        progress.succeeded()
        return Effect.void
      }
      const error = outcome.outcome.failure
      // a 401 from the API, after the client tried fresh tokens, fails that row (a re-run sends it);
      // only a run of them, or the token endpoint refusing the credentials, stops the import
      const apiRefused = error._tag === "AuthError" && error.operation !== "token"
      // and when the server does not answer, row after row, the import stops instead of waiting out
      // every row's retries
      const kind = apiRefused ? "refused" : error._tag === "NoResponseError" ? "unanswered" : undefined
      run = { kind, rows: kind !== undefined && kind === run.kind ? run.rows + 1 : 1 }
      const fatal = error._tag === "NoResponseError"
        ? run.rows >= Connection.UNANSWERED_IN_A_ROW ? Connection.unanswered(error, run.rows) : undefined
        : !apiRefused || run.rows >= Connection.REFUSED_IN_A_ROW
        ? Connection.fatal(error)
        : undefined
      if (fatal) return Effect.fail(fatal)
      const why = Connection.explain(error)
      progress.failed(error._tag)
      progress.log(`line ${sent.row.line}: ${why}`)
      failed?.add(sent.row, why)
      return Effect.void
    }).pipe(Effect.onInterrupt(() => interrupted))
    if (readError) return yield* readError
    yield* Fiber.interrupt(ticker)
    progress.tick()
    progress.finish()

    const counts = progress.counts()
    const report: Report = {
      rows,
      invalid: bad.size,
      skipped,
      succeeded: counts.succeeded,
      failed: counts.failed
    }
    const notes = [
      ...(failed?.written() ? [`rows that did not land: ${failed.path}`] : []),
      ...(journal ? [`journal: ${journal.path} (a re-run skips the rows it lists; --restart ignores it)`] : [])
    ]
    output.out(summary(report, performance.now() - started, notes))
    return report
  }))

/** 0 when every row landed, 2 when some did not (invalid or refused). */
export const exitCode = (report: Report): number =>
  report.invalid === 0 && [...report.failed.values()].every((n) => n === 0) ? 0 : 2
