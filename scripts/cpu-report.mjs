// Preloaded with `node --import` into a process the bench runs: writes the process's CPU time
// (user and system, in microseconds) to the file DSI_CPU_REPORT names, when it exits.
import * as fs from 'node:fs'

const file = process.env.DSI_CPU_REPORT
process.on('exit', () => {
  if (file) fs.writeFileSync(file, JSON.stringify(process.cpuUsage()))
})
