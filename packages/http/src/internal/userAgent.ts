/**
 * The `User-Agent` of every request (API and token): the application's own product token when it
 * gave one, then the SDK's, then the runtime's, e.g. `grade-sync/2.1 timeback-http/0.1.0 node/20.20.2`.
 */
import { VERSION } from "./version.js"

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+"
const PRODUCT = `${TOKEN}(?:/${TOKEN})?`

/** One or more product tokens (`name/version`, visible ASCII), separated by single spaces. */
export const PRODUCT_TOKENS = new RegExp(`^${PRODUCT}(?: ${PRODUCT})*$`)

const runtime = (): string | undefined => {
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process?.versions
  if (versions?.bun) return `bun/${versions.bun}`
  if (versions?.node) return `node/${versions.node}`
  const deno = (globalThis as { Deno?: { version?: { deno?: string } } }).Deno?.version?.deno
  return deno ? `deno/${deno}` : undefined
}

export const make = (application: string | undefined): string =>
  [application, `timeback-http/${VERSION}`, runtime()].filter((s) => s !== undefined && s.length > 0).join(" ")

/** The headers every request (API and token) starts with: one merge per request. */
export const headers = (userAgent: string) => ({ accept: "application/json", "user-agent": userAgent })
