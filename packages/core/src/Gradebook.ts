/**
 * The `Gradebook` service: what every layer (live HTTP, in-memory, your own) provides.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Stream from "effect/Stream"
import * as AssessmentResult from "./AssessmentResult.js"
import * as GradebookError from "./GradebookError.js"
import { decoder } from "./internal/decode.js"
import { plainData } from "./internal/plainData.js"

/**
 * Base path of the OneRoster 1.2 gradebook API, below the API origin.
 *
 * @since 0.2.0
 * @category constants
 */
export const BASE_PATH = "/ims/oneroster/gradebook/v1p2"

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
  /**
   * `GET /assessmentResults/{sourcedId}`; 404 is a `RequestError` with status 404. With `fields`,
   * only those fields are returned.
   */
  readonly getAssessmentResult: <O extends GetOptions = {}>(
    sourcedId: string,
    options?: O
  ) => Effect.Effect<AssessmentResult.Selected<O>, GradebookError.GradebookError>
  /** `GET /assessmentResults`: one page, with `totalCount` when the server reports it. */
  readonly listAssessmentResults: <Q extends AssessmentResult.ListQuery = {}>(
    query?: Q
  ) => Effect.Effect<AssessmentResult.Page<AssessmentResult.Selected<Q>>, GradebookError.GradebookError>
  /**
   * Every result matching `query`, page after page (`limit` per page, default 100), fetched lazily.
   * A page that fails is retried like any read; the stream never restarts from the first page.
   */
  readonly streamAssessmentResults: <Q extends AssessmentResult.ListQuery = {}>(
    query?: Q
  ) => Stream.Stream<AssessmentResult.Selected<Q>, GradebookError.GradebookError>
  /** `DELETE /assessmentResults/{sourcedId}`: a soft delete (status becomes `tobedeleted`). */
  readonly deleteAssessmentResult: (sourcedId: string) => Effect.Effect<void, GradebookError.GradebookError>
  /** `PATCH /assessmentResults/{sourcedId}` (Timeback only): partial update, metadata merged. */
  readonly patchAssessmentResult: (
    sourcedId: string,
    patch: AssessmentResult.PatchInput
  ) => Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.GradebookError>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface GetOptions {
  readonly fields?: ReadonlyArray<AssessmentResult.SelectableField>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Gradebook extends Context.Tag("@timeback/core/Gradebook")<Gradebook, GradebookService>() {}

/**
 * What an implementation provides. It receives input that has already been validated: `make`
 * guarantees that invalid input never reaches it, that every sourcedId is safe as a path segment,
 * and that inputs, patches and queries are plain data, the fields that were validated: no key whose
 * value is `undefined` (an explicit `undefined` is an absent key), no prototype but
 * `Object.prototype`, no `toJSON` method.
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
  readonly getAssessmentResult: (
    sourcedId: string,
    fields: ReadonlyArray<AssessmentResult.SelectableField> | undefined
  ) => Effect.Effect<
    AssessmentResult.AssessmentResult | AssessmentResult.PartialAssessmentResult,
    GradebookError.GradebookError
  >
  readonly listAssessmentResults: (
    query: AssessmentResult.ListQuery
  ) => Effect.Effect<
    AssessmentResult.Page<AssessmentResult.AssessmentResult | AssessmentResult.PartialAssessmentResult>,
    GradebookError.GradebookError
  >
  readonly deleteAssessmentResult: (sourcedId: string) => Effect.Effect<void, GradebookError.GradebookError>
  readonly patchAssessmentResult: (
    sourcedId: string,
    patch: AssessmentResult.PatchInput
  ) => Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.GradebookError>
}

/**
 * Turns a schema failure on caller input into a `RequestError` naming every offending field.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalidInput = (operation: string, error: ParseResult.ParseError): GradebookError.RequestError => {
  const issues = GradebookError.formatIssues(error).map((i) => ({ field: i.path || "(input)", message: i.message }))
  return new GradebookError.RequestError({
    operation,
    fields: [...new Set(issues.map((i) => i.field))],
    description: issues.map((i) => `${i.field}: ${i.message}`).join("; ")
  })
}

const validSourcedId = decoder(AssessmentResult.SourcedId, "strict")

/**
 * Decodes caller input with `decode`, then makes it plain data, the fields that were validated
 * (see `plainData`): an explicit `undefined` becomes an absent key, and nothing is read from a
 * prototype or a `toJSON` method.
 */
const decodePlain = <I>(
  operation: string,
  decode: (u: unknown) => Effect.Effect<I, ParseResult.ParseError>,
  input: unknown
): Effect.Effect<I, GradebookError.RequestError> =>
  Effect.flatMap(Effect.mapError(decode(input), (e) => invalidInput(operation, e)), (decoded) => {
    const plain = plainData(decoded)
    return plain === undefined
      ? Effect.fail(
        new GradebookError.RequestError({
          operation,
          fields: ["(input)"],
          description: "(input): Expected a value that can be read, but reading it threw"
        })
      )
      : Effect.succeed(plain)
  })

/**
 * Builds the service from a backend, validating every input first: invalid input fails with a
 * `RequestError` whose `fields` name what is wrong, and the backend is not called.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (backend: GradebookBackend): GradebookService => {
  const sourcedIdOf = (operation: string, sourcedId: string) =>
    Effect.mapError(validSourcedId(sourcedId), (e) => invalidInput(operation, prefixed(e)))
  /** A write to one result: its path sourcedId and its body are validated, and must agree. */
  const keyedWrite = <I extends { readonly sourcedId?: string | undefined }, A>(
    operation: string,
    decode: (u: unknown) => Effect.Effect<I, ParseResult.ParseError>,
    write: (sourcedId: string, input: I) => Effect.Effect<A, GradebookError.GradebookError>
  ) =>
  (sourcedId: string, input: unknown): Effect.Effect<A, GradebookError.GradebookError> =>
    Effect.gen(function*() {
      const id = yield* sourcedIdOf(operation, sourcedId)
      const decoded = yield* decodePlain(operation, decode, input)
      if (decoded.sourcedId !== undefined && decoded.sourcedId !== id) {
        return yield* Effect.fail(
          new GradebookError.RequestError({
            operation,
            fields: ["sourcedId"],
            description: `sourcedId: body sourcedId ${
              JSON.stringify(decoded.sourcedId)
            } does not match path sourcedId ${JSON.stringify(id)}`
          })
        )
      }
      return yield* write(id, decoded)
    })
  const query = (operation: string, q: unknown) => decodePlain(operation, AssessmentResult.decodeListQuery, q ?? {})
  const list = backend.listAssessmentResults as GradebookService["listAssessmentResults"]

  return {
    createAssessmentResult: (input) =>
      Effect.flatMap(
        decodePlain("createAssessmentResult", AssessmentResult.decodeInput, input),
        backend.createAssessmentResult
      ),
    putAssessmentResult: keyedWrite("putAssessmentResult", AssessmentResult.decodeInput, backend.putAssessmentResult),
    getAssessmentResult: (sourcedId, options) =>
      Effect.gen(function*() {
        const operation = "getAssessmentResult"
        const id = yield* sourcedIdOf(operation, sourcedId)
        const { fields } = yield* decodePlain(operation, AssessmentResult.decodeGetQuery, options ?? {})
        return (yield* backend.getAssessmentResult(id, fields)) as any
      }),
    listAssessmentResults: (q) =>
      Effect.flatMap(query("listAssessmentResults", q), (decoded) => list(decoded as typeof q)),
    streamAssessmentResults: (q) =>
      Stream.unwrap(Effect.map(query("streamAssessmentResults", q), (decoded) => {
        const limit = decoded.limit ?? 100
        return Stream.paginateChunkEffect(decoded.offset ?? 0, (offset) =>
          Effect.map(list({ ...decoded, limit, offset } as typeof q), (page) => {
            const next = offset + page.results.length
            const done = page.results.length < limit || page.hasNext === false ||
              (page.totalCount !== undefined && next >= page.totalCount)
            return [Chunk.unsafeFromArray(page.results), done ? Option.none() : Option.some(next)] as const
          }))
      })),
    deleteAssessmentResult: (sourcedId) =>
      Effect.flatMap(sourcedIdOf("deleteAssessmentResult", sourcedId), backend.deleteAssessmentResult),
    patchAssessmentResult: keyedWrite(
      "patchAssessmentResult",
      AssessmentResult.decodePatch,
      backend.patchAssessmentResult
    )
  }
}

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

