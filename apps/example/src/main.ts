/**
 * `pnpm example`: runs the story on the live HTTP stack against an embedded fake Timeback server.
 * `pnpm example -- --memory`: the same story on the in-memory layer.
 * With TIMEBACK_CLIENT_ID and TIMEBACK_CLIENT_SECRET set: the same story against that API
 * (EXAMPLE_LINE_ITEM_ID and EXAMPLE_STUDENT_ID name an existing line item and student).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { GradebookError } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer, MemoryGradebook } from "@timeback/testkit"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { resultsTable, story, table } from "./story.js"

const tell = (title: string, steps: ReadonlyArray<{ step: string; call: string; outcome: string }>) =>
  Console.log(`\n${title}\n\n${table(["#", "call", "outcome"], steps.map((s) => [s.step, s.call, s.outcome]))}\n`)

/** Default: the real HTTP stack against the testkit's fake server, started in-process. */
const onFakeServer = Effect.gen(function*() {
  const server = yield* FakeTimebackServer.make()
  const live = HttpGradebook.layer(server.connection).pipe(Layer.provide(NodeHttpClient.layerUndici))
  const steps = yield* story({ lineItem: "line-item-1", student: "student-1", idPrefix: "example" }).pipe(
    Effect.provide(live)
  )
  yield* tell(`@timeback/http → fake Timeback server at ${server.baseUrl}`, steps)
  yield* Console.log(`What the server stored:\n\n${resultsTable(yield* server.store.all)}\n`)
  const requests = yield* server.requests
  yield* Console.log(
    `${requests.length} HTTP requests (${requests.filter((r) => r.url.endsWith("/token")).length} for a token)`
  )
})

const onMemory = Effect.gen(function*() {
  const steps = yield* story({ lineItem: "line-item-1", student: "student-1", idPrefix: "example" })
  const memory = yield* MemoryGradebook.MemoryGradebook
  yield* tell("@timeback/testkit layerMemory (same story, only the layer changed)", steps)
  yield* Console.log(`What the store holds:\n\n${resultsTable(yield* memory.results)}\n`)
}).pipe(Effect.provide(MemoryGradebook.layerMemory))

const live = Effect.gen(function*() {
  const ids = yield* Config.all({
    lineItem: Config.nonEmptyString("EXAMPLE_LINE_ITEM_ID"),
    student: Config.nonEmptyString("EXAMPLE_STUDENT_ID")
  })
  const steps = yield* story({ ...ids, idPrefix: `example-${Date.now()}` })
  yield* tell("@timeback/http → live Timeback API", steps)
}).pipe(Effect.provide(HttpGradebook.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))))

const main = Effect.gen(function*() {
  const clientId = yield* Config.option(Config.string("TIMEBACK_CLIENT_ID"))
  if (process.argv.includes("--memory")) return yield* onMemory
  if (Option.isSome(clientId)) return yield* live
  return yield* onFakeServer
}).pipe(
  Effect.scoped,
  Effect.catchAll((e) =>
    Effect.zipRight(
      Console.error(
        ConfigError.isConfigError(e)
          ? `Configuration error: ${
            String(e)
          }\nSet TIMEBACK_CLIENT_ID, TIMEBACK_CLIENT_SECRET, EXAMPLE_LINE_ITEM_ID and EXAMPLE_STUDENT_ID for the live run (README: Configuration).`
          : GradebookError.isGradebookError(e)
          ? `${e._tag}: ${e.message}`
          : String(e)
      ),
      Effect.sync(() => (process.exitCode = 1))
    )
  )
)

NodeRuntime.runMain(main)
