/**
 * Test doubles for code that uses `@timeback/client`: `@timeback/client/testing`. They need
 * `@timeback/testkit`, which the client does not install (it is an optional peer): add it where
 * your tests run, `npm i -D @timeback/testkit`.
 *
 * @since 0.1.0
 */
import { MemoryGradebook } from "@timeback/testkit"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { type TimebackGradebook, withRuntime } from "./TimebackGradebook.js"

/**
 * @since 0.1.0
 */
export * as FakeServer from "./FakeServer.js"

/**
 * A `TimebackGradebook` over the in-memory Gradebook of `@timeback/testkit`: the same validation
 * and errors as the server, nothing sent anywhere, empty at first.
 *
 * @since 0.1.0
 * @category constructors
 */
export const inMemory = (): TimebackGradebook => withRuntime(ManagedRuntime.make(MemoryGradebook.layerMemory))
