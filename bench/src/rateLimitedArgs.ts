/**
 * The command-line arguments of `rateLimited.ts` (after the script's path): `count` puts at
 * concurrency 64, ids from `firstId`, with default settings or `maxRequestsPerSecond: ceiling`.
 * What the bench and `rate-trace` both spawn.
 */
export const rateLimitedArgs = (
  url: string,
  count: number,
  firstId: number,
  ceiling?: number | string
): ReadonlyArray<string> => [
  url,
  String(count),
  "64",
  String(firstId),
  ...(ceiling === undefined ? [] : [String(ceiling)])
]
