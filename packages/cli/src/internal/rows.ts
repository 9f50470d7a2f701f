/**
 * Rows of an import file as assessment results: a CSV record (or an NDJSON line) becomes the input
 * the SDK sends, validated by the SDK's own input schema, with its sourcedId (given, or derived).
 */
import { AssessmentResult, GradebookError } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { createHash } from "node:crypto"

/** What is wrong with a row: the field, the column it came from (CSV), and why. */
export interface Problem {
  readonly field: string
  readonly column?: string | undefined
  readonly message: string
}

/** An assessment result ready to put, with its sourcedId. */
export type Item = AssessmentResult.AssessmentResultInput & { readonly sourcedId: string }

export type Converted = Result.Result<Item, ReadonlyArray<Problem>>

/**
 * The namespace of derived sourcedIds: a row without a sourcedId gets the UUID v5 (RFC 9562) of
 * `<assessmentLineItem sourcedId>/<student sourcedId>` in this namespace. The same row gets the
 * same id on every run and every machine, so a re-run overwrites (never duplicates) what an
 * interrupted run stored: one result per student and assessment line item.
 */
export const SOURCED_ID_NAMESPACE = "6f1c3b52-8e0d-4c4a-9a57-2d3f6b1e7c90"

const namespaceBytes = Buffer.from(SOURCED_ID_NAMESPACE.replace(/-/g, ""), "hex")

