/**
 * An in-memory gradebook with the Timeback API's semantics. Both faces of the testkit, the
 * `layerMemory` Gradebook and the fake HTTP server, run on it, so a test sees the same rules and
 * the same errors whichever it uses.
 *
 * @since 0.1.0
 */
import { AssessmentResult, GradebookError } from "@timeback/core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/**
 * @since 0.1.0
 * @category models
 */
export interface GradebookStore {
  /** Stores a new result. Without a sourcedId one is allocated (uuid v4); an existing one is a 409. */
  readonly create: (
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<AssessmentResult.SourcedIdPair, GradebookError.RequestError>
  /** Creates or replaces the result and stamps `dateLastModified`. */
  readonly put: (
    sourcedId: string,
    input: AssessmentResult.AssessmentResultInput
  ) => Effect.Effect<{ readonly result: AssessmentResult.AssessmentResult; readonly created: boolean }>
  /** The stored result, or a 404 `RequestError` (codeMinor `unknownobject`). */
  readonly get: (sourcedId: string) => Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.RequestError>
  /** Every stored result, in insertion order. */
  readonly all: Effect.Effect<ReadonlyArray<AssessmentResult.AssessmentResult>>
  /** Forgets everything. */
  readonly clear: Effect.Effect<void>
}

/**
 * A `RequestError` as the API would send it: status, imsx status info with one codeMinor per
 * field, and the description.
 *
 * @since 0.1.0
 * @category errors
 */
export const requestError = (options: {
  readonly status: number
  readonly codeMinor: string
  readonly description: string
  readonly fields?: ReadonlyArray<string> | undefined
  readonly operation?: string | undefined
}): GradebookError.RequestError =>
  new GradebookError.RequestError({
    status: options.status,
    description: options.description,
    imsx: {
      codeMajor: "failure",
      severity: "error",
      description: options.description,
      codeMinor: (options.fields ?? ["sourcedId"]).map((name) => ({ name, value: options.codeMinor }))
    },
    ...(options.fields && { fields: options.fields }),
    ...(options.operation && { operation: options.operation })
  })

/**
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<GradebookStore> = Effect.sync(() => {
  const results = new Map<string, AssessmentResult.AssessmentResult>()

  const write = (sourcedId: string, input: AssessmentResult.AssessmentResultInput) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const result = AssessmentResult.AssessmentResult.make({
        ...input,
        sourcedId,
        status: input.status ?? "active",
        dateLastModified: new Date(now).toISOString()
      })
      results.set(sourcedId, result)
      return result
    })

  return {
    create: (input) => {
      const sourcedId = input.sourcedId ?? crypto.randomUUID()
      return results.has(sourcedId)
        ? Effect.fail(requestError({
          status: 409,
          codeMinor: "invaliddata",
          description: `An assessment result with sourcedId ${sourcedId} already exists`,
          fields: ["sourcedId"]
        }))
        : Effect.as(write(sourcedId, input), { suppliedSourcedId: sourcedId, allocatedSourcedId: sourcedId })
    },
    put: (sourcedId, input) =>
      Effect.suspend(() => {
        const created = !results.has(sourcedId)
        return Effect.map(write(sourcedId, input), (result) => ({ result, created }))
      }),
    get: (sourcedId) =>
      Effect.suspend(() => {
        const result = results.get(sourcedId)
        return result
          ? Effect.succeed(result)
          : Effect.fail(requestError({
            status: 404,
            codeMinor: "unknownobject",
            description: `Assessment result ${sourcedId} not found`,
            fields: ["sourcedId"]
          }))
      }),
    all: Effect.sync(() => [...results.values()]),
    clear: Effect.sync(() => results.clear())
  }
})
