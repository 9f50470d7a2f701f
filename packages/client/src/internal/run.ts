/**
 * How the facade runs the SDK's effects and streams for Promise callers: the failure itself (a
 * `GradebookError`, never a `FiberFailure`), an `AbortSignal` that interrupts the call (and so
 * aborts its HTTP request) and rejects with the signal's reason, as `fetch` does.
 */
import { type Gradebook, GradebookError } from "@timeback/core"
import { HttpGradebook, Retry } from "@timeback/http"
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
  /**
   * Retries this call may make after its first attempt, in place of the client's `maxAttempts - 1`:
   * `0` sends once. Waiting for the server's rate limit (a 429 with `Retry-After`, while `rateLimit`
   * is on) is not a retry.
   */
  readonly maxRetries?: number | undefined
  /**
   * Called with every HTTP answer the call gets (each attempt's, each page's): its status, headers and
   * request id, e.g. `onResponse: (r) => console.log(r.status, r.headers["ratelimit-remaining"], r.requestId)`.
   */
  readonly onResponse?: ((response: ResponseInfo) => void) | undefined
}

/**
 * One HTTP answer, as `onResponse` sees it: `method`, `url`, `status`, `headers` (lower-case names)
 * and `requestId`.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseInfo = HttpGradebook.ResponseInfo

/** A call option that cannot be, refused before anything is sent: a `RequestError` naming it. */
const refused = (option: keyof CallOptions, expected: string) =>
  Effect.fail(
    new GradebookError.RequestError({ fields: [option], description: `${option}: ${expected}` })
  )

/** A call's own retries and answer listener, checked (a bad one is a `RequestError` naming it). */
const perCall = (options: CallOptions) => {
  const { maxRetries, onResponse } = options
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    return refused("maxRetries", `Expected a whole number ≥ 0, got ${String(maxRetries)}`)
  }
  if (onResponse !== undefined && typeof onResponse !== "function") {
    return refused("onResponse", `Expected a function, got ${typeof onResponse}`)
  }
  return Effect.succeed({ maxAttempts: maxRetries === undefined ? undefined : maxRetries + 1, onResponse })
}

const hasPerCall = (options: CallOptions | undefined): options is CallOptions =>
  options?.maxRetries !== undefined || options?.onResponse !== undefined

/** `effect` with the call's own retries and answer listener (unchanged for a call without them). */
const withPerCall = <A, E, R>(effect: Effect.Effect<A, E, R>, options: CallOptions | undefined) =>
  hasPerCall(options)
    ? Effect.flatMap(perCall(options), ({ maxAttempts, onResponse }) =>
      effect.pipe(
        Effect.provideService(Retry.MaxAttempts, maxAttempts),
        Effect.provideService(HttpGradebook.OnResponse, onResponse)
      ))
    : effect

/** `stream` with the call's own retries and answer listener, for each page (unchanged without them). */
const withPerCallStream = <A, E, R>(stream: Stream.Stream<A, E, R>, options: CallOptions | undefined) =>
  hasPerCall(options)
    ? Stream.unwrap(Effect.map(perCall(options), ({ maxAttempts, onResponse }) =>
      stream.pipe(
        Stream.provideService(Retry.MaxAttempts, maxAttempts),
        Stream.provideService(HttpGradebook.OnResponse, onResponse)
      )))
    : stream

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
    : refused("timeout", `Expected a positive number of milliseconds, got ${String(timeout)}`)

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
  const configured = withPerCall(effect, options)
  const bounded = options?.timeout === undefined ? configured : Effect.raceFirst(configured, deadline(options.timeout))
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
    const configured = withPerCallStream(stream, options)
    const aborting = signal ? Stream.interruptWhen(configured, aborted(signal)) : configured
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
