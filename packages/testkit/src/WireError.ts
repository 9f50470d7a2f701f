/**
 * The fake's own errors: what the testkit's store refuses, and the imsx status info bodies the fake
 * server sends for them. Built here, not from the client's `RequestError`, so that a bug in how the
 * client reads errors cannot hide itself behind the same code writing them.
 *
 * @since 0.3.0
 */
import * as Data from "effect/Data"

/**
 * A refusal as the API would send it: status, one imsx codeMinor value for every field named, and
 * the description.
 *
 * @since 0.3.0
 * @category errors
 */
export class WireError extends Data.TaggedError("WireError")<{
  readonly status: number
  readonly codeMinor: string
  readonly description: string
  /** The fields named, each an imsx `codeMinorFieldName`. Default `["sourcedId"]`. */
  readonly fields?: ReadonlyArray<string> | undefined
}> {
  /** @since 0.3.0 */
  override get message(): string {
    return `${this.status} ${this.codeMinor}: ${this.description}`
  }
}

/**
 * The codeMinor value the API uses for a status.
 *
 * @since 0.3.0
 * @category constructors
 */
export const codeMinorFor = (status: number): string => {
  switch (status) {
    case 400:
    case 409:
    case 422:
      return "invaliddata"
    case 401:
      return "unauthorisedrequest"
    case 403:
      return "forbidden"
    case 404:
      return "unknownobject"
    case 429:
    case 503:
      return "server_busy"
    default:
      return status >= 500 ? "internal_server_error" : "invaliddata"
  }
}

/**
 * An error with the codeMinor its status has.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (status: number, description: string, fields?: ReadonlyArray<string>): WireError =>
  new WireError({ status, codeMinor: codeMinorFor(status), description, fields })

/**
 * An imsx status info object, JSON-ready.
 *
 * @since 0.3.0
 * @category models
 */
export interface StatusInfo {
  readonly imsx_codeMajor: "failure"
  readonly imsx_severity: "error"
  readonly imsx_description: string
  readonly imsx_CodeMinor: {
    readonly imsx_codeMinorField: ReadonlyArray<{
      readonly imsx_codeMinorFieldName: string
      readonly imsx_codeMinorFieldValue: string
    }>
  }
}

/**
 * The status info of an error.
 *
 * @since 0.3.0
 * @category encoding
 */
export const statusInfo = (error: WireError): StatusInfo => ({
  imsx_codeMajor: "failure",
  imsx_severity: "error",
  imsx_description: error.description,
  imsx_CodeMinor: {
    imsx_codeMinorField: (error.fields ?? ["sourcedId"]).map((name) => ({
      imsx_codeMinorFieldName: name,
      imsx_codeMinorFieldValue: error.codeMinor
    }))
  }
})

/**
 * The body the API sends for an error: the status info at the top level, or wrapped in
 * `{ statusInfoSet: [...] }`.
 *
 * @since 0.3.0
 * @category encoding
 */
export const body = (error: WireError, shape: "top" | "statusInfoSet" = "top"): unknown =>
  shape === "top" ? statusInfo(error) : { statusInfoSet: [statusInfo(error)] }
