// What a Gradebook layer owns: its token cache and its rate governor. A layer built once shares both
// among all its calls; two layers built separately share neither. The move to Effect 4 (issue 31),
// whose layers are memoised across `Effect.provide`, must keep this true.
import { expect, it } from "@effect/vitest"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import { eventually, input } from "./fixtures.js"

const built = (server: FakeTimebackServer.FakeTimebackServerService) =>
  Layer.build(
    HttpGradebook.layer({ ...server.connection, baseDelay: "10 millis" }).pipe(Layer.provide(FetchHttpClient.layer))
  )

const put = (id: string) =>
  Effect.flatMap(Gradebook.Gradebook, (gradebook) => gradebook.assessmentResults.put(id, input))

it.live("one layer's calls share its token; two layers built separately each take their own", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    const [a, b] = [yield* built(server), yield* built(server)]
    yield* Effect.all([put("ar-1"), put("ar-2"), put("ar-3")], { concurrency: "unbounded" }).pipe(Effect.provide(a))
    const tokens = () => Effect.map(server.requests, (all) => all.filter((r) => r.url === "/oauth2/token").length)
    expect(yield* tokens()).toBe(1)
    yield* put("ar-4").pipe(Effect.provide(b))
    expect(yield* tokens()).toBe(2)
  }))

it.live("a Retry-After pauses the layer that got it, not another layer built beside it", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    const [a, b] = [yield* built(server), yield* built(server)]
    // a's call is told to wait 15 s; b's calls go out meanwhile, and a's waiting call is still waiting
    yield* server.inject({ path: /ar-paused$/, action: { _tag: "Status", status: 429, retryAfter: 15 } })
    const paused = yield* Effect.forkChild(put("ar-paused").pipe(Effect.provide(a)))
    yield* eventually(Effect.map(server.requests, (all) => all.some((r) => r.fault === "Status")))
    yield* Effect.all([put("ar-b1"), put("ar-b2")], { concurrency: "unbounded" }).pipe(Effect.provide(b))
    // and a's next call waits with it: queued behind the pause, it has not been sent
    const queued = yield* Effect.forkChild(put("ar-a2").pipe(Effect.provide(a)))
    yield* put("ar-b3").pipe(Effect.provide(b))
    expect(paused.pollUnsafe() === undefined).toBe(true)
    expect(queued.pollUnsafe() === undefined).toBe(true)
    // sent: a's refused call once, b's three; not a's retry, not a's queued call
    const sent = (yield* server.requests).filter((r) => r.method === "PUT").map((r) => r.url.split("/").at(-1))
    expect(sent.sort()).toStrictEqual(["ar-b1", "ar-b2", "ar-b3", "ar-paused"])
    yield* Fiber.interrupt(paused)
    yield* Fiber.interrupt(queued)
  }))

it.live("Effect.provide: a layer lives as long as the provide; nested provides of one layer value are one client", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    const tokens = () => Effect.map(server.requests, (all) => all.filter((r) => r.url === "/oauth2/token").length)
    const layer = () => HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer))
    // two values, as two services built apart would make them: nothing shared
    yield* put("ar-1").pipe(Effect.provide(layer()))
    yield* put("ar-2").pipe(Effect.provide(layer()))
    expect(yield* tokens()).toBe(2)
    // one value provided to two effects one after the other: built for each provide, released after it
    const shared = layer()
    yield* put("ar-3").pipe(Effect.provide(shared))
    yield* put("ar-4").pipe(Effect.provide(shared))
    expect(yield* tokens()).toBe(4)
    // provided again inside its own provide: Effect 4 reuses the client being provided (Effect 3 built a
    // second one), so a helper that provides the app's layer value itself shares its token and governor
    yield* Effect.andThen(put("ar-5"), put("ar-6").pipe(Effect.provide(shared))).pipe(Effect.provide(shared))
    expect(yield* tokens()).toBe(5)
    // and `Layer.fresh` asks for a client of its own: its call takes a token, though the outer client
    // (which makes no call) has none yet
    yield* Effect.andThen(put("ar-7"), put("ar-8").pipe(Effect.provide(Layer.fresh(shared)))).pipe(
      Effect.provide(shared)
    )
    expect(yield* tokens()).toBe(7)
  }))
