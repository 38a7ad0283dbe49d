// Preloaded with `node --import` into every process the bench times: writes the process's CPU
// time (user + system, every thread, µs) and its peak resident memory (the kernel's maxrss, KiB)
// to the file DSI_BENCH_REPORT names, when it exits.
import * as fs from 'node:fs'
import { isMainThread } from 'node:worker_threads'

const file = process.env.DSI_BENCH_REPORT
process.on('exit', () => {
  if (!file || !isMainThread) return
  const usage = process.resourceUsage()
  fs.writeFileSync(
    file,
    JSON.stringify({ cpuMicros: usage.userCPUTime + usage.systemCPUTime, maxRssKiB: usage.maxRSS }),
  )
})
