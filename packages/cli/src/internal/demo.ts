/**
 * `--demo`: a fake Timeback server in this process (the testkit's), rate-limited like a real
 * gateway so the rate governor shows, and for the commands that read, holding the sample's rows.
 */
import { AssessmentResult } from "@timeback/core"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { fileURLToPath } from "node:url"
import type { Fatal } from "./fatal.js"
import * as Source from "./source.js"

/** The sample import file shipped with the package: a class of 500 results, a few of them bad. */
export const SAMPLE = fileURLToPath(new URL("../../sample/grades.csv", import.meta.url))

/** The demo server's limit: 200 requests per second, a burst of 20, `Retry-After: 1` beyond. */
export const RATE_LIMIT = { requestsPerSecond: 200, burst: 20 } as const

/** Starts the demo server for the rest of the scope; with `seeded`, holding the sample's valid rows. */
export const server = (seeded: boolean) =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make({ rateLimit: RATE_LIMIT })
    if (seeded) {
      const results = server.store.of(AssessmentResult.resource)
      const source = yield* Source.open(SAMPLE, "csv", new Map())
      yield* Stream.runForEach(source.rows(), (row) =>
        Result.isSuccess(row.converted)
          ? Effect.ignore(results.put(row.converted.success.sourcedId, row.converted.success))
          : Effect.void)
    }
    return server
  }) satisfies Effect.Effect<unknown, Fatal, unknown>
