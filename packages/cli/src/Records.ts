/**
 * `get`, `list`, `put` and `delete` of assessment results.
 *
 * @since 0.1.0
 */
import { AssessmentResult, Filter, GradebookError } from "@timeback/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Connection from "./internal/connection.js"
import * as Output from "./internal/output.js"

const resource = AssessmentResult.resource

/** A call's failure as a `Fatal`: its message and what to do. */
const failed = (error: GradebookError.GradebookError): Connection.Fatal =>
  Connection.fatal(error) ?? new Connection.Fatal({ message: Connection.explain(error) })

const fieldList = (
  text: Option.Option<string>
): Result.Result<Option.Option<ReadonlyArray<string>>, Connection.Fatal> => {
  if (Option.isNone(text)) return Result.succeed(Option.none())
  const fields = text.value.split(",").map((f) => f.trim()).filter((f) => f !== "")
  const unknown = fields.filter((f) => !resource.selectableFields.includes(f as never))
  return unknown.length > 0 || fields.length === 0
    ? Result.fail(
      new Connection.Fatal({
        message: `--fields: ${unknown.length > 0 ? `unknown field ${unknown.join(", ")}` : "names no field"} ` +
          `(fields: ${resource.selectableFields.join(", ")})`
      })
    )
    : Result.succeed(Option.some(fields))
}

export interface GetOptions {
  readonly sourcedId: string
  readonly fields: Option.Option<string>
  readonly format: Output.Format
  readonly connection: Connection.Options
}

/** Prints one result. */
export const get = (options: GetOptions, output: Output.Output) =>
  Effect.scoped(Effect.gen(function*() {
    const fields = yield* Effect.fromResult(fieldList(options.fields))
    const gradebook = yield* Connection.connect(options.connection)
    const result = yield* gradebook.assessmentResults.get(
      options.sourcedId,
      Option.isSome(fields) ? { fields: fields.value as never } : undefined
    ).pipe(Effect.mapError(failed))
    if (options.format === "json") return output.out(JSON.stringify(result, null, 2))
    const writer = Output.writer(options.format, Option.getOrElse(fields, () => Output.COLUMNS), output.out)
    writer.add(result as Record<string, unknown>)
    writer.end()
  }))

export interface ListOptions {
  readonly filter: Option.Option<string>
  readonly sort: Option.Option<string>
  readonly order: Option.Option<"asc" | "desc">
  readonly fields: Option.Option<string>
  readonly limit: number
  readonly all: boolean
  readonly format: Output.Format
  readonly connection: Connection.Options
}

/** Prints one page of results (`limit`), or with `all` every page, as they come. */
export const list = (options: ListOptions, output: Output.Output) =>
  Effect.scoped(Effect.gen(function*() {
    const fields = yield* Effect.fromResult(fieldList(options.fields))
    const filter = Option.isSome(options.filter)
      ? yield* Effect.fromResult(Result.mapError(
        Filter.parse(options.filter.value, resource.filterFields),
        (m) => new Connection.Fatal({ message: `--filter: ${m} (filter fields: ${resource.filterFields.join(", ")})` })
      ))
      : undefined
    if (Option.isSome(options.sort) && !resource.filterFields.includes(options.sort.value as never)) {
      return yield* new Connection.Fatal({
        message: `--sort: unknown field ${options.sort.value} (fields: ${resource.filterFields.join(", ")})`
      })
    }
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      return yield* new Connection.Fatal({ message: `--limit: expected a whole number ≥ 1, got ${options.limit}` })
    }
    const query = {
      limit: options.limit,
      ...(filter && { filter }),
      ...(Option.isSome(options.sort) && { sort: options.sort.value }),
      ...(Option.isSome(options.order) && { orderBy: options.order.value }),
      ...(Option.isSome(fields) && { fields: fields.value })
    } as Parameters<typeof gradebook.assessmentResults.stream>[0]
    const gradebook = yield* Connection.connect(options.connection)
    const columns = Option.getOrElse(
      fields,
      () => options.format === "table" ? Output.TABLE_COLUMNS : Output.COLUMNS
    )
    const writer = Output.writer(options.format, columns, output.out)
    const records: Stream.Stream<unknown, GradebookError.GradebookError> = options.all
      ? gradebook.assessmentResults.stream(query)
      : Stream.fromIterableEffect(Effect.map(gradebook.assessmentResults.list(query), (page) => page.results))
    yield* Stream.runForEach(records, (r) => Effect.sync(() => writer.add(r as Record<string, unknown>))).pipe(
      Effect.mapError(failed)
    )
    writer.end()
  }))

export interface PutOptions {
  readonly sourcedId: string
  /** The result as JSON (the API's input shape); read from stdin when absent. */
  readonly json: Option.Option<string>
  readonly connection: Connection.Options
}

const stdin = Effect.tryPromise({
  try: async () => {
    const chunks: Array<Buffer> = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString("utf8")
  },
  catch: (e) => new Connection.Fatal({ message: `cannot read stdin: ${(e as Error).message}` })
})

/** Puts one result (JSON from `--json` or stdin) and prints what the server stored. */
export const put = (options: PutOptions, output: Output.Output) =>
  Effect.scoped(Effect.gen(function*() {
    const text = Option.isSome(options.json) ? options.json.value : yield* stdin
    const input = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (e) => new Connection.Fatal({ message: `the result is not JSON: ${(e as Error).message}` })
    })
    // checked before connecting: a bad input never waits for a token
    yield* resource.decodeInput(input).pipe(
      Effect.mapError((e) =>
        new Connection.Fatal({
          message: `invalid assessment result, nothing was sent: ${
            GradebookError.formatIssues(e).map((i) => `${i.path || "the result"}: ${i.message}`).join("; ")
          }`
        })
      )
    )
    const gradebook = yield* Connection.connect(options.connection)
    const stored = yield* gradebook.assessmentResults.put(options.sourcedId, input as never).pipe(
      Effect.mapError(failed)
    )
    output.out(JSON.stringify(stored, null, 2))
  }))

export interface DeleteOptions {
  readonly sourcedId: string
  readonly connection: Connection.Options
}

/** Deletes one result. */
export const remove = (options: DeleteOptions, output: Output.Output) =>
  Effect.scoped(Effect.gen(function*() {
    const gradebook = yield* Connection.connect(options.connection)
    yield* gradebook.assessmentResults.delete(options.sourcedId).pipe(Effect.mapError(failed))
    output.out(`deleted ${options.sourcedId}`)
  }))
