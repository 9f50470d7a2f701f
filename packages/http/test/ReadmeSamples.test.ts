// Every TypeScript sample of the README (and of the Effect packages' READMEs) type-checks as a user's
// module under the repository's own strict settings (noUnusedLocals included), and every table of
// the README renders as a table. (@timeback/client's README samples run in that package's tests.)
import { expect, it } from "@effect/vitest"
import { marked, type Tokens } from "marked"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const readme = readFileSync(join(root, "README.md"), "utf8")

const samplesOf = (file: string) => {
  const text = readFileSync(join(root, file), "utf8")
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({
    name: `${file.replace(/\W+/g, "-")}-line-${text.slice(0, m.index).split("\n").length + 1}`,
    source: m[1]!
  }))
}
const samples = ["README.md", "packages/core/README.md", "packages/http/README.md", "packages/testkit/README.md"]
  .flatMap(samplesOf)

it("every TypeScript sample of the READMEs type-checks (strict, noUnusedLocals)", () => {
  expect(samples.length).toBeGreaterThanOrEqual(11)
  // beside the tests, so the samples resolve the packages as this package's own code does
  const dir = fileURLToPath(new URL("./.readme-samples/", import.meta.url))
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  try {
    const files = samples.map(({ name, source }) => {
      const file = join(dir, `${name}.ts`)
      writeFileSync(file, source)
      return file
    })
    const base = ts.readConfigFile(join(root, "tsconfig.base.json"), ts.sys.readFile).config
    const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, root)
    const program = ts.createProgram(files, { ...options, noEmit: true, declaration: false, declarationMap: false })
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined
      const sample = d.file?.fileName.split("/").at(-1)?.replace(".ts", "")
      return `${sample}${where ? `, its line ${where.line + 1}` : ""}: ${
        ts.flattenDiagnosticMessageText(d.messageText, "\n")
      }`
    })
    expect(problems).toStrictEqual([])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

it("every table of the README renders as a table, with all its rows", () => {
  const tables = marked.lexer(readme).filter((t): t is Tokens.Table => t.type === "table")
  // the source's tables: runs of lines starting with `|`, outside code blocks
  const runs: Array<number> = []
  let inCode = false
  let run = 0
  for (const line of readme.split("\n")) {
    if (line.startsWith("```")) inCode = !inCode
    if (!inCode && line.startsWith("|")) run++
    else if (run > 0) {
      runs.push(run)
      run = 0
    }
  }
  expect(tables.map((t) => t.rows.length)).toStrictEqual(runs.map((n) => n - 2))
})
