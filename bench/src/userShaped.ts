/**
 * A program shaped like a plain user's (issue 29, finding 9), not like the bench's own loop: one
 * `HttpGradebook.layer` over `NodeHttpClient.layerUndici` in a `ManagedRuntime`, one
 * `runtime.runPromise(put)` per result from 64 async loops, against a server in the same process
 * that allows 200 requests/s (burst 20) and answers 429 + `Retry-After: 1` beyond it.
 * `tsx src/userShaped.ts [count] [--warm-up]` prints `{ achieved, failed, requestsPerPut, elapsedMs, refused }`;
 * `main.ts` runs it on the built packages (`node --conditions=timeback-dist --import tsx …`: the
 * SDK from its `dist/`, only this file and its bench helpers through tsx).
 */
import { sdk } from "./clients.js"
import * as BenchServer from "./server.js"

export const ALLOWED = 200
export const BURST = 20

export interface Outcome {
  /** Achieved rate over the allowed one (the first second's burst counted as the bucket allows). */
  readonly achieved: number
  readonly failed: number
  readonly requestsPerPut: number
  readonly elapsedMs: number
  readonly refused: number
}

export const run = async (count: number, warmUp: boolean, loops = 64): Promise<Outcome> => {
  const server = await BenchServer.start({ rateLimit: { requestsPerSecond: ALLOWED, burst: BURST } })
  const client = sdk(server.url, "undici")
  try {
    if (warmUp) await client.put(-1)
    const before = server.apiRequests()
    let next = 0
    let failed = 0
    const started = performance.now()
    await Promise.all(Array.from({ length: loops }, async () => {
      while (next < count) {
        const i = next++
        await client.put(i).catch(() => failed++)
      }
    }))
    const elapsedMs = performance.now() - started
    const after = server.apiRequests()
    // the most a client could have done: the burst, then the rate
    const possible = BURST + (ALLOWED * elapsedMs) / 1000
    return {
      achieved: count / possible,
      failed,
      requestsPerPut: (after.total - before.total) / count,
      elapsedMs,
      refused: after.refused - before.refused
    }
  } finally {
    await client.dispose()
    await server.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 3000)
  console.log(JSON.stringify(await run(count, process.argv.includes("--warm-up"))))
}
