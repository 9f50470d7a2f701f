/**
 * The `Gradebook` service: what every layer (live HTTP, in-memory, your own) provides.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AssessmentResult from "./AssessmentResult.js"
import * as GradebookError from "./GradebookError.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface GradebookService {
  /**
   * `POST /assessmentResults`. Without `sourcedId` one is allocated (uuid v4) before anything is
   * sent. Retries never create a duplicate.
   */
  readonly createAssessmentResult: (
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<AssessmentResult.SourcedIdPair, GradebookError.GradebookError>
  /**
   * `PUT /assessmentResults/{sourcedId}`: creates or replaces the result, returns what is stored.
   */
  readonly putAssessmentResult: (
    sourcedId: string,
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.GradebookError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Gradebook extends Context.Tag("@timeback/core/Gradebook")<Gradebook, GradebookService>() {}

/**
 * What an implementation provides. It receives input that has already been validated: `make`
 * guarantees that invalid input never reaches it.
 *
 * @since 0.1.0
 * @category models
 */
export interface GradebookBackend {
  readonly createAssessmentResult: (
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<AssessmentResult.SourcedIdPair, GradebookError.GradebookError>
  readonly putAssessmentResult: (
    sourcedId: string,
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.GradebookError>
}

/**
 * Turns a schema failure on caller input into a `RequestError` naming every offending field.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalidInput = (operation: string, error: ParseResult.ParseError): GradebookError.RequestError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const fields = [...new Set(issues.map((i) => i.path.map(String).join(".") || "(input)"))]
  return new GradebookError.RequestError({
    operation,
    fields,
    description: issues.map((i) => `${i.path.map(String).join(".") || "(input)"}: ${i.message}`).join("; ")
  })
}

const validSourcedId = Schema.decodeUnknown(AssessmentResult.SourcedId)

/**
 * Builds the service from a backend, validating every input first: invalid input fails with a
 * `RequestError` whose `fields` name what is wrong, and the backend is not called.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (backend: GradebookBackend): GradebookService => ({
  createAssessmentResult: (input) =>
    AssessmentResult.decodeInput(input).pipe(
      Effect.mapError((e) => invalidInput("createAssessmentResult", e)),
      Effect.flatMap(backend.createAssessmentResult)
    ),
  putAssessmentResult: (sourcedId, input) =>
    Effect.all([
      validSourcedId(sourcedId).pipe(Effect.mapError((e) => invalidInput("putAssessmentResult", prefixed(e)))),
      AssessmentResult.decodeInput(input).pipe(Effect.mapError((e) => invalidInput("putAssessmentResult", e)))
    ]).pipe(
      Effect.filterOrFail(
        ([id, decoded]) => decoded.sourcedId === undefined || decoded.sourcedId === id,
        ([id, decoded]) =>
          new GradebookError.RequestError({
            operation: "putAssessmentResult",
            fields: ["sourcedId"],
            description: `sourcedId: body sourcedId ${
              JSON.stringify(decoded.sourcedId)
            } does not match path sourcedId ${JSON.stringify(id)}`
          })
      ),
      Effect.flatMap(([id, decoded]) => backend.putAssessmentResult(id, decoded))
    )
})

const prefixed = (e: ParseResult.ParseError) =>
  new ParseResult.ParseError({ issue: new ParseResult.Pointer("sourcedId", e.issue.actual, e.issue) })

/**
 * @since 0.1.0
 * @category accessors
 */
export const createAssessmentResult = (
  input: AssessmentResult.AssessmentResultInput
): Effect.Effect<AssessmentResult.SourcedIdPair, GradebookError.GradebookError, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.createAssessmentResult(input))

/**
 * @since 0.1.0
 * @category accessors
 */
export const putAssessmentResult = (
  sourcedId: string,
  input: AssessmentResult.AssessmentResultInput
): Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.GradebookError, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.putAssessmentResult(sourcedId, input))
