/** Heap in use after a full GC, in MB (the child process must run with --expose-gc). */
export const heapMb = (): number => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error("run with --expose-gc")
  gc()
  return process.memoryUsage().heapUsed / 1024 / 1024
}
