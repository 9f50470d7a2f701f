import { mergeConfig } from "vitest/config"
import shared, { onFirstNodeOnly } from "../../vitest.shared.js"

export default mergeConfig(
  shared,
  onFirstNodeOnly([
    // the governor against rate-limited servers, Retry-After pauses and token rotations
    "test/RateLimit.test.ts",
    "test/AnnouncedRateLimit.test.ts",
    "test/Pacing.test.ts",
    // bulk writes of thousands of items paced by a rate-limited server, and the fault soaks
    "test/Bulk.test.ts",
    "test/ReadmeBulk.test.ts",
    "test/Canary.test.ts",
    "test/Properties.test.ts"
  ])
)
