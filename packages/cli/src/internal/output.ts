/**
 * Where the CLI writes: results on stdout, progress and problems on stderr; and the formats of
 * records (`table`, `json`, `csv`).
 */
import * as Csv from "./csv.js"
import * as Rows from "./rows.js"

export interface Output {
  readonly out: (text: string) => void
  /** One line on stderr. */
  readonly err: (text: string) => void
  /** Text on stderr as it is (a progress line rewritten in place ends without a line break). */
  readonly errRaw: (text: string) => void
  /** Whether stderr is a terminal (a live progress line) or not (a plain line now and then). */
  readonly tty: boolean
  /** How often progress is shown, in ms. */
  readonly progressEveryMs: number
}

export const node = (): Output => {
  const tty = process.stderr.isTTY === true
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    errRaw: (text) => process.stderr.write(text),
    tty,
    progressEveryMs: tty ? 200 : 2000
  }
}

export type Format = "table" | "json" | "csv"

/**
 * The columns of `csv` and `table`, in the order of an import file: `list --format csv` writes a
 * file `import` reads back.
 */
export const COLUMNS = Rows.FIELDS

/** What a table shows unless `--fields` says otherwise. */
export const TABLE_COLUMNS = ["sourcedId", "student", "assessmentLineItem", "scoreStatus", "score", "scoreDate"]

/** A field's value as one cell: a reference as its sourcedId, an object as JSON. */
const cell = (value: unknown): string => {
  if (value === undefined || value === null) return ""
  if (typeof value === "object") {
    const ref = value as { readonly sourcedId?: unknown }
    if (!Array.isArray(value) && typeof ref.sourcedId === "string" && Object.keys(value).length <= 2) {
      return ref.sourcedId
    }
    return JSON.stringify(value)
  }
  return String(value)
}

const MAX_WIDTH = 40

/**
 * Writes records in `format`, as they come: a JSON array, CSV with a header, or a table whose
 * column widths are set by the first `sizeBy` records (longer cells are cut with `…`).
 */
export const writer = (
  format: Format,
  columns: ReadonlyArray<string>,
  write: (text: string) => void,
  sizeBy = 100
) => {
  let count = 0
  const buffered: Array<ReadonlyArray<string>> = []
  let widths: Array<number> | undefined
  const row = (cells: ReadonlyArray<string>) =>
    write(
      cells.map((c, i) => {
        const w = widths![i]!
        const flat = c.replace(/\s+/g, " ")
        return (flat.length > w ? `${flat.slice(0, w - 1)}…` : flat).padEnd(w)
      }).join("  ").trimEnd()
    )
  const flushTable = () => {
    widths = columns.map((c, i) => Math.min(MAX_WIDTH, Math.max(c.length, ...buffered.map((r) => r[i]!.length))))
    row(columns)
    row(widths.map((w) => "-".repeat(w)))
    for (const r of buffered) row(r)
    buffered.length = 0
  }
  return {
    add: (record: Record<string, unknown>) => {
      count++
      switch (format) {
        case "json":
          write(`${count === 1 ? "[" : ","} ${JSON.stringify(record)}`)
          return
        case "csv":
          if (count === 1) write(Csv.line(columns).trimEnd())
          write(Csv.line(columns.map((c) => cell(record[c]))).trimEnd())
          return
        case "table": {
          const cells = columns.map((c) => cell(record[c]))
          if (widths) return row(cells)
          buffered.push(cells)
          if (buffered.length >= sizeBy) flushTable()
        }
      }
    },
    end: () => {
      if (format === "json") write(count === 0 ? "[]" : "]")
      if (format === "csv" && count === 0) write(Csv.line(columns).trimEnd())
      if (format === "table" && !widths) flushTable()
    }
  }
}
