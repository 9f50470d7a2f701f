import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import * as Csv from "../src/internal/csv.js"
import { uuidV5 } from "../src/internal/rows.js"

const parse = async (text: string, chunk = 7) => {
  const pieces = async function*() {
    for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk)
  }
  const out: Array<Csv.Record> = []
  for await (const record of Csv.records(pieces())) out.push(record)
  return out
}

describe("CSV", () => {
  it("reads quotes, doubled quotes, line breaks in quotes, CRLF and a BOM, with the line each record starts on", async () => {
    const text = "\uFEFFa,b\r\n\"x, \"\"y\"\"\",\"two\r\nlines\"\r\n\r\nlast,\r\n"
    expect(await parse(text)).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["x, \"y\"", "two\nlines"] },
      { line: 5, cells: ["last", ""] }
    ])
  })

  it("an unclosed quote or text after a closing quote names the line", async () => {
    await expect(parse("a\n\"open,b\nc\n")).rejects.toThrow("line 2: a quoted field opens here and is never closed")
    // where the quote opens, not where the record starts or the file ends
    await expect(parse("a,b\n\"two\nlines\",\"open\nc\nd\n")).rejects.toThrow(
      "line 3: a quoted field opens here and is never closed (in the record from line 2)"
    )
    await expect(parse("a\nb\n\"x\"y\n")).rejects.toThrow("line 3: text after the closing quote")
  })

  it("what Csv.line writes reads back as the same cells, in chunks of any size", async () => {
    const cell = fc.string({ unit: fc.constantFrom("a", " ", ",", "\"", "\n", "\r\n", "é", "x") })
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        async (rows, chunk) => {
          const records = await parse(rows.map(Csv.line).join(""), chunk)
          const expected = rows.map((r) => r.map((c) => c.replace(/\r\n/g, "\n")))
          expect(records.map((r) => r.cells)).toEqual(expected)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("a derived sourcedId is the RFC 9562 UUID v5 (checked against Python's uuid.uuid5)", () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('6f1c3b52-8e0d-4c4a-9a57-2d3f6b1e7c90'), 'ali-algebra-quiz-1/student-001'))"
    expect(uuidV5("ali-algebra-quiz-1/student-001")).toBe("e387e0c8-c6b2-5137-975e-a5ae55f11e3e")
  })
})
