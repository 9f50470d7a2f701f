import { configDefaults, defineConfig } from "vitest/config"

/**
 * Every package's tests. Deadlines only guard against a hang: five minutes, where the slowest tests
 * take 15–20 s on an idle machine and 60–70 s with every package's tests side by side beside two
 * CPU-bound processes (pnpm test:busy), so a busy machine never turns slowness into a failure
 * (putAll's 10,000 items, 104–126 s there, has ten minutes of its own).
 * Files run three at a time: most of their time is spent waiting on sockets and timers, not on
 * the CPU (vitest's default is one file at a time on a 2-core machine).
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    maxWorkers: 3,
    minWorkers: 1,
    sequence: { concurrent: false }
  }
})

/**
 * Leaves `files` out of the second Node version's run (`TIMEBACK_TESTS=compat`, as `pnpm verify`
 * runs it): suites whose time goes to real-time waits (Retry-After pauses, rate-limited fake
 * servers, killed and resumed processes) and whose verdict is this repository's own JavaScript
 * (the governor's arithmetic, the retry schedule, the fake server's bucket), which does not change
 * with the Node version. Every other suite, over the same sockets, runs on both.
 */
export const onFirstNodeOnly = (files: ReadonlyArray<string>) => ({
  test: {
    exclude: process.env.TIMEBACK_TESTS === "compat" ? [...configDefaults.exclude, ...files] : configDefaults.exclude
  }
})
