import { isMainThread } from 'node:worker_threads'
import { isPostStep, markMainStep } from './created-tables.js'
import { run } from './main.js'
import { runPost } from './post.js'

// The bundle is also the entry of the write threads (stream/write-threads.ts), which serve calls,
// and of the post step (action.yml runs.post), which it knows by the state the main step saved.
if (isMainThread) {
  if (isPostStep()) await runPost()
  else {
    markMainStep()
    await run()
  }
}
