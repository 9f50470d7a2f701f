/**
 * `pnpm --filter @timeback/bench rate-sim [processes] [trials]`: the rate-limited scenario of the
 * bench (200/s, burst 20, Retry-After: 1; 3,000 puts at concurrency 64 over 1 or 2 processes),
 * simulated on virtual time against the governor's own arithmetic (`makeCore`), so a change to it
 * can be judged over many runs in seconds before `pnpm bench` measures it for real. Each process
 * is one CPU queue (sending and reading an answer cost client time, as the SDK's do on a real
 * machine), the server a token bucket behind its own CPU queue. What it showed about issue 14's goals:
 * bench/RATE-GOVERNOR.md.
 */
import * as Duration from "effect/Duration"
import { makeCore, UNPACED } from "../../packages/http/src/internal/governor.js"

const RATE = Number(process.env.SIM_RATE ?? 200)
const BURST = Number(process.env.SIM_BURST ?? 20)
const TOTAL = 3000
const CONCURRENCY = 64
const SEND_MS = 0.35
const READ_MS = 0.35
const SERVER_MS = 0.12
const WIRE_MS = 0.05
const CONNECT_MS = Number(process.env.SIM_CONNECT_MS ?? 1)
/** The server announces its limit (`RateLimit-Policy` and `RateLimit` headers) in every answer. */
const ANNOUNCE = process.env.SIM_ANNOUNCE === "1"
const CEILING = process.env.SIM_CEILING === undefined ? undefined : Number(process.env.SIM_CEILING)

