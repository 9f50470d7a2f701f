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

const stored = JSON.stringify({
  assessmentResult: { ...fullInput, sourcedId: "\u0000", dateLastModified: "2024-09-01T10:00:01.000Z" }
}).split(JSON.stringify("\u0000"))

/** What the server answers to a PUT of `sourcedId`: the stored result, as Timeback sends it (naming the item asked for). */
export const putResponse = (sourcedId: string) => `${stored[0]}${JSON.stringify(sourcedId)}${stored[1]}`

/** What the server answers to a create of `sourcedId`: its pair. */
export const createResponse = (sourcedId: string) =>
  `{"sourcedIdPairs":{"suppliedSourcedId":${JSON.stringify(sourcedId)},"allocatedSourcedId":${
    JSON.stringify(sourcedId)
  }}}`

export const ACCESS_TOKEN = "bench-static-token"

/** A fully populated line item, as a server stores it. */
export const fullLineItem = {
  sourcedId: "li-0",
  status: "active",
  dateLastModified: "2024-09-01T10:00:00.000Z",
  metadata: { unit: 3 },
  title: "Unit 3 quiz",
  description: "Fractions and decimals",
  assignDate: "2024-09-01T08:00:00Z",
  dueDate: "2024-09-08T23:59:00Z",
  class: { sourcedId: "class-1" },
  school: { sourcedId: "school-1" },
  category: { sourcedId: "cat-1" },
  scoreScale: { sourcedId: "scale-1" },
  resultValueMin: 0,
  resultValueMax: 100,
  gradingPeriod: { sourcedId: "term-1" },
  academicSession: { sourcedId: "year-1" }
}

/** A fully populated result (of a line item), as a server stores it. */
export const fullResult = {
  sourcedId: "r-0",
  status: "active",
  dateLastModified: "2024-09-01T10:00:00.000Z",
  metadata: { attempt: 1 },
  lineItem: { sourcedId: "li-0" },
  student: { sourcedId: "student-1" },
  class: { sourcedId: "class-1" },
  score: 87.5,
  textScore: "B+",
  scoreDate: "2024-09-01T10:00:00Z",
  scoreStatus: "fully graded",
  comment: "Good work",
  late: "false"
}
