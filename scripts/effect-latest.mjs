// `pnpm test:effect-latest`: the suite against the newest Effect on the npm registry, so that a
// minor release that breaks something (Effect's http and cli modules, which this SDK is built on, are
// marked unstable: a minor may change them) is seen here before a user's install can pick it.
//
// In a copy of the working tree (the repository itself is not touched), every package's `effect`,
// `@effect/platform-node` and `@effect/vitest` are set to the registry's `latest` (exact for the
// workspace's own installs, `~` in the peer and dependency ranges the packages publish), the lockfile
// is resolved afresh, and type-check, build and the tests (Node 22) run there. The exit code is theirs.
//
//   node scripts/effect-latest.mjs [--keep]     (--keep: leave the copy in place and print where)
import { execFileSync, spawnSync } from "node:child_process"
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const keep = process.argv.includes("--keep")
const EFFECT_PACKAGES = ["effect", "@effect/platform-node", "@effect/vitest"]
const SKIPPED = new Set(["node_modules", "dist", ".turbo", ".git"])

// pnpm sets settings of its own as npm_config_* variables for the scripts it runs; npm warns about them
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_config_")))
const latest = Object.fromEntries(EFFECT_PACKAGES.map((name) => [
  name,
  execFileSync("npm", ["view", `${name}@latest`, "version"], { encoding: "utf8", env: npmEnv }).trim()
]))
console.log(`effect-latest: ${EFFECT_PACKAGES.map((name) => `${name}@${latest[name]}`).join(", ")}`)

const copy = mkdtempSync(join(tmpdir(), "timeback-effect-latest-"))
cpSync(root, copy, {
  recursive: true,
  // a build-info file without the build it describes would make `tsc -b` skip building
  filter: (source) => !SKIPPED.has(basename(source)) && !source.endsWith(".tsbuildinfo")
})

/** Every package.json of the workspace copy. */
const manifests = () => {
  const found = [join(copy, "package.json")]
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(copy, group))) found.push(join(copy, group, name, "package.json"))
  }
  found.push(join(copy, "bench", "package.json"))
  return found
}

for (const file of manifests()) {
  const manifest = JSON.parse(readFileSync(file, "utf8"))
  for (const field of ["dependencies", "devDependencies", "peerDependencies"]) {
    const deps = manifest[field]
    if (!deps) continue
    for (const name of EFFECT_PACKAGES) {
      if (deps[name] === undefined) continue
      // the workspace installs exactly latest; what a package publishes accepts latest's patches
      deps[name] = field === "devDependencies" || /^\d/.test(deps[name]) ? latest[name] : `~${latest[name]}`
    }
  }
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`)
}

const pnpm = process.env.npm_execpath?.includes("pnpm") ? [process.execPath, process.env.npm_execpath] : ["npx", "-y", "pnpm@10.34.9"]
const step = (label, command, args) => {
  console.log(`effect-latest: ${label}`)
  const result = spawnSync(command, args, { cwd: copy, stdio: "inherit", env: npmEnv })
  return result.status ?? 1
}

let status = step("install (lockfile resolved afresh)", pnpm[0], [...pnpm.slice(1), "install", "--no-frozen-lockfile"])
// through pnpm exec: turbo runs each package's script with the package manager it finds on the PATH
const exec = (...args) => [...pnpm.slice(1), "exec", ...args]
if (status === 0) status = step("check and build", pnpm[0], exec("node", "scripts/turbo.mjs", "run", "check", "build"))
if (status === 0) {
  status = step(
    "tests on Node 22",
    pnpm[0],
    exec("node", "scripts/on-node.mjs", "22", "node", "scripts/turbo.mjs", "run", "test", "--concurrency=1")
  )
}
console.log(
  status === 0
    ? `effect-latest: the suite passes on ${EFFECT_PACKAGES.map((name) => `${name}@${latest[name]}`).join(", ")}`
    : `effect-latest: FAILED on ${
      EFFECT_PACKAGES.map((name) => `${name}@${latest[name]}`).join(", ")
    }: widen no range before this passes`
)
if (keep) console.log(`effect-latest: the copy is at ${copy}`)
else rmSync(copy, { recursive: true, force: true })
process.exit(status)
