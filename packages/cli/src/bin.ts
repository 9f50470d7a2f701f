#!/usr/bin/env node
/**
 * `timeback-gradebook`: see `Cli`. Expected failures print one line (`timeback-gradebook: …`),
 * never a stack trace; exit codes: 0 done, 1 could not run, 2 an import where some rows did not
 * land, 130 interrupted.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as CliError from "effect/cli/CliError"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Cli from "./Cli.js"
import { Fatal } from "./internal/fatal.js"
import * as Output from "./internal/output.js"
import { VERSION } from "./internal/version.js"

const output = Output.node()
const exit: Cli.Exit = { code: 0 }

const program = Cli.cli(output, exit, VERSION).pipe(
  Effect.catch((e) =>
    Effect.sync(() => {
      // effect/cli has printed what was wrong with the command line, with its help
      if (!CliError.isCliError(e)) output.err(`timeback-gradebook: ${e.message}`)
      exit.code = 1
    })
  ),
  Effect.provide(NodeServices.layer)
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  teardown: (result, onExit) => {
    if (Exit.isFailure(result)) {
      if (Cause.hasInterruptsOnly(result.cause)) return onExit(130)
      // a Fatal thrown where no Effect could fail with it (a file that cannot be written): still one line
      const thrown = Cause.squash(result.cause)
      if (thrown instanceof Fatal) {
        output.err(`timeback-gradebook: ${thrown.message}`)
        return onExit(1)
      }
      // a defect: a bug of this tool, not of the input; say so, with the cause for a report
      output.err(`timeback-gradebook: unexpected failure (a bug; please report it):\n${Cause.pretty(result.cause)}`)
      return onExit(70)
    }
    onExit(exit.code)
  }
})
