// Runs a command under another major version of Node, fetched from the npm registry as the `node`
// package (npx caches it): `node` on the command's PATH is that version, for it and every process
// it starts.
//
//   node scripts/on-node.mjs 22 node scripts/turbo.mjs run test --concurrency=1
import { execFileSync, spawnSync } from "node:child_process"
import { dirname } from "node:path"

const [major, command, ...args] = process.argv.slice(2)
if (!/^\d+$/.test(major ?? "") || !command) {
  console.error("usage: node scripts/on-node.mjs <major> <command> [args…]")
  process.exit(64)
}
// pnpm sets settings of its own as npm_config_* variables for the scripts it runs; npm (npx) warns
// that it does not know them: they are not passed to it
const PNPM_ONLY = ["npm_config_verify_deps_before_run", "npm_config_npm_globalconfig", "npm_config__jsr_registry"]
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PNPM_ONLY.includes(k.toLowerCase())))
const execPath = process.versions.node.split(".")[0] === major
  ? process.execPath
  : execFileSync("npx", ["-y", `node@${major}`, "-p", "process.execPath"], { encoding: "utf8", env: npmEnv })
    .trim()
const version = execFileSync(execPath, ["--version"], { encoding: "utf8" }).trim()
console.log(`on-node: ${command} ${args.join(" ")} under Node ${version} (${execPath})`)
const PATH = `${dirname(execPath)}:${process.env.PATH}`
const result = spawnSync(command === "node" ? execPath : command, args, { stdio: "inherit", env: { ...process.env, PATH } })
process.exit(result.status ?? 1)
