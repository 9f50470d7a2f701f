// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** `String.prototype.isWellFormed` for runtimes that lack it. */
export const hasNoLoneSurrogate = (s: string): boolean => !LONE_SURROGATE.test(s)
