import { mergeConfig } from "vitest/config"
import shared, { onFirstNodeOnly } from "../../vitest.shared.js"

export default mergeConfig(
  shared,
  // imports killed and resumed, and paced by rate-limited servers (the CLI's other commands and
  // imports, its exit codes and its errors, spawned the same way, run on both Node versions)
  onFirstNodeOnly(["test/ImportResume.test.ts"])
)
