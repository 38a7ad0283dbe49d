// Preloaded with `node --import` into the bundle's process: records the name of every INPUT_*
// variable the action reads (as @actions/core's getInput reads them, from process.env) and
// writes them, as a JSON array, to the file DSI_INPUT_READS names when the process exits.
import * as fs from 'node:fs'
import { isMainThread } from 'node:worker_threads'

const file = process.env.DSI_INPUT_READS
const read = new Set()
process.env = new Proxy(process.env, {
  get(target, key) {
    if (typeof key === 'string' && key.startsWith('INPUT_')) read.add(key)
    return Reflect.get(target, key)
  },
})
// A write thread loads the preload too (it inherits the process's flags); it reads no input.
process.on('exit', () => {
  if (file && isMainThread) fs.writeFileSync(file, JSON.stringify([...read].sort()))
})
