/**
 * CSV as RFC 4180 writes it (and spreadsheets export it): comma-separated, fields optionally in
 * double quotes, `""` for a quote inside quotes, a quoted field may span lines, CRLF or LF line
 * ends, an optional UTF-8 byte-order mark. Read incrementally: memory holds one record at a time.
 */

/** One record and the line of the file it starts on (1-based, the header is line 1). */
export interface Record {
  readonly line: number
  readonly cells: ReadonlyArray<string>
}

/** A record the file cannot hold as CSV (an unclosed quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`)
  }
}

/**
 * The records of `chunks` (the text of a file, in pieces of any size). Blank lines are skipped.
 */
export async function* records(chunks: AsyncIterable<string>): AsyncGenerator<Record> {
  let cells: Array<string> = []
  let cell = ""
  let quoted = false // inside a quoted field
  let closed = false // a quoted field's closing quote was just read
  let pendingQuote = false // a quote inside quotes: the end of the field, or the first of `""`
  let pendingCr = false
  let line = 1
  let start = 1
  let opened = 1 // the line the open quoted field started on
  let first = true
  let empty = true // nothing read on this record yet

  const endCell = () => {
    cells.push(cell)
    cell = ""
    closed = false
  }
  const endRecord = (): Record | undefined => {
    endCell()
    const record = empty ? undefined : { line: start, cells }
    cells = []
    empty = true
    return record
  }

  for await (let chunk of chunks) {
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
      first = false
    }
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!
      if (pendingCr) {
        pendingCr = false
        if (c === "\n") continue
      }
      if (pendingQuote) {
        pendingQuote = false
        if (c === "\"") {
          cell += "\""
          continue
        }
        quoted = false
        closed = true
      }
      if (quoted) {
        if (c === "\"") pendingQuote = true
        else {
          if (c === "\n" || c === "\r") {
            line++
            pendingCr = c === "\r"
            cell += "\n"
          } else cell += c
        }
        continue
      }
      if (c === "," || c === "\n" || c === "\r") {
        if (c === ",") {
          endCell()
          empty = false
          continue
        }
        const record = endRecord()
        if (record) yield record
        pendingCr = c === "\r"
        line++
        start = line
        continue
      }
      if (closed) throw new CsvSyntaxError(line, `text after the closing quote of a field (${JSON.stringify(c)})`)
      if (c === "\"" && cell.length === 0) {
        quoted = true
        opened = line
        empty = false
        continue
      }
      cell += c
      empty = false
    }
  }
  if (pendingQuote) {
    quoted = false
  }
  if (quoted) {
    throw new CsvSyntaxError(
      opened,
      `a quoted field opens here and is never closed${opened === start ? "" : ` (in the record from line ${start})`}`
    )
  }
  const record = endRecord()
  if (record) yield record
}

/** One CSV field: quoted when it holds a comma, a quote or a line break (or starts with a space). */
export const field = (value: string): string =>
  /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, "\"\"")}"` : value

/** One CSV line (with its line end). */
export const line = (values: ReadonlyArray<string>): string => `${values.map(field).join(",")}\n`
