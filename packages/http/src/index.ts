/**
 * @since 0.1.0
 */
export * as HttpGradebook from "./HttpGradebook.js"

/**
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"

/**
 * @since 0.1.0
 */
export * as TimebackConfig from "./TimebackConfig.js"

/**
 * @since 0.1.0
 */
export * as TokenProvider from "./TokenProvider.js"
