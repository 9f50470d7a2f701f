import type { AssessmentResult } from "@timeback/core"

/** A fully populated result: every field DESIGN.md lists. */
export const fullInput: AssessmentResult.AssessmentResultInput = {
  sourcedId: "bench-0",
  status: "active",
  dateLastModified: "2024-09-01T10:00:00.000Z",
  metadata: { attempt: 2, source: { app: "reader", version: "1.4.2" }, tags: ["unit-3", "quiz"] },
  assessmentLineItem: {
    sourcedId: "line-item-1",
    href: "https://api.example/ali/line-item-1",
    type: "assessmentLineItem"
  },
  student: { sourcedId: "student-1", href: "https://api.example/users/student-1", type: "user" },
  score: 87.5,
  textScore: "B+",
  scoreDate: "2024-09-01T10:00:00Z",
  scoreScale: { sourcedId: "scale-1" },
  scorePercentile: 91,
  scoreStatus: "fully graded",
  comment: "Good work on the second half",
  learningObjectiveSet: [{
    source: "case",
    learningObjectiveResults: [
      { learningObjectiveId: "lo-1", score: 3, textScore: "meets" },
      { learningObjectiveId: "lo-2", score: 2 }
    ]
  }],
  inProgress: "false",
  incomplete: "false",
  late: "false",
  missing: "false"
}

/** What the server answers to a PUT: the stored result, as Timeback sends it. */
export const putResponse = JSON.stringify({
  assessmentResult: { ...fullInput, dateLastModified: "2024-09-01T10:00:01.000Z" }
})

export const createResponse = JSON.stringify({
  sourcedIdPairs: { suppliedSourcedId: "bench-0", allocatedSourcedId: "bench-0" }
})

export const ACCESS_TOKEN = "bench-static-token"
