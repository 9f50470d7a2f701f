// The packages as a user installs them: packed as they would be published (pnpm rewrites
// `workspace:` ranges and applies `publishConfig`) into a scratch folder, and an empty npm project
// beside the tarballs in which they stand in for the registry. Shared by the pack check and the
// client footprint measurement.
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** Runs a command, its stdout returned, its stderr shown. */
export const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })

/** pnpm: the one running this script (fetched by npx), or the one on the PATH. */
const pnpm = (args, cwd) =>
  process.env.npm_execpath?.includes("pnpm")
    ? run(process.execPath, [process.env.npm_execpath, ...args], cwd)
    : run("pnpm", args, cwd)

/**
 * Packs `packages` (names under packages/) into a new scratch folder and makes an empty npm project
 * there whose `overrides` take every @timeback/* package from its tarball, whoever asks for it (an
 * install line, or another @timeback package's dependencies); nothing else is pinned.
 */
export const packed = (packages, prefix) => {
  const scratch = mkdtempSync(join(tmpdir(), prefix))
  const tarballs = join(scratch, "tarballs")
  mkdirSync(tarballs)
  for (const name of packages) pnpm(["pack", "--pack-destination", tarballs], join(root, "packages", name))
  const files = readdirSync(tarballs)
  // relative to the consumer, as npm records it (an override must match a direct dependency's spec)
  const tarball = (name) => `file:../tarballs/${files.find((f) => f.startsWith(`timeback-${name}-`))}`
  const consumer = join(scratch, "consumer")
  mkdirSync(join(consumer, "src"), { recursive: true })
  const overrides = Object.fromEntries(packages.map((name) => [`@timeback/${name}`, tarball(name)]))
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", overrides }))
  return { scratch, files, tarball, consumer }
}
