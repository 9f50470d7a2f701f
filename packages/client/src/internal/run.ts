/**
 * How the facade runs the SDK's effects and streams for Promise callers: the failure itself (a
 * `GradebookError`, never a `FiberFailure`), an `AbortSignal` that interrupts the call (and so
 * aborts its HTTP request) and rejects with the signal's reason, as `fetch` does.
 */
import { type Gradebook, GradebookError } from "@timeback/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"

/**
 * Options every call takes.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** Aborting it interrupts the call: its HTTP request is aborted and the call rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
  /**
   * Milliseconds the whole call may take, retries and waits included: past it, its request is
   * aborted and the call rejects with a `NoResponseError` (`reason: "Timeout"`). For a stream, the
   * whole iteration from its first page. Without it, the client's `deadline` and `attemptTimeout`
   * bound each call.
   */
  readonly timeout?: number | undefined
}

/**
 * What ends a call that runs past `timeout` milliseconds (see `CallOptions.timeout`): a failure once
 * they have passed (at once, a `RequestError`, for a timeout that cannot be one).
 */
const deadline = (timeout: number): Effect.Effect<never, GradebookError.GradebookError> =>
  timeout > 0 && Number.isFinite(timeout)
    ? Effect.andThen(
      Effect.sleep(timeout),
      Effect.fail(
        new GradebookError.NoResponseError({
          reason: "Timeout",
          description: `no answer within the call's timeout (${timeout} ms)`
        })
      )
    )
    : Effect.fail(
      new GradebookError.RequestError({
        fields: ["timeout"],
        description: `timeout: Expected a positive number of milliseconds, got ${String(timeout)}`
      })
    )

export type Runtime = ManagedRuntime.ManagedRuntime<Gradebook.Gradebook, never>

/** Runs `effect`; rejects with its failure, the defect, or the signal's reason when aborted. */
export const promise = <A, E>(
  runtime: Runtime,
  effect: Effect.Effect<A, E, Gradebook.Gradebook>,
  options: CallOptions | undefined
): Promise<A> => {
  const signal = options?.signal
  if (signal?.aborted) return Promise.reject(signal.reason)
  const site = callSite(promise)
  const bounded = options?.timeout === undefined ? effect : Effect.raceFirst(effect, deadline(options.timeout))
  return runtime.runPromiseExit(bounded, signal ? { signal } : undefined).then((exit) => {
    if (Exit.isSuccess(exit)) return exit.value
    if (signal?.aborted && Cause.hasInterruptsOnly(exit.cause)) throw signal.reason
    throw fromCallSite(Cause.squash(exit.cause), site)
  })
}

/** Where a call was made: the caller's frames, above `below` (V8 formats them only if they are read). */
const callSite = (below: (...args: Array<any>) => unknown): { readonly stack?: string } => {
  const site: { stack?: string } = {}
  Error.captureStackTrace(site, below)
  return site
}

/**
 * `error` with the stack of the call that failed, not the frames of the Effect runtime it failed in
 * (which name nothing of the caller's): its first line, then the caller's frames.
 */
const fromCallSite = (error: unknown, site: { readonly stack?: string }): unknown => {
  if (error instanceof Error && site.stack !== undefined) {
    const frames = site.stack.slice(site.stack.indexOf("\n") + 1)
    Object.defineProperty(error, "stack", {
      value: `${error.name}: ${error.message}\n${frames}`,
      writable: true,
      configurable: true
    })
  }
  return error
}

/** An effect that fails with the signal's reason once it is aborted. */
const aborted = (signal: AbortSignal) =>
  Effect.callback<never, unknown>((resume) => {
    const abort = () => resume(Effect.fail(signal.reason))
    if (signal.aborted) return abort()
    signal.addEventListener("abort", abort, { once: true })
    return Effect.sync(() => signal.removeEventListener("abort", abort))
  })

/**
 * `stream` as an `AsyncIterable`: pulled lazily (one page at a time for a list), stopped by
 * `break` (or `return`), rejecting like `promise`.
 */
export const iterable = <A, E>(
  runtime: Runtime,
  stream: Stream.Stream<A, E, Gradebook.Gradebook>,
  options: CallOptions | undefined
): AsyncIterable<A> => ({
  [Symbol.asyncIterator]() {
    const signal = options?.signal
    const aborting = signal ? Stream.interruptWhen(stream, aborted(signal)) : stream
    const governed = options?.timeout === undefined
      ? aborting
      : Stream.interruptWhen(aborting, deadline(options.timeout))
    let started: Promise<AsyncIterator<A>> | undefined
    const inner = () =>
      started ??= runtime.context().then((context) =>
        Stream.toAsyncIterableWith(governed, context)[Symbol.asyncIterator]()
      )
    const iterator: AsyncIterator<A> = {
      next: () => {
        const site = callSite(iterator.next)
        return inner().then((it) => it.next()).catch((e: unknown) => Promise.reject(fromCallSite(e, site)))
      },
      // a loop left before its first pull has nothing to stop: no runtime is built for it
      return: (value?: unknown) =>
        started === undefined
          ? Promise.resolve({ done: true as const, value: undefined })
          : started.then((it) => it.return ? it.return(value) : { done: true as const, value: undefined })
    }
    return iterator
  }
})
