/**
 * Where an import keeps its journal and failed rows: the directory given (`--state-dir`), else beside
 * the input when its folder is writable, else a per-user state directory (a global install's sample,
 * a read-only share). Input from stdin (`import -`) is first copied there, named by its content, so
 * the same input piped again resumes from its journal.
 */
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { accessSync, constants, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from "node:fs"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import { Fatal } from "./fatal.js"
import * as Files from "./files.js"
import type { Format } from "./source.js"

/** `$XDG_STATE_HOME/timeback-gradebook`, or the platform's per-user equivalent. */
export const userStateDir = (env: NodeJS.ProcessEnv = process.env): string => {
  const base = env.XDG_STATE_HOME ||
    (process.platform === "win32"
      ? env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local")
      : process.platform === "darwin"
      ? join(homedir(), "Library", "Application Support")
      : join(homedir(), ".local", "state"))
  return join(base, "timeback-gradebook")
}

const writable = (dir: string) => {
  try {
    accessSync(dir, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** `dir`, created if need be, or a `Fatal` saying it cannot be written and what to pass instead. */
const usable = (dir: string) =>
  Effect.try({
    try: () =>
      Files.onFile("write", dir, () => {
        mkdirSync(dir, { recursive: true })
        accessSync(dir, constants.W_OK)
        return dir
      }),
    catch: (e) => e as Fatal
  })

/** Where the import of `file` keeps its files (`undefined`: beside it), and a line saying so when it is not beside it. */
const choose = (
  file: string,
  given: string | undefined
): Effect.Effect<{ readonly dir: string | undefined; readonly notice: string | undefined }, Fatal> => {
  if (given !== undefined) return Effect.succeed({ dir: given, notice: undefined })
  if (writable(dirname(file))) return Effect.succeed({ dir: undefined, notice: undefined })
  return Effect.map(usable(userStateDir()), (dir) => ({
    dir,
    notice: `${dirname(file)} is not writable: the journal and the rows that did not land go to ${dir} ` +
      "(--state-dir chooses another directory)"
  }))
}

/**
 * The input of an import and where its files go: `file` itself, checked to exist, beside it or in the
 * state directory (`choose`); or, for `-`, stdin copied into the state directory (`--state-dir`, else
 * the per-user one), its files beside the copy. A line saying where they go, when it is not beside
 * the input, is in `notice`.
 */
export const input = (
  file: string,
  given: string | undefined,
  format: Format
): Effect.Effect<
  { readonly file: string; readonly dir: string | undefined; readonly notice: string | undefined },
  Fatal
> => {
  if (file === "-") {
    return Effect.flatMap(
      given === undefined ? usable(userStateDir()) : Effect.succeed(given),
      (dir) => Effect.map(spoolStdin(dir, format), (copy) => ({ file: copy, dir, notice: undefined }))
    )
  }
  if (!existsSync(file)) return Effect.fail(new Fatal({ message: `${file} does not exist` }))
  return Effect.map(choose(file, given), (state) => ({ file, ...state }))
}

/**
 * Stdin copied to `dir/stdin-<first 16 hex of its sha256>.<csv|ndjson>`, read as it arrives (one
 * chunk in memory at a time).
 */
const spoolStdin = (dir: string, format: Format): Effect.Effect<string, Fatal> =>
  Effect.tryPromise({
    try: async () => {
      const partial = join(dir, `stdin-${process.pid}-${Date.now()}.partial`)
      const hash = createHash("sha256")
      const out = createWriteStream(partial)
      try {
        for await (const chunk of process.stdin) {
          hash.update(chunk as Buffer)
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()))
        }
        await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => e ? reject(e) : resolve()))
      } catch (e) {
        out.destroy()
        rmSync(partial, { force: true })
        throw e
      }
      const path = join(dir, `stdin-${hash.digest("hex").slice(0, 16)}.${format}`)
      renameSync(partial, path)
      return path
    },
    catch: (e) => new Fatal({ message: `cannot read stdin into ${dir}: ${(e as Error).message}` })
  })
