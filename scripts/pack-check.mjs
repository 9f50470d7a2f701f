// The pack check: pack each publishable package as it would be published, install the tarballs (and
// their peers, from the registry) into a scratch project outside the workspace, check that every
// path the packages export exists, then type-check and run a consumer that imports all three
// packages and performs a create against the testkit server.
//
//   node scripts/pack-check.mjs            (after `pnpm build`; `pnpm pack-check` does both)
import { execFileSync, spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["core", "http", "testkit", "cli"]
const pins = JSON.parse(readFileSync(join(root, "apps/example/package.json"), "utf8")).dependencies
const scratch = mkdtempSync(join(tmpdir(), "timeback-pack-"))
const tarballs = join(scratch, "tarballs")
mkdirSync(tarballs)

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" })
const pnpm = (args, cwd) =>
  process.env.npm_execpath?.includes("pnpm") ? run(process.execPath, [process.env.npm_execpath, ...args], cwd) : run("pnpm", args, cwd)
const fail = (message) => {
  console.error(`pack check FAILED: ${message}`)
  process.exit(1)
}

try {
  for (const name of packages) pnpm(["pack", "--pack-destination", tarballs], join(root, "packages", name))
  const files = readdirSync(tarballs)
  const tarball = (name) => `file:${join(tarballs, files.find((f) => f.startsWith(`timeback-${name}-`)))}`

  const consumer = join(scratch, "consumer")
  mkdirSync(join(consumer, "src"), { recursive: true })
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({
      name: "pack-check-consumer",
      private: true,
      type: "module",
      dependencies: {
        ...Object.fromEntries(packages.map((name) => [`@timeback/${name}`, tarball(name)])),
        effect: pins.effect,
        "@effect/platform": pins["@effect/platform"],
        "@effect/platform-node": pins["@effect/platform-node"]
      }
    }, null, 2)
  )
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], consumer)

  // every path a package exports (exports, main, types) must exist in what was installed
  const targets = (value) =>
    typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(targets) : []
  for (const name of packages) {
    const dir = join(consumer, "node_modules", "@timeback", name)
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
    const paths = [...targets(manifest.exports), manifest.main, manifest.types].filter(Boolean)
    if (paths.length === 0) fail(`@timeback/${name} exports nothing`)
    for (const path of paths) {
      if (!existsSync(join(dir, path))) fail(`@timeback/${name} exports ${path}, which is not in its tarball`)
    }
    if (manifest.sideEffects !== false) fail(`@timeback/${name} must declare sideEffects: false`)
    // the CLI is an application: it pins its Effect stack as dependencies
    const peers = name === "cli" ? [] : ["effect", "@effect/platform"].filter((p) => name !== "core" || p === "effect")
    for (const peer of peers) {
      if (!manifest.peerDependencies?.[peer]) fail(`@timeback/${name} must have ${peer} as a peer dependency`)
    }
  }

  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        types: [],
        outDir: "dist",
        skipLibCheck: false
      },
      include: ["src"]
    })
  )
  writeFileSync(
    join(consumer, "src", "main.ts"),
    `import { FetchHttpClient } from "@effect/platform"
import { Gradebook, GradebookError } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import { Effect, Layer } from "effect"

declare const process: { exitCode?: number }

const program = Effect.gen(function*() {
  const server = yield* FakeTimebackServer.FakeTimebackServer
  const live = HttpGradebook.layer(server.connection).pipe(Layer.provide(FetchHttpClient.layer))
  const pair = yield* Gradebook.createAssessmentResult({
    assessmentLineItem: { sourcedId: "li-1" },
    student: { sourcedId: "st-1" },
    scoreStatus: "fully graded",
    scoreDate: "2024-09-01",
    score: 90
  }).pipe(Effect.provide(live))
  const stored = yield* server.store.all
  if (stored.length !== 1 || stored[0]!.sourcedId !== pair.allocatedSourcedId) {
    return yield* Effect.die(new Error("the create did not store exactly one result"))
  }
  const refused = yield* Effect.flip(
    Gradebook.createAssessmentResult({ assessmentLineItem: { sourcedId: "li-1" }, student: { sourcedId: "st-1" }, scoreStatus: "submitted", scoreDate: "yesterday" }).pipe(Effect.provide(live))
  )
  if (!GradebookError.isGradebookError(refused) || refused._tag !== "RequestError") {
    return yield* Effect.die(new Error("invalid input was not refused with a RequestError"))
  }
  return \`created \${pair.allocatedSourcedId}; invalid input refused with \${refused._tag} (\${refused.fields?.join(", ")})\`
})

Effect.runPromise(program.pipe(Effect.provide(FakeTimebackServer.layerServer()))).then(
  (summary) => console.log(\`pack check: \${summary}\`),
  (error) => {
    console.error(error)
    process.exitCode = 1
  }
)
`
  )
  try {
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", consumer], consumer)
  } catch (error) {
    fail(`the consumer does not type-check against the packed .d.ts files:\n${error.stdout}`)
  }
  process.stdout.write(run(process.execPath, [join(consumer, "dist", "main.js")], consumer))

  // the CLI as installed: its bin runs, and the demo import of its sample lands every valid row
  const bin = join(consumer, "node_modules", ".bin", "timeback-gradebook")
  if (!run(bin, ["--help"], consumer).includes("import")) fail("timeback-gradebook --help does not list import")
  copyFileSync(join(consumer, "node_modules", "@timeback", "cli", "sample", "grades.csv"), join(consumer, "grades.csv"))
  const demo = spawnSync(bin, ["import", "grades.csv", "--demo"], { cwd: consumer, encoding: "utf8" })
  // exit code 2: the sample's four bad rows did not land, as intended
  if (demo.status !== 2 || !/stored\s+496\n/.test(demo.stdout)) {
    fail(`timeback-gradebook import grades.csv --demo (exit ${demo.status}):\n${demo.stdout}\n${demo.stderr}`)
  }
  console.log("pack check: timeback-gradebook import grades.csv --demo stored 496 rows, refused 4")
  console.log(`pack check passed (${files.join(", ")})`)
} catch (error) {
  fail(error.message)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
