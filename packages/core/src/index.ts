/**
 * @since 0.1.0
 */
export * as AssessmentResult from "./AssessmentResult.js"

/**
 * @since 0.1.0
 */
export * as Gradebook from "./Gradebook.js"

/**
 * @since 0.1.0
 */
export * as GradebookError from "./GradebookError.js"

/**
 * @since 0.1.0
 */
export * as Filter from "./Filter.js"

/**
 * @since 0.2.0
 */
export * as Json from "./Json.js"

/**
 * @since 0.2.0
 */
export * as SourcedId from "./SourcedId.js"
