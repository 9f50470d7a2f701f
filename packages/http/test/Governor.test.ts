// The governor's arithmetic on virtual time: the rules its doc states, each checked on a script of
// answers (times in ms). What it does over sockets is RateLimit.test.ts.
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import { makeCore, UNPACED } from "../src/internal/governor.js"

const core = (maxRequestsPerSecond?: number) =>
  makeCore(
    { rateLimit: true, maxRequestsPerSecond, maxConcurrency: undefined, baseDelay: Duration.millis(250) },
    () => 0.5
  )

describe("governor arithmetic", () => {
  it("sends unpaced until refused; a burst of 20 then a 429 pauses for Retry-After and paces at 9 × the burst", () => {
    const g = core()
    for (let t = 0; t < 20; t++) {
      expect(g.reserve(t)).toBe(0)
      g.accepted(t)
    }
    expect(g.quiet()).toBe(true)
    g.refused(30, 25, 429, 1)
    expect(g.quiet()).toBe(false)
    expect(g.pausedUntil()).toBe(1030)
    expect(g.rate()).toBe(180)
    // every turn waits for the pause; the first starts within the first interval after it (jitter)
    expect(g.wait(40)).toBe(990)
    const first = 40 + g.reserve(40)
    expect(first).toBeGreaterThanOrEqual(1030)
    expect(first).toBeLessThan(1030 + 1000 / 180)
    expect(40 + g.reserve(40) - first).toBeCloseTo(1000 / 180, 6)
  })

  it("after the next refusal, the rate is the server's exact one: (successes since resuming − burst) / time, less 3 %", () => {
    const g = core()
    for (let t = 0; t < 20; t++) g.accepted(t)
    g.refused(30, 25, 429, 1)
    // resumed at 1030 with a full bucket: 420 successes in 2 s = the burst 20 + 200/s × 2 s
    for (let i = 0; i < 420; i++) g.accepted(1030 + (i * 2000) / 420)
    g.refused(3030, 3000, 429, 1)
    expect(g.rate()).toBeCloseTo(0.97 * 200, 6)
    expect(g.pausedUntil()).toBe(4030)
  })

  it("a first wave swollen by the refill (33 read for a burst of 20) does not drag the exact estimate down", () => {
    const g = core()
    // a cold client's wave: 33 successes within 100 ms, the bucket refilling while it arrived
    for (let i = 0; i < 33; i++) g.accepted(i * 3)
    g.refused(100, 90, 429, 1)
    expect(g.rate()).toBe(9 * 33)
    // resumed at 1100 at 297/s: the bucket (20) empties after 0.2 s, having let 20 + 200/s × 0.2 s through
    for (let i = 0; i < 60; i++) g.accepted(1100 + (i * 200) / 60)
    g.refused(1300, 1290, 429, 1)
    // (60 − 33) / 0.2 s would say 135/s; the burst the prior agrees with, 60 / (1 + 10 × 0.2) = 20, says 200/s
    expect(g.rate()).toBeCloseTo(0.97 * 200, 6)
  })

  it("a refusal of a request sent before the last congestion event only extends the pause", () => {
    const g = core()
    for (let t = 0; t < 20; t++) g.accepted(t)
    g.refused(30, 25, 429, 1)
    g.refused(35, 20, 429, 2)
    expect(g.rate()).toBe(180)
    expect(g.pausedUntil()).toBe(2035)
  })

  it("every refusal of a request sent unpaced is an event: the first after 5 successes reads the burst, the rest keep it", () => {
    const g = core()
    for (let t = 0; t < 3; t++) g.accepted(t)
    // 3 successes are too few to tell a burst from: the pause alone
    g.refused(5, UNPACED, 429, 1)
    expect(g.rate()).toBe(Infinity)
    // the same wave's later answers: 14 more successes, then refusals
    for (let t = 6; t < 20; t++) g.accepted(t)
    g.refused(25, UNPACED, 429, 1)
    expect(g.rate()).toBe(9 * 17)
    g.refused(30, UNPACED, 429, 1)
    expect(g.rate()).toBe(9 * 17)
    expect(g.pausedUntil()).toBe(1030)
  })

  it("a 503 without Retry-After is not a refusal to learn from; maxRequestsPerSecond paces from the first request", () => {
    const g = core(50)
    expect(g.quiet()).toBe(false)
    expect(g.rate()).toBe(50)
    g.refused(10, 0, 503, undefined)
    expect(g.pausedUntil()).toBe(0)
    const a = g.reserve(100)
    const b = g.reserve(100)
    expect(b - a).toBeCloseTo(20, 6)
  })

  it("a turn taken a little late keeps its place in the schedule: lateness does not add up; an idle spell restarts it", () => {
    // 50/s: a turn every 20 ms, each taken 1 ms after it was due (a timer firing late)
    const g = core(50)
    expect(g.reserve(0)).toBe(0)
    for (let k = 1; k <= 10; k++) {
      expect(g.wait(20 * k + 1)).toBe(0)
      expect(g.reserve(20 * k + 1)).toBe(0)
    }
    // the eleventh is due at 220, not 20 ms after the tenth was taken
    expect(g.wait(201)).toBeCloseTo(19, 6)
    // after an idle second, the schedule starts at the turn taken then: no burst to catch up
    expect(g.reserve(1500)).toBe(0)
    expect(g.wait(1500)).toBeCloseTo(20, 6)
  })

  describe("a server that announces its limit", () => {
    /** `g` hears, at `now`, that `remaining` of the server's 200/s are left (nothing else in flight). */
    const hears = (g: ReturnType<typeof core>, now: number, remaining: number, perSecond = 200) => {
      g.announced(now, { perSecond, remaining })
      g.accepted(now)
    }

    it("paces at rate × 2 × left / most ever left: the full rate with the bucket half full", () => {
      const g = core()
      hears(g, 0, 19)
      expect(g.quiet()).toBe(false)
      expect(g.rate()).toBe(200)
      // 19 of the 20 the bucket holds: nearly twice the rate, to bring it down to half
      expect(g.pace(0)).toBeCloseTo(380, 6)
      // each request it sends counts against what it heard was left
      g.reserve(0)
      expect(g.pace(0)).toBeCloseTo(360, 6)
      hears(g, 100, 10)
      expect(g.pace(100)).toBeCloseTo(200, 6)
      // what was left refills at the announced rate: 5 ms later one more request's worth
      expect(g.pace(105)).toBeCloseTo(220, 6)
      // and the pace is what spaces the turns
      const a = 105 + g.reserve(105)
      expect(105 + g.reserve(105) - a).toBeCloseTo(1000 / 200, 6)
    })

    it("sends nothing while the bucket, as the client can tell, is empty: it waits at least for the refill", () => {
      const g = core()
      hears(g, 0, 19)
      hears(g, 2, 0, 100)
      // one request's worth refills in 10 ms at 100/s
      expect(g.wait(2)).toBeGreaterThanOrEqual(10)
      expect(2 + g.reserve(2)).toBeGreaterThanOrEqual(12)
    })

    it("a refusal pauses for Retry-After but changes no rate: the announced one stands", () => {
      const g = core()
      for (let t = 0; t < 20; t++) g.accepted(t)
      g.announced(25, { perSecond: 200, remaining: 0 })
      g.refused(25, UNPACED, 429, 1)
      expect(g.pausedUntil()).toBe(1025)
      expect(g.rate()).toBe(200)
    })

    it("clients reading the same bucket settle at equal shares: two each send half the rate at a quarter full", () => {
      for (const g of [core(), core()]) {
        hears(g, 0, 19)
        hears(g, 100, 5)
        expect(g.pace(100)).toBeCloseTo(100, 6)
      }
    })

    it("maxRequestsPerSecond still caps the pace", () => {
      const g = core(50)
      hears(g, 0, 19)
      expect(g.pace(0)).toBe(50)
    })
  })

  describe("the layer's first request goes out alone", () => {
    it("the others wait for its answer, of any kind", () => {
      for (const answer of ["accepted", "refused", "unanswered"] as const) {
        const g = core()
        expect(g.first(0)).toBe(0)
        expect(g.firstAnswered()).toBe(false)
        expect(g.first(100)).toBe(150)
        if (answer === "accepted") g.accepted(120)
        else if (answer === "refused") g.refused(120, UNPACED, 429, 1)
        else g.unanswered()
        expect(g.firstAnswered()).toBe(true)
        expect(g.first(121)).toBe(0)
      }
    })

    it("unless rateLimit is off: then no answer is waited for", () => {
      const g = makeCore({
        rateLimit: false,
        maxRequestsPerSecond: undefined,
        maxConcurrency: undefined,
        baseDelay: Duration.millis(250)
      })
      expect(g.first(0)).toBe(0)
      expect(g.first(1)).toBe(0)
      expect(g.firstAnswered()).toBe(true)
    })

    it("but for 250 ms at most: a slow first answer holds nothing after that", () => {
      const g = core()
      expect(g.first(0)).toBe(0)
      expect(g.first(249)).toBe(1)
      expect(g.first(250)).toBe(0)
      expect(g.firstAnswered()).toBe(true)
    })
  })
})
