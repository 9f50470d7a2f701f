// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** `String.prototype.isWellFormed` for runtimes that lack it. */
export const hasNoLoneSurrogate = (s: string): boolean => !LONE_SURROGATE.test(s)

// Node 20+ and current browsers have it natively (several times faster than the regex)
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate), so that it can be encoded as UTF-8
 * for a URL: `encodeURIComponent` throws on a lone surrogate and `URLSearchParams` replaces it
 * with U+FFFD.
 */
export const isWellFormed: (s: string) => boolean = typeof nativeIsWellFormed === "function"
  ? (s) => nativeIsWellFormed.call(s)
  : hasNoLoneSurrogate
