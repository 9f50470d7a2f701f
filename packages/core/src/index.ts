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

/**
 * @since 0.3.0
 */
export * as Fields from "./Fields.js"

/**
 * @since 0.3.0
 */
export * as Resource from "./Resource.js"

/**
 * @since 0.3.0
 */
export * as Scope from "./Scope.js"

/**
 * @since 0.3.0
 */
export * as Category from "./Category.js"

/**
 * @since 0.3.0
 */
export * as ScoreScale from "./ScoreScale.js"

/**
 * @since 0.3.0
 */
export * as LineItem from "./LineItem.js"

/**
 * @since 0.3.0
 */
export * as Result from "./Result.js"

/**
 * @since 0.3.0
 */
export * as AssessmentLineItem from "./AssessmentLineItem.js"

/**
 * @since 0.3.0
 */
export * as Bulk from "./Bulk.js"
