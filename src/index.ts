import { isMainThread } from 'node:worker_threads'
import { run } from './main.js'

// The bundle is also the entry of the write threads (stream/write-threads.ts), which serve calls.
if (isMainThread) await run()
