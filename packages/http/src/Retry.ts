/**
 * The retry policy: which failures are retried, how often and how long to wait.
 *
 * @since 0.1.0
 */
import { GradebookError } from "@timeback/core"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
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
  const maxRetryAfter = Duration.toSeconds(tuning.maxRetryAfter)
  const maxDelay = Duration.fromInputUnsafe(tuning.maxDelay)
  const deadline = Duration.toMillis(tuning.deadline)
  return Schedule.exponential(tuning.baseDelay).pipe(
    Schedule.jittered,
    Schedule.setInputType<GradebookError.GradebookError>(),
    // capped at maxDelay, and never shorter than what the server asked for
    Schedule.modifyDelay(({ duration, input }) =>
      Effect.succeed(
        Duration.max(Duration.min(duration, maxDelay), Duration.seconds(GradebookError.retryAfter(input) ?? 0))
      )
    ),
    // `attempt` counts the retries (1 for the first): at most maxAttempts attempts in all
    Schedule.while(({ attempt, elapsed, input }) =>
      attempt < tuning.maxAttempts &&
      elapsed < deadline &&
      GradebookError.isTransient(input) &&
      (GradebookError.retryAfter(input) ?? 0) <= maxRetryAfter
    )
  )
}

/**
 * The policy in use. Replace it with `Layer.succeed(Retry.RetryPolicy, myPolicy)` (or
 * `Effect.provideService`) where the Gradebook layer is built.
 *
 * @since 0.1.0
 * @category tags
 */
export const RetryPolicy: Context.Reference<Policy> = Context.Reference<Policy>("@timeback/http/RetryPolicy", {
  defaultValue: (): Policy => defaultPolicy
})

/**
 * The attempts a call may make, in place of the layer's `maxAttempts`, for the calls it is provided
 * to: `Effect.provideService(call, Retry.MaxAttempts, 1)` sends once and never retries. Unset, the
 * layer's applies. A value that is not a whole number ≥ 1 counts as 1.
 *
 * @since 0.1.0
 * @category references
 */
export const MaxAttempts: Context.Reference<number | undefined> = Context.Reference<number | undefined>(
  "@timeback/http/Retry/MaxAttempts",
  { defaultValue: () => undefined }
)
