/**
 * The testkit's fake Timeback server for Promise code: real sockets on 127.0.0.1, the whole
 * Gradebook API, faults and a rate limit on demand.
 *
 * @since 0.1.0
 */
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"

/**
 * @since 0.1.0
 * @category models
 */
export interface FakeServer {
  /** What `new TimebackGradebook(...)` needs to reach it. */
  readonly connection: {
    readonly clientId: string
    readonly clientSecret: string
    readonly baseUrl: string
    readonly tokenUrl: string
  }
  /** Every request received, oldest first (credentials redacted). */
  readonly requests: () => Promise<ReadonlyArray<FakeTimebackServer.RecordedRequest>>
  /** Adds a scripted fault, e.g. `{ method: "PUT", action: { _tag: "Status", status: 503 } }`. */
  readonly inject: (fault: FakeTimebackServer.Fault) => Promise<void>
  /** Stops the server, dropping open connections. */
  readonly close: () => Promise<void>
}

/**
 * Starts a fake server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = async (options?: FakeTimebackServer.ServerOptions): Promise<FakeServer> => {
  const scope = Effect.runSync(Scope.make())
  const server = await Effect.runPromise(Scope.provide(FakeTimebackServer.make(options), scope))
  return {
    connection: { ...server.connection, clientSecret: Redacted.value(server.connection.clientSecret) },
    requests: () => Effect.runPromise(server.requests),
    inject: (fault) => Effect.runPromise(server.inject(fault)),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}
