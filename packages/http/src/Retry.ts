/**
 * The retry policy: which failures are retried, how often and how long to wait.
 *
 * @since 0.1.0
 */
import { GradebookError } from "@timeback/core"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Schedule from "effect/Schedule"
import type { Tuning } from "./TimebackConfig.js"

/**
 * A retry policy: given the configured tuning, the schedule that failed attempts are retried on.
 * Its input is the error of the failed attempt; when it stops, the operation fails with that error.
 *
 * @since 0.1.0
 * @category models
 */
export type Policy = (tuning: Tuning) => Schedule.Schedule<unknown, GradebookError.GradebookError>

/**
 * The default policy, as DESIGN.md's reliability contract says:
 *
 * - only transient failures (`GradebookError.isTransient`: 408, 429, 500, 502, 503, 504, no response);
 * - at most `maxAttempts` attempts, and no retry once `deadline` has passed since the first failure;
 * - exponential backoff from `baseDelay`, ±20 % jitter, each delay capped at `maxDelay`;
 * - a server-requested wait (`Retry-After`, `retry-after-ms`) is honoured: the delay is at least that long;
 * - a requested wait longer than `maxRetryAfter` is not waited for: the error (`retryAfter` set) is returned at once.
 *
 * @since 0.1.0
 * @category policies
 */
export const defaultPolicy: Policy = (tuning) => {
  const backoff = Schedule.exponential(tuning.baseDelay).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, tuning.maxDelay))
  )
  const serverAsked = Schedule.identity<GradebookError.GradebookError>().pipe(
    Schedule.addDelay((e) => Duration.seconds(GradebookError.retryAfter(e) ?? 0))
  )
  const maxRetryAfter = Duration.toSeconds(tuning.maxRetryAfter)
  return backoff.pipe(
    Schedule.intersect(serverAsked),
    Schedule.intersect(Schedule.recurs(tuning.maxAttempts - 1)),
    Schedule.whileInput((e: GradebookError.GradebookError) =>
      GradebookError.isTransient(e) && (GradebookError.retryAfter(e) ?? 0) <= maxRetryAfter
    ),
    Schedule.upTo(tuning.deadline),
    Schedule.asVoid
  )
}

/**
 * The policy in use. Replace it with `Layer.succeed(Retry.RetryPolicy, myPolicy)` (or
 * `Effect.provideService`) where the Gradebook layer is built.
 *
 * @since 0.1.0
 * @category tags
 */
export class RetryPolicy extends Context.Reference<RetryPolicy>()("@timeback/http/RetryPolicy", {
  defaultValue: (): Policy => defaultPolicy
}) {}