/** A seeded generator (mulberry32), so a trial can be replayed. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

class Events {
  private heap: Array<{ at: number; seq: number; run: () => void }> = []
  private seq = 0
  now = 0
  at(at: number, run: () => void) {
    const h = this.heap
    h.push({ at, seq: this.seq++, run })
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.less(h[p]!, h[i]!)) break
      ;[h[p], h[i]] = [h[i]!, h[p]!]
      i = p
    }
  }
  private less(a: { at: number; seq: number }, b: { at: number; seq: number }) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq)
  }
  run() {
    const h = this.heap
    while (h.length > 0) {
      const top = h[0]!
      const last = h.pop()!
      if (h.length > 0) {
        h[0] = last
        let i = 0
        for (;;) {
          const l = 2 * i + 1, r = l + 1
          let m = i
          if (l < h.length && this.less(h[l]!, h[m]!)) m = l
          if (r < h.length && this.less(h[r]!, h[m]!)) m = r
          if (m === i) break
          ;[h[m], h[i]] = [h[i]!, h[m]!]
          i = m
        }
      }
      this.now = top.at
      top.run()
    }
  }
}

interface Outcome {
  readonly achieved: number
  readonly requestsPerPut: number
  readonly elapsed: ReadonlyArray<number>
}

export const simulate = (processes: number, seed: number, trace = false): Outcome => {
  const random = seeded(seed)
  const events = new Events()
  let bucket = BURST
  let refilledAt = 0
  let serverFree = 0
  let requests = 0
  const serve = (arrive: number, answer: (status: number, left: number) => void) => {
    const at = Math.max(arrive, serverFree)
    serverFree = at + SERVER_MS
    events.at(serverFree, () => {
      const now = events.now
      bucket = Math.min(BURST, bucket + ((now - refilledAt) / 1000) * RATE)
      refilledAt = now
      requests++
      const ok = bucket >= 1
      if (ok) bucket -= 1
      const left = Math.floor(bucket)
      events.at(now + WIRE_MS, () => answer(ok ? 200 : 429, left))
    })
  }
  const elapsed: Array<number> = []
  const per = TOTAL / processes
  for (let p = 0; p < processes; p++) {
    // processes start apart by up to 300 ms (loading tsx and the SDK)
    const startAt = p === 0 ? 0 : random() * 300
    const core = makeCore(
      { rateLimit: true, maxRequestsPerSecond: CEILING, maxConcurrency: undefined, baseDelay: Duration.millis(250) },
      random
    )
    let cpuFree = 0
    const cpu = (cost: number, then: () => void) => {
      const at = Math.max(events.now, cpuFree)
      // work varies, and now and then a collection stops the process for a few milliseconds
      cpuFree = at + cost * (0.5 + random()) + (random() < 0.003 ? 2 + 8 * random() : 0)
      events.at(cpuFree, then)
    }
    let nextItem = 0
    let done = 0
    let connections = 0
    const send = (admittedAt: number, then: () => void) =>
      // each of the first requests opens a connection (and runs cold code): a slow first wave
      cpu(SEND_MS + (connections < CONCURRENCY ? (connections++, CONNECT_MS) : 0), () =>
        serve(events.now + WIRE_MS, (status, left) =>
          cpu(READ_MS, () => {
            const now = events.now
            events.at(now, release)
            if (ANNOUNCE) {
              core.announced(now, { perSecond: RATE, remaining: left })
            }
            if (status !== 429) {
              core.accepted(now)
              return then()
            }
            const before = core.rate()
            core.refused(now, admittedAt, 429, 1)
            if (trace && core.rate() !== before) {
              console.log(`${(now / 1000).toFixed(3)} p${p}: rate ${before.toFixed(0)} -> ${core.rate().toFixed(0)}`)
            }
            paced(then)
          })))
    // turns are handed out one at a time, as the governor's `make` does: the first waiting request
    // holds them, waits until the pace allows one (reading it again at least every 20 ms), and takes it
    const waiting: Array<(admittedAt: number) => void> = []
    let holding = false
    const turn = () => {
      const wait = core.wait(events.now)
      if (wait > 0) return events.at(events.now + Math.min(wait, 20), turn)
      const delay = core.reserve(events.now)
      events.at(events.now + Math.max(0, delay), () => {
        waiting.shift()!(events.now)
        if (waiting.length > 0) turn()
        else holding = false
      })
    }
    const admit = (then: (admittedAt: number) => void) => {
      waiting.push(then)
      if (!holding) {
        holding = true
        turn()
      }
    }
    const paced = (then: () => void) => admit((admittedAt) => send(admittedAt, then))
    // the layer's first request goes out alone: the others wait for its answer (or 250 ms), then
    // go as they would have
    const held: Array<() => void> = []
    const release = () => held.splice(0).forEach((go) => go())
    const put = (then: () => void): void => {
      if (!core.quiet()) return paced(then)
      const wait = core.first(events.now)
      if (wait <= 0) return send(UNPACED, then)
      held.push(() => put(then))
      events.at(events.now + wait, release)
    }
    const worker = () => {
      if (nextItem >= per) return
      nextItem++
      put(() => {
        done++
        if (done === per) {
          elapsed.push(events.now - startAt)
          if (trace) {
            console.log(
              `${(events.now / 1000).toFixed(3)} p${p}: done after ${
                ((events.now - startAt) / 1000).toFixed(2)
              } s (started at ${startAt.toFixed(0)} ms), rate ${core.rate().toFixed(0)}`
            )
          }
        }
        worker()
      })
    }
    events.at(startAt, () => {
      for (let w = 0; w < CONCURRENCY; w++) worker()
    })
    if (trace) {
      const tick = () => {
        if (done < per) {
          console.log(`${(events.now / 1000).toFixed(3)} p${p}: rate ${core.rate().toFixed(0)}, done ${done}`)
          events.at(events.now + 1000, tick)
        }
      }
      events.at(startAt + 500, tick)
    }
  }
  events.run()
  return {
    achieved: TOTAL / (Math.max(...elapsed) / 1000) / RATE,
    requestsPerPut: requests / TOTAL,
    elapsed
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const processes = Number(process.argv[2] ?? 1)
  const trials = Number(process.argv[3] ?? 20)
  if (process.argv[4] !== undefined) {
    console.log(simulate(processes, Number(process.argv[4]), true))
    process.exit(0)
  }
  const runs = Array.from({ length: trials }, (_, i) => simulate(processes, i + 1))
  const achieved = runs.map((r) => r.achieved).sort((a, b) => a - b)
  const mean = achieved.reduce((a, b) => a + b, 0) / trials
  console.log(
    `${processes} process(es), ${trials} trials: achieved mean ${mean.toFixed(3)}, min ${
      achieved[0]!.toFixed(3)
    }, median ${achieved[Math.floor(trials / 2)]!.toFixed(3)}, max ${achieved.at(-1)!.toFixed(3)}; requests/put mean ${
      (runs.reduce((a, r) => a + r.requestsPerPut, 0) / trials).toFixed(3)
    }`
  )
}
