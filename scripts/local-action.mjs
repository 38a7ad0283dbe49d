// npm run local-action [-- file]: runs the action from its TypeScript sources (src/main.ts) with
// @github/local-action, with the inputs of the file given (by default .env, or without one
// .env.example), against a DynamoDB Local and a local S3 server that it starts and stops. Exits
// with the action's code: 1 when the action failed (local-action itself exits 0 then).
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulators } from './emulators.mjs'
import { actionExitCode } from './local-action-code.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const given = process.argv[2] ?? (fs.existsSync(path.join(root, '.env')) ? '.env' : '.env.example')

const emulators = await startEmulators({ log: (m) => console.log(m) })
let code = 1
try {
  // The endpoints of the emulators just started replace the ones of the file.
  const env = fs
    .readFileSync(path.resolve(root, given), 'utf8')
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
  // Its output is read for the action's verdict (see actionExitCode), and passed on as it comes,
  // in colour when this runs in a terminal.
  const child = spawn(bin, ['run', root, 'src/main.ts', file], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
    env: { ...process.env, ...(process.stdout.isTTY && { FORCE_COLOR: '1' }) },
  })
  child.stdout.setEncoding('utf8')
  let printed = ''
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk)
    printed += chunk
  })
  const childCode = await new Promise((resolve) => child.on('close', (c) => resolve(c)))
  code = actionExitCode(childCode, printed)
  console.log(`\n== Job summary (${summary})\n${fs.readFileSync(summary, 'utf8')}`)
  if (code !== 0) console.log(`The action failed: exit code ${code}.`)
} finally {
  await emulators.stop()
}
process.exitCode = code
