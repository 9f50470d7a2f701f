/**
 * Child process: 10,000 puts at concurrency 64 on one side, then its peak RSS.
 * `tsx src/rss.ts <baseline|sdk> <server url>` prints `{ "side", "ms", "maxRssMb" }`.
 */
import { baseline, runConcurrent, sdk, warm } from "./clients.js"

const [side, url] = process.argv.slice(2) as ["baseline" | "sdk", string]
const client = side === "sdk" ? sdk(url) : undefined
const put = client ? client.put : baseline(url)
await warm(put)
const ms = await runConcurrent(put, 10_000, 64)
await client?.dispose()
console.log(JSON.stringify({ side, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }))
