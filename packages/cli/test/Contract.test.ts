// What the import sends keeps Timeback's contract; what it sent before this change does not. The
// fake server validates every request against the contract (its default), over a socket.
import { describe, expect, it } from "@effect/vitest"
import { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { columns, fromCsv } from "../src/internal/rows.js"
import { PACKAGE_DIR } from "./spawn.js"

/** A PUT of one assessment result, as any client would send it, and the server's answer. */
const putResult = (server: FakeTimebackServer.FakeTimebackServerService, item: { readonly sourcedId: string }) =>
  Effect.promise(async () => {
    const token = await fetch(server.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=${server.clientId}&client_secret=demo-secret`
    }).then((r) => r.json() as Promise<{ readonly access_token: string }>)
    const answer = await fetch(`${server.baseUrl}${FakeTimebackServer.ASSESSMENT_RESULTS_PATH}/${item.sourcedId}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ assessmentResult: item })
    })
    return { status: answer.status, body: await answer.json() as { readonly imsx_description?: string } }
  })

describe("the sample import against Timeback's contract", () => {
  it.live("a sample row as the import converts it is accepted; as it was sent before (no status, a date) it is refused", () =>
    Effect.gen(function*() {
      const server = yield* FakeTimebackServer.make()
      const [header, first] = readFileSync(join(PACKAGE_DIR, "sample", "grades.csv"), "utf8").split("\n")
      const targets = Result.getOrThrow(columns(header!.split(","), new Map()))
      const item = Result.getOrThrow(yield* fromCsv(targets)(first!.split(",")))
      expect([item.status, item.scoreDate]).toStrictEqual(["active", "2024-09-06T00:00:00Z"])
      expect((yield* putResult(server, item)).status).toBe(201)
      // the same row before: the CSV's cells as they were, no status
      const { status: _, ...before } = { ...item, sourcedId: "before", scoreDate: "2024-09-06" }
      const refused = yield* putResult(server, before)
      expect(refused.status).toBe(422)
      expect(refused.body.imsx_description).toMatch(
        /assessmentResult\.status: is required.*assessmentResult\.scoreDate: must be an RFC 3339 date-time/
      )
    }))
})
