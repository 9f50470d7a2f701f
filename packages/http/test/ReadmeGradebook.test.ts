// The README's whole-Gradebook sample (readme/wholeGradebook.ts, verbatim in the README), run
// through the live layer against the fake server.
import { expect, it } from "@effect/vitest"
import { LineItem, Result } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import { readmeShows } from "./fixtures.js"
import { sample as program } from "./readme/wholeGradebook.js"

it("the README shows the sample as it is tested", () => {
  expect(readmeShows("readme/wholeGradebook.ts")).toBe(true)
})

it.live("the README's whole-Gradebook sample runs against the fake server", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    const logged: Array<unknown> = []
    const logger = Logger.layer([Logger.make(({ message }) => logged.push(message))])
    yield* program.pipe(
      Effect.provide(HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer))),
      Effect.provide(logger)
    )
    const [quiz] = yield* server.store.of(LineItem.resource).all
    expect(quiz).toMatchObject({ title: "Unit 3 quiz", class: { sourcedId: "class-1" } })
    const results = yield* server.store.of(Result.resource).all
    expect(results.map((r) => [r.lineItem.sourcedId, r.score])).toStrictEqual([[quiz!.sourcedId, 78], [
      quiz!.sourcedId,
      88
    ]])
    expect(logged).toStrictEqual([["student-2: 88"]])
  }))
