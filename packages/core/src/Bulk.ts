/**
 * Bulk writes: many items through one resource's `put` or `create`, with bounded concurrency and
 * backpressure, one outcome per item in input order. One bad item (invalid input, a 422) never
 * stops the others.
 *
 * @since 0.3.0
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
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
  readonly outcome: Either.Either<A, GradebookError.GradebookError>
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

const isStream = (u: unknown): u is Stream.Stream<unknown, never> =>
  typeof u === "object" && u !== null && Stream.StreamTypeId in u

/**
 * Each item through `write`, `concurrency` at a time, outcomes in input order (`Stream.mapEffect`
 * keeps it, and reads no further ahead than the items in flight).
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
      new Cause.IllegalArgumentException(
        `Bulk write: concurrency must be a whole number of items in flight, 1 or more; got ${String(concurrency)}`
      )
    )
  }
  const source = (isStream(items) ? items : Stream.fromIterable(items)) as Stream.Stream<I>
  return source.pipe(
    Stream.zipWithIndex,
    Stream.mapEffect(([item, index]) =>
      Effect.suspend(() => {
        let written: { readonly sourcedId: string; readonly result: Effect.Effect<A, GradebookError.GradebookError> }
        try {
          written = write(item, index)
        } catch {
          // an item that cannot even be read (a throwing getter, a proxy): its own outcome, a refusal
          written = { sourcedId: "undefined", result: Effect.fail(unreadable(undefined)) }
        }
        return Effect.map(Effect.either(written.result), (outcome): Outcome<A> => ({
          index,
          sourcedId: written.sourcedId,
          outcome
        }))
      }), { concurrency })
  )
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
      Stream.runFold(outcomes, { succeeded: 0, failed: {} as Record<string, number> }, (tally, { outcome }) => {
        if (Either.isRight(outcome)) tally.succeeded++
        else tally.failed[outcome.left._tag] = (tally.failed[outcome.left._tag] ?? 0) + 1
        return tally
      }).pipe(
        Effect.flatMap((tally) =>
          Effect.map(Clock.currentTimeMillis, (now): Summary => ({ ...tally, elapsedMillis: now - started }))
        )
      )
  )
