import { GradebookError, TimebackGradebook } from "@timeback/client"

// TIMEBACK_CLIENT_ID, TIMEBACK_CLIENT_SECRET, and TIMEBACK_ENVIRONMENT (staging by default)
const gradebook = TimebackGradebook.fromEnv({ userAgent: "grade-sync/1.0" })
try {
  const stored = await gradebook.assessmentResults.put("result-42", {
    assessmentLineItem: { sourcedId: "quiz-1" },
    student: { sourcedId: "student-7" },
    scoreStatus: "fully graded",
    scoreDate: "2024-09-06",
    score: 92
  })
  console.log(stored.sourcedId, stored.dateLastModified)
} catch (error) {
  if (error instanceof GradebookError.RequestError) console.error(error.status, error.fields, error.message)
  else throw error
} finally {
  await gradebook.close()
}
