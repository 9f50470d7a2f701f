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
