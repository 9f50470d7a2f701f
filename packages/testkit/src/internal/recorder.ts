/** The fake server's record of every request, with credentials redacted. */

/**
 * A request as the server saw it. `authorization` is redacted and so is a `client_secret` in a
 * form body.
 */
export interface RecordedRequest {
  readonly method: string
  /** Path and query string. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The `User-Agent` header, as sent (also in `headers`). */
  readonly userAgent: string | undefined
  readonly body: string
  /** Whether a fault was applied to it. */
  readonly fault?: string
  /** When it arrived (ms since the epoch, system clock). */
  readonly receivedAt: number
  /**
   * When the client closed the connection before the whole answer was sent (ms since the epoch):
   * it gave up on the request (aborted it, or timed out). Absent when the answer was sent, and
   * for the faults that cut the connection themselves (`Truncated`, `DropAfterCommit`).
   */
  readonly abandonedAt?: number
}

const redactForm = (body: string) => body.replace(/(client_secret=)[^&]*/g, "$1[redacted]")

const redactHeaders = (headers: Readonly<Record<string, string>>) =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, k === "authorization" ? v.replace(/ .*/, " [redacted]") : v])
  )

export const make = (tokenPath: string) => {
  const recorded: Array<RecordedRequest> = []
  return {
    record: (
      request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>> },
      body: string,
      fault: string | undefined
    ): (at: number) => void => {
      const path = new URL(request.url, "http://x").pathname
      recorded.push({
        method: request.method,
        url: request.url,
        headers: redactHeaders(request.headers),
        userAgent: request.headers["user-agent"],
        body: path === tokenPath ? redactForm(body) : body,
        ...(fault && { fault }),
        receivedAt: Date.now()
      })
      const index = recorded.length - 1
      return (at) => {
        recorded[index] = { ...recorded[index]!, abandonedAt: at }
      }
    },
    all: () => [...recorded],
    clear: () => void recorded.splice(0)
  }
}
