#!/usr/bin/env node
/**
 * Runs the fake Timeback server by hand: `npx timeback-fake-server [--port N]` (in this repository,
 * `pnpm --filter @timeback/testkit serve`). It prints the TIMEBACK_* variables that point at it, one
 * `NAME=value` line each, so that its output pastes into a shell or an env file as it is.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as FakeTimebackServer from "../FakeTimebackServer.js"

const USAGE = `Usage: timeback-fake-server [--port N]

Starts a fake Timeback API (OAuth2 token endpoint and every gradebook endpoint) on 127.0.0.1 and
prints the TIMEBACK_* variables that point at it, as NAME=value lines: paste them into a shell
(export them) or an env file. Ctrl-C stops it.

Options:
  --port N     the port to listen on, 0 to 65535 (default: $PORT, else 0, any free port)
  -h, --help   this text`

/** The options, or what is wrong with the command line. */
const parse = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>
): { readonly help: true } | { readonly port: number } | { readonly error: string } => {
  if (args.includes("--help") || args.includes("-h")) return { help: true }
  let port: string | undefined = env.PORT
  let from = "PORT"
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    // a lone `--` (what `pnpm fake-server -- --port N` passes on) ends nothing here
    if (arg === "--") continue
    if (arg === "--port") {
      port = args[++i]
      from = "--port"
      if (port === undefined) return { error: "--port needs a value (a port number, 0 to 65535)" }
    } else if (arg.startsWith("--port=")) {
      port = arg.slice("--port=".length)
      from = "--port"
    } else {
      return { error: `unknown option ${JSON.stringify(arg)}` }
    }
  }
  if (port === undefined || port === "") return { port: 0 }
  const n = Number(port)
  return /^\d+$/.test(port) && n <= 65535
    ? { port: n }
    : { error: `${from} expects a port number, 0 to 65535; got ${JSON.stringify(port)}` }
}

const options = parse(process.argv.slice(2), process.env)
if ("help" in options) {
  console.log(USAGE)
} else if ("error" in options) {
  console.error(`timeback-fake-server: ${options.error} (--help for usage)`)
  process.exitCode = 64
} else {
  const program = Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make({ port: options.port })
    yield* Console.log(
      [
        `# fake Timeback server on ${server.baseUrl} (Ctrl-C to stop)`,
        `TIMEBACK_BASE_URL=${server.baseUrl}`,
        `TIMEBACK_TOKEN_URL=${server.tokenUrl}`,
        `TIMEBACK_CLIENT_ID=${server.clientId}`,
        // demo credentials of a local fake, printed on purpose so a person can use them
        `TIMEBACK_CLIENT_SECRET=${Redacted.value(server.clientSecret)}`
      ].join("\n")
    )
    return yield* Effect.never
  })
  NodeRuntime.runMain(
    Effect.scoped(program).pipe(
      // a port in use, a host that cannot be bound: one line, not a stack
      Effect.catchCause((cause) =>
        Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : Effect.sync(() => {
          const error = Cause.squash(cause) as { readonly message?: string; readonly cause?: { message?: string } }
          console.error(
            `timeback-fake-server: cannot listen on 127.0.0.1:${options.port}: ${
              error?.cause?.message ?? error?.message ?? String(error)
            }`
          )
          process.exitCode = 1
        })
      )
    ),
    { disableErrorReporting: true }
  )
}
