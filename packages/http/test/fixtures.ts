import { type AssessmentResult, Gradebook } from "@timeback/core"
import { HttpGradebook, type TimebackConfig } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Tracer from "effect/Tracer"
import { readFileSync } from "node:fs"

export const RESULTS = FakeTimebackServer.ASSESSMENT_RESULTS_PATH

/** A result in its wire form (status given, scoreDate with seconds and zone): sent as it is. */
export const input: AssessmentResult.AssessmentResultInput = {
  status: "active",
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: "stu-1" },
  scoreStatus: "fully graded",
  scoreDate: "2024-09-01T10:00:00Z",
  score: 88
}

/** A fake server and the live Gradebook pointed at it, over real sockets, in the current scope. */
export const stack = (
  options: {
    readonly server?: FakeTimebackServer.ServerOptions
    readonly config?: Partial<TimebackConfig.Options>
  } = {}
) =>
  Effect.gen(function*() {
    const server = yield* FakeTimebackServer.make(options.server)
    const context = yield* Layer.build(
      HttpGradebook.layer({
        ...server.connection,
        baseDelay: "10 millis",
        ...options.config
      }).pipe(Layer.provide(FetchHttpClient.layer))
    )
    const gradebook = Context.get(context, Gradebook.Gradebook)
    const requests = (filter: (r: FakeTimebackServer.RecordedRequest) => boolean = () => true) =>
      Effect.map(server.requests, (all) => all.filter(filter))
    const tokenRequests = requests((r) => r.url === new URL(server.tokenUrl).pathname)
    const apiRequests = requests((r) => r.url.startsWith(FakeTimebackServer.BASE_PATH))
    return { server, gradebook, tokenRequests, apiRequests }
  })

/** Waits (in real time) until `condition` holds; the minute's deadline only guards against a hang. */
export const eventually = (condition: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (yield* condition) return
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 10)))
    }
    throw new Error("condition never held")
  })

/** Every span started while `effect` runs (the real tracer still records them). */
export const withRecordedSpans = <A, E, R>(
  f: (spans: ReadonlyArray<Tracer.Span>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.tracer, (base) => {
    const spans: Array<Tracer.Span> = []
    const tracer = Tracer.make({
      span: (...args) => {
        const span = base.span(...args)
        spans.push(span)
        return span
      },
      ...(base.context && { context: base.context })
    })
    return Effect.withTracer(f(spans), tracer)
  })

/** The README holds `file` (below `test/`) as a `ts` code block, up to its "not in the README" line. */
export const readmeShows = (file: string) => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8")
  const source = readFileSync(new URL(file, import.meta.url), "utf8")
  const end = source.indexOf("// (below: not in the README)")
  return readme.includes("```ts\n" + (end === -1 ? source : source.slice(0, end)) + "```")
}