/**
 * @since 0.1.0
 * @category accessors
 */
export const getAssessmentResult = <O extends GetOptions = {}>(
  sourcedId: string,
  options?: O
): Effect.Effect<AssessmentResult.Selected<O>, GradebookError.GradebookError, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.getAssessmentResult(sourcedId, options))

/**
 * @since 0.1.0
 * @category accessors
 */
export const listAssessmentResults = <Q extends AssessmentResult.ListQuery = {}>(
  query?: Q
): Effect.Effect<AssessmentResult.Page<AssessmentResult.Selected<Q>>, GradebookError.GradebookError, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.listAssessmentResults(query))

/**
 * @since 0.1.0
 * @category accessors
 */
export const streamAssessmentResults = <Q extends AssessmentResult.ListQuery = {}>(
  query?: Q
): Stream.Stream<AssessmentResult.Selected<Q>, GradebookError.GradebookError, Gradebook> =>
  Stream.unwrap(Effect.map(Gradebook, (g) => g.streamAssessmentResults(query)))

/**
 * @since 0.1.0
 * @category accessors
 */
export const deleteAssessmentResult = (
  sourcedId: string
): Effect.Effect<void, GradebookError.GradebookError, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.deleteAssessmentResult(sourcedId))

/**
 * @since 0.1.0
 * @category accessors
 */
export const patchAssessmentResult = (
  sourcedId: string,
  patch: AssessmentResult.PatchInput
): Effect.Effect<AssessmentResult.AssessmentResult, GradebookError.GradebookError, Gradebook> =>
  Effect.flatMap(Gradebook, (g) => g.patchAssessmentResult(sourcedId, patch))
