/**
 * The `timeback-gradebook` command line (`@effect/cli`): `import`, `get`, `list`, `put`, `delete`.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Import from "./Import.js"
import type * as Output from "./internal/output.js"
import * as Source from "./internal/source.js"
import * as Records from "./Records.js"

/** What a command leaves for the process: its exit code. */
export interface Exit {
  code: number
}

const connection = {
  demo: Options.boolean("demo").pipe(
    Options.withDescription(
      "Run against a fake Timeback server started in this process (no credentials needed). It allows 200 " +
        "requests per second, and for get/list/put/delete it holds the sample's results."
    )
  ),
  envFile: Options.file("env-file", { exists: "yes" }).pipe(
    Options.optional,
    Options.withDescription(
      "Read TIMEBACK_* variables from this file (KEY=value lines); variables already set in the environment win."
    )
  )
}

const sourcedId = Args.text({ name: "ID" }).pipe(Args.withDescription("The assessment result's sourcedId."))

const fields = Options.text("fields").pipe(
  Options.optional,
  Options.withDescription("Only these fields, comma-separated (e.g. sourcedId,score).")
)

const make = (output: Output.Output, exit: Exit) => {
  const importCommand = Command.make("import", {
    file: Args.file({ name: "FILE", exists: "yes" }).pipe(
      Args.withDescription(
        "A CSV file with a header row (columns named after the assessment result's fields; references as " +
          "student or student.sourcedId), or NDJSON (.ndjson, .jsonl: one result per line, as the API takes it)."
      )
    ),
    dryRun: Options.boolean("dry-run").pipe(
      Options.withDescription("Check every row and report the bad ones (line, field, why); send nothing.")
    ),
    concurrency: Options.integer("concurrency").pipe(
      Options.filterMap(
        (n) => n >= 1 ? Option.some(n) : Option.none(),
        "--concurrency: expected a whole number of rows in flight, 1 or more"
      ),
      Options.withDefault(16),
      Options.withDescription("Rows in flight at once.")
    ),
    maxRate: Options.float("max-rate").pipe(
      Options.filterMap(
        (n) => n > 0 && Number.isFinite(n) ? Option.some(n) : Option.none(),
        "--max-rate: expected a positive number of requests per second"
      ),
      Options.optional,
      Options.withDescription(
        "Never more than this many requests per second (a quota you know, or your share of it when several " +
          "imports run at once with one client id). Without it the rate is learned from the server's 429s."
      )
    ),
    mapping: Options.keyValueMap("map").pipe(
      Options.optional,
      Options.withDescription(
        "A column that is named otherwise: --map \"Student ID=student\" (repeatable; \"COLUMN=-\" ignores a column)."
      )
    ),
    inputFormat: Options.choice("input-format", ["csv", "ndjson"]).pipe(
      Options.optional,
      Options.withDescription("csv or ndjson; by default from the file's extension (.ndjson, .jsonl: ndjson).")
    ),
    restart: Options.boolean("restart").pipe(
      Options.withDescription("Ignore the journal of an earlier run of this file: send every row again.")
    ),
    ...connection
  }, (o) =>
    Effect.map(
      Import.run({
        file: o.file,
        format: Option.getOrElse(o.inputFormat, () => Source.formatOf(o.file)),
        mapping: new Map(Option.match(o.mapping, { onNone: () => [], onSome: HashMap.toEntries })),
        concurrency: o.concurrency,
        maxRequestsPerSecond: Option.getOrUndefined(o.maxRate),
        dryRun: o.dryRun,
        restart: o.restart,
        connection: { demo: o.demo, envFile: o.envFile }
      }, output),
      (report) => {
        exit.code = Import.exitCode(report)
      }
    )).pipe(
      Command.withDescription(
        "Import assessment results from a CSV or NDJSON file: every row is checked first, then sent (puts, at " +
          "the rate the server allows). Rows without a sourcedId get one derived from their assessmentLineItem " +
          "and student, so running it again never duplicates a result; a journal beside the file lets a re-run " +
          "skip what landed. Rows that did not land go to <name>.failed.csv. Exit code 0: every row landed; " +
          "2: some did not; 1: the import could not run."
      )
    )

  const format = (fallback: Output.Format) =>
    Options.choice("format", ["table", "json", "csv"]).pipe(
      Options.withDefault(fallback),
      Options.withDescription("table, json or csv (csv is a file import reads back).")
    )

  const getCommand = Command.make(
    "get",
    { sourcedId, fields, format: format("json"), ...connection },
    (o) =>
      Records.get({
        sourcedId: o.sourcedId,
        fields: o.fields,
        format: o.format,
        connection: { demo: o.demo, envFile: o.envFile, seeded: true }
      }, output)
  ).pipe(Command.withDescription("Print one assessment result."))

  const listCommand = Command.make("list", {
    filter: Options.text("filter").pipe(
      Options.optional,
      Options.withDescription("A OneRoster filter, e.g. \"score>='90' AND scoreStatus='fully graded'\".")
    ),
    sort: Options.text("sort").pipe(Options.optional, Options.withDescription("Sort by this field.")),
    order: Options.choice("order", ["asc", "desc"]).pipe(Options.optional, Options.withDescription("asc or desc.")),
    fields,
    limit: Options.integer("limit").pipe(
      Options.withDefault(100),
      Options.withDescription("Results per page (without --all: the first page only).")
    ),
    all: Options.boolean("all").pipe(Options.withDescription("Every page, streamed as it comes.")),
    format: format("table"),
    ...connection
  }, (o) =>
    Records.list({
      filter: o.filter,
      sort: o.sort,
      order: o.order,
      fields: o.fields,
      limit: o.limit,
      all: o.all,
      format: o.format,
      connection: { demo: o.demo, envFile: o.envFile, seeded: true }
    }, output)).pipe(Command.withDescription("List assessment results."))

  const putCommand = Command.make("put", {
    sourcedId,
    json: Options.text("json").pipe(
      Options.optional,
      Options.withDescription("The result as JSON (the API's input shape); read from stdin when absent.")
    ),
    ...connection
  }, (o) =>
    Records.put({
      sourcedId: o.sourcedId,
      json: o.json,
      connection: { demo: o.demo, envFile: o.envFile, seeded: true }
    }, output)).pipe(
      Command.withDescription("Create or replace one assessment result, and print what the server stored.")
    )

  const deleteCommand = Command.make(
    "delete",
    { sourcedId, ...connection },
    (o) =>
      Records.remove({ sourcedId: o.sourcedId, connection: { demo: o.demo, envFile: o.envFile, seeded: true } }, output)
  ).pipe(Command.withDescription("Delete one assessment result."))

  return Command.make("timeback-gradebook").pipe(
    Command.withDescription(
      "Import, read and fix assessment results in the Timeback Gradebook (OneRoster 1.2). Configured by " +
        "TIMEBACK_CLIENT_ID, TIMEBACK_CLIENT_SECRET, TIMEBACK_ENVIRONMENT, TIMEBACK_BASE_URL, TIMEBACK_TOKEN_URL."
    ),
    Command.withSubcommands([importCommand, getCommand, listCommand, putCommand, deleteCommand])
  )
}

/**
 * The command line over `output`, run on `argv` (`process.argv`); sets `exit.code`.
 *
 * @since 0.1.0
 */
export const cli = (output: Output.Output, exit: Exit, version: string) =>
  Command.run(make(output, exit), { name: "timeback-gradebook", version })
