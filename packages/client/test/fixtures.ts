/** An assessment result's input for `student`, as the tests write it. */
export const result = (student: string, score = 88) => ({
  assessmentLineItem: { sourcedId: "ali-1" },
  student: { sourcedId: student },
  scoreStatus: "fully graded" as const,
  scoreDate: "2024-09-01T10:00:00Z",
  score
})
