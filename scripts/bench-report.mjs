// Preloaded with `node --import` into every process the bench times: writes the process's CPU
// time (user + system, every thread, µs) and its peak resident memory (KiB) to the file
// DSI_BENCH_REPORT names, when it exits. The peak is VmHWM of /proc/self/status, the high-water
// mark of this process's own memory: getrusage's maxrss is not, on Linux it keeps the parent's
// resident size at the fork (the bench's own, often larger than a small run's).
import * as fs from 'node:fs'
import { isMainThread } from 'node:worker_threads'

const file = process.env.DSI_BENCH_REPORT
process.on('exit', () => {
  if (!file || !isMainThread) return
  const usage = process.resourceUsage()
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  fs.writeFileSync(
    file,
    JSON.stringify({
      cpuMicros: usage.userCPUTime + usage.systemCPUTime,
      maxRssKiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]),
    }),
  )
})
