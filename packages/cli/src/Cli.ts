/**
 * The `timeback-gradebook` command line (`effect/cli`): `import`, `get`, `list`, `put`, `delete`.
 *
 * @since 0.1.0
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
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
  demo: Flag.Boolean("demo").pipe(
    Flag.withDefault(false),
    Flag.withDescription(
      "Run against a fake Timeback server started in this process (no credentials needed). It allows 200 " +
        "requests per second, and for get/list/put/delete it holds the sample's results."
    )
  ),
  envFile: Flag.File("env-file", { mustExist: true }).pipe(
    Flag.optional,
    Flag.withDescription(
      "Read TIMEBACK_* variables from this file (KEY=value lines); variables already set in the environment win."
    )
  )
}

const sourcedId = Argument.String("ID").pipe(Argument.withDescription("The assessment result's sourcedId."))

const fields = Flag.String("fields").pipe(
  Flag.optional,
  Flag.withDescription("Only these fields, comma-separated (e.g. sourcedId,score).")
)

const make = (output: Output.Output, exit: Exit) => {
  const importCommand = Command.make("import", {
    file: Argument.String("FILE").pipe(
      Argument.withDescription(
        "A CSV file with a header row (columns named after the assessment result's fields; references as " +
          "student or student.sourcedId), or NDJSON (.ndjson, .jsonl: one result per line, as the API takes it). " +
          "- reads stdin (CSV unless --input-format ndjson)."
      )
    ),
    dryRun: Flag.Boolean("dry-run").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Check every row and report the bad ones (line, field, why); send nothing.")
    ),
    concurrency: Flag.Int("concurrency").pipe(
      Flag.filterMap(
        (n: number) => n >= 1 ? Option.some(n) : Option.none(),
        () => "--concurrency: expected a whole number of rows in flight, 1 or more"
      ),
      Flag.withDefault(16),
      Flag.withDescription("Rows in flight at once.")
    ),
    maxRate: Flag.Finite("max-rate").pipe(
      Flag.filterMap(
        (n: number) => n > 0 && Number.isFinite(n) ? Option.some(n) : Option.none(),
        () => "--max-rate: expected a positive number of requests per second"
      ),
      Flag.optional,
      Flag.withDescription(
        "Never more than this many requests per second (a quota you know, or your share of it when several " +
          "imports run at once with one client id). Without it the rate is learned from the server's 429s."
      )
    ),
    mapping: Flag.KeyValuePair("map").pipe(
      Flag.optional,
      Flag.withDescription(
        "A column that is named otherwise: --map \"Student ID=student\" (repeatable; \"COLUMN=-\" ignores a column)."
      )
    ),
    inputFormat: Flag.Literals("input-format", ["csv", "ndjson"]).pipe(
      Flag.optional,
      Flag.withDescription("csv or ndjson; by default from the file's extension (.ndjson, .jsonl: ndjson).")
    ),
    stateDir: Flag.Directory("state-dir", { mustExist: true }).pipe(
      Flag.optional,
      Flag.withDescription(
        "Where the journal (<name>.journal) and the rows that did not land (<name>.failed.csv) go; by default " +
          "beside the file, or, when its folder is not writable or the input is stdin, the per-user state " +
          "directory ($XDG_STATE_HOME/timeback-gradebook, ~/.local/state/timeback-gradebook). Give the same " +
          "directory to a re-run for it to resume."
      )
    ),
    allowNegativeScores: Flag.Boolean("allow-negative-scores").pipe(
      Flag.withDefault(false),
      Flag.withDescription(
        "Send rows whose score is negative. Without it they are refused (line and column named), as most " +
          "often a stray minus sign; the API itself takes any number."
      )
    ),
    restart: Flag.Boolean("restart").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Ignore the journal of an earlier run of this file: send every row again.")
    ),
    ...connection
  }, (o) =>
    Effect.map(
      Import.run({
        file: o.file,
        format: Option.getOrElse(o.inputFormat, () => Source.formatOf(o.file)),
        mapping: new Map(Option.match(o.mapping, { onNone: () => [], onSome: Object.entries })),
        concurrency: o.concurrency,
        maxRequestsPerSecond: Option.getOrUndefined(o.maxRate),
        dryRun: o.dryRun,
        allowNegativeScores: o.allowNegativeScores,
        restart: o.restart,
        stateDir: Option.getOrUndefined(o.stateDir),
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
    Flag.Literals("format", ["table", "json", "csv"]).pipe(
      Flag.withDefault(fallback),
      Flag.withDescription("table, json or csv (csv is a file import reads back).")
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
    filter: Flag.String("filter").pipe(
      Flag.optional,
      Flag.withDescription("A OneRoster filter, e.g. \"score>='90' AND scoreStatus='fully graded'\".")
    ),
    sort: Flag.String("sort").pipe(Flag.optional, Flag.withDescription("Sort by this field.")),
    order: Flag.Literals("order", ["asc", "desc"]).pipe(Flag.optional, Flag.withDescription("asc or desc.")),
    fields,
    limit: Flag.Int("limit").pipe(
      Flag.withDefault(100),
      Flag.withDescription("Results per page (without --all: the first page only).")
    ),
    all: Flag.Boolean("all").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Every page, streamed as it comes.")
    ),
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
    json: Flag.String("json").pipe(
      Flag.optional,
      Flag.withDescription("The result as JSON (the API's input shape); read from stdin when absent.")
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
export const cli = (output: Output.Output, exit: Exit, version: string) => Command.run(make(output, exit), { version })
