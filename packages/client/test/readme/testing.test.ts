import { GradebookError, TimebackGradebook } from "@timeback/client"
import { FakeServer, inMemory } from "@timeback/client/testing"
import { expect, it } from "vitest"

it("a grade the API refuses is reported with its field", async () => {
  await using gradebook = inMemory()
  const error = await gradebook.assessmentResults
    .put("r-1", {
      assessmentLineItem: { sourcedId: "quiz-1" },
      student: { sourcedId: "student-7" },
      scoreStatus: "fully graded",
      scoreDate: "not a date"
    })
    .catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GradebookError.RequestError)
  expect((error as GradebookError.RequestError).fields).toEqual(["scoreDate"])
})

it("survives a 503 from the server", async () => {
  const server = await FakeServer.start()
  const gradebook = new TimebackGradebook(server.connection)
  try {
    await server.inject({ method: "PUT", action: { _tag: "Status", status: 503 } })
    const stored = await gradebook.assessmentResults.put("r-1", {
      assessmentLineItem: { sourcedId: "quiz-1" },
      student: { sourcedId: "student-7" },
      scoreStatus: "fully graded",
      scoreDate: "2024-09-06",
      score: 92
    })
    expect(stored.score).toBe(92)
    expect((await server.requests()).filter((r) => r.method === "PUT")).toHaveLength(2)
  } finally {
    await gradebook.close()
    await server.close()
  }
})
