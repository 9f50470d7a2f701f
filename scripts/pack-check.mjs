// The pack check: pack each publishable package as it would be published, then, in an empty project
// outside the workspace, run the README's install lines with npm exactly as written (the tarballs in
// place of the @timeback/* names, nothing else pinned), check that every path the packages export
// exists, type-check (skipLibCheck: false) and run two consumers against the testkit's fake server:
// an Effect program and a Promise one (@timeback/client), and run the CLI from its bin.
//
//   node scripts/pack-check.mjs            (after `pnpm build`; `pnpm pack-check` does both)
import { spawn, spawnSync } from "node:child_process"
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { packed, root, run } from "./packed.mjs"

const packages = ["core", "http", "testkit", "cli", "client"]

/** The `npm i …` lines of the README's Install section, in order. */
const installLines = () => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const section = readme.split(/^## Install$/m)[1]?.split(/^## /m)[0] ?? ""
  const lines = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n"))
    .filter((line) => line.startsWith("npm i "))
  if (lines.length === 0) fail("the README has no npm install line in its Install section")
  return lines
}
const fail = (message) => {
  console.error(`pack check FAILED: ${message}`)
  process.exit(1)
}

let scratch
try {
  // the tarballs stand in for the registry wherever a @timeback/* package is asked for, by the
  // README's lines or by another @timeback package's dependencies (overrides pin no third-party package)
  const made = packed(packages, "timeback-pack-")
  scratch = made.scratch
  const { consumer, files, tarball } = made
  for (const line of installLines()) {
    // the README's line, word for word, with each @timeback/* package taken from its tarball
    // (`-g` installs into the scratch project instead: the check never touches the machine's global packages)
    const args = line.split(/\s+/).slice(2).filter((word) => word !== "-g").map((word) => {
      const name = /^@timeback\/([a-z]+)$/.exec(word)?.[1]
      return name ? tarball(name) : word
    })
    console.log(`pack check: npm i ${line.slice("npm i ".length)}`)
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...args], consumer)
  }

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
    if (!existsSync(join(dir, "README.md"))) fail(`@timeback/${name} ships no README.md`)
    // the CLI and the Promise client bring their own Effect stack as dependencies
    const peers = name === "cli" || name === "client" ? [] : ["effect"]
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
        types: ["node"],
        outDir: "dist",
        skipLibCheck: false
      },
      include: ["src"]
    })
  )
  writeFileSync(
    join(consumer, "src", "main.ts"),
    `import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Gradebook, GradebookError } from "@timeback/core"
import { HttpGradebook } from "@timeback/http"
import { FakeTimebackServer } from "@timeback/testkit"
import { Effect, Layer } from "effect"

const program = Effect.gen(function*() {
  const server = yield* FakeTimebackServer.FakeTimebackServer
  const live = HttpGradebook.layer(server.connection).pipe(Layer.provide(NodeHttpClient.layerUndici))
  const input = {
    assessmentLineItem: { sourcedId: "li-1" },
    student: { sourcedId: "st-1" },
    scoreStatus: "fully graded",
    scoreDate: "2024-09-01",
    score: 90
  } as const
  const pair = yield* Gradebook.createAssessmentResult(input).pipe(Effect.provide(live))
  const stored = yield* server.store.all
  if (stored.length !== 1 || stored[0]!.sourcedId !== pair.allocatedSourcedId) {
    return yield* Effect.die(new Error("the create did not store exactly one result"))
  }
  const put = yield* Gradebook.putAssessmentResult(pair.allocatedSourcedId, { ...input, scoreDate: "2024-09-02", score: 95 })
    .pipe(Effect.provide(live))
  const got = yield* Gradebook.getAssessmentResult(pair.allocatedSourcedId).pipe(Effect.provide(live))
  if (put.score !== 95 || got.score !== 95) return yield* Effect.die(new Error("the put was not read back by a get"))
  const refused = yield* Effect.flip(
    Gradebook.createAssessmentResult({ ...input, scoreStatus: "submitted", scoreDate: "yesterday" }).pipe(Effect.provide(live))
  )
  if (!GradebookError.isGradebookError(refused) || refused._tag !== "RequestError") {
    return yield* Effect.die(new Error("invalid input was not refused with a RequestError"))
  }
  return \`created \${pair.allocatedSourcedId}, put and got it back (score \${got.score}); invalid input refused with \${refused._tag} (\${refused.fields?.join(", ")})\`
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
  writeFileSync(
    join(consumer, "src", "client.ts"),
    `import { GradebookError, TimebackGradebook } from "@timeback/client"
import { FakeServer } from "@timeback/client/testing"

const server = await FakeServer.start()
const gradebook = new TimebackGradebook(server.connection)
try {
  const stored = await gradebook.assessmentResults.put("r-1", {
    assessmentLineItem: { sourcedId: "li-1" },
    student: { sourcedId: "st-1" },
    scoreStatus: "fully graded",
    scoreDate: "2024-09-01",
    score: 90
  })
  const refused = await gradebook.assessmentResults.get("missing").catch((e: unknown) => e)
  if (!(refused instanceof GradebookError.RequestError) || refused.status !== 404) {
    throw new Error(\`a 404 did not reject with a RequestError: \${String(refused)}\`)
  }
  console.log(\`pack check: @timeback/client put \${stored.sourcedId}; a 404 rejected with RequestError\`)
} finally {
  await gradebook.close()
  await server.close()
}
`
  )
  // the first program of the http and client READMEs, verbatim, to run against the testkit's server bin
  const firstSample = (name) => {
    const block = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(root, "packages", name, "README.md"), "utf8"))
    if (!block) fail(`packages/${name}/README.md has no TypeScript sample`)
    writeFileSync(join(consumer, "src", `readme-${name}.ts`), block[1])
  }
  firstSample("http")
  firstSample("client")
  try {
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", consumer], consumer)
  } catch (error) {
    fail(`the consumer does not type-check against the packed .d.ts files:\n${error.stdout}`)
  }
  process.stdout.write(run(process.execPath, [join(consumer, "dist", "main.js")], consumer))
  process.stdout.write(run(process.execPath, [join(consumer, "dist", "client.js")], consumer))

  // the fake server as installed (its bin), and the READMEs' first programs configured by what it prints
  const served = spawn(join(consumer, "node_modules", ".bin", "timeback-fake-server"), [], { cwd: consumer })
  try {
    const env = await new Promise((resolvePrinted, reject) => {
      let printed = ""
      served.stdout.on("data", (chunk) => {
        printed += chunk
        const vars = Object.fromEntries([...printed.matchAll(/^(TIMEBACK_\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]))
        if (Object.keys(vars).length === 4) resolvePrinted(vars)
      })
      served.once("exit", (code) => reject(new Error(`timeback-fake-server exited (${code}): ${printed}`)))
    })
    for (const name of ["http", "client"]) {
      const ran = spawnSync(process.execPath, [join(consumer, "dist", `readme-${name}.js`)], {
        cwd: consumer,
        encoding: "utf8",
        env: { ...process.env, ...env }
      })
      if (ran.status !== 0) fail(`the first program of packages/${name}/README.md failed:\n${ran.stdout}\n${ran.stderr}`)
      console.log(`pack check: packages/${name}/README.md's first program ran against timeback-fake-server`)
    }
  } finally {
    served.kill()
  }

  // the CLI as installed: only its sample input ships (never what a demo run wrote beside it), its bin
  // runs, and the demo import of its sample lands every valid row
  const shipped = readdirSync(join(consumer, "node_modules", "@timeback", "cli", "sample"))
  if (shipped.join() !== "grades.csv") fail(`@timeback/cli ships sample/${shipped.join(", sample/")}: only grades.csv`)
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
  if (scratch) rmSync(scratch, { recursive: true, force: true })
}
