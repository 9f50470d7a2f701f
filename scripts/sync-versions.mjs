// Keeps each package's `src/internal/version.ts` (the version it reports in its User-Agent) equal to
// its package.json version. Runs after `changeset version` (`pnpm version-packages`); a test in each
// such package fails when they differ.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

for (const name of readdirSync("packages")) {
  const file = join("packages", name, "src", "internal", "version.ts")
  if (!existsSync(file)) continue
  const { version } = JSON.parse(readFileSync(join("packages", name, "package.json"), "utf8"))
  const source = readFileSync(file, "utf8")
  const updated = source.replace(/export const VERSION = "[^"]*"/, `export const VERSION = ${JSON.stringify(version)}`)
  if (updated !== source) {
    writeFileSync(file, updated)
    console.log(`${file}: ${version}`)
  }
}
