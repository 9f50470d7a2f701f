// Runs one of the root's scripts while other processes keep the CPU busy, as a newcomer's laptop
// does (a browser, an editor, a build): the claim that the suite passes under load, checkable by anyone.
//
//   node scripts/busy.mjs [--load N] <script> [args…]     (pnpm verify:busy, pnpm test:busy)
//
// N processes (default 2: on a 2-core machine, as many as it has cores) each spin a tight loop
// for as long as the script runs; they are killed when it ends, and the script's exit code is this one's.
import { spawn } from "node:child_process"

const args = process.argv.slice(2)
let load = 2
if (args[0] === "--load") {
  load = Number(args[1])
  args.splice(0, 2)
  if (!Number.isInteger(load) || load < 0) {
    console.error("busy.mjs: --load takes a whole number of CPU-bound processes")
    process.exit(2)
  }
}
if (args.length === 0) {
  console.error("usage: node scripts/busy.mjs [--load N] <script> [args…]")
  process.exit(2)
}

// the package manager that runs this script (pnpm, fetched by npx), or npm
const runner = process.env.npm_execpath
const command = runner ? [process.execPath, runner, "run", ...args] : ["npm", "run", ...args]

const spinners = Array.from({ length: load }, () =>
  spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }))
const stop = () => {
  for (const spinner of spinners) spinner.kill("SIGKILL")
}
console.error(`busy.mjs: ${load} CPU-bound processes running beside \`${args.join(" ")}\``)
const started = Date.now()
const child = spawn(command[0], command.slice(1), { stdio: "inherit" })
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    child.kill(signal)
  })
}
child.on("close", (code, signal) => {
  stop()
  const seconds = Math.round((Date.now() - started) / 1000)
  console.error(`busy.mjs: \`${args.join(" ")}\` ${code === 0 ? "passed" : "failed"} in ${Math.floor(seconds / 60)} min ${seconds % 60} s under a load of ${load}`)
  process.exit(code ?? (signal ? 1 : 0))
})
