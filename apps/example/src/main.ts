/**
 * `pnpm example`: runs the story on the live HTTP stack against an embedded fake Timeback server.
 * `pnpm example -- --memory`: the same story on the in-memory layer.
 * With TIMEBACK_CLIENT_ID and TIMEBACK_CLIENT_SECRET set: the same story against that API
 * (EXAMPLE_CLASS_ID, EXAMPLE_SCHOOL_ID and EXAMPLE_STUDENT_IDS, comma-separated, name an existing
 * class, its school and students: the story writes to that class's gradebook).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { GradebookError } from "@timeback/core"
import { HttpGradebook, TimebackConfig } from "@timeback/http"
import { FakeTimebackServer, MemoryGradebook } from "@timeback/testkit"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { gradebookTable, story, table } from "./story.js"

const tell = (title: string, told: Effect.Success<ReturnType<typeof story>>) =>
  Console.log(
    `\n${title}\n\n${table(["#", "call", "outcome"], told.steps.map((s) => [s.step, s.call, s.outcome]))}\n\n` +
      `The class's gradebook, read back:\n\n${gradebookTable(told.results)}\n`
  )

const demo = { classId: "class-1", schoolId: "school-1", students: ["stu-1", "stu-2", "stu-3", "stu-4", "stu-5"] }

/** Default: the real HTTP stack against the testkit's fake server, started in-process. */
const onFakeServer = Effect.gen(function*() {
  const server = yield* FakeTimebackServer.make()
  const live = HttpGradebook.layer(server.connection).pipe(Layer.provide(NodeHttpClient.layerUndici))
  const told = yield* story({ ...demo, idPrefix: "example" }).pipe(Effect.provide(live))
  yield* tell(`@timeback/http → fake Timeback server at ${server.baseUrl}`, told)
  const requests = yield* server.requests
  yield* Console.log(
    `${requests.length} HTTP requests (${requests.filter((r) => r.url.endsWith("/token")).length} for a token)`
  )
})

const onMemory = Effect.gen(function*() {
  const told = yield* story({ ...demo, idPrefix: "example" })
  yield* tell("@timeback/testkit layerMemory (same story, only the layer changed)", told)
}).pipe(Effect.provide(MemoryGradebook.layerMemory))

const live = Effect.gen(function*() {
  const ids = yield* Config.all({
    classId: Config.NonEmptyString("EXAMPLE_CLASS_ID"),
    schoolId: Config.NonEmptyString("EXAMPLE_SCHOOL_ID"),
    students: Config.Array(Schema.NonEmptyString, "EXAMPLE_STUDENT_IDS")
  })
  const told = yield* story({ ...ids, idPrefix: `example-${Date.now()}` })
  yield* tell("@timeback/http → live Timeback API", told)
}).pipe(Effect.provide(HttpGradebook.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))))

const main = Effect.gen(function*() {
  const clientId = yield* Config.option(Config.String("TIMEBACK_CLIENT_ID"))
  if (process.argv.includes("--memory")) return yield* onMemory
  if (Option.isSome(clientId)) return yield* live
  return yield* onFakeServer
}).pipe(
  Effect.scoped,
  Effect.catch((e) =>
    Effect.andThen(
      Console.error(
        e instanceof Config.ConfigError
          ? `Configuration error: ${
            TimebackConfig.describe(e)
          }\nSet TIMEBACK_CLIENT_ID, TIMEBACK_CLIENT_SECRET, EXAMPLE_CLASS_ID, EXAMPLE_SCHOOL_ID and EXAMPLE_STUDENT_IDS for the live run (README: Configuration).`
          : GradebookError.isGradebookError(e)
          ? `${e._tag}: ${e.message}`
          : String(e)
      ),
      Effect.sync(() => (process.exitCode = 1))
    )
  )
)

NodeRuntime.runMain(main)