/** The UUID v5 of `name` in the namespace above. */
export const uuidV5 = (name: string): string => {
  const hash = createHash("sha1").update(namespaceBytes).update(name, "utf8").digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The sourcedId a row without one gets. */
export const derivedSourcedId = (assessmentLineItem: string, student: string) =>
  uuidV5(`${assessmentLineItem}/${student}`)

type Kind = "string" | "number" | "ref" | "json"

const KINDS: Readonly<Record<string, Kind>> = {
  sourcedId: "string",
  status: "string",
  dateLastModified: "string",
  assessmentLineItem: "ref",
  student: "ref",
  score: "number",
  textScore: "string",
  scoreDate: "string",
  scoreScale: "ref",
  scorePercentile: "number",
  scoreStatus: "string",
  comment: "string",
  inProgress: "string",
  incomplete: "string",
  late: "string",
  missing: "string",
  metadata: "json",
  learningObjectiveSet: "json"
}

/** The fields an import file may fill, in the order `list --format csv` writes them. */
export const FIELDS: ReadonlyArray<string> = Object.keys(KINDS)

/**
 * The column names an import file may use: every field, refs also as `<field>.sourcedId`,
 * `metadata.<key>`; a column whose name starts with `#` is ignored.
 */
export const COLUMNS = [
  ...Object.keys(KINDS),
  ...Object.entries(KINDS).filter(([, kind]) => kind === "ref").map(([name]) => `${name}.sourcedId`),
  "metadata.<key>",
  "#<anything> (ignored)"
]

/** Where one column's cells go: a field (or a metadata key), or nowhere (`-`). */
interface Target {
  readonly column: string
  readonly field: string
  readonly kind: Kind | "metadataKey" | "ignored"
}

const target = (column: string, name: string): Target | undefined => {
  // `-` ignores a column; so does a name starting with `#` (the failed-rows file's `#line` and `#error`)
  if (name === "-" || name.startsWith("#")) return { column, field: "-", kind: "ignored" }
  const kind = KINDS[name]
  if (kind !== undefined) return { column, field: name, kind }
  const ref = /^(\w+)\.sourcedId$/.exec(name)
  if (ref && KINDS[ref[1]!] === "ref") return { column, field: ref[1]!, kind: "ref" }
  if (/^metadata\.[^.]+$/.test(name)) return { column, field: name, kind: "metadataKey" }
  return undefined
}

/**
 * How the columns of `header` map to fields: by name, or through `mapping` (column → field name,
 * `-` to ignore a column). An unknown column is an error naming it: a typo must not drop a field.
 */
export const columns = (
  header: ReadonlyArray<string>,
  mapping: ReadonlyMap<string, string>
): Result.Result<ReadonlyArray<Target>, string> => {
  const unknownMapped = [...mapping.keys()].filter((column) => !header.includes(column))
  if (unknownMapped.length > 0) {
    return Result.fail(`--map names ${unknownMapped.map((c) => JSON.stringify(c)).join(", ")}, not in the header`)
  }
  // one column whose name holds the other separators: a file exported with ; or tabs between columns
  const separator = header.length === 1 ? [";", "\t", "|"].find((c) => header[0]!.includes(c)) : undefined
  if (separator !== undefined) {
    return Result.fail(
      `the header is one column, ${JSON.stringify(header[0])}: the file looks ${
        separator === "\t" ? "tab" : JSON.stringify(separator)
      }-separated, and import reads commas. Export it as CSV with commas (in a spreadsheet: Save As, "CSV (comma ` +
        `delimited)"), or NDJSON`
    )
  }
  const targets: Array<Target> = []
  const seen = new Map<string, string>()
  for (const raw of header) {
    const column = raw.trim()
    const found = target(column, mapping.get(raw) ?? mapping.get(column) ?? column)
    if (found === undefined) {
      return Result.fail(
        `column ${JSON.stringify(column)} is not an assessment result field. Rename it, map it ` +
          `(--map "${column}=score"), or ignore it (--map "${column}=-"). Columns: ${COLUMNS.join(", ")}`
      )
    }
    if (found.kind !== "ignored") {
      const before = seen.get(found.field)
      if (before !== undefined) {
        return Result.fail(`columns ${JSON.stringify(before)} and ${JSON.stringify(column)} both fill ${found.field}`)
      }
      seen.set(found.field, column)
    }
    targets.push(found)
  }
  for (const required of ["assessmentLineItem", "student", "scoreStatus", "scoreDate"]) {
    if (!seen.has(required)) return Result.fail(`the header has no ${required} column (required)`)
  }
  return Result.succeed(targets)
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** A CSV record's cells as the plain input object (an empty cell is an absent field). */
const plain = (
  targets: ReadonlyArray<Target>,
  cells: ReadonlyArray<string>
): Result.Result<Record<string, unknown>, ReadonlyArray<Problem>> => {
  if (cells.length !== targets.length) {
    return Result.fail([{
      field: "",
      message: `has ${cells.length} cells where the header has ${targets.length} columns`
    }])
  }
  const input: Record<string, unknown> = {}
  const problems: Array<Problem> = []
  targets.forEach((t, i) => {
    const cell = cells[i]!
    if (t.kind === "ignored" || cell.trim() === "") return
    switch (t.kind) {
      case "string":
        input[t.field] = cell
        return
      case "ref":
        input[t.field] = { sourcedId: cell.trim() }
        return
      case "number":
        input[t.field] = NUMBER.test(cell.trim()) ? Number(cell.trim()) : cell
        return
      case "metadataKey": {
        const metadata = (input.metadata ??= {}) as Record<string, unknown>
        metadata[t.field.slice("metadata.".length)] = cell
        return
      }
      case "json":
        try {
          input[t.field] = JSON.parse(cell)
        } catch {
          problems.push({ field: t.field, column: t.column, message: "Expected JSON" })
        }
    }
  })
  return problems.length > 0 ? Result.fail(problems) : Result.succeed(input)
}

/** The input validated by the SDK's schema, with its sourcedId (given, or derived). */
const validated = (
  input: Record<string, unknown>,
  columnOf: (field: string) => string | undefined
): Effect.Effect<Converted> =>
  Effect.map(Effect.result(AssessmentResult.decodeInput(input)), (decoded) =>
    Result.match(decoded, {
      onFailure: (error) =>
        Result.fail(
          GradebookError.formatIssues(error).map(({ message, path }) => ({
            field: path,
            column: columnOf(path.split(".")[0]!),
            message
          }))
        ),
      onSuccess: (result) =>
        Result.succeed({
          ...result,
          sourcedId: result.sourcedId ??
            derivedSourcedId(result.assessmentLineItem.sourcedId, result.student.sourcedId)
        })
    }))

/** A CSV record as an item, or what is wrong with it. */
export const fromCsv = (targets: ReadonlyArray<Target>) => {
  const columnOf = (field: string) => targets.find((t) => t.field === field)?.column
  return (cells: ReadonlyArray<string>): Effect.Effect<Converted> =>
    Result.match(plain(targets, cells), {
      onFailure: (problems) => Effect.succeed(Result.fail(problems)),
      onSuccess: (input) => validated(input, columnOf)
    })
}

/** An NDJSON line (a JSON object of the API's input shape) as an item, or what is wrong with it. */
export const fromJson = (text: string): Effect.Effect<Converted> => {
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (e) {
    return Effect.succeed(Result.fail([{ field: "", message: `not JSON (${(e as Error).message})` }]))
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return Effect.succeed(Result.fail([{ field: "", message: "Expected a JSON object" }]))
  }
  return validated(input as Record<string, unknown>, () => undefined)
}

/** A problem as a person reads it: `score (column "Points"): Expected a number, actual "abc"`. */
export const describe = (problem: Problem): string => {
  const where = problem.field === ""
    ? "the row"
    : problem.column !== undefined && problem.column !== problem.field.split(".")[0]
    ? `${problem.field} (column ${JSON.stringify(problem.column)})`
    : problem.field
  return `${where}: ${problem.message}`
}

/**
 * A converted row held to the importer's own rule: no negative score (a stray minus sign in a
 * spreadsheet) unless `allowed` (a scale that has them; the API takes any number).
 */
export const scoreRule = (allowed: boolean, column: string | undefined) => (converted: Converted): Converted => {
  if (allowed || Result.isFailure(converted)) return converted
  const score = converted.success.score
  return typeof score === "number" && score < 0
    ? Result.fail([{
      field: "score",
      column,
      message: `${score} is negative; pass --allow-negative-scores if the score scale has negative scores`
    }])
    : converted
}
