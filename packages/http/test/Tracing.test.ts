// Spans and trace headers, over real sockets: made where something can see them (an exporting
// tracer, or a span of the caller's), and not otherwise.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { input, stack, withRecordedSpans } from "./fixtures.js"

describe("tracing", () => {
  it.live("with Effect's built-in tracer and no span of the caller's, no span is made and no trace header sent", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      yield* gradebook.assessmentResults.put("ar-1", input)
      const [request] = yield* apiRequests
      expect(request!.method).toBe("PUT")
      expect(Object.keys(request!.headers).filter((h) => h === "traceparent" || h.startsWith("b3"))).toEqual([])
    }))

  it.live("inside a span of the caller's, the request carries that span's trace id", () =>
    Effect.gen(function*() {
      const { apiRequests, gradebook } = yield* stack()
      const traceId = yield* gradebook.assessmentResults.put("ar-1", input).pipe(
        Effect.andThen(Effect.currentSpan),
        Effect.map((span) => span.traceId),
        Effect.withSpan("nightly-sync")
      )
      const [request] = yield* apiRequests
      expect(request!.headers["traceparent"]).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`))
    }))

  it.live("an exporting tracer sees the call's span around the platform's http.client span, with its attributes", () =>
    Effect.gen(function*() {
      const { gradebook } = yield* stack()
      const spans = yield* withRecordedSpans((spans) =>
        Effect.as(gradebook.assessmentResults.put("ar-1", input), spans)
      )
      const call = spans.find((s) => s.name === "Gradebook.putAssessmentResult")!
      expect(call.attributes.get("http.request.method")).toBe("PUT")
      expect(call.attributes.get("http.response.status_code")).toBe(201)
      expect(call.attributes.get("timeback.attempts")).toBe(1)
      // the platform's client span is named after the method
      const client = spans.find((s) => s.name === "PUT")!
      expect(client.parent._tag === "Some" && client.parent.value.spanId).toBe(call.spanId)
    }))
})
