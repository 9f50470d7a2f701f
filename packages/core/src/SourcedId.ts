/**
 * The rules for a sourcedId the SDK writes or puts in a URL: it must arrive at the server as the
 * path segment that was meant.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as Unicode from "./internal/unicode.js"

// C0 controls and DEL
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate), so that it can be encoded as UTF-8
 * for a URL: `encodeURIComponent` throws on a lone surrogate and `URLSearchParams` replaces it
 * with U+FFFD.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isWellFormed: (s: string) => boolean = Unicode.isWellFormed

/**
 * Why `s` cannot be a sourcedId, or `undefined` when it can:
 *
 * - empty, or with leading or trailing whitespace;
 * - `.` or `..`: URL normalisation removes these path segments, even percent-encoded (`%2E`), so
 *   `GET …/assessmentResults/..` would reach `GET …/v1p2/`;
 * - a lone surrogate (ill-formed Unicode): it has no UTF-8 encoding;
 * - a control character (U+0000–U+001F, U+007F): servers and proxies refuse or strip them in URLs.
 *
 * Anything else (`/`, `?`, `#`, `%`, non-ASCII) is percent-encoded into one path segment.
 *
 * @since 0.2.0
 * @category validation
 */
export const problem = (s: string): string | undefined =>
  // the common case, printable ASCII without surrounding spaces, in one test
  SAFE_ASCII.test(s) ? (s === "." || s === ".." ? dotSegment(s) : undefined) : anyProblem(s)

// printable ASCII, neither starting nor ending with a space
const SAFE_ASCII = /^[!-~](?:[ -~]*[!-~])?$/

const dotSegment = (s: string) =>
  `Expected a sourcedId other than ${JSON.stringify(s)} (URLs drop "." and ".." path segments)`

const anyProblem = (s: string): string | undefined =>
  s.length === 0
    ? "Expected a non-empty sourcedId"
    : s === "." || s === ".."
    ? dotSegment(s)
    : s.trim() !== s
    ? "Expected a sourcedId without leading or trailing whitespace"
    : CONTROL.test(s)
    ? "Expected a sourcedId without control characters"
    : !isWellFormed(s)
    ? "Expected a sourcedId of well-formed Unicode (it has a lone surrogate)"
    : undefined

/**
 * A sourcedId the SDK can write and address: see `problem` for what is refused.
 *
 * @since 0.2.0
 * @category schemas
 */
export const SourcedId = Schema.String.pipe(
  Schema.check(Schema.makeFilter((s: string) => problem(s), {
    identifier: "SourcedId",
    arbitraryConstraint: { patterns: [{ source: "^[!-~](?:[ -~]{0,20}[!-~])?$", flags: "" }] }
  }))
)

/**
 * The sourcedId as one path segment. Only for ids `SourcedId` accepts.
 *
 * @since 0.2.0
 * @category encoding
 */
export const pathSegment = (sourcedId: string): string => encodeURIComponent(sourcedId)
