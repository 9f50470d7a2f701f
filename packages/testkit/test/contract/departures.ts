/**
 * Where the SDK's declarations deliberately differ from Timeback's contract, each with its reason:
 * the one place the parity test (`Contract.test.ts`) consults. A key is `resource:field path:facet`
 * (`*` matches any run of characters); a facet is `extra` (declared, not in the contract),
 * `missing` (in the contract, not declared), `required`, `enum`, `format`, `nullable` or `type`.
 * (The two `extra`s on assessment resources are in their PATCH bodies: both have a PATCH.)
 */
export const DEPARTURES: Readonly<Record<string, string>> = {
  "*.href:extra":
    "a reference may carry the IMS binding's GUIDRef `href` (Timeback's refs are `{ sourcedId }`, and its schemas leave other keys open)",
  "*.type:extra":
    "a reference may carry the IMS binding's GUIDRef `type` (Timeback's refs are `{ sourcedId }`, and its schemas leave other keys open)",
  "*:inProgress:enum":
    "the SDK writes a flag as \"true\" or \"false\" only (the IMS binding's enumeration); Timeback types it as any string, which the SDK reads",
  "*:incomplete:enum": "as inProgress",
  "*:late:enum": "as inProgress",
  "*:missing:enum": "as inProgress",
  "*:metadata:nullable":
    "the contract's `nullable: true` on metadata is OpenAPI 3.0 spelling, which 3.1 ignores; the SDK never sends null metadata (the stricter reading) and reads null as absent",
  "assessment*:sourcedId:extra":
    "a patch may carry the item's sourcedId (so the object a caller read can be patched with); the SDK checks that it names the path's item before sending",
  "assessment*:dateLastModified:extra":
    "a patch may carry dateLastModified, as a put does (the contract's PATCH body leaves other keys open); the SDK sends it only when the caller gives it, as an RFC 3339 date-time",
  "lineItems:status:required":
    "Timeback defaults a line item's status to \"active\"; the SDK always sends one (the IMS binding requires it, and every other resource's schema does)"
}

const pattern = (key: string) =>
  new RegExp(`^${key.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`)
const patterns = Object.keys(DEPARTURES).map((key) => [key, pattern(key)] as const)

/** The departure that covers `key`, if any. */
export const departure = (key: string): string | undefined => patterns.find(([, re]) => re.test(key))?.[0]
