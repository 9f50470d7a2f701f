/**
 * An import file as a stream of rows, read incrementally (one record in memory at a time): CSV
 * with a header row, or NDJSON (one JSON object per line). Each pass over the file reads it again.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { createReadStream } from "node:fs"
import { createInterface } from "node:readline"
import * as Csv from "./csv.js"
import { Fatal } from "./fatal.js"
import * as Rows from "./rows.js"

export type Format = "csv" | "ndjson"

/** One row: where it is, what it was (to write it back on failure), and what it became. */
export interface Row {
  readonly line: number
  /** The CSV cells, or the NDJSON line. */
  readonly raw: ReadonlyArray<string> | string
  readonly converted: Rows.Converted
}

export interface Source {
  readonly file: string
  readonly format: Format
  /** The CSV header (what a failed-rows file starts with). */
  readonly header: ReadonlyArray<string> | undefined
  /** Every row, read from the start. */
  readonly rows: () => Stream.Stream<Row, Fatal>
}

/** The format of `file`: NDJSON for `.ndjson`/`.jsonl`, CSV otherwise. */
export const formatOf = (file: string): Format => /\.(ndjson|jsonl)$/i.test(file) ? "ndjson" : "csv"

const unreadable = (file: string) => (e: unknown) =>
  new Fatal({
    message: e instanceof Csv.CsvSyntaxError
      ? `${file} line ${e.line}: ${e.reason} (not valid CSV; nothing was sent)`
      : `cannot read ${file}: ${(e as Error).message}`
  })

const chunks = (file: string): AsyncIterable<string> => createReadStream(file, { encoding: "utf8" })

const csvRecords = (file: string) => Stream.fromAsyncIterable(Csv.records(chunks(file)), unreadable(file))

/** Opens `file`: reads (and checks) a CSV header; nothing else is read until `rows` is run. */
export const open = (
  file: string,
  format: Format,
  mapping: ReadonlyMap<string, string>,
  allowNegativeScores = false
): Effect.Effect<Source, Fatal> => {
  if (format === "ndjson") {
    const ruled = Rows.scoreRule(allowNegativeScores, undefined)
    return Effect.succeed({
      file,
      format,
      header: undefined,
      rows: () =>
        Stream.fromAsyncIterable(
          createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity }),
          unreadable(file)
        ).pipe(
          Stream.zipWithIndex,
          Stream.filter(([text]) => text.trim() !== ""),
          Stream.mapEffect(([text, index]) =>
            Effect.map(
              Rows.fromJson(text),
              (converted): Row => ({ line: index + 1, raw: text, converted: ruled(converted) })
            )
          )
        )
    })
  }
  return Effect.gen(function*() {
    const first = yield* Stream.runHead(Stream.take(csvRecords(file), 1))
    if (first._tag === "None") return yield* new Fatal({ message: `${file} is empty (expected a header row)` })
    const header = first.value.cells
    const targets = yield* Effect.fromResult(
      Result.mapError(Rows.columns(header, mapping), (m) => new Fatal({ message: `${file}: ${m}` }))
    )
    const convert = Rows.fromCsv(targets)
    const ruled = Rows.scoreRule(allowNegativeScores, targets.find((t) => t.field === "score")?.column)
    return {
      file,
      format,
      header,
      rows: () =>
        csvRecords(file).pipe(
          Stream.drop(1),
          Stream.mapEffect((record) =>
            Effect.map(convert(record.cells), (converted): Row => ({
              line: record.line,
              raw: record.cells,
              converted: ruled(converted)
            }))
          )
        )
    }
  })
}
