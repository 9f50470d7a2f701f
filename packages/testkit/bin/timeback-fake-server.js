#!/usr/bin/env node
// The `timeback-fake-server` command: the built server (`dist/bin/serve.js`). This launcher is a
// committed file so that installing the package in a workspace, before anything is built, can link
// the command without a warning; in the repository, build first, or run `pnpm --filter
// @timeback/testkit serve`.
import { existsSync } from "node:fs"

const built = new URL("../dist/bin/serve.js", import.meta.url)
if (!existsSync(built)) {
  console.error("timeback-fake-server: not built yet (run the build, or `pnpm --filter @timeback/testkit serve`)")
  process.exit(1)
}
await import(built.href)
