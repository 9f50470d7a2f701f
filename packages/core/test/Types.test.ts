// The service's types, checked by the type-checker (`pnpm check` covers tests): each call is typed
// by its resource, `fields` narrows to the partial type, a filter names the resource's own fields.
import { it } from "@effect/vitest"
import type {
  AssessmentLineItem,
  AssessmentResult,
  Category,
  GradebookError,
  LineItem,
  Resource,
  Result,
  ScoreScale
} from "@timeback/core"
import { Filter, Gradebook } from "@timeback/core"
import * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import { expectTypeOf } from "vitest"

// a service whose calls are only built, never run
const unused = () => Effect.die("not run") as any
const gradebook: Gradebook.GradebookService = Gradebook.make({
  create: unused,
  put: unused,
  get: unused,
  list: unused,
  delete: unused,
  patch: unused,
  createMany: unused
})
type Succeeds<E> = E extends Effect.Effect<infer A, any, any> ? A : never
type Fails<E> = E extends Effect.Effect<any, infer B, any> ? B : never

it("each call is typed by its resource", () => {
  expectTypeOf<Succeeds<ReturnType<typeof gradebook.lineItems.get<{}>>>>().toEqualTypeOf<LineItem.LineItem>()
  expectTypeOf<Succeeds<ReturnType<typeof gradebook.categories.put>>>().toEqualTypeOf<Category.Category>()
  expectTypeOf<Succeeds<ReturnType<typeof gradebook.scoreScales.create>>>().toEqualTypeOf<Resource.SourcedIdPair>()
  expectTypeOf<Parameters<typeof gradebook.results.create>[0]>().toEqualTypeOf<Result.ResultInput>()
  expectTypeOf<Parameters<typeof gradebook.assessmentLineItems.patch>[1]>().toEqualTypeOf<
    AssessmentLineItem.AssessmentLineItemPatch
  >()
  expectTypeOf<Succeeds<ReturnType<typeof gradebook.assessmentResults.put>>>().toEqualTypeOf<
    AssessmentResult.AssessmentResult
  >()
  expectTypeOf<Fails<ReturnType<typeof gradebook.lineItems.delete>>>().toEqualTypeOf<GradebookError.GradebookError>()
  expectTypeOf<ScoreScale.ScoreScale["scoreScaleValue"][number]["itemValueLHS"]>().toEqualTypeOf<string>()
  // no patch where the API has none
  expectTypeOf<keyof typeof gradebook.lineItems>().not.toEqualTypeOf<"patch">()
  expectTypeOf(gradebook.categories).not.toHaveProperty("patch")
})

it("`fields` narrows a read to the partial type; a filter names the resource's fields", () => {
  expectTypeOf(gradebook.lineItems.get("li-1", { fields: ["title"] })).toEqualTypeOf<
    Effect.Effect<Partial<LineItem.LineItem>, GradebookError.GradebookError>
  >()
  const scoped = gradebook.classes("c-1").results.stream({ filter: Filter.gte("score", 80), fields: ["score"] })
  expectTypeOf(scoped).toEqualTypeOf<Stream.Stream<Partial<Result.Result>, GradebookError.GradebookError>>()
  // @ts-expect-error: a line item has no score
  gradebook.lineItems.list({ filter: Filter.eq("score", 1) })
  // @ts-expect-error: a result has no title to sort by
  gradebook.results.list({ sort: "title" })
  // a scoped create's bound field is optional; the others are not
  expectTypeOf<Parameters<ReturnType<typeof gradebook.lineItems>["results"]["createMany"]>[0][number]>()
    .toMatchTypeOf<{ readonly student: { readonly sourcedId: string } }>()
  // @ts-expect-error: a result needs a student
  gradebook.lineItems("li-1").results.createMany([{ scoreStatus: "submitted", scoreDate: "2024-09-01" }])
})
