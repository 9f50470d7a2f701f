import { defineConfig } from "vitest/config"

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
    sequence: { concurrent: false }
  }
})
