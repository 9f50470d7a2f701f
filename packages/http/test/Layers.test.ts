// What a Gradebook layer owns: its token cache and its rate governor. A layer built once shares both
// among all its calls; two layers built separately share neither. The move to Effect 4 (issue 31),
// whose layers are memoised across `Effect.provide`, must keep this true.
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { expect, it } from "@effect/vitest"
import { Gradebook } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { eventually, input } from "./fixtures.js"

const built = (server: FakeTimebackServer.FakeTimebackServerService) =>
  Layer.build(
    HttpGradebook.layer({ ...server.connection, baseDelay: "10 millis" }).pipe(Layer.provide(FetchHttpClient.layer))
  )

const put = (id: string) =>
  Effect.flatMap(Gradebook.Gradebook, (gradebook) => gradebook.assessmentResults.put(id, input))

it.scopedLive("one layer's calls share its token; two layers built separately each take their own", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    const [a, b] = [yield* built(server), yield* built(server)]
    yield* Effect.all([put("ar-1"), put("ar-2"), put("ar-3")], { concurrency: "unbounded" }).pipe(Effect.provide(a))
    const tokens = () => Effect.map(server.requests, (all) => all.filter((r) => r.url === "/oauth2/token").length)
    expect(yield* tokens()).toBe(1)
    yield* put("ar-4").pipe(Effect.provide(b))
    expect(yield* tokens()).toBe(2)
  }))

it.scopedLive("a Retry-After pauses the layer that got it, not another layer built beside it", () =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make()
    const [a, b] = [yield* built(server), yield* built(server)]
    // a's call is told to wait 15 s; b's calls go out meanwhile, and a's waiting call is still waiting
    yield* server.inject({ path: /ar-paused$/, action: { _tag: "Status", status: 429, retryAfter: 15 } })
    const paused = yield* Effect.fork(put("ar-paused").pipe(Effect.provide(a)))
    yield* eventually(Effect.map(server.requests, (all) => all.some((r) => r.fault === "Status")))
    yield* Effect.all([put("ar-b1"), put("ar-b2")], { concurrency: "unbounded" }).pipe(Effect.provide(b))
    // and a's next call waits with it: queued behind the pause, it has not been sent
    const queued = yield* Effect.fork(put("ar-a2").pipe(Effect.provide(a)))
    yield* put("ar-b3").pipe(Effect.provide(b))
    expect(Option.isNone(yield* Fiber.poll(paused))).toBe(true)
    expect(Option.isNone(yield* Fiber.poll(queued))).toBe(true)
    // sent: a's refused call once, b's three; not a's retry, not a's queued call
    const sent = (yield* server.requests).filter((r) => r.method === "PUT").map((r) => r.url.split("/").at(-1))
    expect(sent.sort()).toStrictEqual(["ar-b1", "ar-b2", "ar-b3", "ar-paused"])
    yield* Fiber.interrupt(paused)
    yield* Fiber.interrupt(queued)
  }))
