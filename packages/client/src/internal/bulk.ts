/** The bulk writes for Promise callers: items from any (async) iterable, outcomes as plain objects. */
import type { Bulk, GradebookError } from "@timeback/core"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type { CallOptions } from "./run.js"

/**
 * One item's outcome, in input order: `ok` with the `value` the server stored (a put) or the ids
 * (a create), or not `ok` with the `error` (the same classes every call rejects with).
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome<A> =
  | { readonly index: number; readonly sourcedId: string; readonly ok: true; readonly value: A }
  | {
    readonly index: number
    readonly sourcedId: string
    readonly ok: false
    readonly error: GradebookError.GradebookError
  }

/**
 * @since 0.1.0
 * @category models
 */
export interface Options extends CallOptions {
  /** Items in flight at once. Default 16. */
  readonly concurrency?: number
}

/** An array, a generator, or an async iterable (a file being read): consumed lazily either way. */
export type Items<A> = Iterable<A> | AsyncIterable<A>

export const items = <A>(items: Items<A>): Bulk.Items<A> =>
  Symbol.asyncIterator in items
    // an error thrown by the caller's own iterable ends the bulk write, rejecting with it
    ? Stream.orDie(Stream.fromAsyncIterable(items, (e) => e))
    : items

export const outcome = <A>(o: Bulk.Outcome<A>): Outcome<A> =>
  Result.match(o.outcome, {
    onSuccess: (value) => ({ index: o.index, sourcedId: o.sourcedId, ok: true as const, value }),
    onFailure: (error) => ({ index: o.index, sourcedId: o.sourcedId, ok: false as const, error })
  })

export const bulkOptions = (options: Options | undefined): Bulk.Options =>
  options?.concurrency === undefined ? {} : { concurrency: options.concurrency }
