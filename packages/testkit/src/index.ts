/**
 * @since 0.4.0
 */
export * as Contract from "./Contract.js"

/**
 * @since 0.1.0
 */
export * as FakeTimebackServer from "./FakeTimebackServer.js"

/**
 * @since 0.1.0
 */
export * as GradebookStore from "./GradebookStore.js"

/**
 * @since 0.1.0
 */
export * as MemoryGradebook from "./MemoryGradebook.js"

/**
 * @since 0.3.0
 */
export * as WireError from "./WireError.js"
