#!/usr/bin/env node
// Extracts the Gradebook part of Timeback's OneRoster OpenAPI (its gradebook paths and every
// component they reference) into packages/testkit/contract/, which the fake server validates
// requests against and the parity test reads. Usage:
//   node scripts/vendor-contract.mjs <path to oneroster-api.json>
// The source and its commit are recorded in packages/testkit/contract/README.md.
import { readFileSync, writeFileSync } from "node:fs"

const [source] = process.argv.slice(2)
if (!source) {
  console.error("usage: node scripts/vendor-contract.mjs <oneroster-api.json>")
  process.exit(2)
}
const doc = JSON.parse(readFileSync(source, "utf8"))
const PREFIX = "/ims/oneroster/gradebook/v1p2/"
const paths = Object.fromEntries(Object.entries(doc.paths).filter(([p]) => p.startsWith(PREFIX)))

// every `#/components/<kind>/<name>` reachable from the gradebook paths
const wanted = new Map()
const walk = (value) => {
  if (Array.isArray(value)) return value.forEach(walk)
  if (typeof value !== "object" || value === null) return
  for (const [key, v] of Object.entries(value)) {
    if (key === "$ref" && typeof v === "string" && v.startsWith("#/components/")) {
      const [, , kind, name] = v.split("/")
      const id = `${kind}/${name}`
      if (!wanted.has(id)) {
        wanted.set(id, [kind, name])
        walk(doc.components[kind][name])
      }
    } else walk(v)
  }
}
walk(paths)
const components = {}
for (const [kind, name] of [...wanted.values()].sort()) (components[kind] ??= {})[name] = doc.components[kind][name]

const out = {
  openapi: doc.openapi,
  info: { title: doc.info.title, version: doc.info.version },
  servers: doc.servers,
  paths,
  components
}
writeFileSync(
  new URL("../packages/testkit/contract/oneroster-gradebook.json", import.meta.url),
  JSON.stringify(out, null, 1) + "\n"
)
console.log(`${Object.keys(paths).length} paths, ${wanted.size} components`)
