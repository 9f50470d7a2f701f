/**
 * An in-memory `Gradebook` for unit tests: swap `layerMemory` in where the live layer would be.
 *
 * @since 0.1.0
 */
import { type AssessmentResult, Gradebook, type GradebookError, Scope } from "@timeback/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as GradebookStore from "./GradebookStore.js"
import type * as WireError from "./WireError.js"

/**
 * One call that reached the in-memory store (input that failed validation never does), in the
 * order made, whatever its outcome. `operation` is the name errors carry (`createLineItem`,
 * `listResultsForClass`); each page of a stream is one `list…` call.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemoryCall {
  readonly operation: string
  /** The resource's collection: `lineItems`. */
  readonly resource: string
  readonly sourcedId?: string
  /** The parents' ids of a scoped call, in path order. */
  readonly scope?: ReadonlyArray<string>
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
export class MemoryGradebook extends Context.Service<MemoryGradebook, MemoryGradebookService>()(
  "@timeback/testkit/MemoryGradebook"
) {}

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
> = Effect.suspend(() => makeWith())

/**
 * `make` with store options (`strictReferences`).
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeWith = (
  options: GradebookStore.StoreOptions = {}
): Effect.Effect<{ readonly gradebook: Gradebook.GradebookService; readonly memory: MemoryGradebookService }> =>
  Effect.gen(function*() {
    const store = yield* GradebookStore.makeWith(options)
    const calls: Array<MemoryCall> = []
    const failures: Array<GradebookError.GradebookError> = []

    const observed = <A>(
      call: Omit<MemoryCall, "error">,
      run: Effect.Effect<A, WireError.WireError>
    ): Effect.Effect<A, GradebookError.GradebookError> =>
      Effect.suspend(() => {
        const injected = failures.shift()
        const answer: Effect.Effect<A, GradebookError.GradebookError> = injected
          ? Effect.fail(injected)
          : Effect.mapError(run, (e) => GradebookStore.toRequestError(e, call.operation))
        return answer.pipe(
          Effect.tapError((error) => Effect.sync(() => calls.push({ ...call, error }))),
          Effect.tap(() => Effect.sync(() => calls.push(call)))
        )
      })

    const gradebook = Gradebook.make({
      create: (resource, written) => {
        const input = sent(written)
        return observed(
          { operation: resource.operations.create, resource: resource.name, input },
          store.of(resource).create(input)
        )
      },
      put: (resource, sourcedId, written) => {
        const input = sent(written)
        return observed(
          { operation: resource.operations.put, resource: resource.name, sourcedId, input },
          Effect.map(store.of(resource).put(sourcedId, input), ({ result }) => result)
        )
      },
      get: (resource, sourcedId, fields) =>
        observed(
          {
            operation: resource.operations.get,
            resource: resource.name,
            sourcedId,
            ...(fields && { input: { fields } })
          },
          store.of(resource).select(sourcedId, fields)
        ),
      list: (resource, query, scope) =>
        scope
          ? observed(
            {
              operation: Scope.operation("list", scope.route),
              resource: resource.name,
              scope: scope.ids,
              input: query
            },
            store.listScoped(scope, query)
          )
          : observed(
            { operation: resource.operations.list, resource: resource.name, input: query },
            store.of(resource).list(query)
          ),
      delete: (resource, sourcedId) =>
        observed(
          { operation: resource.operations.delete, resource: resource.name, sourcedId },
          store.of(resource).remove(sourcedId)
        ),
      patch: (resource, sourcedId, written) => {
        const patch = sent(written)
        return observed(
          { operation: resource.operations.patch, resource: resource.name, sourcedId, input: patch },
          store.of(resource).patch(sourcedId, patch)
        )
      },
      createMany: (resource, scope, written) => {
        const items = sent(written)
        return observed(
          {
            operation: Scope.operation("create", scope.route),
            resource: resource.name,
            scope: scope.ids,
            input: items
          },
          store.createMany(scope, items)
        )
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
export const layerMemory: Layer.Layer<Gradebook.Gradebook | MemoryGradebook> = Layer.suspend(() => layerMemoryWith({}))

/**
 * `layerMemory` with store options, e.g. `layerMemoryWith({ strictReferences: true })`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerMemoryWith = (
  options: GradebookStore.StoreOptions
): Layer.Layer<Gradebook.Gradebook | MemoryGradebook> =>
  Layer.effectContext(
    Effect.map(
      makeWith(options),
      ({ gradebook, memory }) => Context.make(Gradebook.Gradebook, gradebook).pipe(Context.add(MemoryGradebook, memory))
    )
  )
