/**
 * The progress of an import on stderr: on a terminal one line rewritten in place (done / total,
 * rows per second, failures by kind, ETA); otherwise a plain line every few seconds. Messages
 * (a failed row) print above the live line.
 */

export interface Progress {
  readonly succeeded: () => void
  readonly failed: (kind: string) => void
  /** Prints `message` on its own line (above the live line on a terminal). */
  readonly log: (message: string) => void
  /** Prints the current state (on a terminal, in place). */
  readonly tick: () => void
  /** Ends the live line. */
  readonly finish: () => void
  readonly counts: () => {
    readonly done: number
    readonly succeeded: number
    readonly failed: ReadonlyMap<string, number>
    readonly elapsedMs: number
  }
}

const seconds = (ms: number) =>
  ms < 60_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.ceil((ms % 60_000) / 1000)} s`

export const make = (
  total: number,
  options: { readonly tty: boolean; readonly write: (text: string) => void }
): Progress => {
  const started = performance.now()
  let succeeded = 0
  const failed = new Map<string, number>()
  let shown = false
  const done = () => succeeded + [...failed.values()].reduce((a, b) => a + b, 0)

  const line = () => {
    const elapsed = performance.now() - started
    const n = done()
    const rate = elapsed > 0 ? (n * 1000) / elapsed : 0
    const failures = [...failed].map(([kind, count]) => `${kind} ${count}`).join(", ")
    const eta = rate > 0 && n < total ? ` · ETA ${seconds(((total - n) / rate) * 1000)}` : ""
    return `${n}/${total} rows · ${rate.toFixed(0)}/s · ${failures === "" ? "0 failed" : `failed: ${failures}`}${eta}`
  }
  const clear = () => {
    if (options.tty && shown) options.write("\r\x1b[K")
    shown = false
  }

  return {
    succeeded: () => {
      succeeded++
    },
    failed: (kind) => {
      failed.set(kind, (failed.get(kind) ?? 0) + 1)
    },
    log: (message) => {
      clear()
      options.write(`${message}\n`)
    },
    tick: () => {
      if (options.tty) {
        clear()
        options.write(line())
        shown = true
      } else options.write(`${line()}\n`)
    },
    finish: () => {
      if (options.tty && shown) options.write("\n")
      shown = false
    },
    counts: () => ({ done: done(), succeeded, failed, elapsedMs: performance.now() - started })
  }
}
