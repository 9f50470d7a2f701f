#!/usr/bin/env node
/**
 * Runs the fake Timeback server by hand: `npx timeback-fake-server [--port N]` (in this repository,
 * `pnpm --filter @timeback/testkit serve`). It prints the TIMEBACK_* variables that point at it.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as FakeTimebackServer from "../FakeTimebackServer.js"

const portFlag = process.argv.indexOf("--port")
const port = portFlag === -1 ? Number(process.env.PORT ?? 0) : Number(process.argv[portFlag + 1])

const program = Effect.gen(function*() {
  const server = yield* FakeTimebackServer.make({ port })
  yield* Console.log(
    [
      "Fake Timeback server listening (Ctrl-C to stop)",
      `  TIMEBACK_BASE_URL=${server.baseUrl}`,
      `  TIMEBACK_TOKEN_URL=${server.tokenUrl}`,
      `  TIMEBACK_CLIENT_ID=${server.clientId}`,
      // demo credentials of a local fake, printed on purpose so a person can use them
      `  TIMEBACK_CLIENT_SECRET=${Redacted.value(server.clientSecret)}`
    ].join("\n")
  )
  return yield* Effect.never
})

NodeRuntime.runMain(Effect.scoped(program))
