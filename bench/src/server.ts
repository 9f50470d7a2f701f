/**
 * The bench's server: as little work as a server can do. Precomputed answers to the create and
 * put shapes, a token endpoint, and a list endpoint that generates pages on the fly (nothing is
 * stored, so streaming any number of results costs the server no memory).
 */
import { createServer, type Server } from "node:http"
import * as RateLimit from "../../packages/testkit/src/internal/rateLimit.js"
import { ACCESS_TOKEN, createResponse, fullInput, fullLineItem, fullResult, putResponse } from "./fixtures.js"

const GRADEBOOK = "/ims/oneroster/gradebook/v1p2"
const BASE = `${GRADEBOOK}/assessmentResults`

/** The lists the server generates: the collection's key in the body, and one item to repeat. */
const LISTS: ReadonlyArray<{ readonly path: string; readonly key: string; readonly item: object }> = [
  { path: BASE, key: "assessmentResults", item: fullInput },
  { path: `${GRADEBOOK}/lineItems`, key: "lineItems", item: fullLineItem },
  { path: `${GRADEBOOK}/classes/class-1/results`, key: "results", item: fullResult }
]

export interface BenchServer {
  readonly url: string
  readonly tokenRequests: () => number
  /** Gradebook requests received, and how many of them were refused with a 429. */
  readonly apiRequests: () => { readonly total: number; readonly refused: number }
  readonly close: () => Promise<void>
}

const page = (list: (typeof LISTS)[number], offset: number, limit: number, total: number) => {
  const items: Array<string> = []
  for (let i = offset; i < Math.min(total, offset + limit); i++) {
    items.push(JSON.stringify({ ...list.item, sourcedId: `r-${i}` }))
  }
  return `{"${list.key}":[${items.join(",")}],"totalCount":${total},"offset":${offset},"limit":${limit}}`
}

const NO_HEADERS: Readonly<Record<string, string>> = {}

export const start = (
  options: {
    readonly streamTotal?: number
    /**
     * A token bucket over the gradebook requests (the fake server's): beyond it, 429 with
     * `Retry-After` in seconds. `announce`: every gradebook answer says the limit and what is left
     * of it (`RateLimit-Policy`, `RateLimit` headers).
     */
    readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst: number; readonly announce?: boolean }
    /** Every `trickle`-th gradebook request is answered 503 with `Retry-After: 0` (a hiccup, not a rate signal). */
    readonly trickle?: number
  } = {}
): Promise<BenchServer> =>
  new Promise((resolve) => {
    let tokens = 0
    let total = 0
    let refused = 0
    // the fake server's own token bucket (one client here), with its headers
    const limiter = options.rateLimit && RateLimit.make({ ...options.rateLimit, retryAfter: "seconds" })
    const server: Server = createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        let limitHeaders: Readonly<Record<string, string>> = NO_HEADERS
        const json = (status: number, body: string) => {
          res.writeHead(status, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            ...limitHeaders
          })
          res.end(body)
        }
        const url = req.url ?? ""
        if (url === "/oauth2/token") {
          tokens++
          return json(200, JSON.stringify({ access_token: ACCESS_TOKEN, token_type: "Bearer", expires_in: 3600 }))
        }
        total++
        const verdict = limiter?.("bench", performance.now())
        limitHeaders = verdict?.headers ?? NO_HEADERS
        if (options.trickle !== undefined && total % options.trickle === 0) {
          refused++
          res.writeHead(503, { "content-type": "application/json", "retry-after": "0" })
          return res.end(`{"imsx_codeMajor":"failure","imsx_severity":"error","imsx_description":"busy"}`)
        }
        if (verdict?.refused) {
          refused++
          return json(
            429,
            JSON.stringify({ imsx_codeMajor: "failure", imsx_severity: "error", imsx_description: "rate limited" })
          )
        }
        // answers name the item asked for (the SDK checks that they do)
        if (req.method === "PUT" && url.startsWith(`${BASE}/`)) {
          return json(201, putResponse(decodeURIComponent(url.slice(BASE.length + 1))))
        }
        if (req.method === "POST" && url === BASE) {
          const sent = /"sourcedId":("(?:[^"\\]|\\.)*")/.exec(Buffer.concat(chunks).toString("utf8"))
          return json(201, createResponse(sent ? JSON.parse(sent[1]!) : "bench-0"))
        }
        const list = LISTS.find((l) => new URL(url, "http://x").pathname === l.path)
        if (req.method === "GET" && list) {
          const params = new URL(url, "http://x").searchParams
          return json(
            200,
            page(list, Number(params.get("offset") ?? 0), Number(params.get("limit") ?? 100), options.streamTotal ?? 0)
          )
        }
        json(404, "{}")
      })
    })
    server.keepAliveTimeout = 60_000
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address ? address.port : 0
      resolve({
        url: `http://127.0.0.1:${port}`,
        tokenRequests: () => tokens,
        apiRequests: () => ({ total, refused }),
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
