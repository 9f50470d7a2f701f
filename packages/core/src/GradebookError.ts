/**
 * The one error union every Gradebook operation fails with.
 *
 * | member | when |
 * |---|---|
 * | `RequestError` | 400, 403, 404, 409, 422 (and other 4xx), or input refused before anything was sent |
 * | `AuthError` | 401, or the token endpoint refused or failed |
 * | `RateLimitError` | 429, with `retryAfter` in seconds when the server said |
 * | `ServerError` | 5xx |
 * | `NoResponseError` | no answer: transport failure or timeout |
 * | `MalformedResponseError` | an answer whose body cannot be decoded |
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Issues from "./internal/issues.js"

/**
 * One `imsx_codeMinorField` entry.
 *
 * @since 0.1.0
 * @category models
 */
export const CodeMinor = Schema.Struct({ name: Schema.String, value: Schema.String })

/**
 * @since 0.1.0
 * @category models
 */
export interface CodeMinor extends Schema.Schema.Type<typeof CodeMinor> {}

/**
 * imsx status info, normalised from either body shape.
 *
 * @since 0.1.0
 * @category models
 */
export const ImsxStatusInfo = Schema.Struct({
  codeMajor: Schema.optional(Schema.String),
  severity: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  codeMinor: Schema.Array(CodeMinor),
  details: Schema.optional(Schema.Unknown)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ImsxStatusInfo extends Schema.Schema.Type<typeof ImsxStatusInfo> {}

/** Fields every member that came from (or failed before) an HTTP exchange can carry. */
const exchange = {
  /** What was being done, e.g. `createAssessmentResult`. */
  operation: Schema.optional(Schema.String),
  /** HTTP status of the answer, when there was one. */
  status: Schema.optional(Schema.Number),
  /** Human-readable description (server's imsx description, or ours). */
  description: Schema.optional(Schema.String),
  /** Parsed imsx status info of the error body. */
  imsx: Schema.optional(ImsxStatusInfo),
  /** `x-request-id` / `x-amzn-requestid` of the answer. */
  requestId: Schema.optional(Schema.String),
  /** How many attempts were made before giving up. */
  attempts: Schema.optional(Schema.Number)
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

const render = (
  title: string,
  e: {
    readonly operation?: string | undefined
    readonly status?: number | undefined
    readonly description?: string | undefined
    readonly imsx?: ImsxStatusInfo | undefined
    readonly requestId?: string | undefined
    readonly attempts?: number | undefined
  },
  extra: ReadonlyArray<string> = []
): string => {
  const minors = e.imsx?.codeMinor.map((m) => m.value).filter((v) => v.length > 0) ?? []
  const head = [
    e.operation ? `${e.operation}: ${title}` : title,
    e.status !== undefined ? `(HTTP ${e.status}${minors.length > 0 ? ` ${minors.join(", ")}` : ""})` : undefined
  ].filter(Predicate.isString).join(" ")
  const tail = [
    ...extra,
    e.requestId ? `request id ${e.requestId}` : undefined,
    e.attempts !== undefined ? `after ${plural(e.attempts, "attempt")}` : undefined
  ].filter(Predicate.isString)
  return `${head}${e.description ? `: ${e.description}` : ""}${tail.length > 0 ? ` [${tail.join("; ")}]` : ""}`
}

/**
 * The request was refused (400, 403, 404, 409, 422, other 4xx), or the input was invalid and
 * nothing was sent (then `status` is absent and `fields` names the offending fields).
 * Tell 404 and 409 apart by `status`.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestError extends Schema.TaggedError<RequestError>("@timeback/core/RequestError")("RequestError", {
  ...exchange,
  /** Offending input fields as dotted paths, e.g. `student.sourcedId`. */
  fields: Schema.optional(Schema.Array(Schema.String))
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return render(this.status === undefined ? "invalid input, nothing was sent" : "request rejected", this)
  }
}

const TOKEN_ADVICE = "check the client id and secret (the clientId and clientSecret options, or TIMEBACK_CLIENT_ID " +
  "and TIMEBACK_CLIENT_SECRET) and that the token URL is the environment's"
const API_ADVICE = "the API refused a fresh access token: check that these credentials may use the Gradebook API " +
  "and that the base URL and the token URL are of the same environment"

/**
 * 401 from the API, or the token endpoint refused the credentials or failed. Its message ends with
 * what to check.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthError extends Schema.TaggedError<AuthError>("@timeback/core/AuthError")("AuthError", {
  ...exchange,
  /** RFC 6749 `error` code from the token endpoint, e.g. `invalid_client`. */
  oauthError: Schema.optional(Schema.String)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${render("authentication failed", this, this.oauthError ? [`oauth error ${this.oauthError}`] : [])} → ${
      this.operation === "token" ? TOKEN_ADVICE : API_ADVICE
    }`
  }
}

/**
 * 429. `retryAfter` is the wait, in seconds, that the server asked for.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>("@timeback/core/RateLimitError")(
  "RateLimitError",
  { ...exchange, retryAfter: Schema.optional(Schema.Number) }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return render(
      "rate limited",
      this,
      this.retryAfter !== undefined ? [`retry after ${this.retryAfter} s`] : []
    )
  }
}

/**
 * 5xx. `retryAfter` is the wait, in seconds, that the server asked for (e.g. with a 503).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServerError extends Schema.TaggedError<ServerError>("@timeback/core/ServerError")("ServerError", {
  ...exchange,
  retryAfter: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return render("server error", this, this.retryAfter !== undefined ? [`retry after ${this.retryAfter} s`] : [])
  }
}

/**
 * No answer: the connection failed or dropped, or an attempt timed out.
 *
 * @since 0.1.0
 * @category errors
 */
export class NoResponseError extends Schema.TaggedError<NoResponseError>("@timeback/core/NoResponseError")(
  "NoResponseError",
  { ...exchange, reason: Schema.Literals(["Transport", "Timeout"]) }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return render(this.reason === "Timeout" ? "no response (timed out)" : "no response (transport failure)", this)
  }
}

/**
 * An answer arrived but its body could not be decoded into what the operation expects.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponseError
  extends Schema.TaggedError<MalformedResponseError>("@timeback/core/MalformedResponseError")(
    "MalformedResponseError",
    exchange
  )
{
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return render("malformed response", this)
  }
}

/**
 * @since 0.1.0
 * @category errors
 */
export type GradebookError =
  | RequestError
  | AuthError
  | RateLimitError
  | ServerError
  | NoResponseError
  | MalformedResponseError

/**
 * @since 0.1.0
 * @category schemas
 */
export const GradebookError: Schema.Union<[
  typeof RequestError,
  typeof AuthError,
  typeof RateLimitError,
  typeof ServerError,
  typeof NoResponseError,
  typeof MalformedResponseError
]> = Schema.Union([RequestError, AuthError, RateLimitError, ServerError, NoResponseError, MalformedResponseError])

/**
 * @since 0.1.0
 * @category refinements
 */
export const isGradebookError: (u: unknown) => u is GradebookError = Schema.is(GradebookError)

// ---------------------------------------------------------------------------
// imsx parsing
// ---------------------------------------------------------------------------

const str = (u: unknown): string | undefined =>
  typeof u === "string" ? u : typeof u === "number" ? String(u) : undefined

const codeMinorsOf = (u: unknown): Array<CodeMinor> => {
  const container = Predicate.isObject(u) ? (u.imsx_codeMinorField ?? u) : u
  const items = Array.isArray(container) ? container : [container]
  return items.flatMap((f) => {
    if (!Predicate.isObject(f)) return []
    const name = str(f.imsx_codeMinorFieldName) ?? ""
    const value = str(f.imsx_codeMinorFieldValue)
    return value === undefined ? [] : [{ name, value }]
  })
}

const fromStatusInfo = (o: Record<string, unknown>): ImsxStatusInfo | undefined => {
  if (!("imsx_codeMajor" in o) && !("imsx_CodeMinor" in o) && !("imsx_description" in o)) return undefined
  const details = o.imsx_error_details
  const codeMajor = str(o.imsx_codeMajor)
  const severity = str(o.imsx_severity)
  const description = str(o.imsx_description)
  return {
    ...(codeMajor !== undefined && { codeMajor }),
    ...(severity !== undefined && { severity }),
    ...(description !== undefined && description.length > 0 && { description }),
    codeMinor: codeMinorsOf(o.imsx_CodeMinor),
    ...(details !== undefined && details !== null && { details })
  }
}

/**
 * Reads imsx status info from a parsed error body: top-level (`imsx_codeMajor`, …) or wrapped as
 * `{ statusInfoSet: [...] }` (all entries merged). `undefined` when the body has neither shape.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseImsx = (body: unknown): ImsxStatusInfo | undefined => {
  if (!Predicate.isObject(body)) return undefined
  const set = body.statusInfoSet ?? body.imsx_statusInfo
  if (Array.isArray(set) || Predicate.isObject(set)) {
    const infos = (Array.isArray(set) ? set : [set]).flatMap((s) =>
      Predicate.isObject(s) ? [fromStatusInfo(s)].filter(Predicate.isNotUndefined) : []
    )
    const [first] = infos
    if (first === undefined) return undefined
    const descriptions = infos.map((i) => i.description).filter(Predicate.isString)
    return {
      ...first,
      ...(descriptions.length > 0 && { description: descriptions.join("; ") }),
      codeMinor: infos.flatMap((i) => i.codeMinor)
    }
  }
  return fromStatusInfo(body)
}

const MAX_TEXT = 200

const textExcerpt = (text: string): string | undefined => {
  const flat = text.replace(/\s+/g, " ").trim()
  if (flat.length === 0) return undefined
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat
}

/**
 * What an error body says: imsx info when present, and a description a person can act on
 * (the imsx description, a plain `message`/`error` field, or an excerpt of a non-JSON body).
 *
 * @since 0.1.0
 * @category parsing
 */
export const describeBody = (
  text: string | undefined
): { readonly imsx?: ImsxStatusInfo; readonly description?: string } => {
  if (text === undefined || text.trim().length === 0) return {}
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    const excerpt = textExcerpt(text)
    return excerpt === undefined ? {} : { description: `non-JSON body: ${excerpt}` }
  }
  const imsx = parseImsx(json)
  const plain = Predicate.isObject(json)
    ? str(json.message) ?? str(json.error_description) ?? str(json.error) ?? str(json.description)
    : undefined
  const description = imsx?.description ?? plain
  return { ...(imsx && { imsx }), ...(description !== undefined && { description }) }
}

/**
 * What is known about an HTTP answer that was not a success.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailedResponse {
  readonly status: number
  readonly body?: string | undefined
  readonly requestId?: string | undefined
  /** Seconds, from `Retry-After` / `retry-after-ms`. */
  readonly retryAfter?: number | undefined
  readonly attempts?: number | undefined
  readonly operation?: string | undefined
}

const defined = <A extends object>(a: A): { [K in keyof A]: Exclude<A[K], undefined> } =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as any

/**
 * Maps a non-2xx answer to its union member: 401 → `AuthError`, 429 → `RateLimitError`,
 * 5xx → `ServerError`, any other status → `RequestError` (400, 403, 404, 409, 422 …).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromResponse = (r: FailedResponse): GradebookError => {
  const { description, imsx } = describeBody(r.body)
  const fields = defined({
    operation: r.operation,
    status: r.status,
    description,
    imsx,
    requestId: r.requestId,
    attempts: r.attempts
  })
  if (r.status === 401) return new AuthError(fields)
  if (r.status === 429) return new RateLimitError({ ...fields, ...defined({ retryAfter: r.retryAfter }) })
  if (r.status >= 500) return new ServerError({ ...fields, ...defined({ retryAfter: r.retryAfter }) })
  return new RequestError(fields)
}

/**
 * Whether retrying may help: 408, 429, 500, 502, 503, 504 and no-response errors. Never 409 or
 * another 4xx, never an undecodable answer.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isTransient = (e: GradebookError): boolean => {
  switch (e._tag) {
    case "NoResponseError":
    case "RateLimitError":
      return true
    case "ServerError":
      return e.status === undefined || [500, 502, 503, 504].includes(e.status)
    case "RequestError":
      return e.status === 408
    default:
      return false
  }
}

/**
 * The wait in seconds the server asked for with this error, if any.
 *
 * @since 0.1.0
 * @category getters
 */
export const retryAfter = (e: GradebookError): number | undefined =>
  e._tag === "RateLimitError" || e._tag === "ServerError" ? e.retryAfter : undefined

/**
 * A copy of the error (same member) with `attempts` and/or `operation` set.
 *
 * @since 0.1.0
 * @category combinators
 */
export const annotate = <E extends GradebookError>(
  e: E,
  fields: { readonly attempts?: number; readonly operation?: string }
): E => {
  const Member = e.constructor as new(fields: object) => E
  const { _tag: _, ...own } = e
  return new Member({ ...own, ...fields })
}

/**
 * Every issue of a schema failure, as a dotted path (`""` for the value itself) and a message.
 * Values quoted in messages are bounded previews, so a huge or deeply nested value never makes
 * formatting overflow the stack or bloat the message. A union failure says what matters: an
 * optional field's wrong value is one issue (without the `Expected undefined` of its other
 * alternative), and a value matching none of several literals is one `Expected "a" | "b"` line.
 *
 * @since 0.2.0
 * @category parsing
 */
export const formatIssues: (
  error: Schema.SchemaError
) => ReadonlyArray<{ readonly path: string; readonly message: string }> = Issues.formatIssues
