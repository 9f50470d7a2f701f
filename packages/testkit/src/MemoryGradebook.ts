/**
 * An in-memory `Gradebook` for unit tests: swap `layerMemory` in where the live layer would be.
 *
 * @since 0.1.0
 */
import { type AssessmentResult, Gradebook, type GradebookError } from "@timeback/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as GradebookStore from "./GradebookStore.js"

/**
 * One call that reached the in-memory store (input that failed validation never does), in the
 * order made, whatever its outcome. Each page of a stream is one `listAssessmentResults` call.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryCall {
  readonly operation:
    | "createAssessmentResult"
    | "putAssessmentResult"
    | "getAssessmentResult"
    | "listAssessmentResults"
    | "deleteAssessmentResult"
    | "patchAssessmentResult"
  readonly sourcedId?: string
  /** The (validated) input, query or patch. */
  readonly input?: unknown
  /** The failure, when the call failed. */
  readonly error?: GradebookError.GradebookError
}

/**
 * What a test can see and steer.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryGradebookService {
  readonly store: GradebookStore.GradebookStore
  /** Every stored result. */
  readonly results: Effect.Effect<ReadonlyArray<AssessmentResult.AssessmentResult>>
  /** Every call made so far. */
  readonly calls: Effect.Effect<ReadonlyArray<MemoryCall>>
  /** Makes the next `times` calls (default 1) that pass validation fail with `error`, writing nothing. */
  readonly failNext: (error: GradebookError.GradebookError, times?: number) => Effect.Effect<void>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class MemoryGradebook extends Context.Tag("@timeback/testkit/MemoryGradebook")<
  MemoryGradebook,
  MemoryGradebookService
>() {}

/**
 * What the wire would carry of a validated write: a copy, so that changing the caller's object
 * afterwards (say, one object reused in a loop) changes nothing stored or recorded.
 */
const sent = <A>(written: A): A => JSON.parse(JSON.stringify(written))

/**
 * Builds the Gradebook and its test handle over a fresh store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  { readonly gradebook: Gradebook.GradebookService; readonly memory: MemoryGradebookService }
> = Effect.gen(function*() {
  const store = yield* GradebookStore.make
  const calls: Array<MemoryCall> = []
  const failures: Array<GradebookError.GradebookError> = []

  const observed = <A>(call: Omit<MemoryCall, "error">, run: Effect.Effect<A, GradebookError.GradebookError>) =>
    Effect.suspend(() => {
      const injected = failures.shift()
      return (injected ? Effect.fail(injected) : run).pipe(
        Effect.tapBoth({
          onFailure: (error) => Effect.sync(() => calls.push({ ...call, error })),
          onSuccess: () => Effect.sync(() => calls.push(call))
        })
      )
    })

  const gradebook = Gradebook.make({
    createAssessmentResult: (written) => {
      const input = sent(written)
      return observed({ operation: "createAssessmentResult", input }, store.create(input))
    },
    putAssessmentResult: (sourcedId, written) => {
      const input = sent(written)
      return observed(
        { operation: "putAssessmentResult", sourcedId, input },
        Effect.map(store.put(sourcedId, input), ({ result }) => result)
      )
    },
    getAssessmentResult: (sourcedId, fields) =>
      observed(
        { operation: "getAssessmentResult", sourcedId, ...(fields && { input: { fields } }) },
        store.select(sourcedId, fields)
      ),
    listAssessmentResults: (query) => observed({ operation: "listAssessmentResults", input: query }, store.list(query)),
    deleteAssessmentResult: (sourcedId) =>
      observed({ operation: "deleteAssessmentResult", sourcedId }, store.remove(sourcedId)),
    patchAssessmentResult: (sourcedId, written) => {
      const patch = sent(written)
      return observed({ operation: "patchAssessmentResult", sourcedId, input: patch }, store.patch(sourcedId, patch))
    }
  })

  const memory: MemoryGradebookService = {
    store,
    results: store.all,
    calls: Effect.sync(() => [...calls]),
    failNext: (error, times = 1) => Effect.sync(() => failures.push(...Array.from({ length: times }, () => error)))
  }
  return { gradebook, memory }
})

/**
 * A `Gradebook` over a fresh in-memory store, plus the `MemoryGradebook` handle to inspect and
 * steer it. Each build of the layer starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Gradebook.Gradebook | MemoryGradebook> = Layer.effectContext(
  Effect.map(
    make,
    ({ gradebook, memory }) => Context.make(Gradebook.Gradebook, gradebook).pipe(Context.add(MemoryGradebook, memory))
  )
)
