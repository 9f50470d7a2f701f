/**
 * @since 0.1.0
 */
export {
  /**
   * @since 0.1.0
   */
  ConfigurationError,
  /**
   * @since 0.1.0
   */
  type EnvOptions,
  /**
   * @since 0.1.0
   */
  type Options,
  /**
   * @since 0.1.0
   */
  TimebackGradebook,
  /**
   * @since 0.1.0
   */
  type TransportOptions
} from "./TimebackGradebook.js"

/**
 * The error classes every call rejects with (`instanceof GradebookError.RequestError`), and the
 * filter builders (`Filter.lt("score", 50)`, `Filter.and(…)`, `Filter.parse`): plain functions, no
 * Effect needed.
 *
 * @since 0.1.0
 */
export { Filter, GradebookError } from "@timeback/core"

/**
 * @since 0.1.0
 */
export * as Resources from "./Resources.js"

/**
 * @since 0.1.0
 */
export type { CallOptions, ResponseInfo } from "./internal/run.js"

/**
 * @since 0.1.0
 */
export type { Items as BulkItems, Options as BulkOptions, Outcome as BulkOutcome } from "./internal/bulk.js"
