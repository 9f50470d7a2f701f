// Runs turbo with the running Node's version in its cache key. Turbo hashes the root package.json's
// `engines` but never the Node binary that runs the tasks, so without this a run under Node 22
// would replay Node 20's cached results (turbo.json's globalEnv lists TIMEBACK_NODE_VERSION).
//
//   node scripts/turbo.mjs run test --concurrency=1
import { spawnSync } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const result = spawnSync(join(root, "node_modules", ".bin", "turbo"), process.argv.slice(2), {
  stdio: "inherit",
  env: { ...process.env, TIMEBACK_NODE_VERSION: process.version, TURBO_TELEMETRY_DISABLED: "1" }
})
process.exit(result.status ?? 1)
