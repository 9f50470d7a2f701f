// What `npm i @timeback/client` costs a user: pack the packages as they would be published, install
// the client alone into an empty npm project (the tarballs standing in for the registry), then report
// the packages and bytes installed and the time a cold `import("@timeback/client")` takes (median
// of several fresh processes).
//
//   node scripts/client-footprint.mjs [runs]      (after `pnpm build`)
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { packed, run } from "./packed.mjs"

const runs = Number(process.argv[2] ?? 7)
const { consumer, scratch, tarball } = packed(["core", "http", "testkit", "client"], "timeback-footprint-")
run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball("client")], consumer)

/** Every installed package (a folder with a package.json naming it), and the bytes under node_modules. */
const installed = []
let bytes = 0
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else if (entry.isFile()) bytes += statSync(path).size
  }
}
const modules = join(consumer, "node_modules")
for (const entry of readdirSync(modules)) {
  if (entry.startsWith(".")) continue
  const scoped = entry.startsWith("@") ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry]
  installed.push(...scoped)
}
walk(modules)
const nested = run("npm", ["ls", "--all", "--parseable"], consumer).trim().split("\n").length - 1

writeFileSync(join(consumer, "cold.mjs"), `await import("@timeback/client"); console.log(performance.now())`)
const times = Array.from({ length: runs }, () => Number(run(process.execPath, ["cold.mjs"], consumer))).sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)]

console.log(JSON.stringify({
  node: process.version,
  packages: nested,
  megabytes: Math.round(bytes / 1e5) / 10,
  coldImportMs: { median: Math.round(median), min: Math.round(times[0]), max: Math.round(times.at(-1)), runs },
  topLevel: installed
}, null, 2))
rmSync(scratch, { recursive: true, force: true })
