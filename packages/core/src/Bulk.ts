/**
 * Bulk writes: many items through one resource's `put` or `create`, with bounded concurrency and
 * backpressure, one outcome per item in input order. One bad item (invalid input, a 422) never
 * stops the others.
 *
 * @since 0.3.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type * as GradebookError from "./GradebookError.js"
import { unreadable } from "./internal/calls.js"

/**
 * What happened to one item: its position in the input, its sourcedId, and the stored result or
 * the error.
 *
 * @since 0.3.0
 * @category models
 */
export interface Outcome<A> {
  readonly index: number
  readonly sourcedId: string
  readonly outcome: Result.Result<A, GradebookError.GradebookError>
}

/**
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** Items in flight at once: a whole number, 1 or more (another is a defect, before any item is read). Default 16. */
  readonly concurrency?: number
}

/**
 * The items of a bulk write: any `Iterable` (an array, a generator: read lazily) or a `Stream`.
 *
 * @since 0.3.0
 * @category models
 */
export type Items<A> = Iterable<A> | Stream.Stream<A, never>

/**
 * A bulk write's tally.
 *
 * @since 0.3.0
 * @category models
 */
export interface Summary {
  readonly succeeded: number
  /** Failures by error tag, e.g. `{ RequestError: 3 }`. */
  readonly failed: Readonly<Record<string, number>>
  readonly elapsedMillis: number
}

/** Why a `putAll` item is refused without a sourcedId. */
export const NO_SOURCED_ID = "Expected a sourcedId (a string) on every item of putAll"

/** An item's `sourcedId`, or `undefined` (also when reading it throws: the item's own validation says why). */
export const sourcedIdOf = (item: unknown): unknown => {
  try {
    return typeof item === "object" && item !== null ? (item as { readonly sourcedId?: unknown }).sourcedId : undefined
  } catch {
    return undefined
  }
}

/** Default items in flight. */
export const DEFAULT_CONCURRENCY = 16

/**
 * Each item through `write`, `concurrency` at a time, outcomes in input order (`Stream.mapEffect`
 * keeps it, and reads no further ahead than the items in flight).
 *
 * Items of one sourcedId are written one after another, in input order: an item waits until the
 * write of the one before it with its sourcedId is done (retries included). Sent together, the later
 * one could be stored first and then overwritten by the earlier one (a lost update); so a put of
 * the same sourcedId twice stores the last, and a create twice stores the first and the second is
 * the conflict. Only the sourcedIds of items read and not yet written are remembered.
 *
 * @since 0.3.0
 * @category constructors
 */
export const run = <I, A>(
  items: Items<I>,
  options: Options | undefined,
  write: (
    item: I,
    index: number
  ) => { readonly sourcedId: string; readonly result: Effect.Effect<A, GradebookError.GradebookError> }
): Stream.Stream<Outcome<A>> => {
  const concurrency = options?.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    // a caller's mistake, not an item's: nothing is read or sent
    return Stream.die(
      new Cause.IllegalArgumentError(
        `Bulk write: concurrency must be a whole number of items in flight, 1 or more; got ${String(concurrency)}`
      )
    )
  }
  const source = (Stream.isStream(items) ? items : Stream.fromIterable(items)) as Stream.Stream<I>
  return Stream.suspend(() => {
    // per run: the last write of each sourcedId in flight, done when it is
    const inFlight = new Map<string, Deferred.Deferred<void>>()
    /** An item's write, after the one before it with its sourcedId (if any in flight). */
    const prepare = (item: I, index: number) => {
      let written: { readonly sourcedId: string; readonly result: Effect.Effect<A, GradebookError.GradebookError> }
      try {
        written = write(item, index)
      } catch {
        // an item that cannot even be read (a throwing getter, a proxy): its own outcome, a refusal
        return { index, sourcedId: "undefined", result: Effect.result(Effect.fail(unreadable(undefined))) }
      }
      const { sourcedId } = written
      const before = inFlight.get(sourcedId)
      const done = Deferred.makeUnsafe<void>()
      inFlight.set(sourcedId, done)
      const result = (before ? Effect.andThen(Deferred.await(before), written.result) : written.result).pipe(
        Effect.result,
        Effect.ensuring(Effect.suspend(() => {
          if (inFlight.get(sourcedId) === done) inFlight.delete(sourcedId)
          return Deferred.done(done, Exit.void)
        }))
      )
      return { index, sourcedId, result }
    }
    return source.pipe(
      Stream.zipWithIndex,
      // in input order, one item at a time and only as items are taken in (not a whole chunk of the
      // input ahead): what each item waits for is settled before any is sent
      Stream.mapEffect(([item, index]) => Effect.sync(() => prepare(item, index))),
      Stream.mapEffect(
        ({ index, result, sourcedId }) => Effect.map(result, (outcome): Outcome<A> => ({ index, sourcedId, outcome })),
        { concurrency }
      )
    )
  })
}

/**
 * Runs a bulk write to its tally.
 *
 * @since 0.3.0
 * @category constructors
 */
export const summarize = <A, E, R>(outcomes: Stream.Stream<Outcome<A>, E, R>): Effect.Effect<Summary, E, R> =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (started) =>
      Stream.runFold(outcomes, () => ({ succeeded: 0, failed: {} as Record<string, number> }), (tally, { outcome }) => {
        if (Result.isSuccess(outcome)) tally.succeeded++
        else tally.failed[outcome.failure._tag] = (tally.failed[outcome.failure._tag] ?? 0) + 1
        return tally
      }).pipe(
        Effect.flatMap((tally) =>
          Effect.map(Clock.currentTimeMillis, (now): Summary => ({ ...tally, elapsedMillis: now - started }))
        )
      )
  )
