/**
 * The `timeback-gradebook` command line as a library: its commands, to embed or test.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * @since 0.1.0
 */
export * as Import from "./Import.js"

/**
 * @since 0.1.0
 */
export * as Records from "./Records.js"
