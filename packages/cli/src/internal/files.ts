/**
 * The files an import keeps beside its input: the journal of rows the server confirmed, and the
 * rows that did not land. Both are written line by line with `writeSync` (no buffer in this
 * process), so a kill loses nothing already written.
 */
import { createHash } from "node:crypto"
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs"
import { basename, dirname, extname, join } from "node:path"
import { Fatal } from "./fatal.js"
import type { Item } from "./rows.js"

/** `dir/name.csv` → `dir/name<suffix>`, or `stateDir/name<suffix>` when a state directory is given. */
export const beside = (file: string, suffix: string, stateDir?: string | undefined) =>
  join(stateDir ?? dirname(file), `${basename(file, extname(file))}${suffix}`)

/** An append-only text file, open until `close`. */
export interface Appender {
  readonly path: string
  readonly append: (text: string) => void
  readonly close: () => void
}

/**
 * A file or folder that cannot be read or written ends the import with one line naming it (a
 * `Fatal`, thrown: the writes happen in synchronous callbacks), never a stack trace; what was written
 * before stays.
 */
const unusable = (verb: "read" | "write", path: string, e: unknown) =>
  new Fatal({
    message: `cannot ${verb} ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): pass ` +
      "--state-dir DIR, a directory for the journal and the rows that did not land (rows already stored stay stored)"
  })

/** `f()`, or a thrown `Fatal` naming `path` when the file system refuses it. */
export const onFile = <A>(verb: "read" | "write", path: string, f: () => A): A => {
  try {
    return f()
  } catch (e) {
    throw unusable(verb, path, e)
  }
}

export const appender = (path: string, mode: "a" | "w"): Appender => {
  const fd = onFile("write", path, () => openSync(path, mode))
  let open = true
  return {
    path,
    append: (text) => {
      if (open) onFile("write", path, () => writeSync(fd, text))
    },
    close: () => {
      if (open) closeSync(fd)
      open = false
    }
  }
}

const HEADER = "timeback-gradebook import journal v1"

/** What identifies one confirmed row: its sourcedId and everything sent (a changed row is sent again). */
export const fingerprint = (item: Item): string => createHash("sha256").update(JSON.stringify(item)).digest("hex")

/**
 * The journal of an import against `target` (API and client id): a header line, then one line per
 * row the server confirmed (`<fingerprint> <line> <sourcedId>`). A journal of another target, or
 * `restart`, starts over, once a row of this run is confirmed (not before).
 */
export interface Journal extends Appender {
  /** Fingerprints of the rows confirmed by earlier runs. */
  readonly confirmed: ReadonlySet<string>
  readonly record: (item: Item, line: number) => void
}

export const journal = (path: string, target: string, restart: boolean): Journal => {
  const header = `${HEADER} ${target}`
  const confirmed = new Set<string>()
  let resume = false
  if (!restart && existsSync(path)) {
    const lines = onFile("read", path, () => readFileSync(path, "utf8")).split("\n")
    if (lines[0] === header) {
      resume = true
      for (const line of lines.slice(1)) {
        const fingerprint = line.split(" ", 1)[0]!
        if (fingerprint.length === 64) confirmed.add(fingerprint)
      }
    }
  }
  // opened at the first row confirmed: a run that ends before any row lands (refused credentials, a
  // server that does not answer) leaves an earlier journal as it was, even with `restart`
  let file: Appender | undefined
  const opened = () => {
    if (file === undefined) {
      file = appender(path, resume ? "a" : "w")
      if (!resume) file.append(`${header}\n`)
    }
    return file
  }
  return {
    path,
    append: (text) => opened().append(text),
    close: () => file?.close(),
    confirmed,
    record: (item, line) => opened().append(`${fingerprint(item)} ${line} ${item.sourcedId}\n`)
  }
}
