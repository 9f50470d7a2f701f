/** What the import tests check on the fake server: the results it holds, the PUTs it received. */
import { expect } from "@effect/vitest"
import { AssessmentResult } from "@timeback/core"
import type { FakeTimebackServer } from "@timeback/testkit"
import * as Effect from "effect/Effect"
import { derivedSourcedId } from "../src/internal/rows.js"

export const stored = (
  server: FakeTimebackServer.FakeTimebackServerService
): ReadonlyArray<AssessmentResult.AssessmentResult> => server.store.of(AssessmentResult.resource).unsafeAll()

export const puts = (server: FakeTimebackServer.FakeTimebackServerService) =>
  Effect.map(server.requests, (all) => all.filter((r) => r.method === "PUT").length)

/** The server holds exactly one result per row of `gradesCsv(students, lineItems)`, each as written. */
export const expectExactlyTheRows = (
  server: FakeTimebackServer.FakeTimebackServerService,
  students: number,
  lineItems: number
) => {
  const results = stored(server)
  expect(results.length).toBe(students * lineItems)
  const byId = new Map(results.map((r) => [r.sourcedId, r]))
  expect(byId.size).toBe(results.length)
  const pairs = new Set(results.map((r) => `${r.assessmentLineItem.sourcedId}/${r.student.sourcedId}`))
  expect(pairs.size).toBe(results.length)
  for (let s = 0; s < students; s++) {
    for (let l = 0; l < lineItems; l++) {
      const result = byId.get(derivedSourcedId(`line-item-${l}`, `student-${s}`))
      expect(result?.score).toBe((s * 7 + l) % 101)
      if (s % 7 === 0) expect(result?.comment).toBe("late, but \"complete\"\nsee rubric")
    }
  }
}
