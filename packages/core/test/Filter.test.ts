import { describe, expect, it } from "@effect/vitest"
import { Filter } from "@timeback/core"
import * as Result from "effect/Result"

describe("Filter", () => {
  it("renders each operator", () => {
    expect([
      Filter.eq("scoreStatus", "fully graded"),
      Filter.neq("status", "tobedeleted"),
      Filter.gt("score", 80),
      Filter.gte("score", 80.5),
      Filter.lt("scoreDate", "2024-09-01"),
      Filter.lte("scorePercentile", 10),
      Filter.contains("comment", "great"),
      Filter.anyOf("student.sourcedId", ["s1", "s2"])
    ].map(Filter.render)).toStrictEqual([
      "scoreStatus='fully graded'",
      "status!='tobedeleted'",
      "score>'80'",
      "score>='80.5'",
      "scoreDate<'2024-09-01'",
      "scorePercentile<='10'",
      "comment~'great'",
      "student.sourcedId@'s1,s2'"
    ])
  })

  it("joins clauses with AND or OR and doubles quotes inside values", () => {
    expect(Filter.render(Filter.and(Filter.eq("student.sourcedId", "stu-1"), Filter.gte("score", 80))))
      .toBe("student.sourcedId='stu-1' AND score>='80'")
    expect(Filter.render(Filter.or(Filter.eq("comment", "it's"), Filter.eq("comment", "'quoted'"))))
      .toBe("comment='it''s' OR comment='''quoted'''")
  })

  it("parses what it renders", () => {
    const filters = [
      Filter.eq("comment", "O'Brien AND co"),
      Filter.and(Filter.eq("student.sourcedId", "stu-1"), Filter.gte("score", 80), Filter.neq("status", "x")),
      Filter.or(Filter.contains("comment", "a OR b"), Filter.anyOf("scoreStatus", ["submitted", "exempt"]))
    ]
    for (const f of filters) expect(Filter.parse(Filter.render(f))).toStrictEqual(Result.succeed(f))
  })

  it("refuses malformed filters, unknown fields and a mix of AND and OR", () => {
    expect(Result.isFailure(Filter.parse("score>80"))).toBe(true)
    // a value without its quotes is the first thing a person writes: the message shows the quoted form
    expect(Filter.parse("score<60")).toStrictEqual(
      Result.fail("cannot parse filter at \"score<60\": values are in single quotes, as in score<'60'")
    )
    expect(Filter.parse("score='1' AND late=true")).toStrictEqual(
      Result.fail("cannot parse filter at \"late=true\": values are in single quotes, as in late='true'")
    )
    expect(Result.isFailure(Filter.parse("grade='A'"))).toBe(true)
    expect(Result.isFailure(Filter.parse("score='1' AND score='2' OR score='3'"))).toBe(true)
    expect(Result.isFailure(Filter.parse("score='1' XOR score='2'"))).toBe(true)
    expect(Filter.validate(Filter.and())).toBe("a filter needs at least one clause")
    expect(Filter.validate(Filter.eq("grade" as any, 1))).toBe("unknown filter field \"grade\"")
  })
})
