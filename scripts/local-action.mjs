// npm run local-action: runs the action from its TypeScript sources (src/main.ts) with
// @github/local-action, with the inputs of .env (or, without one, .env.example), against a
// DynamoDB Local and a local S3 server that it starts and stops. Exits with the action's code.
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulators } from './emulators.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const given = fs.existsSync(path.join(root, '.env')) ? '.env' : '.env.example'

const emulators = await startEmulators({ log: (m) => console.log(m) })
let code = 1
try {
  // The endpoints of the emulators just started replace the ones of the file.
  const env = fs
    .readFileSync(path.join(root, given), 'utf8')
    .split('\n')
    .filter((line) => !/^INPUT_(DYNAMODB|S3)-ENDPOINT=/.test(line))
  env.push(`INPUT_DYNAMODB-ENDPOINT=${emulators.dynamodbEndpoint}`)
  if (env.some((line) => /^INPUT_SOURCE=s3:\/\//.test(line))) {
    env.push(`INPUT_S3-ENDPOINT=${emulators.s3Endpoint}`)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamodb-s3-import-local-action-'))
  const summary = path.join(dir, 'step-summary.md')
  fs.writeFileSync(summary, '')
  env.push(`GITHUB_STEP_SUMMARY=${summary}`)
  const file = path.join(dir, '.env')
  fs.writeFileSync(file, env.join('\n') + '\n')
  console.log(`Running src/main.ts with the inputs of ${given}\n`)
  const bin = path.join(root, 'node_modules', '.bin', 'local-action')
  const child = spawn(bin, ['run', root, 'src/main.ts', file], { cwd: root, stdio: 'inherit' })
  code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  console.log(`\n== Job summary (${summary})\n${fs.readFileSync(summary, 'utf8')}`)
} finally {
  await emulators.stop()
}
process.exitCode = code
