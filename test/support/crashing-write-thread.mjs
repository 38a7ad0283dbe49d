// A write thread that dies on its first call (test/stream/write-threads.test.ts): what a thread
// lost to an out-of-memory error or a bug looks like to the main thread.
import { parentPort } from 'node:worker_threads'

parentPort?.on('message', () => process.exit(3))
