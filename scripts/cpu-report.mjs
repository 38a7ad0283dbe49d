// Preloaded with `node --import` into a process the bench runs: writes the process's CPU time
// (user and system, in microseconds) to the file DSI_CPU_REPORT names, when it exits.
import * as fs from 'node:fs'
import { isMainThread } from 'node:worker_threads'

const file = process.env.DSI_CPU_REPORT
process.on('exit', () => {
  if (file && isMainThread) fs.writeFileSync(file, JSON.stringify(process.cpuUsage()))
})
