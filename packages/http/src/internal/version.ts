/** This package's version, kept equal to package.json's by `scripts/sync-versions.mjs` (a test checks it). */
export const VERSION = "0.0.0"
