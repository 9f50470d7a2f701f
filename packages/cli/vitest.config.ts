import { mergeConfig } from "vitest/config"
import shared, { onFirstNodeOnly } from "../../vitest.shared.js"

export default mergeConfig(
  shared,
  // imports paced by rate-limited servers, killed and resumed (the CLI's other commands, its exit
  // codes and its errors, spawned the same way, run on both Node versions)
  onFirstNodeOnly(["test/Import.test.ts"])
)
